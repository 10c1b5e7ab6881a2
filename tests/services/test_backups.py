"""Listing, verifying, taking and restoring backups: a restore never loses the database it
replaces."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.db import NewerSchemaError, open_database
from services.backups import (
    BackupError,
    list_backups,
    restore_backup,
    take_backup,
    verify_backup,
)
from services.settings import get_setting, set_setting
from tests.cli.test_faults import run_cli
from tests.models.faults import make_newer


def _db_with(path: Path, organisation: str) -> Path:
    db = open_database(path)
    with db.session() as s:
        set_setting(s, "organisation", organisation)
    db.dispose()
    return path


def _organisation(path: Path) -> str | None:
    db = open_database(path)
    try:
        with db.session() as s:
            value = get_setting(s, "organisation")
            return None if value is None else str(value)
    finally:
        db.dispose()


def test_a_manual_backup_is_listed_with_its_kind_schema_and_size(tmp_path: Path) -> None:
    path = _db_with(tmp_path / "work.sqlite", "中宁县卫生健康局")
    made = take_backup(path)
    (listed,) = list_backups(path)
    assert listed.path == made.path and listed.kind == "manual" and listed.kind_label == "手动"
    assert listed.schema_version is not None and listed.size_bytes > 0
    assert listed.taken_at is not None
    check = verify_backup(made.path)
    assert check.ok and check.restorable and check.problem is None


def test_restore_backs_up_the_current_database_first_then_replaces_it(tmp_path: Path) -> None:
    path = _db_with(tmp_path / "work.sqlite", "旧名称")
    old = take_backup(path)
    _db_with(path, "新名称")
    result = restore_backup(path, old.path)
    assert _organisation(path) == "旧名称"
    assert result.previous is not None and result.previous.kind_label == "恢复前"
    assert _organisation(result.previous.path) == "新名称"  # nothing lost
    assert not list(tmp_path.glob(".*.tmp"))
    kinds = sorted(b.kind_label for b in list_backups(path))
    assert kinds == ["恢复前", "手动"]


def test_a_damaged_or_newer_backup_is_refused_and_the_database_is_untouched(
    tmp_path: Path,
) -> None:
    path = _db_with(tmp_path / "work.sqlite", "中宁县卫生健康局")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = path.read_bytes()
    with pytest.raises(BackupError, match="不能恢复"):
        restore_backup(path, damaged)
    assert not verify_backup(damaged).ok
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(take_backup(path).path, newer)
    make_newer(newer)
    check = verify_backup(newer)
    assert not check.restorable and "较新版本" in (check.problem or "")
    with pytest.raises(NewerSchemaError):
        restore_backup(path, newer)
    assert path.read_bytes() == before
    assert [b.kind for b in list_backups(path)] == ["manual"]  # no restore backup was taken


def test_restoring_a_backup_the_rotation_would_drop_still_works(tmp_path: Path) -> None:
    from models.backup_files import BACKUPS_KEPT

    path = _db_with(tmp_path / "work.sqlite", "最初")
    first = take_backup(path, kind="restore")
    for _ in range(BACKUPS_KEPT - 1):
        take_backup(path, kind="restore")
    _db_with(path, "之后")
    restore_backup(path, first.path)
    assert _organisation(path) == "最初"


@pytest.mark.slow
def test_backups_on_the_command_line(tmp_path: Path) -> None:
    path = _db_with(tmp_path / "work.sqlite", "旧名称")
    made = run_cli("--db", str(path), "backups", "create", "--json")
    assert made.returncode == 0, made.stderr
    name = json.loads(made.stdout)["name"]
    _db_with(path, "新名称")
    listed = run_cli("--db", str(path), "backups", "list")
    assert listed.returncode == 0 and "手动" in listed.stdout and name in listed.stdout
    verified = run_cli("--db", str(path), "backups", "verify", "--json")
    assert verified.returncode == 0
    assert [b["ok"] for b in json.loads(verified.stdout)["backups"]] == [True]
    refused = run_cli("--db", str(path), "backups", "restore", name)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    restored = run_cli("--db", str(path), "backups", "restore", name, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "恢复前的数据库已备份" in restored.stdout
    assert _organisation(path) == "旧名称"
    helped = run_cli("backups", "--help")
    assert "从备份恢复" in helped.stdout


def test_a_damaged_database_is_not_backed_up_and_the_backups_stay_as_they_were(
    tmp_path: Path,
) -> None:
    from models.integrity import quick_check_file
    from tests.models.faults import damage_table, fill_audit_log, folder_state

    path = _db_with(tmp_path / "work.sqlite", "中宁县卫生健康局")
    fill_audit_log(path)
    good = take_backup(path)
    damage_table(path)
    before = folder_state(tmp_path / "backups")
    with pytest.raises(BackupError, match=r"未通过完整性检查.*未备份"):
        take_backup(path)
    assert folder_state(tmp_path / "backups") == before
    # Restoring a sound backup still works, and keeps the damaged file as a backup of its own.
    result = restore_backup(path, good.path)
    assert result.previous is not None and result.previous.kind == "restore"
    assert quick_check_file(path) is None and quick_check_file(result.previous.path)
