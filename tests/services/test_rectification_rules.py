"""Who issues what, and the rules added with migration 0005: 移送函 for items of another
department, jurisdiction, problem statements, number styles, the 复查意见书 number, failed
rechecks awaiting action, the 办理记录 history and 留置送达 with its witnesses."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.notice_types import notice_types
from checklists.template_model import VERIFICATION_NOTE
from models.db import Database
from models.inspection import Finding
from models.rectification import Notice, NoticeItem, Recheck
from rules.inspection_status import FAIL, PARTIAL, SUPERVISION
from rules.notice_status import (
    ANSWERED,
    FAILED,
    OPEN_STATUSES,
    SERVED,
    failed_within_period,
    is_overdue,
)
from services.findings import record_finding
from services.inspection_lifecycle import complete_inspection
from services.notices import (
    AWAITING_ACTION,
    NoticeError,
    NumberingError,
    close_notice,
    escalate,
    infer_department,
    issue_blocker,
    issue_notice,
    list_notices,
    notice_detail,
    overdue_notices,
    problem_text,
    propose_notices,
    record_feedback,
    record_recheck,
    referral_addressee,
    requirement_text,
    serve_notice,
    submit_report,
)
from services.numbering import format_number
from services.settings import JURISDICTION, ORG_DEPARTMENT, set_setting
from tests.services.inspection_fixtures import (
    AREA,
    changed,
    checklist,
    fill_record,
    new_entity,
    new_inspection,
)
from tests.services.test_rectification import (
    DAY,
    FXN_FAILS,
    HEALTH,
    HRSS,
    OFFICERS,
    failed_inspection,
    issue_all,
    setup_org,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

ZHONGNING = "640521"  # 中宁县 (中卫市)


def local_inspection(s: Session, region: str | None, fails: dict[str, str]) -> int:
    entity = new_entity(s, name="宁安托育园", region_code=region)
    made = new_inspection(s, entity_id=entity, started_at=datetime(2026, 3, 2, 9, 0))
    for code, result in fails.items():
        record_finding(s, made.id, code, result=result, note="现场发现")
    fill_record(s, made.id)
    complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    return made.id


def test_the_own_department_is_inferred_from_the_organisation_name() -> None:
    assert infer_department("中宁县卫生健康局", ZHONGNING) == HEALTH
    assert infer_department("中卫市人力资源和社会保障局", ZHONGNING) == HRSS
    assert infer_department("某某办公室", ZHONGNING) is None
    assert referral_addressee(HRSS, ZHONGNING) == "中宁县人力资源和社会保障局"
    assert referral_addressee("消防救援", ZHONGNING) == "中宁县消防救援大队"
    assert referral_addressee("不存在的部门", ZHONGNING) == "中宁县不存在的部门主管部门"


def test_another_departments_items_are_referred_and_tracked_until_feedback(
        db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        set_setting(s, JURISDICTION, ZHONGNING)
        insp = local_inspection(s, ZHONGNING, FXN_FAILS)
        (p,) = propose_notices(s, insp)
        assert (p.kind_code, p.title, p.addressee, p.is_order) == (
            "referral", "移送函", "中宁县人力资源和社会保障局", False)
        nid = issue_all(s, insp, HEALTH)[0]
        row = s.get(Notice, nid)
        assert row is not None
        assert (row.addressee, row.unit_name, row.issuer_department, row.deadline_mode) == (
            "中宁县人力资源和社会保障局", "宁安托育园", HEALTH, "none")
        assert row.doc_number == "中宁卫移〔2026〕1号"
        with pytest.raises(NoticeError, match="尚未送达"):
            record_feedback(s, nid, received_on=DAY, text="已处理")
        served = serve_notice(s, nid, served_on=DAY, method="直接送达", recipient="收文员")
        assert served.deadline is None and served.board_label(DAY) == "待反馈"
        with pytest.raises(NoticeError, match="不复查"):
            record_recheck(s, nid, checked_on=date(2026, 4, 1), inspectors=OFFICERS,
                           passed=True)
        with pytest.raises(NoticeError, match="反馈"):
            submit_report(s, nid, received_on=DAY, summary="x")
        with pytest.raises(NoticeError, match="不销号"):
            close_notice(s, nid, closed_on=DAY, closed_by="x")
        assert overdue_notices(s, date(2027, 1, 1)) == []  # no deadline on the unit
        done = record_feedback(s, nid, received_on=date(2026, 3, 20),
                               text="已立案调查，责令该单位限期改正")
        assert done.status == ANSWERED and ANSWERED not in OPEN_STATUSES
        assert done.feedback_on == date(2026, 3, 20)
        steps = [h.step for h in notice_detail(s, nid).history]
        assert steps == ["开具", "送达", "反馈"]


def test_supervision_keeps_duban_whoever_issues(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        set_setting(s, ORG_DEPARTMENT, HRSS)
        insp = failed_inspection(s, kind=SUPERVISION)
        kinds = {p.kind_code for p in propose_notices(s, insp)}
        assert kinds == {"supervision_order", "supervision_feedback"}
        ids = issue_all(s, insp)
        numbers = sorted(str(s.get(Notice, i).doc_number) for i in ids)  # type: ignore[union-attr]
    assert set(numbers) == {"中宁卫督办〔2026〕1号", "中宁卫督办〔2026〕2号",
                            "中宁卫督反〔2026〕1号"}  # 公文: no 第
    assert format_number("中宁卫责改", 2025, 2) == "中宁卫责改〔2025〕第2号"


def test_a_unit_outside_the_jurisdiction_is_refused(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        set_setting(s, JURISDICTION, ZHONGNING)
        far = local_inspection(s, "640502", {"FXM-A01": FAIL})  # 沙坡头区, another county
        why = issue_blocker(s, far)
        assert why is not None and "不在本机关管辖区域（中宁县）内" in why
        with pytest.raises(NoticeError, match="不在本机关管辖区域"):
            issue_notice(s, inspection_id=far, kind_code="health_opinion",
                         finding_ids=[1], issued_on=DAY, issued_by=OFFICERS)
        unknown = local_inspection(s, None, {"FXM-A01": FAIL})
        assert "未登记所在地区" in (issue_blocker(s, unknown) or "")
        inside = local_inspection(s, ZHONGNING, {"FXM-A01": FAIL})
        assert issue_blocker(s, inside) is None
        assert s.scalars(select(Notice)).first() is None


def test_problems_are_statements_and_question_marks_are_refused(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        made = new_inspection(s, started_at=datetime(2026, 3, 2, 9, 0),
                              c=changed(checklist(), AREA, require_on_fail="note"))
        record_finding(s, made.id, AREA, result=FAIL, value=6, note="设在楼梯间旁")
        record_finding(s, made.id, "FXM-A01", result=FAIL, note="未见标识")
        fill_record(s, made.id)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        (p,) = [p for p in propose_notices(s, made.id) if p.kind_code == "health_opinion"]
        area = next(i for i in p.items if i.item_code == AREA)
        assert area.problem == "母婴室使用面积6㎡，标准≥10㎡。设在楼梯间旁。"
        assert area.requirement == "独立母婴室使用面积应不少于10平方米"
        for item in p.items:
            assert "？" not in item.problem + item.requirement
            assert "?" not in item.problem + item.requirement
        bare = next(i for i in p.items if i.item_code == "FXM-A01")
        assert bare.problem == "未见标识。"
        # with neither a value nor a note: the requirement, stated as not met
        item = next(i for i in checklist().items if i.code == "FXM-A01")
        plain = problem_text(item, Finding(result=FAIL, note=None, value_number=None,
                                           value_text=None))
        wanted = requirement_text(item.question)
        assert plain == f"不符合“{wanted}”的要求。" and "？" not in plain
        partly = problem_text(item, Finding(result=PARTIAL, note=None, value_number=None,
                                            value_text=None))
        assert partly == f"未完全符合“{wanted}”的要求。"
        assert requirement_text("这是什么？") == "应符合相关法律、法规和标准的规定"
        assert requirement_text("这是什么？", "《某法》第一条") == "应符合：《某法》第一条"
        with pytest.raises(NoticeError, match="不能带问号"):
            issue_notice(s, inspection_id=made.id, kind_code="health_opinion",
                         finding_ids=p.finding_ids, issued_on=DAY, issued_by=OFFICERS,
                         item_problems={bare.finding_id: "是否配备？"})
        info = issue_notice(s, inspection_id=made.id, kind_code="health_opinion",
                            finding_ids=p.finding_ids, issued_on=DAY, issued_by=OFFICERS,
                            item_problems={bare.finding_id: "未设置母婴室标识。"},
                            item_requirements={bare.finding_id: "设置醒目的母婴室标识"})
        rows = {r.item_code: r for r in s.scalars(select(NoticeItem)
                                                  .where(NoticeItem.notice_id == info.id))}
        assert rows["FXM-A01"].problem == "未设置母婴室标识。"
        assert rows["FXM-A01"].requirement == "设置醒目的母婴室标识"
        assert rows[AREA].problem == area.problem


def test_recheck_numbers_and_a_failed_recheck_awaits_action(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        nid = issue_all(s, failed_inspection(s, fails=FXN_FAILS), HRSS)[0]
        serve_notice(s, nid, served_on=DAY, method="留置送达", refusal="负责人拒绝签收",
                     witnesses=["社区干部甲", " ", "保安乙"])
        check = record_recheck(s, nid, checked_on=date(2026, 3, 25), inspectors=OFFICERS,
                               passed=False, note="仍未整改")
        assert check.doc_number == "中宁卫复查〔2026〕第1号"
        row = s.scalars(select(Recheck)).one()
        assert (row.doc_word, row.doc_year, row.doc_seq) == ("中宁卫复查", 2026, 1)
        as_of = date(2026, 4, 4)
        (late,) = overdue_notices(s, as_of)
        assert (late.notice.id, late.reason, late.due, late.days_over) == (
            nid, AWAITING_ACTION, date(2026, 3, 25), 10)
        (listed,) = list_notices(s, status="overdue", as_of=as_of)
        assert listed.board_label(as_of) == "逾期待处理"
        assert listed.awaiting_action_days(as_of) == 10
        escalate(s, nid, action="移送", decided_on=date(2026, 4, 5), note="移送劳动监察大队")
        assert overdue_notices(s, date(2026, 4, 6)) == []
        detail = notice_detail(s, nid)
        assert [h.step for h in detail.history] == ["开具", "送达", "复查", "移送"]
        served = detail.history[1].text
        assert "拒收（负责人拒绝签收）" in served and "见证人 社区干部甲、保安乙" in served
        assert "中宁卫复查〔2026〕第1号" in detail.history[2].text
        assert detail.service_witnesses == ("社区干部甲", "保安乙")
        notice = s.get(Notice, nid)
        assert notice is not None and notice.service_refused
        assert notice.service_refusal == "负责人拒绝签收"


def test_refusal_needs_witnesses_and_a_reason(db: Database) -> None:
    with db.session() as s:
        setup_org(s)
        nid = issue_all(s, failed_inspection(s, fails=FXN_FAILS), HRSS)[0]
        with pytest.raises(NoticeError, match="见证人"):
            serve_notice(s, nid, served_on=DAY, method="留置送达", refusal="拒签")
        with pytest.raises(NoticeError, match="拒收事由"):
            serve_notice(s, nid, served_on=DAY, method="留置送达", witnesses=["甲"])
        with pytest.raises(NoticeError, match="应以“留置送达”"):
            serve_notice(s, nid, served_on=DAY, method="直接送达", refused=True)
        info = serve_notice(s, nid, served_on=DAY, method="直接送达", recipient="王经理")
        assert info.status == "served"


def test_a_recheck_without_a_reserved_block_is_refused(db: Database) -> None:
    with db.session() as s:
        setup_org(s, year=2026)
        nid = issue_all(s, failed_inspection(s, fails=FXN_FAILS), HRSS)[0]
        serve_notice(s, nid, served_on=DAY, method="直接送达")
        with pytest.raises(NumberingError, match="复查"):
            record_recheck(s, nid, checked_on=date(2027, 1, 5), inspectors=OFFICERS,
                           passed=True)  # no 2027 block
    assert notice_types().recheck_suffix == "复查"


def test_a_measured_value_the_note_already_states_is_not_stated_twice() -> None:
    item = next(i for i in checklist().items if i.answer.type == "measure")
    unit = item.answer.unit or ""
    said = problem_text(item, Finding(result=FAIL, note=f"现场测量，实测8.5{unit}，不足",
                                      value_number=8.5, value_text=None))
    assert said.count(f"8.5{unit}") == 1
    bare = problem_text(item, Finding(result=FAIL, note="现场查看", value_number=8.5,
                                      value_text=None))
    assert f"8.5{unit}" in bare and "现场查看" in bare


@pytest.mark.parametrize(("note", "problem"), [
    ("经查阅资料，基本符合要求，但推进台账不完整。", "经查阅资料，推进台账不完整。"),
    ("已按规定执行，但个别人员未能足额落实", "个别人员未能足额落实。"),
    ("经现场查看，已公示，但内容不完整", "经现场查看，已公示，但内容不完整。"),
])
def test_a_partly_met_item_states_what_falls_short_without_a_verdict_against_it(
        note: str, problem: str) -> None:
    """A notice lists problems: 基本符合要求 before one would contradict it."""
    from rules.inspection_status import PARTIAL

    item = next(i for i in checklist().items if i.code == "FXM-A01")
    assert problem_text(item, Finding(result=PARTIAL, note=note, value_number=None,
                                      value_text=None)) == problem


@pytest.mark.parametrize("question, wanted", [
    ("政府规划建设的该公共设施是否配备了母婴室？", "政府规划建设的该公共设施应配备母婴室"),
    ("是否已落实消防安全责任制？", "应落实消防安全责任制"),
    ("工作人员是否了解疏散路线？", "工作人员应了解疏散路线"),
    ("是否未设置在地下、未设置在半地下？", "不得设置在地下、设置在半地下"),
    ("女职工生育，是否享受了60天的延长产假（生育奖励假）（天数待核）？",
     "女职工生育，应享受60天的延长产假（生育奖励假）"),
])
def test_a_requirement_reads_as_a_requirement_with_no_verification_note(
        question: str, wanted: str) -> None:
    assert requirement_text(question) == wanted


@given(st.text(alphabet="是否了已配备母婴室（）待核天数，。", max_size=30))
def test_a_requirement_never_asks_and_never_carries_a_verification_note(question: str) -> None:
    text = requirement_text(question + "？")
    assert "？" not in text and "?" not in text
    assert VERIFICATION_NOTE.search(text) is None


@given(passed=st.booleans(), checked=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
       deadline=st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
       is_order=st.booleans(), later=st.integers(0, 400))
def test_only_an_order_failed_before_its_deadline_keeps_its_period(
        passed: bool, checked: date, deadline: date | None, is_order: bool,
        later: int) -> None:
    """The status a failed recheck leaves is never overdue while the period it keeps runs,
    and is overdue once it has passed; after the deadline a failed order awaits action."""
    from datetime import timedelta

    within = failed_within_period(passed, checked, deadline, is_order=is_order)
    assert within == (is_order and not passed and deadline is not None and checked < deadline)
    if within:
        assert deadline is not None
        status = SERVED
        assert not is_overdue(status, deadline, checked, is_order=True)
        assert not is_overdue(status, deadline, deadline, is_order=True)
        assert is_overdue(status, deadline, deadline + timedelta(days=1 + later), is_order=True)
    elif is_order and not passed:
        assert is_overdue(FAILED, deadline, checked + timedelta(days=later), is_order=True)
