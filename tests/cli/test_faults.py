"""The command line under faults, run as a user would run it (a child process): each failure
is one Chinese message on stderr and a non-zero exit, never a traceback, and the database is
left exactly as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from models.db import open_database
from services.catalog_store import ensure_bundled_catalog
from services.settings import set_setting
from tests.conftest import ROOT
from tests.models.faults import (
    checkpoint,
    fill_disk,
    folder_state,
    held_write_lock,
    immutable,
    make_newer,
    read_only_folder,
    small_disk,
)

EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of b""
POLICY = ("关于加强托育服务的通知\n"
          "一、扩大普惠托育服务供给，2027年底前每千人口拥有3岁以下婴幼儿托位数达到4.5个。"
          "（县卫生健康局负责）\n")


def run_cli(*argv: str, env: dict[str, str] | None = None,
            prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nimport sys, main; sys.exit(main.main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", check=False, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the catalog and one setting, in one file (no journal beside it)."""
    path = tmp_path_factory.mktemp("faults") / "work.sqlite"
    db = open_database(path)
    with db.session() as s:
        ensure_bundled_catalog(s)
        set_setting(s, "organisation", "中宁县卫生健康局")
    db.dispose()
    checkpoint(path)
    return path


@dataclass(frozen=True)
class Case:
    """One fault: how to prepare it, the command, and what the user must be told."""

    name: str
    argv: tuple[str, ...]  # {db} is the database, {policy} a policy text file
    message: str  # a part of the Chinese message on stderr
    code: int = 1
    prepare: Callable[[Path, Path], AbstractContextManager[Path]] | None = None
    env: tuple[tuple[str, str], ...] = ()
    #: SQLite may leave an empty log and its shared-memory index beside the file when it
    #: fails to open on a full disk; the database itself must not change.
    sidecars_may_appear: bool = False


def _newer(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    make_newer(db)
    return nullcontext(db)


def _not_sqlite(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    db.write_bytes(b"these are notes, not a database\n" * 100)
    return nullcontext(db)


def _corrupt(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    data = bytearray(db.read_bytes())
    page = 4096
    for at in range(page * 2, len(data), page):  # every page after the first two
        data[at:at + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    return nullcontext(db)


def _directory(db: Path, tmp: Path) -> AbstractContextManager[Path]:
    folder = tmp / "a-folder.sqlite"
    folder.mkdir()
    return nullcontext(folder)


def _under_a_file(db: Path, tmp: Path) -> AbstractContextManager[Path]:
    blocker = tmp / "blocker"
    blocker.write_text("x")
    return nullcontext(blocker / "sub" / "work.sqlite")


def _immutable(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    class _Ctx:
        def __enter__(self) -> Path:
            self.inner = immutable(db)
            self.inner.__enter__()
            return db

        def __exit__(self, *exc: object) -> None:
            self.inner.__exit__(None, None, None)

    return _Ctx()


def _read_only_folder(db: Path, tmp: Path) -> AbstractContextManager[Path]:
    from contextlib import contextmanager

    @contextmanager
    def ctx() -> Iterator[Path]:
        with read_only_folder(db.parent, tmp / "ro") as seen:
            yield seen / db.name

    return ctx()


def _locked(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    from contextlib import contextmanager

    @contextmanager
    def ctx() -> Iterator[Path]:
        with held_write_lock(db):
            yield db

    return ctx()


def _held_exclusively(db: Path, _tmp: Path) -> AbstractContextManager[Path]:
    from contextlib import contextmanager

    @contextmanager
    def ctx() -> Iterator[Path]:
        with held_write_lock(db, exclusive=True):
            yield db

    return ctx()


def _full(db: Path, tmp: Path) -> AbstractContextManager[Path]:
    from contextlib import contextmanager

    @contextmanager
    def ctx() -> Iterator[Path]:
        with small_disk(tmp / "disk", "16m") as disk:
            target = disk / db.name
            shutil.copyfile(db, target)
            fill_disk(disk)
            yield target

    return ctx()


WRITE = ("--db", "{db}", "import-policy", "{policy}")
READ = ("--db", "{db}", "inspections", "--json")

CASES = [
    Case("newer schema, read", READ, "此数据库由较新版本的程序创建", prepare=_newer),
    Case("newer schema, write", WRITE, "请升级程序", prepare=_newer),
    Case("not a database", READ, "不是本软件的数据库文件", prepare=_not_sqlite),
    Case("corrupt", READ, "损坏", prepare=_corrupt),
    Case("a folder as --db", READ, "是一个文件夹", prepare=_directory),
    Case("folder cannot be made", READ, "无法创建数据目录", prepare=_under_a_file),
    Case("immutable file, write", WRITE, "只读", prepare=_immutable),
    Case("read-only folder, write", WRITE, "只读", prepare=_read_only_folder),
    Case("locked, write", WRITE, "另一个程序占用", prepare=_locked,
         env=(("SHENGYU_LOCK_WAIT", "0.5"),)),
    Case("held exclusively, read", READ, "另一个程序占用", prepare=_held_exclusively,
         env=(("SHENGYU_LOCK_WAIT", "0.5"),)),
    Case("full disk", READ, "磁盘空间已满", prepare=_full, sidecars_may_appear=True),
    Case("missing policy file", ("--db", "{db}", "import-policy", "{tmp}/nowhere.txt"),
         "找不到文件"),
    Case("missing backup", ("--db", "{db}", "backups", "restore", "nowhere.sqlite", "--yes"),
         "找不到备份文件", code=2),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_fault_is_one_chinese_message_and_the_database_is_unchanged(
    case: Case, template: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "work.sqlite"
    shutil.copyfile(template, db)
    policy = tmp_path / "policy.txt"
    policy.write_text(POLICY, encoding="utf-8")
    prepare = case.prepare or (lambda d, _t: nullcontext(d))
    with prepare(db, tmp_path) as target:
        watched = target.parent if target.parent.is_dir() else home
        before = folder_state(watched) if watched.is_dir() else {}
        argv = [a.format(db=target, policy=policy, tmp=tmp_path) for a in case.argv]
        done = run_cli(*argv, env=dict(case.env))
        after = folder_state(watched) if watched.is_dir() else {}
    assert done.returncode == case.code, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert case.message in done.stderr
    assert done.stderr.startswith("错误：")
    assert "sqlalche.me" not in done.stderr
    if case.sidecars_may_appear:
        wal = f"{target.name}-wal"
        assert after.get(wal, EMPTY) == EMPTY
        after = {k: v for k, v in after.items() if k not in (wal, f"{target.name}-shm")}
    assert after == before  # not a byte written: no backup, no journal, no change


@pytest.mark.slow
def test_read_commands_work_on_a_read_only_database(template: Path, tmp_path: Path) -> None:
    import json

    db = tmp_path / "work.sqlite"
    shutil.copyfile(template, db)
    before = folder_state(tmp_path)
    with immutable(db):
        done = run_cli("--db", str(db), "inspections", "--json")
        catalog = run_cli("--db", str(db), "catalog", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"inspections": []}
    assert catalog.returncode == 0, catalog.stderr
    assert len(json.loads(catalog.stdout)["documents"]) == 5
    assert folder_state(tmp_path) == before


@pytest.mark.slow
def test_an_unexpected_error_is_logged_and_the_message_says_where(
    template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "work.sqlite"
    shutil.copyfile(template, db)
    data = tmp_path / "userdata"
    prelude = ("import services.inspection_json as j\n"
               "def boom(*a, **k):\n    raise KeyError('a bug')\n"
               "j.inspections_json = boom\n")
    done = run_cli("--db", str(db), "inspections", "--json", prelude=prelude,
                   env={"SHENGYU_DATA_DIR": str(data)})
    log = data / "logs" / "errors.log"
    assert done.returncode == 70
    assert "Traceback" not in done.stderr
    assert "程序出错" in done.stderr and str(log) in done.stderr
    assert "KeyError: 'a bug'" in log.read_text(encoding="utf-8")


def test_a_locked_database_names_the_other_program_that_holds_it(tmp_path: Path) -> None:
    from services.failures import describe_failure, lock_holders

    db = tmp_path / "work.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with held_write_lock(db):
        holders = lock_holders(db)
        message = describe_failure(sqlite3.OperationalError("database is locked"), db)
    if sys.platform == "linux":
        assert len(holders) == 1 and "进程号" in holders[0]
        assert "正在使用它的程序" in message
    assert "另一个程序占用" in message
