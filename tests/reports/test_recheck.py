"""复查意见书: printed from a real recheck, passed and failed, as PDF and Word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reports.notice_data import RecheckData, RecheckItem
from reports.notice_wording import NoticeDataError
from reports.recheck import build_recheck_docx, build_recheck_pdf, compose_recheck
from rules.china_time import today as china_today
from tests.reports.notice_fixtures import (
    add_recheck,
    docx_text,
    embedded_fonts,
    issued_notice,
    notice_data,
    pdf_text,
    qpdf_ok,
    stored_notice,
)


def test_passed_recheck_closes_the_notice(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session)
        add_recheck(session, notice_id, passed=True)
        result = build_recheck_pdf(session, notice_id, tmp_path / "r.pdf")
        build_recheck_docx(session, notice_id, tmp_path / "r.docx")
    text = pdf_text(tmp_path / "r.pdf")
    assert result.pages >= 2
    assert "复查意见书" in text and "中宁卫限改〔2026〕第7号" in text
    assert "（复查）" not in text  # never the notice's number with a suffix
    assert "本机关于2026年3月2日向你单位送达责令限期改正通知书" in text
    assert "2026年3月20日" in text
    assert text.count("已整改") >= 2
    assert "予以销号" in text
    assert "送达回证" in text and "受送达人签收" in text
    assert all(embedded for name, embedded in embedded_fonts(tmp_path / "r.pdf")
               if "WenQuanYi" in name)
    assert qpdf_ok(tmp_path / "r.pdf")
    word = docx_text(tmp_path / "r.docx")
    assert "复查意见书" in word and "予以销号" in word and "现场复查" in word


def test_failed_recheck_names_the_open_items(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session)
        add_recheck(session, notice_id, passed=False)
        build_recheck_pdf(session, notice_id, tmp_path / "f.pdf")
    text = pdf_text(tmp_path / "f.pdf")
    assert "未整改" in text and "第2项问题仍未整改到位" in text
    assert "予以销号" not in text
    # other_deadline has no verified escalation basis: the next step in general terms
    assert "本机关将依法立案调查或移送有关部门处理" in text
    assert "复查意见：第2项仍未整改" in text


def test_an_order_found_short_before_its_deadline_is_to_be_finished_within_it(
        db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Rechecked on the unit's early report, before the deadline: the unit still has the rest
    of its period, so the document sets no case in motion; it names the deadline and says
    what follows if that passes."""
    with db.session() as session:
        notice_id = stored_notice(session)  # deadline 2026-03-17
        add_recheck(session, notice_id, passed=False, checked_on=date(2026, 3, 10))
        build_recheck_pdf(session, notice_id, tmp_path / "e.pdf")
        build_recheck_docx(session, notice_id, tmp_path / "e.docx")
    for text in (pdf_text(tmp_path / "e.pdf"), docx_text(tmp_path / "e.docx")):
        assert "第2项问题仍未整改到位" in text
        assert "整改期限尚未届满，请你单位在2026年3月17日前继续整改到位" in text
        assert "逾期不改正的，本机关将依法处理" in text
        assert "立案" not in text and "移送" not in text


def test_a_supervision_order_short_before_its_deadline_keeps_that_deadline(db) -> None:  # type: ignore[no-untyped-def]
    from reports.notice_data import load_recheck

    with db.session() as session:
        notice_id = stored_notice(session, title="督办通知", kind_code="supervision_order",
                                  number="中宁督办〔2026〕7号")
        add_recheck(session, notice_id, passed=False, checked_on=date(2026, 3, 10))
        early = load_recheck(session, notice_id)
        add_recheck(session, notice_id, passed=False, checked_on=date(2026, 3, 20))
        late = load_recheck(session, notice_id)
    assert early.within_deadline == early.next_deadline == date(2026, 3, 17)
    assert late.within_deadline is None and late.next_deadline is not None
    assert late.next_deadline > date(2026, 3, 20)


def test_notice_not_yet_rechecked_is_refused_in_chinese(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session)
        with pytest.raises(NoticeDataError, match="尚未复查"):
            build_recheck_pdf(session, notice_id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_advice_follow_up_orders_nothing(tmp_path: Path) -> None:
    data = RecheckData(notice_data("advice"), "中宁卫建议〔2026〕第3号", date(2026, 4, 1),
                       (RecheckItem("MY-09", "是否配备婴儿床？", "配备婴儿床。", "未整改"),),
                       conclusion="failed", follow_up="立案")
    build_recheck_pdf(data, None, tmp_path / "a.pdf")
    build_recheck_docx(data, None, tmp_path / "a.docx")
    for text in (pdf_text(tmp_path / "a.pdf"), docx_text(tmp_path / "a.docx")):
        assert "回访" in text
        assert "责令" not in text and "立案" not in text and "处理" not in text


def test_recheck_recorded_through_the_services(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from models.rectification import NoticeItem
    from services.notice_loop import record_recheck, submit_report

    with db.session() as session:
        notice_id = issued_notice(session)
        from checklists.notice_types import notice_types
        from services.numbering import reserve_block

        suffix = getattr(notice_types(), "recheck_suffix", None)
        if suffix:  # 复查意见书 take their own numbers
            reserve_block(session, suffix=suffix, year=china_today().year, start=1, end=9)
        submit_report(session, notice_id, received_on=china_today(), summary="已整改")
        items = session.scalars(select(NoticeItem).where(NoticeItem.notice_id == notice_id)
                                .order_by(NoticeItem.position)).all()
        results = {i.id: ("不符合" if n == 0 else "符合") for n, i in enumerate(items)}
        record_recheck(session, notice_id, checked_on=china_today(),
                       inspectors=["检查员1", "检查员2"], passed=False, note="第1项仍未整改",
                       item_results=results)
        build_recheck_pdf(session, notice_id, tmp_path / "s.pdf")
        build_recheck_docx(session, notice_id, tmp_path / "s.docx")
    for text in (pdf_text(tmp_path / "s.pdf"), docx_text(tmp_path / "s.docx")):
        assert "复查意见书" in text and "第1项问题仍未整改到位" in text
        assert "（复查）" not in text
        assert text.count("已整改") >= len(items) - 1 and "未整改" in text
        assert "复查意见：第1项仍未整改" in text


def _one(family: str, outcome: str = "未整改", **changes: object) -> RecheckData:
    item = RecheckItem("XF-12", "二楼东侧安全出口被杂物堵塞", "清理杂物，保持畅通。", outcome)
    base = dict(notice=notice_data(family), number="中宁卫复查〔2026〕第5号",
                rechecked_on=date(2026, 4, 1), items=(item,), conclusion="failed")
    return RecheckData(**{**base, **changes})  # type: ignore[arg-type]


def test_a_single_failed_item_is_named_in_the_singular_with_the_verified_basis(
        tmp_path: Path) -> None:
    data = _one("order", escalation_basis=("《中华人民共和国消防法》第六十条第一款第（七）项",))
    build_recheck_pdf(data, None, tmp_path / "o.pdf")
    build_recheck_docx(data, None, tmp_path / "o.docx")
    for text in (pdf_text(tmp_path / "o.pdf"), docx_text(tmp_path / "o.docx")):
        assert "经复查，该问题仍未整改到位。" in text
        assert "第1项" not in text and "上述" not in text.split("经复查")[-1][:20]
        assert ("本机关将依照《中华人民共和国消防法》第六十条第一款第（七）项的规定依法处理"
                in text)
        assert "中宁卫复查〔2026〕第5号" in text and "（复查）" not in text


def test_every_item_open_says_all_of_them(tmp_path: Path) -> None:
    items = tuple(RecheckItem(f"X{n}", f"问题{n}", "整改。", "未整改") for n in range(3))
    build_recheck_pdf(_one("health", items=items), None, tmp_path / "h.pdf")
    text = pdf_text(tmp_path / "h.pdf")
    assert "上述3项问题均未整改到位" in text
    assert "本机关将依法立案调查或移送有关部门处理" in text


@pytest.mark.parametrize("family", ["supervise", "feedback", "advice"])
def test_supervision_and_advice_ask_to_continue_by_a_date(family: str, tmp_path: Path) -> None:
    data = _one(family, next_deadline=date(2026, 4, 30))
    build_recheck_pdf(data, None, tmp_path / "s.pdf")
    text = pdf_text(tmp_path / "s.pdf")
    assert "于2026年4月30日前继续整改" in text and "书面反馈" in text
    assert "立案" not in text and "责令" not in text


def test_recheck_number_comes_from_the_recheck(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from models.rectification import Recheck

    with db.session() as session:
        notice_id = stored_notice(session)
        add_recheck(session, notice_id, passed=True)
        row = session.scalars(select(Recheck).where(Recheck.notice_id == notice_id)).one()
        row.doc_number = "中宁卫复查〔2026〕第9号"
        session.flush()
        build_recheck_pdf(session, notice_id, tmp_path / "n.pdf")
    text = pdf_text(tmp_path / "n.pdf")
    assert "中宁卫复查〔2026〕第9号" in text and "（复查）" not in text


def test_a_referral_has_no_recheck() -> None:
    with pytest.raises(NoticeDataError, match="不出具复查意见书"):
        compose_recheck(_one("referral"))


def test_the_recheck_dates_the_notice_by_its_service_and_says_a_verdict_once(
        tmp_path: Path) -> None:
    from reports.notice_data import Service

    served = notice_data("order", issued_on=date(2026, 3, 2),
                         service=Service(served_on=date(2026, 3, 5), method="直接送达"))
    data = _one("order", notice=served, opinion="所列问题仍未整改到位")
    build_recheck_pdf(data, None, tmp_path / "o.pdf")
    text = pdf_text(tmp_path / "o.pdf")
    assert "本机关于2026年3月5日向你单位送达" in text
    assert "复查意见：" not in text and text.count("仍未整改到位") == 1
    said = _one("order", notice=served, opinion="整改报告所附照片与现场不符")
    build_recheck_pdf(said, None, tmp_path / "p.pdf")
    assert "复查意见：整改报告所附照片与现场不符。" in pdf_text(tmp_path / "p.pdf")
    # an opinion that says in its own words that the problem remains is not said twice over
    remains = _one("order", notice=served,
                   opinion="整改报告所述措施现场核实未落实，有关问题依然存在")
    build_recheck_pdf(remains, None, tmp_path / "q.pdf")
    text = pdf_text(tmp_path / "q.pdf")
    assert "复查意见：整改报告所述措施现场核实未落实，有关问题依然存在。" in text
    assert "仍未整改到位" not in text


@pytest.mark.parametrize("family", ["supervise", "feedback"])
def test_a_supervision_recheck_names_no_enforcement_certificates(family: str,
                                                                 tmp_path: Path) -> None:
    data = _one(family, next_deadline=date(2026, 4, 30))
    build_recheck_pdf(data, None, tmp_path / "s.pdf")
    build_recheck_docx(data, None, tmp_path / "s.docx")
    for text in (pdf_text(tmp_path / "s.pdf"), docx_text(tmp_path / "s.docx")):
        assert "执法证号" not in text and "单位：中宁县卫生健康局" in text
    build_recheck_pdf(_one("order"), None, tmp_path / "o.pdf")
    assert "执法证号：ZF-640521-001" in pdf_text(tmp_path / "o.pdf")
