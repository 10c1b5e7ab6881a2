"""The user's backups: list, verify, take and restore them.

Plain functions on paths (a backup is a file, not a row), returning frozen dataclasses whose
fields a settings dialog can show as they are. A restore never loses anything: the current
database is backed up first (kind ``restore``), the chosen backup is copied to a temporary file
beside the database, checked, and only then put in place with one atomic rename.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.backup_files import (
    IMPORT,
    MANUAL,
    RESTORE,
    UPGRADE,
    backup_database,
    backup_files,
    backup_kind,
    backup_label,
    backup_time,
    check_file,
    copy_database,
    schema_version,
)
from models.db import (
    DatabaseError,
    LockedError,
    NewerSchemaError,
    ReadOnlyError,
    disk_full_message,
    head_revision,
    known_revisions,
    locked_message,
    newer_schema_message,
)
from models.evidence_store import fsync_dir
from models.integrity import quick_check_file, unclean_markers

KIND_LABELS = {UPGRADE: "升级前", IMPORT: "导入前", RESTORE: "恢复前", MANUAL: "手动"}


class BackupError(DatabaseError):
    """A backup cannot be taken, read or restored. The message is Chinese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime | None  # local time, from the file name
    kind: str  # before | import | restore | manual
    kind_label: str  # 升级前 | 导入前 | 恢复前 | 手动
    label: str  # e.g. before-0007
    schema_version: str | None
    size_bytes: int
    protected: bool  # the newest upgrade backup of its schema: the rotation keeps it

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    ok: bool
    problem: str | None  # why not, in Chinese
    schema_version: str | None
    restorable: bool  # sound, and of a schema this program can read


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    previous: BackupInfo | None  # the database as it was before, itself backed up


def default_backup_dir(db_path: Path) -> Path:
    """Where the backups of ``db_path`` go (as :func:`models.db.open_database` puts them)."""
    return Path(db_path).parent / "backups"


def list_backups(db_path: Path, backup_dir: Path | None = None) -> list[BackupInfo]:
    """The backups of the database at ``db_path``, newest first."""
    db_path = Path(db_path)
    folder = backup_dir or default_backup_dir(db_path)
    files = backup_files(db_path, folder)
    infos = [_info(p, db_path.stem) for p in files]
    newest: dict[tuple[str, str | None], Path] = {}
    for info in infos:
        if info.kind == UPGRADE:
            newest[(info.label, info.schema_version)] = info.path
    protected = set(newest.values())
    return [BackupInfo(i.path, i.taken_at, i.kind, i.kind_label, i.label, i.schema_version,
                       i.size_bytes, i.path in protected) for i in reversed(infos)]


def verify_backup(path: Path) -> BackupCheck:
    """Integrity and foreign-key check of a backup file, and whether it can be restored."""
    path = Path(path)
    problem = check_file(path)
    version = schema_version(path) if problem is None else None
    restorable = problem is None
    if problem is None and version is not None and version not in known_revisions():
        problem = newer_schema_message(version, head_revision())
        restorable = False
    return BackupCheck(path, problem is None, problem, version, restorable)


def take_backup(db_path: Path, backup_dir: Path | None = None,
                kind: str = MANUAL) -> BackupInfo:
    """Back up the database at ``db_path`` now (the rotation of that kind follows).

    The database is checked first, and one that fails the integrity check is refused with
    nothing written; not before a restore (kind ``restore``), which keeps the database as it is
    however it is."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"找不到数据库文件 {db_path}，无法备份。")
    folder = backup_dir or default_backup_dir(db_path)
    if kind != RESTORE:  # before a restore, the database is kept as it is, damaged or not
        _refuse_damaged(db_path)
    try:
        made = backup_database(db_path, folder, kind)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(disk_full_message(exc) or
                          f"备份失败（{folder}）：{_reason(exc)}") from exc
    return _info(made, db_path.stem)


def _refuse_damaged(db_path: Path) -> None:
    """Refuse to back up a database that fails the integrity check: its copy would push a
    sound backup out of the rotation."""
    try:
        problem = quick_check_file(db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"备份前检查数据库失败：{_reason(exc)}。未备份。") from exc
    if problem is not None:
        raise BackupError(f"数据库未通过完整性检查（{problem}），未备份，已有的备份保持不变。"
                          "数据库文件可能已损坏，请从已有的备份恢复。")


def restore_backup(db_path: Path, backup: Path, backup_dir: Path | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` (which no program may have open) with ``backup``.

    The current database is backed up first; the backup is copied beside the database,
    checked, and renamed into place, so a failure at any point leaves the database as it was.
    """
    db_path, backup = Path(db_path), Path(backup)
    folder = backup_dir or default_backup_dir(db_path)
    check = verify_backup(backup)
    if not check.ok:
        error = NewerSchemaError if check.problem and "较新版本" in check.problem else BackupError
        raise error(f"备份 {backup.name} 不能恢复：{check.problem}")
    if (db_path.exists() and not os.access(db_path, os.W_OK)) or not os.access(
            db_path.parent, os.W_OK):
        raise ReadOnlyError(f"{db_path} 是只读的，不能恢复到这里。")
    restored = _info(backup, db_path.stem)
    existed = db_path.exists() and db_path.stat().st_size > 0
    if existed:
        _settle(db_path)
    tmp = db_path.with_name(f".{db_path.name}.restore-{uuid.uuid4().hex}.tmp")
    previous = None
    try:
        # Copied first: the backup of the current database may rotate out an old one,
        # which could be the very backup being restored.
        copy_database(backup, tmp)
        problem = check_file(tmp)
        if problem is not None:
            raise BackupError(f"复制的备份未通过检查（{problem}），数据库保持原样。")
        if existed:
            previous = take_backup(db_path, folder, RESTORE)
        os.replace(tmp, db_path)
        fsync_dir(db_path.parent)
        # What a program that ended without closing the replaced file left beside it: the
        # restored file was checked whole just now.
        unclean_markers(db_path).settle(clear=True)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(disk_full_message(exc) or
                          f"恢复失败（{_reason(exc)}），数据库保持原样。") from exc
    finally:
        tmp.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):  # empty leftovers of the replaced file
        side = Path(f"{db_path}{suffix}")
        if side.exists() and side.stat().st_size == 0:
            side.unlink(missing_ok=True)
    return RestoreResult(restored, previous)


def _settle(db_path: Path) -> None:
    """Fold the write-ahead log into the file and make sure no other program has it open: a
    log left beside the file would otherwise be applied to the restored one."""
    conn = sqlite3.connect(db_path, timeout=1.0)
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        raise LockedError(locked_message(1.0)) from exc
    finally:
        conn.close()
    wal = Path(f"{db_path}-wal")
    if busy or (wal.exists() and wal.stat().st_size > 0):
        raise LockedError("数据库正被另一个程序使用（可能是本工具的另一个窗口），不能恢复。"
                          "请关闭其他窗口后重试；数据库没有改动。")


def _info(path: Path, stem: str) -> BackupInfo:
    kind = backup_kind(path, stem)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return BackupInfo(path, backup_time(path, stem), kind, KIND_LABELS.get(kind, kind),
                      backup_label(path, stem), schema_version(path), size, False)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)
