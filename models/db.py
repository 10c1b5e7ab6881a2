"""Opening the database: engine with durable SQLite settings, migrations with a backup first.

The database is a SQLite file (the laptop) or a PostgreSQL database named by a URL
(``postgresql+psycopg://user@host/db``: a city or province gathering many counties). The same
migrations build both; what differs between them lives in :mod:`models.dialect`. On a server
the SQLite file's safety steps (header check, WAL, file backups) do not apply: the upgrade is
one transaction, and backups are the operator's ``pg_dump`` (docs/postgresql.md).

Opening never makes things worse: a database written by a newer program is refused before
anything is written (no backup either); one that cannot be written (a read-only file, folder or
medium) opens read-only; a backup is taken only before an upgrade that will actually run, and is
removed again if the upgrade fails (the upgrade runs in one transaction, so the file is as it
was). A database another program holds is waited for, up to :func:`lock_wait_seconds`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from models.backup_files import BACKUPS_KEPT, backup_database
from models.evidence_store import evidence_root
from models.integrity import OpenMarker, check_at_open, hold_marker
from models.paths import data_dir
from resources import resource_path
from rules.version_vector import bumped, effective

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

# The ORM (and the mapped classes) load with the first session, not with this module: a command
# that only reads rows through an engine (:func:`open_for_reading`) never pays for them.

MIGRATIONS = resource_path("models", "migrations")


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded. The message is Chinese."""


class NewerSchemaError(DatabaseError):
    """The database was written by a newer version of the program."""


class ReadOnlyError(DatabaseError):
    """A change was asked of a database that is open read-only."""


class LockedError(DatabaseError):
    """Another program held the database for longer than we wait."""


class DiskFullError(DatabaseError):
    """The disk (or the database's size limit) is full."""


# ``Session`` is what ``Database.session()`` yields: the GUI names it from here when it hands one
# to a service, without importing SQLAlchemy itself.
__all__ = ["BACKUPS_KEPT", "DISK_FULL", "DISK_FULL_AT_OPEN", "PAGE_CACHE_KIB", "READ_ONLY",
           "STORAGE_ERRORS", "Database", "DatabaseError", "DiskFullError", "LockedError",
           "NewerSchemaError", "ReadOnlyError", "Session", "alembic_config", "backup_database",
           "current_revision", "disk_full_message", "head_revision", "known_revisions",
           "lock_wait_seconds", "make_engine", "newer_schema_message", "open_database",
           "open_for_reading", "parse_location"]

DISK_FULL = "磁盘空间已满，刚才的修改没有保存。请清理磁盘后重试；此前已保存的数据不受影响。"
DISK_FULL_AT_OPEN = ("磁盘空间已满，无法打开数据库（打开时需要写入少量数据）。"
                     "请清理磁盘后重试；数据库中的数据不受影响。")
READ_ONLY = ("数据库是只读的（只读的文件、文件夹或存储介质），只能查看，不能修改；"
             "刚才的修改没有保存。如需修改，请把数据库复制到可以写入的位置，或取消只读属性后重新打开。")
BROKEN_TEXT = ("要保存的文本中含有无法保存的残缺字符（不成对的代理字符），刚才的修改没有保存。"
               "请删除该字符后重试。")
#: Seconds to wait for a database another program holds (the environment variable overrides).
LOCK_WAIT_ENV = "SHENGYU_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 5.0
#: Names the evidence folder of a database on a server (default: under the user data folder).
EVIDENCE_DIR_ENV = "SHENGYU_EVIDENCE_DIR"
#: Below this much free space an I/O error at open is read as a full disk.
_NEARLY_FULL = 1024 * 1024


def lock_wait_seconds() -> float:
    """How long a statement waits for a lock another program holds before giving up."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")  # one letter would be a Windows drive


def parse_location(value: str | Path | URL) -> Path | URL:
    """Where the database is: a SQLite file's path (``sqlite:///path`` too) or a PostgreSQL
    URL. A string that reads as an address but is not one this program opens is refused with a
    Chinese message, never taken for a file name."""
    if isinstance(value, Path | URL):
        return value
    found = _SCHEME.match(value)
    if found is None:
        return Path(value)
    from sqlalchemy.engine import make_url

    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"“{value}”不是有效的数据库地址。请给出 SQLite 数据库文件的路径，"
            "或 PostgreSQL 地址（postgresql+psycopg://用户@主机/数据库）。") from exc
    if url.drivername in ("postgres", "postgresql"):  # as libpq and other tools write it
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError(f"“{value}”没有给出数据库文件的路径（sqlite:///路径）。")
        return Path(url.database)
    if backend != "postgresql":
        raise DatabaseError(f"不支持 {backend} 数据库。本程序打开 SQLite 数据库文件，"
                            "或 PostgreSQL 数据库（postgresql+psycopg://用户@主机/数据库）。")
    if url.get_driver_name() not in ("psycopg", "postgresql"):
        raise DatabaseError(f"PostgreSQL 请用 psycopg 3 驱动（postgresql+psycopg://…），"
                            f"不支持 {url.get_driver_name()}。")
    if not url.database:
        raise DatabaseError(f"“{url.render_as_string()}”没有给出数据库名"
                            "（postgresql+psycopg://用户@主机/数据库名）。")
    return url.set(drivername="postgresql+psycopg")


def describe_location(location: Path | URL) -> str:
    """The database as a person reads it: a file path, or a URL without its password."""
    if isinstance(location, URL):  # a socket folder reads as a folder, not %2F…
        from urllib.parse import unquote

        return unquote(location.render_as_string(hide_password=True))
    return str(location)


def newer_schema_message(found: str, supported: str) -> str:
    return (f"此数据库由较新版本的程序创建（结构版本 {found}，本程序支持到 {supported}），"
            "请升级程序")


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


#: The most memory (KiB) each connection's page cache may take (SQLite's default is 2 MiB).
PAGE_CACHE_KIB = 65536


def _pragmas(read_only: bool, wait: float, *, query_only: bool = False) -> Any:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        # A page cache that holds the indexes a large write (an import, the demo) touches all
        # over - uuids are random - instead of spilling pages to the log and reading them
        # again: SQLite takes the memory only as pages are read, up to this much.
        cur.execute(f"PRAGMA cache_size={-PAGE_CACHE_KIB}")
        if read_only or query_only:
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    return on_connect


def __getattr__(name: str) -> Any:
    if name == "Session":  # re-exported for the GUI, which names it without importing SQLAlchemy
        from sqlalchemy.orm import Session

        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _bump_revisions(session: Session, _ctx: Any, _instances: Any) -> None:
    """Every edit of a travelling record raises its sync revision and its version vector and
    stamps this device; a deleted one leaves a tombstone, so the deletion travels too."""
    from models.base import SyncMixin
    from models.sync import Tombstone

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


def make_engine(path: Path, *, read_only: bool = False, lock_wait: float | None = None,
                query_only: bool = False) -> Engine:
    """An engine on the SQLite file ``path``; ``read_only`` opens it so that it cannot be
    written at all (``mode=ro``, or ``immutable`` where SQLite may not even make its
    shared-memory file beside it). ``query_only`` opens a writable file as it is (its
    write-ahead log read as usual) for statements that only read."""
    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    if read_only:
        from models.backup_files import connect_read_only

        engine = create_engine("sqlite://", creator=lambda: connect_read_only(path),
                               future=True)
    else:
        engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _pragmas(read_only, wait, query_only=query_only))
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


def known_revisions() -> set[str]:
    """Every revision this program's migrations know."""
    return {m.group(1) for script in (MIGRATIONS / "versions").glob("*.py")
            if (m := _REVISION.search(script.read_text(encoding="utf-8")))}


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; ``None`` for a new, empty file."""
    if engine.dialect.name != "sqlite":
        from sqlalchemy import text

        with engine.connect() as conn:
            if conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
                return None
            found = conn.scalar(text("SELECT version_num FROM alembic_version"))
            return None if found is None else str(found)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        has_table = raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has_table:
            return None
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])


@dataclass
class Database:
    """One database: its engine, a session factory, and where its backups and evidence go.

    ``path`` is the SQLite file; for a database on a PostgreSQL server it is ``None`` and
    ``url`` names it. ``read_only`` is true when the file, its folder or its medium cannot be
    written (or the server session is read-only): it can be read, and any unit of work that
    tries to change it fails with :class:`ReadOnlyError`.
    """

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    backup_dir: Path
    device_id: str = ""
    read_only: bool = False
    url: URL | None = None
    evidence_dir: Path | None = None
    #: While a writable database file is open, a marker beside it (see :mod:`models.integrity`).
    marker: OpenMarker | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def location(self) -> str:
        """The file path, or the server URL without its password."""
        where = self.path if self.path is not None else self.url
        assert where is not None
        return describe_location(where)

    @property
    def evidence_root(self) -> Path:
        """The folder of this database's photos, signatures and attachments."""
        if self.evidence_dir is not None:
            return self.evidence_dir
        assert self.path is not None
        return evidence_root(self.path)

    def require_writable(self) -> None:
        """Raise :class:`ReadOnlyError` before a change is even started on a read-only file."""
        if self.read_only:
            raise ReadOnlyError(READ_ONLY)

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
            named = storage_error(exc)
            if named is exc:
                raise
            raise named from exc
        finally:
            s.close()

    def dispose(self) -> None:
        """Close the database: its connections, and its marker of an open database."""
        self.engine.dispose()
        if self.marker is not None:
            self.marker.release()


def storage_error(exc: BaseException) -> BaseException:
    """The Chinese :class:`DatabaseError` for a full disk, a read-only file or a lock held too
    long; any other error as it is."""
    if isinstance(exc, DatabaseError):
        return exc
    if any(isinstance(e, UnicodeEncodeError) for e in error_chain(exc)):
        return DatabaseError(BROKEN_TEXT)
    full = disk_full_message(exc)
    if full is not None:
        return DiskFullError(full)
    state = _sqlstate(exc)
    if state == "25006":  # read_only_sql_transaction
        return ReadOnlyError(READ_ONLY)
    if state in ("55P03", "40P01"):  # lock_not_available, deadlock_detected
        return LockedError(locked_message())
    if state == "53100":  # disk_full
        return DiskFullError(DISK_FULL)
    text = f"{exc} {exc.__cause__ or ''}"
    if "readonly database" in text or ("read-only" in text and "database" in text):
        return ReadOnlyError(READ_ONLY)
    if "database is locked" in text or "database table is locked" in text:
        return LockedError(locked_message())
    return exc


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error in ``exc``'s chain (psycopg names it)."""
    for e in error_chain(exc):
        for candidate in (e, getattr(e, "orig", None)):
            state = getattr(candidate, "sqlstate", None)
            if isinstance(state, str):
                return state
    return None


def error_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or during, outermost first."""
    seen: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and e not in seen:
        seen.append(e)
        e = e.__cause__ or e.__context__
    return seen


def locked_message(wait: float | None = None) -> str:
    seconds = lock_wait_seconds() if wait is None else wait
    return (f"数据库正被另一个程序占用（可能是本工具的另一个窗口或另一条命令，"
            f"或正在复制、同步该文件的程序），已等待 {seconds:g} 秒仍未释放。"
            "请关闭占用它的程序后重试；数据没有改动。")


def _refuse_writes(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyError(READ_ONLY)


def open_database(path: Path | str | URL, backup_dir: Path | None = None, *,
                  read_only: bool | None = None, lock_wait: float | None = None,
                  evidence_dir: Path | None = None) -> Database:
    """Open (creating if needed) and upgrade the database at ``path``: a SQLite file, or a
    PostgreSQL URL (see :func:`parse_location`; ``evidence_dir`` then names the folder of its
    evidence files).

    ``read_only`` ``None`` decides from the file: one that cannot be written opens read-only.
    A database that already holds data is backed up before a pending migration runs; a
    database from a newer program, or one read-only that would need an upgrade, is refused
    with nothing written. Every failure is a :class:`DatabaseError` with a Chinese message.
    """
    location = parse_location(path)
    if isinstance(location, URL):
        return _open_server(location, backup_dir, read_only=bool(read_only), wait=lock_wait,
                            evidence_dir=evidence_dir)
    path = location
    if path.is_dir():
        raise DatabaseError(f"{path} 是一个文件夹，不是数据库文件。请指定数据库文件"
                            "（例如 jiancha.sqlite）的路径。")
    existed = path.exists() and path.stat().st_size > 0
    if read_only is None:
        read_only = existed and not _writable(path)
    if not existed:
        if read_only:
            raise ReadOnlyError(f"{path.name} 不存在，只读方式不能新建数据库。")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"无法创建数据目录 {path.parent}：{exc.strerror}") from exc
    backup_dir = backup_dir or path.parent / "backups"
    try:
        return _open(path, backup_dir, existed=existed, read_only=read_only, wait=lock_wait)
    except ReadOnlyError:
        if read_only or not existed:
            raise
        # The file looked writable, but a write was refused (a read-only mount seen late,
        # an immutable flag): what can be read is still opened.
        return _open(path, backup_dir, existed=existed, read_only=True, wait=lock_wait)


def open_for_reading(location: Path | str | URL, *, lock_wait: float | None = None
                     ) -> Engine | None:
    """A plain engine on the database at ``location`` for statements that only read, when it
    can be had cheaply: an existing SQLite file that can be written (so its write-ahead log is
    read as usual) and is already at this program's schema, past the same checks as
    :func:`open_database` (after an unclean shutdown, the whole file). Its connections cannot
    write (``query_only``); neither the ORM nor the catalog is loaded.

    ``None`` for anything that needs more: a server, a new or read-only file, an upgrade. The
    caller then opens it with :func:`open_database`, which does what is needed and says what
    is wrong. A file that fails the checks raises :class:`DatabaseError`, as there.
    """
    where = parse_location(location)
    if isinstance(where, URL):
        return None
    try:
        if not where.is_file() or where.stat().st_size == 0 or not _writable(where):
            return None
    except OSError as exc:
        raise _open_error(where, exc) from exc
    engine = _checked_engine(where, check=True, read_only=False, wait=lock_wait,
                             query_only=True)
    try:
        if current_revision(engine) == head_revision():
            return engine
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        engine.dispose()
        raise _open_error(where, exc) from exc
    engine.dispose()
    return None


def _open(path: Path, backup_dir: Path, *, existed: bool, read_only: bool,
          wait: float | None) -> Database:
    # Marked open before anything is written (a migration), so an end without closing the
    # database is noticed at the next open, which then checks the whole file.
    marker = None if read_only else hold_marker(path)
    try:
        db = _open_file(path, backup_dir, existed=existed, read_only=read_only, wait=wait)
    except BaseException:
        if marker is not None:
            marker.release()
        raise
    db.marker = marker
    return db


def _checked_engine(path: Path, *, check: bool, read_only: bool, wait: float | None,
                    query_only: bool = False) -> Engine:
    """The open's checks of an existing file (``check``), then an engine on it; any failure
    as a :class:`DatabaseError` in Chinese."""
    try:
        if check:
            _check_sqlite_file(path, read_only)
        return make_engine(path, read_only=read_only, lock_wait=wait, query_only=query_only)
    except DatabaseError:
        raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise _open_error(path, exc) from exc


def _open_file(path: Path, backup_dir: Path, *, existed: bool, read_only: bool,
               wait: float | None) -> Database:
    engine = _checked_engine(path, check=existed, read_only=read_only, wait=wait)
    try:
        _migrate(engine, path, backup_dir, existed=existed, read_only=read_only)
        return _ready(Database(path=path, engine=engine, sessions=_sessions(engine, read_only),
                               backup_dir=backup_dir, read_only=read_only))
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, DatabaseError):
            raise
        if isinstance(exc, OSError | sqlite3.Error | SQLAlchemyError):
            raise _open_error(path, exc) from exc
        raise


def _sessions(engine: Engine, read_only: bool) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _bump_revisions)
    if read_only:
        event.listen(sessions, "before_flush", _refuse_writes)
    return sessions


def _ready(db: Database) -> Database:
    """``db`` with its device id read, or made on its first opening."""
    from models.system import ensure_device_id, read_device_id

    with db.session() as s:
        if db.read_only:
            db.device_id = read_device_id(s)
        else:
            if not db.is_sqlite:  # several programs may open a new server database at once
                from sqlalchemy import text

                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SERVER_OPEN_LOCK})
            db.device_id = ensure_device_id(s)
    return db


#: The advisory lock taken while a server database's device id is made.
SERVER_OPEN_LOCK = 0x5348_4A44


def make_server_engine(url: URL, *, read_only: bool = False,
                       lock_wait: float | None = None) -> Engine:
    """An engine on a PostgreSQL database. Every session runs in UTC (times are stored as
    ``timestamptz`` and read back as the same instant whatever the server's zone), waits for
    a lock at most :func:`lock_wait_seconds`, and is read-only when asked."""
    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    options = f"-c timezone=UTC -c lock_timeout={int(wait * 1000)}"
    if read_only:
        options += " -c default_transaction_read_only=on"
    return create_engine(url, future=True, pool_pre_ping=True,
                         connect_args={"options": options,
                                       "application_name": "shengyu-jiancha"})


def server_evidence_dir(url: URL) -> Path:
    """The evidence folder of a server database: ``SHENGYU_EVIDENCE_DIR`` when set, else a
    folder named after the server and database under the user data folder."""
    configured = os.environ.get(EVIDENCE_DIR_ENV)
    if configured:
        return Path(configured)
    name = f"{url.host or 'local'}-{url.port or 5432}-{url.database}"
    return data_dir() / "evidence" / re.sub(r"[^\w.-]+", "_", name)


def _open_server(url: URL, backup_dir: Path | None, *, read_only: bool, wait: float | None,
                 evidence_dir: Path | None) -> Database:
    """Open and upgrade a PostgreSQL database; every failure a Chinese :class:`DatabaseError`."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise DatabaseError("要打开 PostgreSQL 数据库，需要先安装 psycopg 3："
                            "pip install \"shengyu-jiancha[postgres]\"") from exc
    engine = make_server_engine(url, read_only=read_only, lock_wait=wait)
    where = describe_location(url)
    try:
        _migrate(engine, None, backup_dir or data_dir() / "backups", existed=True,
                 read_only=read_only)
        return _ready(Database(path=None, url=url, engine=engine,
                               sessions=_sessions(engine, read_only),
                               backup_dir=backup_dir or data_dir() / "backups",
                               read_only=read_only,
                               evidence_dir=evidence_dir or server_evidence_dir(url)))
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, DatabaseError):
            raise
        if isinstance(exc, SQLAlchemyError):
            raise _server_error(where, exc) from exc
        raise


def _server_error(where: str, exc: SQLAlchemyError) -> DatabaseError:
    """What a failure to reach or use a PostgreSQL database means, in Chinese."""
    error = storage_error(exc)
    if isinstance(error, DatabaseError):
        return error
    state = _sqlstate(exc) or ""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    # A refused connection carries no SQLSTATE on the client: the server's words tell.
    if state == "3D000" or ("database" in detail and "does not exist" in detail):
        return DatabaseError(f"服务器上没有这个数据库（{where}）。请先由管理员建库"
                             "（createdb），或检查数据库名。")
    if "no password supplied" in detail:
        return DatabaseError(f"无法登录数据库服务器（{where}）：服务器要求密码，但没有提供。"
                             "请把密码写入 ~/.pgpass（Windows 上是 "
                             "%APPDATA%\\postgresql\\pgpass.conf），或设置环境变量 PGPASSWORD；"
                             "见 docs/postgresql.md。")
    if state.startswith("28") or "authentication failed" in detail or "no pg_hba" in detail:
        return DatabaseError(f"无法登录数据库服务器（{where}）：用户名或密码不对，"
                             "或没有连接权限。")
    if state == "42501":
        return permission_error(where, detail)
    return DatabaseError(f"无法连接或使用数据库服务器（{where}）：{detail}。"
                         "请检查地址、网络和服务器是否在运行。")


def permission_error(where: str, detail: str) -> DatabaseError:
    """The database user may not do what opening needs (make or change the tables, or the
    pg_trgm extension): say to connect as the database's owner."""
    return DatabaseError(f"数据库用户没有所需的权限（{where}）：{detail}。建立和升级数据库结构"
                         "需要用数据库的所有者连接（建库时 createdb -O 用户名）；"
                         "见 docs/postgresql.md。")


def _migrate(engine: Engine, path: Path | None, backup_dir: Path, *, existed: bool,
             read_only: bool) -> None:
    """Bring the schema to this program's head; refuse what this program cannot read."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise NewerSchemaError(newer_schema_message(current, head))
    name = path.name if path is not None else "数据库"
    if read_only:
        raise ReadOnlyError(f"{name} 需要升级到本程序的数据库结构（{current} → {head}），"
                            "但它是只读的。请把它复制到可以写入的位置后再打开。")
    backup = None
    if existed and current is not None and path is not None:
        try:
            backup = backup_database(path, backup_dir, f"before-{head}")
        except (OSError, sqlite3.Error) as exc:
            full = disk_full_message(exc)
            raise (DiskFullError(f"磁盘空间已满，无法在升级数据库前备份，未升级。{full}")
                   if full else DatabaseError(
                       f"升级数据库前备份失败（{backup_dir}：{exc}），未升级。")) from exc
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        if backup is not None and current_revision(engine) == current:
            backup.unlink(missing_ok=True)  # the upgrade rolled back: the file is as it was
        error = storage_error(exc)
        if isinstance(error, DatabaseError) and error is not exc:
            raise error from exc
        if path is None and _sqlstate(exc) == "42501":  # insufficient_privilege
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise permission_error(describe_location(engine.url), detail) from exc
        raise DatabaseError(f"数据库升级失败（{name}）：{exc}。数据库保持原样。") from exc


def _writable(path: Path) -> bool:
    """Whether SQLite could write ``path`` and make its journal files beside it. ``access``
    also answers for a read-only mount and an immutable file, even to root."""
    if not os.access(path, os.W_OK):
        return False
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if all(p.exists() for p in sidecars):
        return all(os.access(p, os.W_OK) for p in sidecars)
    return os.access(path.parent, os.W_OK)


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk that holds ``folder``; ``None`` when it cannot be told."""
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _open_error(path: Path, exc: BaseException) -> DatabaseError:
    """What an error while opening means, in Chinese: a full disk is named as one."""
    error = storage_error(exc)
    if isinstance(error, DiskFullError):
        return DiskFullError(DISK_FULL_AT_OPEN)
    if isinstance(error, DatabaseError):
        return error
    free = free_bytes(path.parent)
    if free is not None and free < _NEARLY_FULL:
        return DiskFullError(DISK_FULL_AT_OPEN)
    if isinstance(exc, PermissionError):
        return DatabaseError(f"没有权限读取 {path}。请检查文件的权限。")
    if isinstance(exc, OSError):
        return DatabaseError(f"无法打开 {path}：{exc.strerror or exc}")
    return DatabaseError(f"{path.name} 无法读取（{getattr(exc, 'orig', None) or exc}）：文件可能已"
                         "损坏，或所在的磁盘出错。请检查磁盘后重试，或从备份恢复。")


def _check_sqlite_file(path: Path, read_only: bool) -> None:
    """The cheap checks of an open; the whole file only after an unclean shutdown."""
    problem = check_at_open(path, read_only, timeout=lock_wait_seconds())
    if problem is not None:
        raise DatabaseError(problem)
