"""Opening reads the whole file only after an unclean shutdown: a marker beside the database
says that a program had it open and did not close it. Real files, real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.db import DatabaseError, open_database
from models.integrity import markers, quick_check, quick_check_file
from rules.progress import Cancelled
from services.settings import get_setting, set_setting
from tests.conftest import ROOT
from tests.models.faults import checkpoint, damage_table, fill_audit_log, leave_unclean


def _saved(path: Path) -> Path:
    db = open_database(path)
    with db.session() as s:
        set_setting(s, "organisation", "中宁县卫生健康局")
    db.dispose()
    fill_audit_log(path)
    checkpoint(path)
    return path


def _organisation(path: Path, *, read_only: bool | None = None) -> str:
    db = open_database(path, read_only=read_only)
    try:
        with db.session() as s:
            return str(get_setting(s, "organisation"))
    finally:
        db.dispose()


def _child(code: str, path: Path, **kwargs: object) -> subprocess.Popen[str]:
    """A program of ours that opens the database at ``path`` as ``db`` and then runs ``code``."""
    script = ("import os, sys\nfrom pathlib import Path\nfrom models.db import open_database\n"
              f"db = open_database(Path(sys.argv[1]))\n{code}\n")
    return subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, **kwargs)


def test_a_clean_open_does_not_read_the_whole_file(tmp_path: Path) -> None:
    path = _saved(tmp_path / "work.sqlite")
    damage_table(path)
    assert quick_check_file(path) is not None  # the damage is there to be found
    assert _organisation(path) == "中宁县卫生健康局"  # but an open never reads that far


def test_an_open_leaves_a_marker_while_the_database_is_open_and_removes_it_on_close(
    tmp_path: Path,
) -> None:
    path = _saved(tmp_path / "work.sqlite")
    first = open_database(path)
    second = open_database(path)  # a second handle of the same process shares the marker
    (marker,) = markers(path)
    assert marker.read_text().strip() == str(os.getpid())
    first.dispose()
    first.dispose()  # closing twice changes nothing
    assert markers(path) == [marker]
    second.dispose()
    assert markers(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.sqlite"]


def test_a_read_only_open_leaves_no_marker(tmp_path: Path) -> None:
    path = _saved(tmp_path / "work.sqlite")
    db = open_database(path, read_only=True)
    try:
        assert markers(path) == []
    finally:
        db.dispose()


def test_after_a_program_ended_without_closing_the_database_the_open_checks_it_all(
    tmp_path: Path,
) -> None:
    path = _saved(tmp_path / "work.sqlite")
    sound = tmp_path / "sound.sqlite"
    shutil.copyfile(path, sound)
    killed = _child("os._exit(9)  # as a power cut or a killed process: nothing runs after",
                    path)
    assert killed.wait(timeout=60) == 9
    (left,) = markers(path)
    damage_table(path)
    with pytest.raises(DatabaseError, match=r"上次没有正常关闭.*已损坏.*请从备份恢复"):
        open_database(path)
    assert markers(path) == [left]  # refused: the next open checks again
    with pytest.raises(DatabaseError, match="已损坏"):
        open_database(path, read_only=True)  # a read-only open checks too
    shutil.copyfile(sound, path)  # put back as a restore would
    assert _organisation(path) == "中宁县卫生健康局"  # checked, found sound, opened
    assert markers(path) == []  # and the marker of the dead program is gone


def test_a_program_that_ends_in_an_orderly_way_leaves_no_marker(tmp_path: Path) -> None:
    path = _saved(tmp_path / "work.sqlite")
    done = _child("sys.exit(0)  # without closing the database itself", path)
    assert done.wait(timeout=60) == 0
    assert markers(path) == []
    damage_table(path)
    assert _organisation(path) == "中宁县卫生健康局"  # not checked: it was closed


def test_the_marker_of_a_program_still_running_is_not_taken_for_an_unclean_end(
    tmp_path: Path,
) -> None:
    path = _saved(tmp_path / "work.sqlite")
    other = _child("print('open', flush=True)\nsys.stdin.readline()\ndb.dispose()", path,
                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        (theirs,) = markers(path)
        damage_table(path)
        assert _organisation(path) == "中宁县卫生健康局"  # a second window: no check
        assert theirs in markers(path)  # and theirs is left alone
    finally:
        other.communicate("\n", timeout=60)  # closes it (and the pipes)
    assert other.returncode == 0
    assert markers(path) == []


def test_a_sound_file_with_a_marker_left_behind_opens_and_the_marker_goes(
    tmp_path: Path,
) -> None:
    path = _saved(tmp_path / "work.sqlite")
    left = leave_unclean(path)
    assert _organisation(path, read_only=True) == "中宁县卫生健康局"
    assert left.exists()  # a read-only open checks, but removes nothing
    assert _organisation(path) == "中宁县卫生健康局"
    assert not left.exists()


def test_a_check_that_is_cancelled_stops(tmp_path: Path) -> None:
    import sqlite3

    path = _saved(tmp_path / "work.sqlite")
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(Cancelled, match="已取消"):
            quick_check(conn, lambda: True)
        assert quick_check(conn, lambda: False) is None
    finally:
        conn.close()


def test_a_file_that_is_not_a_database_is_a_problem_not_an_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"\xff" * 8000)
    assert quick_check_file(junk) is not None
    text = tmp_path / "text.sqlite"
    text.write_text("not a database")
    assert quick_check_file(text) == "不是 SQLite 数据库文件"
