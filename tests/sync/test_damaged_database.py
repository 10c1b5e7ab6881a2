"""A database that fails the integrity check writes no package and takes in none: damaged
records never travel, and no backup of the damaged file pushes a sound one out."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.db import DatabaseError
from sync.export import ExportError
from tests.models.faults import damage_table, fill_audit_log
from tests.sync.helpers import Laptop, files_under, laptop


def _damaged(lap: Laptop) -> None:
    lap.db.engine.dispose()  # no connection keeps a page it read before
    fill_audit_log(lap.db.path)
    damage_table(lap.db.path)


def _not_the_database(lap: Laptop) -> set[str]:
    """The files in the laptop's folder, leaving out the database and SQLite's files beside it."""
    return {f for f in files_under(lap.folder) if not f.startswith(lap.db.path.name)}


def test_an_export_from_a_damaged_database_is_refused_with_nothing_written(
    tmp_path: Path,
) -> None:
    a = laptop(tmp_path / "a", "A")
    try:
        a.export("before.sypkg")  # a sound database exports
        _damaged(a)
        before = _not_the_database(a)
        with pytest.raises(ExportError, match=r"未通过完整性检查.*未生成数据包"):
            a.export("after.sypkg")
        assert _not_the_database(a) == before
    finally:
        a.close()


def test_an_import_into_a_damaged_database_is_refused_before_its_backup(
    tmp_path: Path,
) -> None:
    a = laptop(tmp_path / "a", "A")
    sup = laptop(tmp_path / "s", "S")
    try:
        package = a.export("good.sypkg").paths[0]
        _damaged(sup)
        with pytest.raises(DatabaseError, match=r"未通过完整性检查.*未导入"):
            sup.import_(package)
        assert not sup.db.backup_dir.exists() or not list(sup.db.backup_dir.iterdir())
    finally:
        a.close()
        sup.close()
