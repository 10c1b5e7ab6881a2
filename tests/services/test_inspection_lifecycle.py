"""Inspections: creation rules, the draft → completed → signed workflow, the lock on a signed
record, amendments as new versions, and the audit trail of every change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checklists.snapshot import to_snapshot
from models.db import Database
from models.inspection import Finding, Inspection
from models.system import AuditEntry
from rules.inspection_status import (
    COMPLETED,
    DRAFT,
    FAIL,
    PASS,
    ROLE_OFFICER,
    ROLE_PARTY,
    SELF_CHECK,
    SIGNED,
    SUPERVISION,
)
from services.amendments import amend_inspection, versions
from services.checklist_snapshot import inspection_snapshot
from services.findings import list_findings, record_finding
from services.inspection_access import InspectionError, InspectionLocked
from services.inspection_lifecycle import (
    OfficerInput,
    complete_inspection,
    create_inspection,
    get_summary,
    list_inspections,
    reopen_inspection,
    sign_inspection,
    update_record,
)
from services.roster import add_inspector, declare_conflict
from services.signatures import add_signature, record_refusal
from tests.services.inspection_fixtures import (
    AREA,
    assert_integrity,
    checklist,
    fill_record,
    new_entity,
    new_inspection,
    officers,
    snapshot,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


def png(colour: int = 0) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (120, 40), colour).save(buf, "PNG")
    return buf.getvalue()


def signed_inspection(db: Database, store: Path) -> int:
    """An enforcement inspection taken all the way to signed."""
    with db.session() as s:
        made = new_inspection(s)
        record_finding(s, made.id, "FXM-A01", result=PASS)
        fill_record(s, made.id)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        for officer in ("检查员1", "检查员2"):
            add_signature(s, made.id, role=ROLE_OFFICER, name=officer, png=png(), store_root=store)
        add_signature(s, made.id, role=ROLE_PARTY, name="王经理", png=png(40), store_root=store)
        sign_inspection(s, made.id)
        return made.id


def test_an_inspection_keeps_its_snapshot_and_one_finding_per_item(db: Database) -> None:
    with db.session() as s:
        made = new_inspection(s)
    assert made.status == DRAFT and made.version == 1
    assert made.themes == ("母婴设施（测试）", "女职工劳动保护（测试）")
    assert made.counts.total == len(checklist().items) and made.counts.answered == 0
    with db.session() as s:
        row = s.get(Inspection, made.id)
        assert row is not None and inspection_snapshot(s, row.id) == snapshot()
        assert row.checklist_hash == checklist().content_hash
        findings = list_findings(s, made.id)
    assert [f.item_code for f in findings] == [i.code for i in checklist().items]
    assert {f.result for f in findings} == {"未检查"}


def test_each_finding_is_attributed_to_its_items_competent_department(db: Database) -> None:
    """A joint visit: health and HR officers, each item under its own department."""
    people = officers(2, "卫生健康") + officers(2, "人力资源和社会保障")
    with db.session() as s:
        made = new_inspection(s, people=people)
        departments = {f.item_code[:3]: f.department for f in list_findings(s, made.id)}
    assert departments == {"FXM": "卫生健康", "FXN": "人力资源和社会保障"}


def test_enforcement_needs_two_officers_with_cert_numbers(db: Database) -> None:
    with pytest.raises(InspectionError, match="两名以上"), db.session() as s:
        new_inspection(s, people=officers(1))
    with pytest.raises(InspectionError, match="检查员2 未填写执法证号"), db.session() as s:
        new_inspection(s, people=[officers(1)[0], OfficerInput("检查员2", "卫生健康")])
    with db.session() as s:
        assert s.scalars(select(Inspection)).all() == []
        assert s.scalars(select(Finding)).all() == []
    with db.session() as s:  # a 督查 or 自查 needs one person, with or without a cert number
        new_inspection(s, kind=SUPERVISION, people=[OfficerInput("督查员", "卫生健康")])
        new_inspection(s, kind=SELF_CHECK, people=[OfficerInput("安全员", "卫生健康")])


def test_an_unknown_kind_or_no_officer_is_refused(db: Database) -> None:
    with pytest.raises(InspectionError, match="检查类型"), db.session() as s:
        new_inspection(s, kind="抽查")
    with pytest.raises(InspectionError, match="至少选择一名"), db.session() as s:
        new_inspection(s, kind=SELF_CHECK, people=[])


def test_a_tampered_snapshot_is_refused(db: Database) -> None:
    data = to_snapshot(checklist())
    data["items"][0]["question"] = "改过的问题"
    with pytest.raises(InspectionError, match="校验值不符"), db.session() as s:
        create_inspection(s, entity_id=new_entity(s), checklist_snapshot=data, kind=SELF_CHECK,
                          officers=officers(1))


def test_an_officer_with_a_declared_conflict_is_refused(db: Database) -> None:
    with db.session() as s:
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-001")
        b = add_inspector(s, name="李四", department="卫生健康", cert_no="ZF-002")
        unit = new_entity(s)
        declare_conflict(s, inspector_id=a.id, entity_id=unit, reason="曾在该单位任职")
    reason = r"张三.*回避事由（曾在该单位任职）"
    with pytest.raises(InspectionError, match=reason), db.session() as s:
        new_inspection(s, entity_id=unit, people=[a.id, b.id])
    with pytest.raises(InspectionError, match="回避"), db.session() as s:  # typed in by cert no
        new_inspection(s, entity_id=unit,
                       people=[OfficerInput("张三", "卫生健康", "ZF-001"), b.id])


def test_enforcement_completion_lists_what_the_record_lacks(db: Database) -> None:
    with db.session() as s:
        made = new_inspection(s)
    with pytest.raises(InspectionError) as err, db.session() as s:
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    for gap in ("出示执法证件", "回避的权利", "记录人", "在场人员"):
        assert gap in str(err.value)
    with db.session() as s:
        assert get_summary(s, made.id).status == DRAFT
        fill_record(s, made.id)
        done = complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    assert done.status == COMPLETED and done.ended_at is not None


def test_status_moves_draft_completed_signed_and_findings_wait_for_a_draft(
        db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        made = new_inspection(s, kind=SELF_CHECK, people=officers(1))
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    with pytest.raises(InspectionError, match="先退回草稿"), db.session() as s:
        record_finding(s, made.id, "FXM-A01", result=PASS)
    with db.session() as s:
        reopen_inspection(s, made.id, reason="补充检查")
        record_finding(s, made.id, "FXM-A01", result=PASS)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    with pytest.raises(InspectionError, match="检查员1 尚未签名"), db.session() as s:
        sign_inspection(s, made.id)
    with db.session() as s:
        add_signature(s, made.id, role=ROLE_OFFICER, name="检查员1", png=png(),
                      store_root=tmp_path)
        assert sign_inspection(s, made.id).status == SIGNED


def test_a_signed_inspection_refuses_every_write_in_chinese(db: Database, tmp_path: Path) -> None:
    made = signed_inspection(db, tmp_path)
    attempts: list[Callable[[Session], object]] = [
        lambda s: record_finding(s, made, "FXM-A01", result=FAIL, note="x"),
        lambda s: update_record(s, made, party_statement="改"),
        lambda s: reopen_inspection(s, made),
        lambda s: complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON),
        lambda s: add_signature(s, made, role=ROLE_PARTY, name="另一人", png=png(),
                                store_root=tmp_path),
    ]
    for attempt in attempts:
        with pytest.raises(InspectionLocked, match=r"已签名.*更正版本"), db.session() as s:
            attempt(s)
    # Below the services, the database itself refuses (triggers from migration 0002).
    for sql in ("UPDATE inspections SET place = 'x'", "DELETE FROM inspections",
                "UPDATE findings SET note = 'x'", "DELETE FROM findings",
                "DELETE FROM signatures", "UPDATE inspection_officers SET name = 'x'"):
        with pytest.raises(IntegrityError, match="检查记录已签名"), db.session() as s:
            s.execute(text(sql))
    with db.session() as s:
        assert s.get(Inspection, made) is not None
        assert [f.result for f in list_findings(s, made) if f.item_code == "FXM-A01"] == [PASS]


def test_an_amendment_is_a_new_version_and_the_old_one_stays_intact(
        db: Database, tmp_path: Path) -> None:
    made = signed_inspection(db, tmp_path)
    with db.session() as s:
        old_findings = list_findings(s, made)
        old_row = s.get(Inspection, made)
        assert old_row is not None
        old_rev, old_uuid = old_row.sync_rev, old_row.uuid
    with pytest.raises(InspectionError, match="更正理由"), db.session() as s:
        amend_inspection(s, made, reason=" ")
    with db.session() as s:
        new = amend_inspection(s, made, reason="面积测量记录笔误")
        record_finding(s, new.id, AREA, value=12.5)
    assert (new.version, new.status, new.supersedes_uuid) == (2, DRAFT, old_uuid)
    with db.session() as s:
        assert list_findings(s, made) == old_findings
        old_row = s.get(Inspection, made)
        assert old_row is not None and old_row.status == SIGNED and old_row.sync_rev == old_rev
        assert [v.version for v in versions(s, new.series_uuid)] == [1, 2]
        assert get_summary(s, made).superseded
        assert [i.id for i in list_inspections(s, current_only=True)] == [new.id]
        copied = {f.item_code: f.result for f in list_findings(s, new.id)}
        assert copied["FXM-A01"] == PASS and copied[AREA] == PASS
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_id == new.uuid)).first()
        assert entry is not None and entry.action == "amend"
        assert entry.detail == {"supersedes": old_uuid, "version": 2, "reason": "面积测量记录笔误"}
    with pytest.raises(InspectionError, match="已有更正版本"), db.session() as s:
        amend_inspection(s, made, reason="再改一次")
    with pytest.raises(InspectionError, match="直接修改"), db.session() as s:
        amend_inspection(s, new.id, reason="草稿不需要更正")


def test_every_change_appends_an_audit_entry(db: Database, tmp_path: Path) -> None:
    made = signed_inspection(db, tmp_path)
    with db.session() as s:
        uuid = s.get(Inspection, made).uuid  # type: ignore[union-attr]
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    mine = [(e.action, e.detail.get("to")) for e in entries
            if e.record_id == uuid or e.detail.get("inspection") == uuid]
    assert mine == [("create", None), ("record_finding", None), ("update", None),
                    ("status", COMPLETED), ("sign", None), ("sign", None), ("sign", None),
                    ("status", SIGNED)]
    assert all(e.device_id == db.device_id for e in entries)


def test_a_refusal_to_sign_needs_a_witness_and_lets_the_record_be_signed(
        db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        made = new_inspection(s)
        fill_record(s, made.id)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        for officer in ("检查员1", "检查员2"):
            add_signature(s, made.id, role=ROLE_OFFICER, name=officer, png=png(),
                          store_root=tmp_path)
    with pytest.raises(InspectionError, match="被检查单位负责人尚未签名"), db.session() as s:
        sign_inspection(s, made.id)
    with pytest.raises(InspectionError, match="见证人"), db.session() as s:
        record_refusal(s, made.id, name="王经理", witness_name="赵六", witness_id="")
    with db.session() as s:
        refusal = record_refusal(s, made.id, name="王经理", witness_name="赵六",
                                 witness_id="宁安镇人民政府", reason="对结果有异议",
                                 witness_png=png(90), store_root=tmp_path)
        assert refusal.refused and refusal.witness_id == "宁安镇人民政府"
        assert sign_inspection(s, made.id).status == SIGNED


def test_reopening_removes_signatures_and_records_them(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        made = new_inspection(s, kind=SELF_CHECK, people=officers(1))
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        add_signature(s, made.id, role=ROLE_OFFICER, name="检查员1", png=png(),
                      store_root=tmp_path)
    with db.session() as s:
        reopen_inspection(s, made.id, reason="漏检一项")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "status")
                          .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.detail["to"] == DRAFT
    assert [r["name"] for r in entry.detail["removed_signatures"]] == ["检查员1"]


def test_only_an_officer_of_the_inspection_signs_as_officer(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        made = new_inspection(s, kind=SELF_CHECK, people=officers(1))
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    with pytest.raises(InspectionError, match="不是本次检查的检查人员"), db.session() as s:
        add_signature(s, made.id, role=ROLE_OFFICER, name="路人", png=png(), store_root=tmp_path)
    with pytest.raises(InspectionError, match="PNG"), db.session() as s:
        add_signature(s, made.id, role=ROLE_OFFICER, name="检查员1", png=b"not a png",
                      store_root=tmp_path)


def test_record_times_cannot_run_backwards(db: Database) -> None:
    from datetime import UTC, datetime

    with db.session() as s:
        made = new_inspection(s, started_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    with pytest.raises(InspectionError, match="不能早于"), db.session() as s:
        update_record(s, made.id, ended_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    with db.session() as s:
        got = update_record(s, made.id, ended_at=datetime(2026, 3, 1, 17, 0, tzinfo=UTC))
    assert got.started_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_record_is_frozen_once_someone_has_signed_it(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        made = new_inspection(s, kind=SELF_CHECK, people=officers(1))
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        update_record(s, made.id, party_statement="以上记录属实，无异议")  # before signing: fine
        add_signature(s, made.id, role=ROLE_OFFICER, name="检查员1", png=png(),
                      store_root=tmp_path)
    with pytest.raises(InspectionError, match="已有人在笔录上签名"), db.session() as s:
        update_record(s, made.id, party_statement="改过的陈述")


def test_the_full_record_carries_every_field_of_the_on_site_record(
        db: Database, tmp_path: Path) -> None:
    from services.inspection_record import get_record

    people = officers(2, "卫生健康") + officers(2, "消防救援")
    with db.session() as s:
        made = new_inspection(s, people=people, recorder="检查员2")
        update_record(s, made.id, party_name="王经理", party_position="店长",
                      party_phone="0955-1234567", credentials_shown=True,
                      recusal_notice_given=True, recusal_requested=True,
                      recusal_note="当事人申请检查员1回避，经审查不予支持")
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        record_refusal(s, made.id, name="王经理", witness_name="赵六",
                       witness_id="640521199001011234")
        record = get_record(s, made.id)
    assert record.departments == ("卫生健康", "消防救援")
    assert [o.cert_no for o in record.officers][:2] == ["ZF-卫生健康-001", "ZF-卫生健康-002"]
    assert (record.recorder, record.party_name, record.party_position) == ("检查员2", "王经理",
                                                                           "店长")
    assert record.credentials_shown and record.recusal_notice_given and record.recusal_requested
    assert record.party_statement == ""  # the party's own words, never pre-filled
    assert record.place == "中宁县宁安大街1号"  # the unit's address unless another is given
    assert record.ended_at is not None and record.ended_at >= record.started_at
    (refusal,) = record.signatures
    assert (refusal.refused, refusal.witness_name) == (True, "赵六")
    assert record.checklist == snapshot()
    assert len(record.findings) == len(checklist().items)


def test_unanswered_items_stop_completion_unless_the_reason_is_given(db: Database) -> None:
    from services.inspection_access import UncheckedItems

    with db.session() as s:
        made = new_inspection(s)
        fill_record(s, made.id)
        record_finding(s, made.id, AREA, value=12)
    with pytest.raises(UncheckedItems) as err, db.session() as s:
        complete_inspection(s, made.id)
    codes = [c for c, _q in err.value.items]
    assert AREA not in codes and codes and all(q for _c, q in err.value.items)
    assert f"还有 {len(codes)} 项未检查" in str(err.value) and "原因" in str(err.value)
    with db.session() as s:
        assert load_row(s, made.id).status == "draft"
        with pytest.raises(UncheckedItems):
            complete_inspection(s, made.id, unchecked_reason="   ")  # blank is no reason
        complete_inspection(s, made.id, unchecked_reason="现场停电，部分设施无法查看")
    with db.session() as s:
        rows = {f.item_code: f for f in s.scalars(select(Finding).where(
            Finding.inspection_id == made.id))}
        for code in codes:
            assert rows[code].result == "未检查"
            assert rows[code].note == "未检查原因：现场停电，部分设施无法查看"
        assert not rows[AREA].note or "未检查原因" not in rows[AREA].note
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "inspections", AuditEntry.action == "status")
            .order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert entry.detail["unchecked"] == codes
        assert entry.detail["reason"] == "现场停电，部分设施无法查看"


def load_row(s: Session, inspection_id: int) -> Inspection:
    row = s.get(Inspection, inspection_id)
    assert row is not None
    return row
