"""A reported order whose recheck is past its time limit (复查超期) is the office's lapse: the
board, ``notices --json`` and the 督查通报 say so; and a 通报 names the problems still standing
that no 整改文书 names."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from models.db import Database
from reports.data import ReportSelection, load_summary
from reports.summary import build_summary_pdf
from services.notice_queries import (
    RECHECK_LATE,
    as_json,
    get_notice,
    list_notices,
    recheck_due,
    recheck_window,
)
from tests.reports.pdf_checks import flat, page_texts
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.reports.test_summary import reserve_every_kind
from tests.services.inspection_fixtures import new_entity


def _reported(db: Database, tmp_path: Path) -> tuple[int, date]:
    """A unit's served order, reported on; the day its recheck falls due."""
    from services.notices import submit_report

    setup_org(db)
    reserve_every_kind(db)
    with db.session() as s:
        unit = new_entity(s, "中宁县某托育园", region_code="640521")
    made = full_inspection(db, db.evidence_root, tmp_path, photos=0, entity_id=unit)
    ids = issue_all(db, made, issued_on=date(2026, 3, 10), served_on=date(2026, 3, 11))
    with db.session() as s:
        order = next(i for i in ids if get_notice(s, i).is_order
                     and not get_notice(s, i).is_referral and get_notice(s, i).deadline)
        submit_report(s, order, received_on=date(2026, 3, 20), summary="已整改",
                      submitted_by="王经理")
        deadline = get_notice(s, order).deadline
        assert deadline is not None
        due = recheck_due(deadline, recheck_window(s))
    assert due is not None
    return order, due


def test_a_recheck_past_its_time_limit_is_flagged_on_the_board_and_in_json(
        db: Database, tmp_path: Path) -> None:
    from gui.models.notices import remaining_text

    order, due = _reported(db, tmp_path)
    with db.session() as s:
        n = next(x for x in list_notices(s, status="all") if x.id == order)
    assert n.recheck_due == due
    on_time, late = due, due + timedelta(days=30)
    assert n.recheck_days_late(on_time) is None
    assert n.board_label(on_time) == "待复查"
    assert remaining_text(n, on_time) == "今天须复查"
    assert remaining_text(n, due - timedelta(days=3)) == "复查剩 3 天"
    assert n.recheck_days_late(late) == 30
    assert n.board_label(late) == RECHECK_LATE
    assert remaining_text(n, late) == "复查超期 30 天"
    assert not n.is_overdue(late)  # the unit reported in time: it is not the unit's lapse
    data = as_json(n, late)
    assert data["recheck_due"] == due.isoformat() and data["recheck_days_late"] == 30
    # the board's 复查超期 filter (in SQL) agrees with the notice, day by day around the limit
    with db.session() as s:
        for offset in range(-5, 6):
            day = due + timedelta(days=offset)
            listed = [x.id for x in list_notices(s, status="recheck_late", as_of=day)]
            assert (order in listed) == (n.recheck_days_late(day) is not None), day
    from services.dashboard import dashboard

    with db.session() as s:  # 总览 counts it beside, not among, the units' overdue notices
        assert dashboard(s, as_of=late).late_rechecks == 1
        assert dashboard(s, as_of=on_time).late_rechecks == 0


def test_the_summary_marks_a_late_recheck_and_names_problems_no_notice_names(
        db: Database, tmp_path: Path) -> None:
    _order, due = _reported(db, tmp_path)
    with db.session() as s:
        unit = new_entity(s, "沙坡头区某商场", region_code="640502")
    full_inspection(db, db.evidence_root, tmp_path, photos=0, entity_id=unit)  # no notice
    late = due + timedelta(days=10)
    out = tmp_path / "summary.pdf"
    with db.session() as s:
        data = load_summary(s, ReportSelection(), as_of=late)
        build_summary_pdf(s, ReportSelection(), out, as_of=late)
    (row,) = [u for u in data.open_units if u.entity_name == "中宁县某托育园"]
    assert row.recheck_late and not row.overdue
    problems, units = data.unnoticed
    assert units == 1 and problems > 0  # the 商场's problems, none of them in a notice
    whole = flat("".join(page_texts(out)))
    assert "（复查超期）" in whole and "注：复查超期：单位已报送整改报告" in whole
    assert f"另有1个单位的{problems}项问题" in whole
    with db.session() as s:
        on_time = load_summary(s, ReportSelection(), as_of=due)
    assert not any(u.recheck_late for u in on_time.open_units)


@settings(max_examples=200, deadline=None)
@given(as_of=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
       window=st.integers(min_value=1, max_value=30))
def test_the_cutoff_divides_late_rechecks_from_those_still_in_time(as_of: date,
                                                                   window: int) -> None:
    from services.notice_queries import late_recheck_cutoff

    cutoff = late_recheck_cutoff(as_of, window)
    late = recheck_due(cutoff, window)
    in_time = recheck_due(cutoff + timedelta(days=1), window)
    assert late is not None and late < as_of
    assert in_time is not None and in_time >= as_of
