"""The rectification loop on a real database: kinds chosen per department and obligation,
issue with a number, 送达, 延期, 整改报告, 复查, 销号, escalation, overdue, and the audit log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import Database
from models.rectification import Notice
from models.system import AuditEntry
from rules.inspection_status import FAIL, PARTIAL, PASS, SUPERVISION
from rules.notice_status import CLOSED, FAILED, PASSED, REFERRED, REORDERED, REPORTED, SERVED
from services.findings import record_finding
from services.inspection_lifecycle import OfficerInput, complete_inspection
from services.notices import (
    NoticeError,
    close_notice,
    count_notices,
    decide_extension,
    escalate,
    get_notice,
    issue_blocker,
    issue_further_order,
    issue_notice,
    list_notices,
    notice_detail,
    overdue_notices,
    propose_notices,
    record_recheck,
    request_extension,
    reserve_block,
    serve_notice,
    submit_report,
)
from services.settings import ORG_CODE, ORG_DEPARTMENT, ORGANISATION, set_setting
from tests.services.inspection_fixtures import (
    assert_integrity,
    fill_record,
    new_inspection,
    officers,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

DAY = date(2026, 3, 2)  # a Monday
OFFICERS = ["检查员1", "检查员2"]
SUFFIXES = ("劳监指", "卫监意", "立改", "限改", "督办", "督反", "建议", "移", "复查")
HEALTH, HRSS = "卫生健康", "人力资源和社会保障"
FXN_FAILS = {"FXN-A01": FAIL, "FXN-A03": FAIL}


def setup_org(s: Session, *, start: int = 1, end: int = 50, year: int = 2026) -> None:
    """机关名称/代字 and a block of numbers for every kind of document."""
    set_setting(s, ORGANISATION, "中宁县卫生健康局")
    set_setting(s, ORG_CODE, "中宁卫")
    for suffix in SUFFIXES:
        reserve_block(s, suffix=suffix, year=year, start=start, end=end)


def failed_inspection(s: Session, *, kind: str | None = None,
                      fails: dict[str, str] | None = None) -> int:
    """A completed inspection of the test checklist with some items not compliant, made
    jointly by officers of the 卫生健康 and 人社 bodies (either may issue its documents)."""
    extra = {"kind": kind} if kind else {}
    made = new_inspection(s, started_at=datetime(2026, 3, 2, 9, 0),
                          people=[*officers(2, HEALTH),
                                  OfficerInput("检查员3", HRSS, "ZF-HRSS-003")], **extra)
    fails = fails if fails is not None else {
        "FXM-B01": FAIL,  # 推荐标准, 卫生健康
        "FXM-A01": FAIL,  # 规范义务, 卫生健康
        "FXM-A03": PARTIAL,  # 法定义务, 卫生健康
        "FXN-A01": FAIL,  # 法定义务, 人力资源和社会保障
        "FXN-A03": FAIL,  # 规范义务, 人力资源和社会保障
    }
    for code, result in fails.items():
        record_finding(s, made.id, code, result=result, note=f"{code} 现场发现的问题")
    record_finding(s, made.id, "FXM-A04", result=PASS)
    fill_record(s, made.id)
    complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    return made.id


def issue_all(s: Session, insp: int, department: str | None = None) -> list[int]:
    """Every proposed notice of an inspection, issued on DAY by a body of ``department``."""
    if department is not None:
        set_setting(s, ORG_DEPARTMENT, department)
    return [issue_notice(s, inspection_id=insp, kind_code=p.kind_code,
                         finding_ids=p.finding_ids, issued_on=DAY, issued_by=OFFICERS).id
            for p in propose_notices(s, insp)]


def issued(db: Database, **kw: object) -> tuple[int, list[int]]:
    """An inspection issued by the 卫生健康 body (卫生监督意见书, a 移送函 for the 人社 items,
    a 建议) and a second one with only 人社 items issued by the 人社 body (指令书)."""
    with db.session() as s:
        setup_org(s)
        insp = failed_inspection(s, **kw)  # type: ignore[arg-type]
        ids = issue_all(s, insp, HEALTH)
        ids += issue_all(s, failed_inspection(s, fails=FXN_FAILS), HRSS)
    return insp, ids


def by_kind(db: Database, ids: list[int], kind: str) -> int:
    with db.session() as s:
        return next(i for i in ids if s.get(Notice, i).kind_code == kind)  # type: ignore[union-attr]


def test_kinds_follow_department_and_obligation(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        insp = failed_inspection(s)
        proposed = {(p.kind_code, p.department): [i.item_code for i in p.items]
                    for p in propose_notices(s, insp)}
        # the 卫生健康 body (inferred from 中宁县卫生健康局) refers the 人社 items
        assert proposed == {
            ("health_opinion", HEALTH): ["FXM-A01", "FXM-A03"],
            ("referral", HRSS): ["FXN-A01", "FXN-A03"],
            ("advice", HEALTH): ["FXM-B01"],
        }
        set_setting(s, ORG_DEPARTMENT, HRSS)  # the 人社 body orders them, refers the rest
        proposed = {(p.kind_code, p.department): [i.item_code for i in p.items]
                    for p in propose_notices(s, insp)}
        assert proposed == {
            ("hrss_order", HRSS): ["FXN-A01", "FXN-A03"],
            ("referral", HEALTH): ["FXM-A01", "FXM-A03"],
            ("advice", HEALTH): ["FXM-B01"],  # 推荐标准 stays 建议 whoever issues
        }


def test_recommendation_items_never_produce_orders(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        insp = failed_inspection(s, fails={"FXM-B01": FAIL})
        (only,) = propose_notices(s, insp)
        assert (only.kind_code, only.is_order) == ("advice", False)
        b01 = only.finding_ids
        for kind in ("health_opinion", "other_deadline", "fire_immediate"):
            with pytest.raises(NoticeError, match="只能提出建议"):
                issue_notice(s, inspection_id=insp, kind_code=kind, finding_ids=b01,
                             issued_on=DAY, issued_by=OFFICERS)
        assert s.scalars(select(Notice)).first() is None


def test_an_item_cannot_go_into_another_departments_document(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        insp = failed_inspection(s)
        set_setting(s, ORG_DEPARTMENT, HRSS)
        hrss = next(p for p in propose_notices(s, insp) if p.kind_code == "hrss_order")
        with pytest.raises(NoticeError, match="应出具《劳动保障监察限期改正指令书》"):
            issue_notice(s, inspection_id=insp, kind_code="fire_deadline",
                         finding_ids=hrss.finding_ids, issued_on=DAY, issued_by=OFFICERS)
        # the 人社 body may not order the 卫生健康 items: only a 移送函
        health = next(p for p in propose_notices(s, insp) if p.kind_code == "referral")
        with pytest.raises(NoticeError, match=r"属于卫生健康部门的职责.*移送函"):
            issue_notice(s, inspection_id=insp, kind_code="health_opinion",
                         finding_ids=health.finding_ids, issued_on=DAY, issued_by=OFFICERS)
        with pytest.raises(NoticeError, match="不需要移送"):
            issue_notice(s, inspection_id=insp, kind_code="referral",
                         finding_ids=hrss.finding_ids, issued_on=DAY, issued_by=OFFICERS)


def test_supervision_of_a_department_gets_a_duban_or_feedback(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        insp = failed_inspection(s, kind=SUPERVISION)
        kinds = {p.kind_code: p.is_order for p in propose_notices(s, insp)}
    assert kinds == {"supervision_order": True, "supervision_feedback": False}


def test_issue_numbers_and_snapshots_the_findings(db: Database) -> None:
    insp, ids = issued(db)
    with db.session() as s:
        rows = [s.get(Notice, i) for i in ids]
        numbers = sorted(r.doc_number for r in rows if r)
        assert numbers == ["中宁卫劳监指〔2026〕第1号", "中宁卫卫监意〔2026〕第1号",
                           "中宁卫建议〔2026〕第1号", "中宁卫移〔2026〕1号"]  # 公文: no 第
        detail = notice_detail(s, by_kind(db, ids, "hrss_order"))
        assert detail.notice.addressee == "某某商业广场"
        assert detail.legal_basis == ("《劳动保障监察条例》第十八条第一款第（二）项",)
        assert detail.legal_basis_verified
        assert [i.item_code for i in detail.items] == ["FXN-A01", "FXN-A03"]
        assert [i.requirement for i in detail.items] == [
            "女职工生育应享受不少于98天产假", "婚假、产假、护理假、育儿假不得被纳入事假范畴"]
        assert [i.problem for i in detail.items] == [
            "FXN-A01 现场发现的问题。", "FXN-A03 现场发现的问题。"]
        assert all(i.provision.startswith("《") for i in detail.items)
        assert detail.notice.status == "issued" and detail.notice.deadline is None
        assert not notice_detail(s, by_kind(db, ids, "health_opinion")).legal_basis_verified
        # a finding already on a notice in force is not proposed or issued again
        assert propose_notices(s, insp) == []
        with pytest.raises(NoticeError, match="已在另一份"):
            issue_notice(s, inspection_id=detail.notice.inspection_id or 0,
                         kind_code="hrss_order",
                         finding_ids=[detail.items[0].finding_id or 0], issued_on=DAY)
    assert_integrity(db)


def test_a_draft_inspection_cannot_ground_a_notice(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        made = new_inspection(s)
        record_finding(s, made.id, "FXM-A01", result=FAIL, note="无")
        with pytest.raises(NoticeError, match="检查尚未完成"):
            issue_notice(s, inspection_id=made.id, kind_code="health_opinion",
                         finding_ids=[1], issued_on=DAY)


def test_full_loop_closes_only_after_a_passed_recheck(db: Database, tmp_path: Path) -> None:
    _, ids = issued(db)
    nid = by_kind(db, ids, "health_opinion")
    scan = tmp_path / "整改报告.pdf"
    scan.write_bytes(b"%PDF-1.4 report")
    with db.session() as s:
        with pytest.raises(NoticeError, match="待送达"):
            submit_report(s, nid, received_on=DAY, summary="已整改")
        n = serve_notice(s, nid, served_on=DAY, method="直接送达", recipient="王经理")
        assert n.status == SERVED and n.deadline == date(2026, 3, 23)  # 15 working days
        with pytest.raises(NoticeError, match="整改期限也未届满"):
            record_recheck(s, nid, checked_on=date(2026, 3, 10), inspectors=OFFICERS,
                           passed=True)
        with pytest.raises(NoticeError, match="尚未复查合格，不能销号"):
            close_notice(s, nid, closed_on=DAY, closed_by="检查员1")
        rep = submit_report(s, nid, received_on=date(2026, 3, 20), summary="已配备婴儿床",
                            files=[scan], store_root=tmp_path / "store")
        assert rep.files == ("整改报告.pdf",)
        with pytest.raises(NoticeError, match="至少 2 名"):
            record_recheck(s, nid, checked_on=date(2026, 3, 24), inspectors=["检查员1"],
                           passed=True)
        check = record_recheck(s, nid, checked_on=date(2026, 3, 24), inspectors=OFFICERS,
                               passed=True)
        assert not check.late
        assert s.get(Notice, nid).status == PASSED  # type: ignore[union-attr]
        with pytest.raises(NoticeError, match="不能早于复查日期"):
            close_notice(s, nid, closed_on=date(2026, 3, 23), closed_by="检查员1")
        done = close_notice(s, nid, closed_on=date(2026, 3, 25), closed_by="检查员1")
        assert done.status == CLOSED and done.status_label == "已销号"
    with db.session() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action)
                                           .where(AuditEntry.table_name.in_(
                                               ("notices", "rectification_reports", "rechecks")))
                                           .order_by(AuditEntry.id))]
    assert actions == ["issue_notice"] * 4 + ["serve_notice", "submit_report", "recheck",
                                              "close_notice"]
    assert_integrity(db)


def test_failed_recheck_leads_to_a_further_order_or_a_referral(db: Database) -> None:
    _, ids = issued(db)
    hrss, health = by_kind(db, ids, "hrss_order"), by_kind(db, ids, "health_opinion")
    with db.session() as s:
        for nid in (hrss, health):
            serve_notice(s, nid, served_on=DAY, method="邮寄送达")
        # past the deadline without a report: the recheck may take place, and fails
        detail = notice_detail(s, hrss)
        first = detail.items[0].id
        with pytest.raises(NoticeError, match="不能判为通过"):
            record_recheck(s, hrss, checked_on=date(2026, 3, 25), inspectors=OFFICERS,
                           passed=True, item_results={first: "不符合"})
        record_recheck(s, hrss, checked_on=date(2026, 3, 25), inspectors=OFFICERS,
                       passed=False, item_results={first: "不符合", detail.items[1].id: "符合"})
        assert s.get(Notice, hrss).status == FAILED  # type: ignore[union-attr]
        with pytest.raises(NoticeError, match="复查未通过"):
            close_notice(s, hrss, closed_on=date(2026, 3, 26), closed_by="检查员1")
        again = issue_further_order(s, hrss, issued_on=date(2026, 3, 26), issued_by=OFFICERS)
        assert again.doc_number == "中宁卫劳监指〔2026〕第2号" and again.parent_id == hrss
        assert again.item_count == 1  # only the item still not put right
        assert s.get(Notice, hrss).status == REORDERED  # type: ignore[union-attr]

        record_recheck(s, health, checked_on=date(2026, 3, 25), inspectors=OFFICERS,
                       passed=False, note="仍未整改")
        with pytest.raises(NoticeError, match="立案”或“移送"):
            escalate(s, health, action="罚款", decided_on=date(2026, 3, 26))
        moved = escalate(s, health, action="立案", decided_on=date(2026, 3, 26))
        assert moved.status == REFERRED and moved.escalation == "立案"


def test_extension_moves_the_deadline_and_is_decided_once(db: Database) -> None:
    _, ids = issued(db)
    nid = by_kind(db, ids, "hrss_order")
    with db.session() as s:
        serve_notice(s, nid, served_on=DAY, method="电子送达")
        with pytest.raises(NoticeError, match="理由"):
            request_extension(s, nid, requested_on=date(2026, 3, 10), reason=" ")
        ext = request_extension(s, nid, requested_on=date(2026, 3, 10), reason="设备到货延迟",
                                requested_deadline=date(2026, 4, 10))
        with pytest.raises(NoticeError, match="尚未决定"):
            request_extension(s, nid, requested_on=date(2026, 3, 11), reason="再申请")
        with pytest.raises(NoticeError, match="应晚于现有期限"):
            decide_extension(s, ext.id, granted=True, decided_on=date(2026, 3, 11),
                             decided_by="科长", new_deadline=date(2026, 3, 20))
        got = decide_extension(s, ext.id, granted=True, decided_on=date(2026, 3, 11),
                               decided_by="科长")
        assert (got.decision, got.old_deadline, got.new_deadline) == (
            "准予", date(2026, 3, 23), date(2026, 4, 10))
        assert s.get(Notice, nid).deadline == date(2026, 4, 10)  # type: ignore[union-attr]
        with pytest.raises(NoticeError, match="已经决定过"):
            decide_extension(s, ext.id, granted=False, decided_on=date(2026, 3, 12),
                             decided_by="科长")
        with pytest.raises(NoticeError, match="已于"):
            request_extension(s, nid, requested_on=date(2026, 4, 11), reason="还要延")


def test_overdue_list_and_board_filter(db: Database) -> None:
    _, ids = issued(db)
    hrss, health = by_kind(db, ids, "hrss_order"), by_kind(db, ids, "health_opinion")
    with db.session() as s:
        serve_notice(s, hrss, served_on=DAY, method="直接送达")  # due 2026-03-23
        serve_notice(s, health, served_on=date(2026, 3, 20), method="直接送达")  # due 04-13
        as_of = date(2026, 3, 30)
        overdue = overdue_notices(s, as_of)
        assert [(o.notice.id, o.reason, o.days_over) for o in overdue] == [
            (hrss, "整改逾期", 7)]
        assert [n.id for n in list_notices(s, status="overdue", as_of=as_of)] == [hrss]
        assert [n.id for n in list_notices(s, status=SERVED, as_of=as_of)] == [health]
        assert count_notices(s, status="issued") == 2  # the advice and the 移送函
        assert list_notices(s, status="overdue", as_of=as_of)[0].days_left(as_of) == -7
        # the report came in but nobody rechecked within 10 working days of the deadline
        submit_report(s, hrss, received_on=date(2026, 3, 31), summary="已整改")
        assert s.get(Notice, hrss).status == REPORTED  # type: ignore[union-attr]
        late = overdue_notices(s, date(2026, 4, 13))  # health due that day
        assert [(o.notice.id, o.reason) for o in late] == [(hrss, "复查超期")]
        check = record_recheck(s, hrss, checked_on=date(2026, 4, 13), inspectors=OFFICERS,
                               passed=True)
        assert check.late


def test_service_needs_a_known_method_and_a_date_after_issue(db: Database) -> None:
    _, ids = issued(db)
    with db.session() as s:
        with pytest.raises(NoticeError, match="送达方式"):
            serve_notice(s, ids[0], served_on=DAY, method="口头")
        with pytest.raises(NoticeError, match="早于开具日期"):
            serve_notice(s, ids[0], served_on=date(2026, 3, 1), method="直接送达")
        serve_notice(s, ids[0], served_on=DAY, method="直接送达")
        with pytest.raises(NoticeError, match="当前为“整改中”"):
            serve_notice(s, ids[0], served_on=DAY, method="直接送达")


def test_nothing_partial_is_written_when_a_step_fails(db: Database) -> None:
    _, ids = issued(db)
    with pytest.raises(NoticeError):
        with db.session() as s:
            serve_notice(s, ids[0], served_on=DAY, method="直接送达")
            close_notice(s, ids[0], closed_on=DAY, closed_by="x")
    with db.session() as s:
        assert s.get(Notice, ids[0]).status == "issued"  # type: ignore[union-attr]


def test_a_body_issues_documents_only_for_an_inspection_its_officers_took_part_in(
        db: Database) -> None:
    """An inspection by the 卫生健康 officers alone (as merged from their package) is theirs to
    follow up: the 人社 body may not issue a document on it in its own name."""
    with db.session() as s:
        setup_org(s)
        made = new_inspection(s, started_at=datetime(2026, 3, 2, 9, 0))  # 卫生健康 officers
        for code in FXN_FAILS:
            record_finding(s, made.id, code, result=FAIL, note=f"{code} 现场发现的问题")
        fill_record(s, made.id)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        set_setting(s, ORG_DEPARTMENT, HRSS)
        # the issue dialog says so before anything is proposed or confirmed
        assert "没有人员参加" in (issue_blocker(s, made.id) or "")
        order = next(p for p in propose_notices(s, made.id) if p.kind_code == "hrss_order")
        with pytest.raises(NoticeError, match="没有人员参加"):
            issue_notice(s, inspection_id=made.id, kind_code="hrss_order",
                         finding_ids=order.finding_ids, issued_on=DAY, issued_by=OFFICERS)
        assert s.scalars(select(Notice)).first() is None
        set_setting(s, ORG_DEPARTMENT, HEALTH)  # the body that inspected refers them on
        assert issue_blocker(s, made.id) is None
        referral = next(p for p in propose_notices(s, made.id) if p.kind_code == "referral")
        issue_notice(s, inspection_id=made.id, kind_code="referral",
                     finding_ids=referral.finding_ids, issued_on=DAY, issued_by=OFFICERS)


def test_an_order_found_not_put_right_before_its_deadline_stays_in_its_period(
        db: Database) -> None:
    """The unit reports early and the recheck finds the problems still there: the period it
    was given runs on (整改中, nothing overdue, no further order or 立案 yet); a new report
    brings the next recheck, and only a recheck after the deadline that fails is 复查未通过."""
    _, ids = issued(db)
    hrss = by_kind(db, ids, "hrss_order")
    with db.session() as s:
        served = serve_notice(s, hrss, served_on=DAY, method="直接送达", recipient="王经理")
        assert served.deadline is not None and served.deadline > date(2026, 3, 10)
        submit_report(s, hrss, received_on=date(2026, 3, 5), summary="已整改")
        early = record_recheck(s, hrss, checked_on=date(2026, 3, 6), inspectors=OFFICERS,
                               passed=False, note="仍未整改")
        assert not early.passed
        notice = get_notice(s, hrss)
        assert notice.status == SERVED
        assert not notice.is_overdue(date(2026, 3, 9))
        assert notice.board_label(date(2026, 3, 9)) == "整改中"
        assert overdue_notices(s, date(2026, 3, 9)) == []
        with pytest.raises(NoticeError, match="复查未通过"):
            issue_further_order(s, hrss, issued_on=date(2026, 3, 9), issued_by=OFFICERS)
        with pytest.raises(NoticeError):
            escalate(s, hrss, action="立案", decided_on=date(2026, 3, 9))
        # no new recheck without a new report while the period runs
        with pytest.raises(NoticeError, match="整改期限也未届满"):
            record_recheck(s, hrss, checked_on=date(2026, 3, 9), inspectors=OFFICERS,
                           passed=True)
        with pytest.raises(NoticeError, match="不能早于上次复查日期（2026年3月6日）"):
            submit_report(s, hrss, received_on=date(2026, 3, 5), summary="已整改")
        submit_report(s, hrss, received_on=date(2026, 3, 9), summary="已补充整改")
        assert get_notice(s, hrss).status == REPORTED
        # rechecked after the deadline and still not put right: now it awaits what follows
        after = served.deadline + timedelta(days=1)
        record_recheck(s, hrss, checked_on=after, inspectors=OFFICERS, passed=False)
        notice = get_notice(s, hrss)
        assert notice.status == FAILED and notice.is_overdue(after)
        assert [o.notice.id for o in overdue_notices(s, after)] == [hrss]
        again = issue_further_order(s, hrss, issued_on=after, issued_by=OFFICERS)
        assert again.parent_id == hrss


def test_a_recheck_on_the_deadline_day_that_fails_is_not_within_the_period(
        db: Database) -> None:
    _, ids = issued(db)
    hrss = by_kind(db, ids, "hrss_order")
    with db.session() as s:
        served = serve_notice(s, hrss, served_on=DAY, method="直接送达", recipient="王经理")
        assert served.deadline is not None
        submit_report(s, hrss, received_on=DAY, summary="已整改")
        record_recheck(s, hrss, checked_on=served.deadline, inspectors=OFFICERS, passed=False)
        assert get_notice(s, hrss).status == FAILED


def test_advice_that_falls_short_before_its_date_awaits_a_decision(db: Database) -> None:
    """A 建议 binds no one: its failed 回访 is recorded as such, whatever the date, and is
    never overdue."""
    _, ids = issued(db)
    advice = by_kind(db, ids, "advice")
    with db.session() as s:
        serve_notice(s, advice, served_on=DAY, method="直接送达", recipient="王经理")
        submit_report(s, advice, received_on=date(2026, 3, 3), summary="已整改")
        record_recheck(s, advice, checked_on=date(2026, 3, 4), inspectors=OFFICERS[:1],
                       passed=False)
        notice = get_notice(s, advice)
        assert notice.status == FAILED and not notice.is_overdue(date(2026, 6, 1))
