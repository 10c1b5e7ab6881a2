"""Laptops that edit the same records at the same time and exchange packages both ways end
identical, with the conflicts recorded and no version lost; a person's resolution travels
back and every laptop converges. Packages in either order, or twice, give the same result."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models.inspection import Inspection
from models.sync import SyncConflict
from services.checklist_snapshot import inspection_snapshot
from sync.conflicts import conflict_detail, list_conflicts, resolve_conflict
from sync.export import ExportSelection
from sync.merge import CONFLICT, KEPT, UPDATED
from tests.reports.report_fixtures import full_inspection
from tests.sync.helpers import Laptop, laptop


def _entity_of(lap: Laptop, inspection_id: int) -> int:
    with lap.db.session() as s:
        return s.get(Inspection, inspection_id).entity_id


def _edit(lap: Laptop, entity_id: int, **fields: object) -> None:
    from services.entities import update_entity

    with lap.db.session() as s:
        update_entity(s, entity_id, **fields)


def _entity_uuid(lap: Laptop, entity_id: int) -> str:
    from models.registry import Entity

    with lap.db.session() as s:
        return s.get(Entity, entity_id).uuid


def _entity_id(lap: Laptop, uuid: str) -> int:
    from models.registry import Entity

    with lap.db.session() as s:
        return s.scalar(select(Entity.id).where(Entity.uuid == uuid))


def test_concurrent_edits_converge_with_the_conflict_kept_then_resolved(
        tmp_path: Path, catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    laps = (a, b, sup)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1)
        start = a.export("start.sypkg")
        b.import_(start.paths[0])
        sup.import_(start.paths[0])
        unit = _entity_uuid(a, _entity_of(a, made))
        # the same unit edited on both inspectors' laptops, offline
        _edit(a, _entity_id(a, unit), address="中宁县宁安镇新华街8号", contact_name="张三")
        _edit(b, _entity_id(b, unit), address="中宁县宁安镇新华东街8号",
              contact_phone="13900000000")
        pa, pb = a.export("a.sypkg"), b.export("b.sypkg")
        # both ways between the inspectors, and both to the supervisor
        ra = a.import_(pb.paths[0])
        rb = b.import_(pa.paths[0])
        assert ra.counts["entities"].get(CONFLICT) == 1
        assert rb.counts["entities"].get(CONFLICT) == 1
        sup.import_(pa.paths[0])
        rs = sup.import_(pb.paths[0])
        assert rs.counts["entities"].get(CONFLICT) == 1
        assert a.hashes() == b.hashes() == sup.hashes()
        # no version lost: each laptop holds the other revision in its conflict
        for lap in laps:
            (c,) = [c for c in list_conflicts(lap.db.sessions()) if c.uuid == unit]
            d = conflict_detail(lap.db.sessions(), c.id)
            values = {f.name: (f.local, f.incoming) for f in d.differing}
            both = set(values["address"])
            assert both == {"中宁县宁安镇新华街8号", "中宁县宁安镇新华东街8号"}
        # the supervisor merges field by field: A's address and contact, B's phone
        with sup.db.session() as s:
            (c,) = list_conflicts(s)
            d = conflict_detail(s, c.id)
            ours = ("中宁县宁安镇新华街8号", "张三")
            pick = {f.name: ("local" if f.local in ours else "incoming") for f in d.differing}
            resolve_conflict(s, c.id, "merged", fields=pick)
        resolved = sup.export("resolved.sypkg")
        for lap in (a, b):
            report = lap.import_(resolved.paths[0])
            assert report.counts["entities"].get(UPDATED) == 1
        assert a.hashes() == b.hashes() == sup.hashes()
        with sup.db.session() as s:
            from models.registry import Entity

            row = s.scalar(select(Entity).where(Entity.uuid == unit))
            assert (row.address, row.contact_name, row.contact_phone) == (
                "中宁县宁安镇新华街8号", "张三", "13900000000")
        for lap in laps:  # the inspectors' open conflicts were closed by the resolution
            with lap.db.session() as s:
                assert list_conflicts(s) == []
        # and the next round changes nothing anywhere
        again = sup.import_(a.export("again.sypkg").paths[0])
        assert again.total(UPDATED) == again.total(CONFLICT) == 0
        assert a.hashes() == sup.hashes()
    finally:
        for lap in laps:
            lap.close()


def test_packages_in_either_order_give_the_same_database(tmp_path: Path,
                                                          catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    first = laptop(tmp_path / "x", "X", catalog_template)
    second = laptop(tmp_path / "y", "Y", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1, sign=False)
        p1 = a.export("p1.sypkg", ExportSelection(include_drafts=True))
        _edit(a, _entity_of(a, made), address="中宁县石空镇2号")
        from services.findings import record_finding

        with a.db.session() as s:
            code = inspection_snapshot(s, made)["items"][0]["code"]
            record_finding(s, made, code, note="复核后补充说明")
        p2 = a.export("p2.sypkg", ExportSelection(include_drafts=True))
        first.import_(p1.paths[0])
        first.import_(p2.paths[0])
        second.import_(p2.paths[0])
        report = second.import_(p1.paths[0])  # the older package after the newer
        assert report.total(UPDATED) == 0 and report.total(KEPT) > 0
        second.import_(p2.paths[0])  # and twice
        assert first.hashes() == second.hashes() == a.hashes()
    finally:
        for lap in (a, first, second):
            lap.close()


def test_a_deletion_travels_and_an_older_package_does_not_bring_the_record_back(
        tmp_path: Path, catalog_template: Path) -> None:
    from models.inspection import Evidence
    from services.evidence import remove_evidence

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=2, sign=False)
        p1 = a.export("p1.sypkg", ExportSelection(include_drafts=True))
        b.import_(p1.paths[0])
        with a.db.session() as s:
            photo = s.scalars(select(Evidence).where(Evidence.inspection_id == made)).first()
            gone = photo.uuid
            remove_evidence(s, photo.id)
        p2 = a.export("p2.sypkg", ExportSelection(include_drafts=True))
        report = b.import_(p2.paths[0])
        assert report.counts["evidence"]["deleted"] == 1
        assert gone not in b.hashes()
        b.import_(p1.paths[0].with_name("p1.sypkg"))  # already imported: nothing happens
        c = laptop(tmp_path / "c", "C", catalog_template)
        try:
            c.import_(p2.paths[0])
            c.import_(p1.paths[0])  # the old package still holds the photo
            assert gone not in c.hashes()
            assert c.hashes() == a.hashes()
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def test_two_laptops_that_issued_one_number_keep_both_and_report_it(
        tmp_path: Path, catalog_template: Path) -> None:
    from datetime import date

    from models.rectification import Notice
    from tests.reports.report_fixtures import issue_all, setup_org

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        for lap in (a, b):  # both reserved the same block: a configuration mistake
            setup_org(lap.db)
            made = full_inspection(lap.db, lap.db.evidence_root, lap.folder, photos=0)
            issue_all(lap.db, made, issued_on=date(2026, 3, 11))
        with a.db.session() as s:
            numbers = set(s.scalars(select(Notice.doc_number)))
        sup.import_(a.export().paths[0])
        report = sup.import_(b.export().paths[0])
        assert set(report.number_clashes) == numbers
        with sup.db.session() as s:
            assert s.query(Notice).count() == 2 * len(numbers)  # nothing renumbered or lost
            assert set(s.scalars(select(Notice.doc_number))) == numbers
            clashes = s.scalars(select(SyncConflict).where(
                SyncConflict.reason == "doc_number")).all()
            assert {c.local["doc_number"] for c in clashes} == numbers
            # each document carrying the number is named as a person tells them apart
            shown = conflict_detail(s, clashes[0].id).documents
            assert len(shown) == 2 and all(d.startswith("《") and "开具" in d for d in shown)
            resolve_conflict(s, clashes[0].id, "noted")
        # the next package from B finds no new clash: the open ones are counted, not listed
        again = sup.import_(b.export("again.sypkg").paths[0])
        assert again.number_clashes == ()
        assert again.number_clashes_known == len(numbers) - 1
        assert again.as_json()["number_clashes_known"] == len(numbers) - 1
        with sup.db.session() as s:
            assert s.query(SyncConflict).filter(
                SyncConflict.reason == "doc_number").count() == len(numbers)
    finally:
        for lap in (a, b, sup):
            lap.close()


def test_two_demo_databases_exchange_for_training(tmp_path: Path) -> None:
    """Demo databases made from one seed still name their records differently."""
    from main import main
    from models.db import open_database
    from sync import keys
    from sync.export import export_package
    from sync.importer import import_package

    paths = [tmp_path / "one.sqlite", tmp_path / "two.sqlite"]
    for path in paths:
        assert main(["--db", str(path), "demo", "--scale", "0.02"]) == 0
    one, two = (open_database(p) for p in paths)
    try:
        with one.session() as s:
            package = export_package(s, tmp_path / "one.sypkg", ExportSelection(),
                                     key=keys.load_or_create(tmp_path / "k1"),
                                     evidence_root=one.evidence_root)
        report = import_package(two, list(package.paths), trust_unknown=True,
                                key=keys.load_or_create(tmp_path / "k2"))
        assert report.total("new") == package.total
    finally:
        one.dispose()
        two.dispose()


def test_an_imported_amendment_marks_the_old_version_superseded(
        tmp_path: Path, catalog_template: Path) -> None:
    from services.amendments import amend_inspection
    from tests.services.inspection_fixtures import list_columns_drift

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1)
        b.import_(a.export("p1.sypkg").paths[0])
        with a.db.session() as s:
            amend_inspection(s, made, reason="复核后更正")
        b.import_(a.export("p2.sypkg", ExportSelection(include_drafts=True)).paths[0])
        with b.db.session() as s:
            versions = s.scalars(select(Inspection).where(
                Inspection.supersedes_id.is_not(None))).all()
        assert len(versions) == 1
        assert list_columns_drift(b.db) == [] and list_columns_drift(a.db) == []
    finally:
        a.close()
        b.close()


def test_a_conflict_is_shown_and_resolved_on_the_command_line_by_field_names(
        tmp_path: Path, catalog_template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``conflicts show`` gives each differing field by its Chinese name with both values;
    ``--field 地址=incoming`` takes that name."""
    from main import main
    from models.registry import Entity

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        b.import_(a.export("start.sypkg").paths[0])
        unit = _entity_uuid(a, _entity_of(a, made))
        _edit(a, _entity_id(a, unit), address="中宁县宁安镇新华街8号")
        _edit(b, _entity_id(b, unit), address="中宁县宁安镇新华东街8号")
        report = a.import_(b.export("b.sypkg").paths[0])
        # the receipt is named for whom it goes back to; it tells them of the conflict
        from rules.china_time import today
        from sync.receipts import import_receipt

        assert report.receipt is not None
        assert report.receipt.name.startswith(f"回执-{report.info.sender}-{today():%Y%m%d}-")
        assert import_receipt(b.db, report.receipt).conflicts == 1
        with a.db.session() as s:
            (c,) = list_conflicts(s)
            own = report.info.device_name
            assert c.from_device == own
            # trusted under a name afterwards: the conflict is listed under that name
            from sync.devices import trust_device

            trust_device(s, public_key=b.key.public_hex, name="沙坡头区卫健局 李四")
            (c,) = list_conflicts(s)
            assert c.from_device == f"沙坡头区卫健局 李四（{own}）"
            assert conflict_detail(s, c.id).info.from_device == c.from_device
        db = (str(a.db.path) if a.db.path is not None
              else a.db.url.render_as_string(hide_password=False) if a.db.url else "")
        capsys.readouterr()
        assert main(["--db", db, "conflicts", "show", str(c.id)]) == 0
        out = capsys.readouterr().out
        assert "【地址】" in out and "--field 地址=incoming" in out
        assert "本机：中宁县宁安镇新华街8号" in out and "中宁县宁安镇新华东街8号" in out
        assert main(["--db", db, "conflicts", "resolve", str(c.id), "--use", "merged",
                     "--field", "电话=incoming"]) == 1
        assert "没有这些字段：电话。双方不同的字段是：地址" in capsys.readouterr().err
        assert main(["--db", db, "conflicts", "resolve", str(c.id), "--use", "merged",
                     "--field", "地址=incoming"]) == 0
        with a.db.session() as s:
            row = s.scalar(select(Entity).where(Entity.uuid == unit))
            assert row is not None and row.address == "中宁县宁安镇新华东街8号"
        capsys.readouterr()
        assert main(["--db", db, "conflicts", "show", str(c.id)]) == 0
        out = capsys.readouterr().out
        assert "已解决：逐项合并。下面是发现冲突时双方的版本。" in out
        assert "【地址】采用了对方的版本" in out and f"resolve {c.id} --again" in out
        # taken back: the local address after all, said as a new decision
        assert main(["--db", db, "conflicts", "resolve", str(c.id), "--use", "local"]) == 1
        assert "如需改变决定，请重新处理" in capsys.readouterr().err
        assert main(["--db", db, "conflicts", "resolve", str(c.id), "--use", "local",
                     "--again"]) == 0
        assert f"冲突 #{c.id} 已重新处理：采用本机版本" in capsys.readouterr().out
        with a.db.session() as s:
            row = s.scalar(select(Entity).where(Entity.uuid == unit))
            assert row is not None and row.address == "中宁县宁安镇新华街8号"
    finally:
        a.close()
        b.close()


def test_conflicting_values_are_shown_as_a_person_reads_them() -> None:
    from sync.conflicts import display_pair, display_value

    assert display_value("type_code", "commercial_center") == "商业中心（商场、商业综合体）"
    assert display_value("facts", {"building_area_m2": 12000, "has_mother_infant_room": True,
                                   "unknown_fact": "x"}) == (
        "建筑面积：12000㎡；已建母婴室：是；unknown_fact：x")
    assert display_value("address", None) == display_value("facts", {}) == "（空）"
    assert display_value("region_code", "640521") == "宁夏回族自治区 中卫市 中宁县"
    # of a unit's facts, the ones that differ, the others counted
    assert display_pair("facts", {"building_area_m2": 12000, "has_mother_infant_room": True},
                        {"building_area_m2": 15000, "has_mother_infant_room": True}) == (
        "建筑面积：12000㎡（其余 1 项相同）", "建筑面积：15000㎡（其余 1 项相同）")
    assert display_pair("facts", {}, {"has_mother_infant_room": False}) == (
        "已建母婴室：（空）", "已建母婴室：否")
    assert display_value("signed_at", "2026-03-02T01:30:00+00:00") == "2026-03-02 09:30"


def test_a_unit_registered_on_two_laptops_is_kept_twice_and_reported(
        tmp_path: Path, catalog_template: Path) -> None:
    """Two inspectors register the same enterprise offline: the supervisor keeps both records
    and is told, by name and credit code, before and after merging."""
    from services.entities import create_entity

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        for lap, name in ((a, "中宁县中医医院"), (b, "中宁县中医院")):
            with lap.db.session() as s:
                create_entity(s, name=name, type_code="commercial_center",
                              credit_code="12640521CX2J6YLA7G")
        sup.import_(a.export().paths[0])
        package = b.export().paths[0]
        preview = sup.import_(package, dry_run=True)
        merged = sup.import_(package)
        for report in (preview, merged):
            assert any("“中宁县中医院”与本机已有的“中宁县中医医院”统一社会信用代码相同"
                       "（12640521CX2J6YLA7G）" in w for w in report.warnings), report.warnings
    finally:
        for lap in (a, b, sup):
            lap.close()


def test_a_merge_summary_counts_what_a_supervisor_counts() -> None:
    """Beside the records, the inspections and documents that came in or changed."""
    from sync.importer import ImportReport

    counts = {"inspections": {"new": 280}, "notices": {"new": 30, "updated": 2},
              "findings": {"new": 8000, "unchanged": 5}}
    summary = ImportReport(None, False, counts).summary()  # type: ignore[arg-type]
    assert summary == ("新增 8310，更新 2，未变 5 条记录；"
                       "新增或更新的检查记录 280 次、整改文书 32 份")
    only_units = ImportReport(None, False, {"entities": {"updated": 1}})  # type: ignore[arg-type]
    assert only_units.summary() == "更新 1 条记录"
