"""A received package read again: what its import said is kept with the import log and shown
from 收到的数据包, on the command line and in the GUI's dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from main import main
from models.sync import ImportLog
from sync.history import import_history, import_record
from sync.importer import ImportReport
from sync.merge import CONFLICT, NEW
from tests.reports.report_fixtures import full_inspection
from tests.sync.helpers import Laptop, laptop
from tests.sync.test_conflict_decided_again import _two_laptops_in_conflict


def _received(lap: Laptop, capsys: pytest.CaptureFixture[str],
              *argv: str) -> tuple[int, str, str]:
    """``main.py --db … received …`` on the laptop's database."""
    db = (str(lap.db.path) if lap.db.path is not None
          else lap.db.url.render_as_string(hide_password=False) if lap.db.url else "")
    capsys.readouterr()
    code = main(["--db", db, "received", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_import_is_read_again_as_it_was_merged(tmp_path: Path,
                                                   catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1)
        report = sup.import_(a.export("start.sypkg").paths[0])
        with sup.db.session() as s:
            (entry,) = import_history(s)
            record = import_record(s, entry.id)
        assert record is not None and record.kept
        assert record.entry == entry
        assert record.counts == report.counts
        assert record.changed == sum(report.total(x) for x in ("new", "updated", "conflict",
                                                               "deleted")) > 0
        assert list(record.notes) == report.notes()
        assert {c.uuid for c in record.changes} == {c.uuid for c in report.changes}
        # a supervisor reads the inspection first, its findings and photos after it
        kinds = [c.kind for c in record.changes]
        assert kinds[0] == "inspections"
        assert kinds.index("findings") > kinds.index("entities")
        assert all(c.status == NEW for c in record.changes)
        assert record.organisation == "中宁县卫生健康局（A）"
        assert record.files == ("start.sypkg",)
        if sup.db.path is not None:  # a server's backups are the operator's pg_dump
            assert report.backup is not None
            assert record.backup == report.backup.name  # the file kept in the backup folder
        else:
            assert record.backup is None
        assert (record.conflicts_open, record.conflicts_resolved) == (0, 0)
        with sup.db.session() as s:
            assert import_record(s, entry.id + 100) is None
    finally:
        a.close()
        sup.close()


def test_the_conflicts_a_package_brought_are_counted_until_decided(
        tmp_path: Path, catalog_template: Path) -> None:
    from sync.conflicts import list_conflicts, resolve_conflict

    a, sup, _unit = _two_laptops_in_conflict(tmp_path, catalog_template)
    try:
        with sup.db.session() as s:
            latest = import_history(s)[0]
            record = import_record(s, latest.id)
            assert record is not None
            assert (record.conflicts_open, record.conflicts_resolved) == (1, 0)
            assert any("双方都改过" in n and "都已保留" in n for n in record.notes)
            assert record.changes[0].status == CONFLICT  # conflicts lead the list
            (c,) = list_conflicts(s)
            resolve_conflict(s, c.id, "local")
        with sup.db.session() as s:
            record = import_record(s, latest.id)
            assert record is not None
            assert (record.conflicts_open, record.conflicts_resolved) == (0, 1)
    finally:
        a.close()
        sup.close()


def test_the_log_keeps_the_first_changes_and_says_how_many_there_were(
        tmp_path: Path, catalog_template: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(ImportReport, "CHANGES_LOGGED", 3)
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=2)
        sup.import_(a.export("start.sypkg").paths[0])
        with sup.db.session() as s:
            record = import_record(s, import_history(s)[0].id)
        assert record is not None
        assert len(record.changes) == 3 < record.changed
        code, out, _err = _received(sup, capsys, "show", str(record.entry.id))
        assert code == 0
        assert f"有变化的记录（共 {record.changed} 条，列出前 3 条）" in out
    finally:
        a.close()
        sup.close()


def test_an_import_logged_before_details_were_kept_shows_its_counts(
        tmp_path: Path, catalog_template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        sup.import_(a.export("start.sypkg").paths[0])
        with sup.db.session() as s:  # as an import by an earlier version left it
            row = s.scalar(select(ImportLog))
            assert row is not None and row.details
            row.details = None
            s.commit()
            record = import_record(s, row.id)
        assert record is not None and not record.kept
        assert record.notes == () and record.changes == ()
        assert record.counts and record.changed > 0
        code, out, _err = _received(sup, capsys, "show", str(record.entry.id))
        assert code == 0
        assert "较早版本的程序" in out and "有变化的记录" not in out
        assert "检查记录：新增 1" in out
    finally:
        a.close()
        sup.close()


def test_received_on_the_command_line(tmp_path: Path, catalog_template: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        code, out, _err = _received(sup, capsys, "list")
        assert code == 0 and "还没有导入过数据包" in out
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        sup.import_(a.export("start.sypkg").paths[0])
        code, out, _err = _received(sup, capsys, "list")
        assert code == 0
        assert out.startswith("#1  ") and "start.sypkg" in out and "经确认导入" in out
        code, out, _err = _received(sup, capsys, "list", "--json")
        (row,) = json.loads(out)["imports"]
        assert row["file_name"] == "start.sypkg" and row["new"] > 0
        code, out, _err = _received(sup, capsys, "show", "1")
        assert code == 0
        assert out.startswith("#1 收到的数据包：start.sypkg")
        assert "单位：中宁县卫生健康局（A）" in out
        assert ("合并前的备份：" in out) == (sup.db.path is not None)
        assert "  检查记录  " in out
        code, out, _err = _received(sup, capsys, "show", "1", "--json")
        data = json.loads(out)
        assert data["details_kept"] is True and data["changes"][0]["kind"] == "inspections"
        assert data["counts"]["inspections"] == {"new": 1}
        code, out, err = _received(sup, capsys, "show", "9")
        assert code == 1 and out == "" and "没有编号为 9 的导入记录" in err
        code, out, err = _received(sup, capsys, "show")
        assert code == 2 and "请给出导入编号" in err
    finally:
        a.close()
        sup.close()
