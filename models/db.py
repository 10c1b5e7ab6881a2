"""Opening the database: engine with durable SQLite settings, migrations with a backup first."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models.base import SyncMixin
from models.evidence_store import evidence_root
from models.sync import Tombstone
from resources import resource_path
from rules.version_vector import bumped, effective

if TYPE_CHECKING:
    from alembic.config import Config

BACKUPS_KEPT = 5
MIGRATIONS = resource_path("models", "migrations")


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded. The message is Chinese."""


# ``Session`` is what ``Database.session()`` yields: the GUI names it from here when it hands one
# to a service, without importing SQLAlchemy itself.
__all__ = ["DISK_FULL", "STORAGE_ERRORS", "Database", "DatabaseError", "Session",
           "alembic_config", "backup_database", "current_revision", "disk_full_message",
           "head_revision", "make_engine", "open_database"]

DISK_FULL = "磁盘空间已满，刚才的修改没有保存。请清理磁盘后重试；此前已保存的数据不受影响。"


def disk_full_message(exc: BaseException) -> str | None:
    """The Chinese message for a write that failed because the disk (or the database's size
    limit) is full; ``None`` for any other error."""
    import errno

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return DISK_FULL
        if isinstance(seen, sqlite3.OperationalError) and "full" in str(seen):
            return DISK_FULL  # SQLITE_FULL: "database or disk is full"
        seen = seen.__cause__ or seen.__context__
    return None


#: What a failed read or write of the database can raise; the GUI catches these around a save
#: and keeps the user's input.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (DatabaseError, SQLAlchemyError, sqlite3.Error)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _bump_revisions(session: Session, _ctx: Any, _instances: Any) -> None:
    """Every edit of a travelling record raises its sync revision and its version vector and
    stamps this device; a deleted one leaves a tombstone, so the deletion travels too."""
    device = session.info.get("device_id")
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            if obj.device_id is None:
                obj.device_id = device
            if obj.sync_vv is None and device:
                obj.sync_vv = {device: int(obj.sync_rev or 1)}
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            vector = effective(obj.sync_vv, obj.device_id, obj.sync_rev)
            obj.sync_rev = (obj.sync_rev or 0) + 1
            obj.device_id = device
            obj.sync_vv = bumped(vector, device or "?")
    gone = [obj for obj in session.deleted if isinstance(obj, SyncMixin) and obj.uuid]
    with session.no_autoflush:
        for obj in gone:
            vector = bumped(effective(obj.sync_vv, obj.device_id, obj.sync_rev), device or "?")
            session.merge(Tombstone(uuid=obj.uuid, kind=getattr(obj, "__tablename__", ""),
                                    device_id=device, sync_vv=vector))


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def head_revision() -> str:
    """The newest migration's id.

    Read from the migration files' ``revision`` / ``down_revision`` lines, so that opening a
    database that is already up to date never imports Alembic (a large part of start-up);
    anything unusual, such as several heads, is left to Alembic to judge.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            continue
        revisions.add(rev.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; ``None`` for a new, empty file."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        has_table = raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has_table:
            return None
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])


def backup_database(path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL), keeping the newest few
    of each kind of label (the part before its first ``-``), so that many backups before
    imports never push out the one before an upgrade."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.sqlite"
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    old = sorted(p for p in backup_dir.glob(f"{path.stem}-*.sqlite")
                 if _backup_family(p.stem[len(path.stem) + 1:]) == _backup_family(
                     f"{stamp}-{label}"))
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
    return target


def _backup_family(name: str) -> str:
    """``20261206-120000-000001-before-0006`` → ``before``: the kind of a backup."""
    parts = name.split("-", 3)
    return parts[3].split("-", 1)[0] if len(parts) == 4 else ""


@dataclass
class Database:
    """One SQLite file: its engine, a session factory, and where its backups go."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    backup_dir: Path
    device_id: str = ""

    @property
    def evidence_root(self) -> Path:
        """The folder of this database's photos, signatures and attachments."""
        return evidence_root(self.path)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        s = self.sessions()
        s.info["device_id"] = self.device_id
        try:
            yield s
            s.commit()
        except BaseException as exc:
            s.rollback()
            full = disk_full_message(exc)
            if full is not None:
                raise DatabaseError(full) from exc
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path, backup_dir: Path | None = None) -> Database:
    """Open (creating if needed) and upgrade the database at ``path``.

    A database that already holds data is backed up before any pending migration runs.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"无法创建数据目录 {path.parent}：{exc.strerror}") from exc
    backup_dir = backup_dir or path.parent / "backups"
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _check_sqlite_file(path)
    engine = make_engine(path)
    try:
        current = current_revision(engine)
        head = head_revision()
        if current != head:
            if existed:
                backup_database(path, backup_dir, f"before-{head}")
            from alembic import command

            command.upgrade(alembic_config(engine), "head")
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(
            f"数据库升级失败（{path.name}）：{exc}。升级前的备份在 {backup_dir}。") from exc
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _bump_revisions)
    db = Database(path=path, engine=engine, sessions=sessions, backup_dir=backup_dir)
    from models.system import ensure_device_id

    with db.session() as s:
        db.device_id = ensure_device_id(s)
    return db


def _check_sqlite_file(path: Path) -> None:
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseError(f"{path.name} 不是本软件的数据库文件（不是 SQLite 格式）。")
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "alembic_version" not in tables:
            raise DatabaseError(f"{path.name} 是其他程序的 SQLite 数据库，不能打开。")
        ok = conn.execute("PRAGMA quick_check").fetchone()
        if not ok or ok[0] != "ok":
            raise DatabaseError(f"{path.name} 已损坏（完整性检查未通过），请从备份恢复。")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path.name} 无法读取：{exc}") from exc
    finally:
        conn.close()

