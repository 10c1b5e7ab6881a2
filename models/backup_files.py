"""Backup files of a database: how they are named, written, pruned and checked.

A backup is ``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<label>.sqlite`` in the database's ``backups/``
folder. The label's first part is the backup's kind:

- ``before-<revision>``: taken before a schema upgrade to ``<revision>``;
- ``import``: before an exchange package is merged;
- ``restore``: of the current database, before another backup replaced it;
- ``manual``: asked for by the user.

Each kind keeps its newest :data:`BACKUPS_KEPT`, so that many imports never push out the backup
taken before an upgrade; and the newest backup of each schema version taken before an upgrade
is never pruned, however many failed or repeated attempts follow it.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

BACKUPS_KEPT = 5
UPGRADE, IMPORT, RESTORE, MANUAL = "before", "import", "restore", "manual"


def backup_database(path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL); then the rotation."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.sqlite"
    try:
        copy_database(path, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    prune_backups(path, backup_dir, backup_kind(target, path.stem))
    return target


def copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` into the new file ``target`` with SQLite's backup API, then fsync it.
    ``source`` is opened read-only, so a backup of a read-only database works too."""
    src = connect_read_only(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())


def connect_read_only(file: Path, *, settled: bool = False) -> sqlite3.Connection:
    """A connection that can never write ``file``.

    ``settled`` says no program writes the file (a backup): it is read as immutable, so not
    even a shared-memory file appears beside it.

    A file nobody may write (read-only or immutable), with no log of unfolded changes beside
    it, is read as immutable: nothing at all is written, not even SQLite's shared-memory file.
    In a folder it may not write, a WAL database cannot make that file either, so it is then
    read as immutable too.
    """
    file = Path(file)
    uri = file.resolve().as_uri()
    wal = Path(f"{file}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    if not pending and (settled or not os.access(file, os.W_OK)):
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def backup_files(path: Path, backup_dir: Path) -> list[Path]:
    """The backups of the database at ``path``, oldest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(p for p in backup_dir.glob(f"{path.stem}-*.sqlite")
                  if backup_kind(p, path.stem))


def backup_label(file: Path, stem: str) -> str:
    """``work-20261206-120000-000001-before-0006.sqlite`` → ``before-0006``; "" when the name
    is not a backup's."""
    rest = file.stem[len(stem) + 1:] if file.stem.startswith(f"{stem}-") else ""
    parts = rest.split("-", 3)
    if len(parts) != 4 or not (parts[0].isdigit() and parts[1].isdigit()):
        return ""
    return parts[3]


def backup_kind(file: Path, stem: str) -> str:
    """The kind of a backup (the label's first part): before, import, restore, manual…"""
    return backup_label(file, stem).split("-", 1)[0]


def backup_time(file: Path, stem: str) -> datetime | None:
    rest = file.stem[len(stem) + 1:]
    try:
        return datetime.strptime(rest[:22], "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None


def schema_version(file: Path) -> str | None:
    """The schema revision recorded in a database file; ``None`` when it has none or cannot be
    read."""
    try:
        conn = connect_read_only(file, settled=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def prune_backups(path: Path, backup_dir: Path, kind: str) -> list[Path]:
    """Delete the backups of ``kind`` beyond the newest :data:`BACKUPS_KEPT`, never the newest
    upgrade backup of each schema version. Returns what was deleted."""
    same = [p for p in backup_files(path, backup_dir) if backup_kind(p, path.stem) == kind]
    keep = set(same[-BACKUPS_KEPT:])
    if kind == UPGRADE:
        newest: dict[tuple[str, str | None], Path] = {}
        for p in same:  # oldest first: the last one of each schema wins
            newest[(backup_label(p, path.stem), schema_version(p))] = p
        keep |= set(newest.values())
    gone = [p for p in same if p not in keep]
    for stale in gone:
        stale.unlink(missing_ok=True)
    return gone


def check_file(file: Path) -> str | None:
    """``None`` when ``file`` is a sound database of this program; else why not, in Chinese."""
    try:
        with file.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return f"无法读取：{exc.strerror or exc}"
    if header != b"SQLite format 3\x00":
        return "不是 SQLite 数据库文件"
    try:
        conn = connect_read_only(file, settled=True)
    except sqlite3.Error as exc:
        return f"无法打开：{exc}"
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            return "完整性检查未通过：" + "；".join(str(r[0]) for r in result[:3])
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            return "不是本软件的数据库（没有结构版本）"
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            return f"外键检查未通过（{len(problems)} 处）"
    except sqlite3.Error as exc:
        return f"无法读取：{exc}"
    finally:
        conn.close()
    return None
