"""``--evidence DIR``: the folder of the photos, signatures and attachments of a database on a
server, for the commands and the window alike; refused for a SQLite file, whose evidence lies
beside it."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

import main
from models.db import EVIDENCE_DIR_ENV, Database, DatabaseError
from tests import engines

needs_server = pytest.mark.skipif(engines.server_url() is None,
                                  reason=f"{engines.PG_ENV} names no PostgreSQL server")


@pytest.fixture
def server_url() -> Iterator[str]:
    """A new database on the test server, as the command line writes it."""
    server = engines.server()
    url = server.new_database(catalog=True)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        server.drop(url)


def _orphan(folder: Path, name: str) -> Path:
    """A file in the evidence folder that no record refers to, old enough to be reported."""
    path = folder / "ab" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not referred to")
    old = time.time() - 3600
    os.utime(path, (old, old))
    return path


def _orphans(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main.main(argv) == 0, capsys.readouterr().err
    return [f["path"] for f in json.loads(capsys.readouterr().out)["files"]]


@needs_server
def test_a_command_uses_the_folder_evidence_names(
        server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    named, configured = tmp_path / "shared", tmp_path / "from-env"
    in_named, in_configured = _orphan(named, "a.jpg"), _orphan(configured, "b.jpg")
    monkeypatch.setenv(EVIDENCE_DIR_ENV, str(configured))
    assert _orphans(capsys, ["--db", server_url, "--evidence", str(named),
                             "evidence", "clean", "--json"]) == [str(in_named)]
    # Without the option the environment names the folder.
    assert _orphans(capsys, ["--db", server_url, "evidence", "clean", "--json"]) == [
        str(in_configured)]


@needs_server
def test_the_window_opens_the_server_database_with_the_folder_evidence_names(
        server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gui.app

    opened: list[Database] = []

    def run_gui(open_db: Callable[[], Database], **_kw: Any) -> int:
        db = open_db()
        opened.append(db)
        db.dispose()
        return 0

    monkeypatch.setattr(gui.app, "run_gui", run_gui)
    assert main.main(["--db", server_url, "--evidence", str(tmp_path / "shared")]) == 0
    (db,) = opened
    assert db.path is None and isinstance(db.url, URL)
    assert db.evidence_root == tmp_path / "shared"


def test_a_relative_folder_is_taken_from_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = main.build_parser(with_commands=False).parse_args(
        ["--db", "postgresql+psycopg://u@h/db", "--evidence", "照片"])
    assert args.evidence == tmp_path / "照片"


def test_evidence_is_refused_for_a_sqlite_file_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "jiancha.sqlite"
    code = main.main(["--db", str(database), "--evidence", str(tmp_path / "ev"),
                      "inspections", "--json"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--evidence 只用于 PostgreSQL 服务器上的数据库" in err and "evidence 文件夹" in err
    assert not database.exists() and not (tmp_path / "ev").exists()


def test_evidence_is_refused_for_the_default_and_the_demo_database(
        capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--evidence", "ev", "inspections", "--json"],
                 ["--evidence", "ev", "demo", "--scale", "0.1"]):
        assert main.main(argv) == 2
        assert "--evidence 只用于" in capsys.readouterr().err


def test_the_window_refuses_evidence_for_a_sqlite_file_in_chinese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gui.app

    refused: list[str] = []

    def run_gui(open_db: Callable[[], Database], **_kw: Any) -> int:
        with pytest.raises(DatabaseError) as caught:
            open_db()
        refused.append(str(caught.value))
        return 1

    monkeypatch.setattr(gui.app, "run_gui", run_gui)
    database = tmp_path / "jiancha.sqlite"
    assert main.main(["--db", str(database), "--evidence", str(tmp_path / "ev")]) == 1
    assert refused and refused[0].startswith("--evidence 只用于")
    assert not database.exists()


def test_evidence_that_names_a_file_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "photo.jpg"
    a_file.write_bytes(b"x")
    with pytest.raises(SystemExit) as caught:
        main.main(["--db", "postgresql+psycopg://u@h/db", "--evidence", str(a_file),
                   "inspections"])
    assert caught.value.code == 2
    assert "不是文件夹" in capsys.readouterr().err
