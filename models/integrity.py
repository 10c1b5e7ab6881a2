"""Whether a database file is sound, and when it is worth reading all of it to find out.

The full check (``PRAGMA quick_check``) reads every page of the file: seconds for a file of
gigabytes. Opening a database therefore does only what costs the same at any size (the
header, and whether the file is this program's), and the full check runs where it can matter:

- after an unclean shutdown. A writable open leaves a marker beside the database
  (``<name>-open-<pid>``), locked for as long as the process has the database open, and
  removed when it is closed or the process ends in an orderly way. A marker that no process
  holds means a program stopped without closing the database (power lost, a crash, a killed
  process): the next open reads the whole file before anything else. The operating system
  releases the lock of a process that died, so the marker of a window still open (a second
  window, a command running beside it) is never taken for a dead one's. Recovering what the
  write-ahead log holds is SQLite's own work; the marker only decides whether to check.
- before a backup, an import and an export package (their callers);
- on demand and in the background once in a while (:mod:`services.integrity`).

Every message is Chinese. Nothing here raises on a damaged file: the checks say what they
found, and the caller decides what to refuse.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from models.backup_files import connect_read_only
from models.evidence_store import fsync_dir
from rules.progress import Cancelled, IsCancelled

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

HEADER = b"SQLite format 3\x00"
#: Between the database's file name and the pid of the process that has it open.
MARKER_INFIX = "-open-"
#: How many of the problems SQLite finds are named in a message.
SHOWN = 3
CANCELLED = "已取消完整性检查。"

# SQLite's primary result codes that mean the file itself is damaged or cannot be read.
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB = 10, 11, 26
_SQLITE_INTERRUPT = 9


# --- the checks -------------------------------------------------------------------------------


def check_at_open(path: Path, read_only: bool, *, timeout: float) -> str | None:
    """The checks an open makes: ``None`` when the file may be opened, else why not.

    Cheap at any size: the header, and whether the file is this program's database. Only when
    a marker says the database was not closed the last time is the whole file read. SQLite
    errors that are not about the file's content (a lock held too long) are raised.
    """
    with path.open("rb") as fh:
        header = fh.read(len(HEADER))
    if header != HEADER:
        return f"{path.name} 不是本软件的数据库文件（不是 SQLite 格式）。"
    conn = connect_read_only(path) if read_only else sqlite3.connect(path, timeout=timeout)
    found: UncleanMarkers | None = None
    sound = False
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "alembic_version" not in tables:
            return f"{path.name} 是其他程序的 SQLite 数据库，不能打开。"
        found = unclean_markers(path)
        if not found:
            return None
        problem = quick_check(conn)
        if problem is not None:  # the markers stay: the next open checks again
            return (f"{path.name} 上次没有正常关闭，完整性检查发现它已损坏（{problem}），"
                    "请从备份恢复。")
        sound = True
    finally:
        conn.close()
        if found is not None:
            found.settle(clear=sound and not read_only)
    return None


def quick_check(conn: sqlite3.Connection, is_cancelled: IsCancelled | None = None) -> str | None:
    """Read the whole database through ``conn``: ``None`` when it is sound, else the first
    problems found (SQLite's words). ``is_cancelled`` turning true stops it with
    :class:`~rules.progress.Cancelled`."""
    if is_cancelled is not None and is_cancelled():
        raise Cancelled(CANCELLED)
    done = threading.Event()
    watcher = None
    if is_cancelled is not None:
        stop = is_cancelled

        def watch() -> None:  # SQLite stops a running statement when told from any thread
            while not done.is_set():
                if stop():
                    conn.interrupt()
                    return
                done.wait(0.05)

        watcher = threading.Thread(target=watch, name="integrity-cancel", daemon=True)
        watcher.start()
    try:
        rows = conn.execute(f"PRAGMA quick_check({SHOWN})").fetchall()
    except sqlite3.DatabaseError as exc:
        code = _code(exc)
        if code == _SQLITE_INTERRUPT and is_cancelled is not None and is_cancelled():
            raise Cancelled(CANCELLED) from None
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return str(exc)
        if code == _SQLITE_IOERR:
            return f"读取文件出错：{exc}"
        raise
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    found = [_plain(str(r[0])) for r in rows]
    if found == ["ok"]:
        return None
    return "；".join(found[:SHOWN]) or "未知问题"


def quick_check_file(path: Path, is_cancelled: IsCancelled | None = None) -> str | None:
    """:func:`quick_check` of the database at ``path`` on a connection of its own that cannot
    write (so it may run beside a program that has the database open, even on another
    thread). A file that cannot be opened as a database is a problem too."""
    try:
        with Path(path).open("rb") as fh:
            header = fh.read(len(HEADER))
    except OSError as exc:
        return f"无法读取：{exc.strerror or exc}"
    if header != HEADER:
        return "不是 SQLite 数据库文件"
    try:
        conn = connect_read_only(Path(path))
    except sqlite3.DatabaseError as exc:
        return f"无法打开：{exc}"
    try:
        return quick_check(conn, is_cancelled)
    finally:
        conn.close()


def quick_check_session(session: Session, is_cancelled: IsCancelled | None = None) -> str | None:
    """:func:`quick_check` through the connection of ``session`` (what it reads next is read
    from the file just checked); ``None`` for a database that is not a SQLite file."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return quick_check(raw, is_cancelled)


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _plain(line: str) -> str:
    """SQLite's line without its ``*** in database main ***`` heading, on one line."""
    text = line.replace("*** in database main ***", "").strip()
    return " ".join(text.split())


# --- the markers of an open database ------------------------------------------------------------


def marker_path(path: Path, pid: int | None = None) -> Path:
    """The marker this process (or ``pid``) keeps beside the database at ``path``."""
    path = Path(path)
    return path.with_name(f"{path.name}{MARKER_INFIX}{os.getpid() if pid is None else pid}")


def markers(path: Path) -> list[Path]:
    """Every marker beside the database at ``path``, held or not."""
    path = Path(path)
    prefix = f"{path.name}{MARKER_INFIX}"
    try:
        return sorted(p for p in path.parent.iterdir()
                      if p.name.startswith(prefix) and p.name[len(prefix):].isdigit())
    except OSError:
        return []


@dataclass
class _Hold:
    fd: int
    users: int = 1


_held: dict[Path, _Hold] = {}
_guard = threading.Lock()


class OpenMarker:
    """This process's hold on the marker of a database it has open for writing. Several
    databases of one process on one file share the marker; the last :meth:`release` (or the
    process's orderly end) removes it."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._released = False

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            hold = _held.get(self.file)
            if hold is None:
                return
            hold.users -= 1
            if hold.users <= 0:
                del _held[self.file]
                _remove(self.file, hold.fd)

    @property
    def released(self) -> bool:
        return self._released


def hold_marker(path: Path) -> OpenMarker | None:
    """Put this process's marker beside the database at ``path`` (made durable, so that it
    outlives a power cut) and hold it; ``None`` when it cannot be made (the database is used
    without one: an unclean end is then not noticed at the next open, nothing worse)."""
    file = marker_path(path)
    with _guard:
        hold = _held.get(file)
        if hold is not None:
            hold.users += 1
            return OpenMarker(file)
        try:
            fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None
        try:
            _lock(fd)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            os.fsync(fd)
        except OSError:
            _remove(file, fd)
            return None
        fsync_dir(file.parent)
        _held[file] = _Hold(fd)
        return OpenMarker(file)


@dataclass
class UncleanMarkers:
    """Markers no living process holds, locked by us while we decide about them."""

    found: list[tuple[Path, int | None]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found)

    def settle(self, *, clear: bool) -> None:
        """Remove them (the file was checked and is sound), or only let go of them."""
        for file, fd in self.found:
            if clear:
                _remove(file, fd)
            elif fd is not None:
                os.close(fd)
        self.found.clear()


def unclean_markers(path: Path) -> UncleanMarkers:
    """The markers beside ``path`` that no process holds: each is left by a program that had
    the database open for writing and ended without closing it."""
    result = UncleanMarkers()
    with _guard:
        ours = set(_held)
    for file in markers(path):
        if file in ours:
            continue
        try:
            fd = os.open(file, os.O_RDONLY)
        except FileNotFoundError:
            continue  # closed in between
        except OSError:
            result.found.append((file, None))  # cannot be told: checked, to be safe
            continue
        if _lock(fd):
            result.found.append((file, fd))
        else:
            os.close(fd)  # a living process has the database open
    return result


def _lock(fd: int) -> bool:
    """Lock ``fd`` without waiting: False when another holder has it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        import errno

        # Windows says a held lock with EACCES/EDEADLOCK; a file system without locks gives
        # other errors, and its markers are then taken as left behind (and checked).
        return exc.errno not in (errno.EACCES, errno.EAGAIN, errno.EDEADLK)
    return True


def _remove(file: Path, fd: int | None) -> None:
    """Delete the marker ``file`` we hold through ``fd``. On POSIX it goes while still
    locked, so no one can take it for a dead process's in between; Windows deletes no open
    file, so there it is closed first."""
    if sys.platform != "win32":
        _unlink(file)
    if fd is not None:
        os.close(fd)
    if sys.platform == "win32":
        _unlink(file)


def _unlink(file: Path) -> None:
    try:
        file.unlink(missing_ok=True)
    except OSError:
        pass  # another process has it open (Windows), or the folder refuses: checked once more


@atexit.register
def _release_all() -> None:
    """An orderly end of the process (a command's, the window's) closes its databases."""
    with _guard:
        for file, hold in list(_held.items()):
            _remove(file, hold.fd)
        _held.clear()
