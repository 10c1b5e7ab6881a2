"""Opening what can be opened, refusing what cannot with nothing written, and the backups that
survive repeated failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from models.backup_files import backup_files, backup_kind
from models.db import (
    BACKUPS_KEPT,
    DISK_FULL_AT_OPEN,
    Database,
    DatabaseError,
    DiskFullError,
    LockedError,
    NewerSchemaError,
    ReadOnlyError,
    head_revision,
    open_database,
)
from models.system import Setting
from services.settings import get_setting, set_setting
from tests.models.faults import (
    FUTURE_REVISION,
    checkpoint,
    file_hash,
    fill_disk,
    folder_state,
    held_write_lock,
    immutable,
    make_newer,
    read_only_folder,
    small_disk,
)
from tests.models.test_db import _migrations_with_an_extra_revision


def _saved(path: Path, **settings: str) -> Path:
    db = open_database(path)
    with db.session() as s:
        for key, value in settings.items():
            set_setting(s, key, value)
    db.dispose()
    checkpoint(path)
    return path


def test_a_newer_database_opened_five_times_is_refused_and_keeps_its_upgrade_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import db as dbmod

    path = _saved(tmp_path / "work.sqlite", organisation="中宁县卫生健康局")
    monkeypatch.setattr(dbmod, "MIGRATIONS", _migrations_with_an_extra_revision(tmp_path))
    open_database(path).dispose()  # the next release upgrades, with a backup first
    monkeypatch.undo()
    (upgrade_backup,) = backup_files(path, tmp_path / "backups")
    assert backup_kind(upgrade_backup, "work") == "before"
    checkpoint(path)
    make_newer(path)
    before = folder_state(tmp_path)
    for _ in range(5):
        with pytest.raises(NewerSchemaError) as caught:
            open_database(path)
        assert str(caught.value) == (
            f"此数据库由较新版本的程序创建（结构版本 {FUTURE_REVISION}，本程序支持到 "
            f"{head_revision()}），请升级程序")
    assert folder_state(tmp_path) == before  # nothing written: no backup, no journal
    assert backup_files(path, tmp_path / "backups") == [upgrade_backup]


def test_the_newest_upgrade_backup_of_each_schema_outlives_the_rotation(tmp_path: Path) -> None:
    from models.db import backup_database

    path = _saved(tmp_path / "work.sqlite")
    backups = tmp_path / "backups"
    first = backup_database(path, backups, "before-0007")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0005'")
    conn.commit()
    conn.close()
    older = [backup_database(path, backups, "before-0006") for _ in range(BACKUPS_KEPT + 2)]
    kept = set(backup_files(path, backups))
    assert first in kept  # the only backup of the other schema version
    assert older[-1] in kept
    assert len(kept) == BACKUPS_KEPT + 1
    from services.backups import list_backups

    protected = {b.path for b in list_backups(path, backups) if b.protected}
    assert protected == {first, older[-1]}
    assert not list(backups.glob("*-wal")) and not list(backups.glob("*-shm"))


@pytest.mark.sqlite_only
def test_a_failed_upgrade_leaves_no_backup_behind(
    catalog_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from models import db as dbmod

    path = catalog_db.path
    catalog_db.dispose()
    folder = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_broken.py").write_text(
        "revision = '9999'\n"
        f"down_revision = {head_revision()!r}\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n    raise RuntimeError('broken')\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(dbmod, "MIGRATIONS", folder)
    for _ in range(3):
        with pytest.raises(DatabaseError, match="数据库升级失败"):
            open_database(path)
    assert backup_files(path, path.parent / "backups") == []


def test_a_directory_given_as_the_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="是一个文件夹"):
        open_database(tmp_path)


def _assert_reads_but_refuses_writes(db: Database) -> None:
    assert db.read_only
    with db.session() as s:
        assert get_setting(s, "organisation") == "中宁县卫生健康局"
        assert s.scalars(select(Setting)).first() is not None
    with pytest.raises(ReadOnlyError, match="只读"), db.session() as s:
        set_setting(s, "organisation", "别的单位")
    with pytest.raises(ReadOnlyError, match="只读"):
        db.require_writable()


def test_an_immutable_database_opens_read_only(tmp_path: Path) -> None:
    path = _saved(tmp_path / "work.sqlite", organisation="中宁县卫生健康局")
    digest = file_hash(path)
    with immutable(path):
        db = open_database(path)
        try:
            _assert_reads_but_refuses_writes(db)
        finally:
            db.dispose()
    assert file_hash(path) == digest
    assert not (tmp_path / "backups").exists()


def test_a_database_in_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = _saved(folder / "work.sqlite", organisation="中宁县卫生健康局")
    digest = file_hash(path)
    with read_only_folder(folder, tmp_path / "ro") as seen:
        db = open_database(seen / "work.sqlite")
        try:
            _assert_reads_but_refuses_writes(db)
        finally:
            db.dispose()
    assert file_hash(path) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["work.sqlite"]


def test_read_only_can_be_asked_for_and_a_read_only_file_needing_an_upgrade_is_refused(
    tmp_path: Path,
) -> None:
    path = _saved(tmp_path / "work.sqlite", organisation="中宁县卫生健康局")
    db = open_database(path, read_only=True)
    try:
        _assert_reads_but_refuses_writes(db)
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0006'")
    conn.commit()
    conn.close()
    checkpoint(path)
    digest = file_hash(path)
    with pytest.raises(ReadOnlyError, match="需要升级"):
        open_database(path, read_only=True)
    assert file_hash(path) == digest
    assert not (tmp_path / "backups").exists()


def test_a_full_disk_at_open_is_named_as_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = _saved(disk / "work.sqlite", organisation="中宁县卫生健康局")
        fill_disk(disk)
        with pytest.raises(DiskFullError) as caught:
            open_database(path)
        assert str(caught.value) == DISK_FULL_AT_OPEN
        assert "磁盘空间已满" in str(caught.value)


def test_an_io_error_at_open_on_a_full_disk_is_a_full_disk_by_injection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import db as dbmod

    path = _saved(tmp_path / "work.sqlite", organisation="中宁县卫生健康局")
    real_connect = sqlite3.connect

    def failing(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(dbmod, "free_bytes", lambda folder: 0)
    monkeypatch.setattr(dbmod.sqlite3, "connect", failing)
    with pytest.raises(DiskFullError, match="磁盘空间已满"):
        open_database(path)
    monkeypatch.setattr(dbmod.sqlite3, "connect", real_connect)
    monkeypatch.setattr(dbmod, "free_bytes", lambda folder: 10**9)
    monkeypatch.setattr(dbmod.sqlite3, "connect", failing)
    with pytest.raises(DatabaseError, match=r"无法读取.*从备份恢复") as caught:
        open_database(path)
    assert not isinstance(caught.value, DiskFullError)


def test_a_database_held_by_another_program_is_waited_for_then_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENGYU_LOCK_WAIT", "0.3")
    path = _saved(tmp_path / "work.sqlite", organisation="中宁县卫生健康局")
    db = open_database(path)
    try:
        with held_write_lock(path):
            with pytest.raises(LockedError, match="另一个程序占用") as caught, \
                    db.session() as s:
                set_setting(s, "organisation", "别的单位")
            assert "0.3 秒" in str(caught.value)
        with db.session() as s:
            assert get_setting(s, "organisation") == "中宁县卫生健康局"
    finally:
        db.dispose()
