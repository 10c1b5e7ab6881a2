"""One place names every expected failure in Chinese; anything else is logged and the message
says where."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from models.db import DISK_FULL, READ_ONLY, NewerSchemaError
from rules.progress import Cancelled
from services.failures import (
    EXIT_BUG,
    EXIT_CANCELLED,
    EXIT_FAILED,
    describe_failure,
    expected_failure,
    handle_failure,
    write_crash_log,
)

EXPECTED = [
    (NewerSchemaError("此数据库由较新版本的程序创建（结构版本 9，本程序支持到 7），请升级程序"),
     "较新版本"),
    (OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked")),
     "另一个程序占用"),
    (OperationalError("UPDATE x", {},
                      sqlite3.OperationalError("attempt to write a readonly database")),
     READ_ONLY),
    (sqlite3.OperationalError("database or disk is full"), DISK_FULL),
    (OSError(errno.ENOSPC, "No space left on device", "/x"), DISK_FULL),
    (sqlite3.DatabaseError("database disk image is malformed"), "已损坏"),
    (sqlite3.DatabaseError("file is not a database"), "已损坏"),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "/home/a"), "/home/a 是一个文件夹"),
    (FileNotFoundError(errno.ENOENT, "No such file", "/home/b.sypkg"), "找不到文件"),
    (PermissionError(errno.EACCES, "Permission denied", "/home/c"), "没有权限读写 /home/c"),
    (OSError(errno.EROFS, "Read-only file system", "/media/u"), "只读的存储介质"),
    (UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"), "无法保存的字符"),
    (ValueError("单位名称最多 100 个字"), "单位名称最多 100 个字"),
    (MemoryError(), "内存不足"),
]


@pytest.mark.parametrize(("exc", "said"), EXPECTED, ids=[type(e).__name__ + str(i)
                                                          for i, (e, _) in enumerate(EXPECTED)])
def test_each_expected_failure_has_its_chinese_message(exc: BaseException, said: str,
                                                       tmp_path: Path) -> None:
    failure = handle_failure(exc)
    assert failure.expected and failure.exit_code == EXIT_FAILED and failure.log is None
    assert said in failure.message
    assert "Traceback" not in failure.message


def test_cancelling_exits_with_130() -> None:
    assert handle_failure(Cancelled("已取消生成。")).exit_code == EXIT_CANCELLED


def test_an_unexpected_error_is_logged_with_its_traceback(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path))
    try:
        {}["missing"]
    except KeyError as exc:
        failure = handle_failure(exc)
        text = describe_failure(exc)
    assert expected_failure(KeyError("x")) is None
    assert expected_failure(ValueError("invalid literal for int()")) is None  # not Chinese
    log = tmp_path / "logs" / "errors.log"
    assert failure.exit_code == EXIT_BUG and failure.log == log and not failure.expected
    assert str(log) in failure.message and str(log) in text
    content = log.read_text(encoding="utf-8")
    assert content.count("Traceback") == 2 and "KeyError: 'missing'" in content


def test_the_log_moves_aside_when_large_and_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import failures

    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path))
    log = tmp_path / "logs" / "errors.log"
    log.parent.mkdir()
    log.write_text("x" * (failures.LOG_MAX_BYTES + 1), encoding="utf-8")
    assert write_crash_log(RuntimeError("one")) == log
    assert (tmp_path / "logs" / "errors.log.1").stat().st_size > failures.LOG_MAX_BYTES
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("SHENGYU_DATA_DIR", str(blocker))
    monkeypatch.setattr(failures.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    assert write_crash_log(RuntimeError("two")) == tmp_path / "tmp" / "shengyu-jiancha-logs" / \
        "errors.log"
