"""What to tell the user about a failure, in Chinese, and where an unexpected one is logged.

One place for the command line (``main.py``) and, later, the GUI: :func:`expected_failure`
names every failure the user can do something about (a locked, read-only, full, missing,
corrupt or newer database, a folder given for a file, a permission); anything else is a fault
of the program, written with its traceback to a log in the user data folder by
:func:`write_crash_log`, and :func:`describe_failure` says where.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from checklists.datafiles import DataFileError
from models.db import (
    DISK_FULL,
    READ_ONLY,
    DatabaseError,
    LockedError,
    disk_full_message,
    error_chain,
    locked_message,
)
from models.paths import data_dir
from rules.progress import Cancelled

LOG_NAME = "errors.log"
LOG_MAX_BYTES = 1024 * 1024  # then the log is moved to errors.log.1 and starts again
EXIT_FAILED, EXIT_BUG, EXIT_CANCELLED = 1, 70, 130
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Failure:
    message: str  # Chinese, for the user
    exit_code: int
    expected: bool  # the user can act on it; otherwise a fault of the program
    log: Path | None = None  # where an unexpected failure was written


def expected_failure(exc: BaseException, db_path: Path | None = None) -> str | None:
    """The Chinese message for a failure the user can act on; ``None`` for a fault of the
    program."""
    if isinstance(exc, Cancelled):
        return str(exc) or "已取消。"
    if isinstance(exc, LockedError) or _is_locked(exc):
        return _with_holders(str(exc) if isinstance(exc, LockedError) else locked_message(),
                             db_path)
    if isinstance(exc, DatabaseError):
        return str(exc)
    full = disk_full_message(exc)
    if full is not None:
        return full
    if isinstance(exc, DataFileError):
        return f"程序自带的数据文件有误：{exc}。请重新安装程序。"
    if isinstance(exc, UnicodeError):
        return "文本中含有无法保存的字符（如不成对的代理字符），请删除后重试。"
    if isinstance(exc, SQLAlchemyError | sqlite3.Error):
        return _database_failure(exc)
    if isinstance(exc, OSError):
        return _file_failure(exc)
    if isinstance(exc, MemoryError):
        return "内存不足，刚才的操作没有完成。请关闭其他程序后重试。"
    if isinstance(exc, ValueError | LookupError) and _CJK.search(str(exc)):
        return str(exc)  # services raise these with Chinese text
    return None


def describe_failure(exc: BaseException, db_path: Path | None = None) -> str:
    """What to tell the user about ``exc``. An unexpected failure is logged first
    (:func:`write_crash_log`), and the message says where the log is."""
    return handle_failure(exc, db_path).message


def handle_failure(exc: BaseException, db_path: Path | None = None) -> Failure:
    """:func:`describe_failure` with the exit code, and the log for an unexpected failure."""
    message = expected_failure(exc, db_path)
    if message is not None:
        code = EXIT_CANCELLED if isinstance(exc, Cancelled) else EXIT_FAILED
        return Failure(message, code, True)
    try:
        log: Path | None = write_crash_log(exc)
    except OSError:
        log = None
    where = (f"详细信息已写入 {log}，请把这个文件交给技术支持。" if log
             else "详细信息也无法写入日志。")
    return Failure(f"程序出错，刚才的操作没有完成（{type(exc).__name__}）。{where}",
                   EXIT_BUG, False, log)


def log_dir() -> Path:
    return data_dir() / "logs"


def write_crash_log(exc: BaseException, context: str = "") -> Path:
    """Append ``exc`` with its traceback to the error log in the user data folder (or, where
    that cannot be written, in the temporary folder); the log's path."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = (f"==== {datetime.now().isoformat(timespec='seconds')}  pid {os.getpid()}\n"
             f"命令行：{' '.join(sys.argv)}\n{context + chr(10) if context else ''}{text}\n")
    last: OSError | None = None
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "shengyu-jiancha-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
                os.replace(path, folder / f"{LOG_NAME}.1")
            with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(entry)
            return path
        except OSError as error:
            last = error
    assert last is not None
    raise last


def lock_holders(db_path: Path) -> list[str]:
    """The other processes that have the database (or its journal) open, as Chinese labels:
    this tool's other windows and commands by name. Linux only; elsewhere empty."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    try:
        wanted = {str(Path(f"{db_path}{s}").resolve()) for s in ("", "-wal", "-shm")}
    except OSError:
        return []
    found: list[str] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if not links & wanted:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                "utf-8", "replace")
            name = (entry / "comm").read_text(encoding="utf-8").strip()
        except OSError:
            cmdline, name = "", "?"
        if "main.py" in cmdline or "shengyu" in cmdline.lower():
            found.append(f"本工具的另一个窗口或命令（进程号 {entry.name}）")
        else:
            found.append(f"{name}（进程号 {entry.name}）")
    return found


def _with_holders(message: str, db_path: Path | None) -> str:
    holders = lock_holders(db_path) if db_path is not None else []
    if not holders:
        return message
    return f"{message}正在使用它的程序：{'、'.join(holders)}。"


def _is_locked(exc: BaseException) -> bool:
    return any("database is locked" in str(e) or "database table is locked" in str(e)
               for e in error_chain(exc))


def _database_failure(exc: BaseException) -> str:
    text = " ".join(str(getattr(e, "orig", None) or e) for e in error_chain(exc))
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "unable to open database file" in text:
        return "无法打开数据库文件：文件或其所在的文件夹不存在、没有权限，或磁盘不可用。"
    if "malformed" in text or "not a database" in text or "disk I/O error" in text:
        return ("数据库文件已损坏或所在的磁盘出错，无法读取。"
                "请检查磁盘，或从备份恢复（backups list）。")
    if "full" in text:
        return DISK_FULL
    first = text.splitlines()[0] if text else type(exc).__name__
    return f"数据库读写失败：{first}。刚才的操作没有完成。"


def _file_failure(exc: OSError) -> str:
    name = exc.filename or ""
    if isinstance(exc, IsADirectoryError):
        return f"{name} 是一个文件夹，这里需要一个文件。"
    if isinstance(exc, NotADirectoryError):
        return f"{name} 的路径中有一部分不是文件夹。"
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件或文件夹：{name}"
    if isinstance(exc, PermissionError):
        return f"没有权限读写 {name}。请检查文件的权限，或换一个位置。"
    if exc.errno == errno.EROFS:
        return f"{name} 位于只读的存储介质上，不能写入。"
    if exc.errno == errno.ENOSPC:
        return DISK_FULL
    return f"读写文件失败：{exc.strerror or exc}（{name}）。刚才的操作没有完成。"
