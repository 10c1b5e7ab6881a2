"""Deadlines on the Chinese calendar: 春节 2026 with its make-up Saturdays, calendar-day
deadlines moved off rest days, and a clear note where 调休 is not yet published."""

from __future__ import annotations

from datetime import date

import pytest

from rules.workdays import (
    add_working_days,
    count_deadline,
    is_working_day,
    schedule_published,
    working_days_between,
)


def test_spring_festival_2026_and_its_make_up_saturdays() -> None:
    assert is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert is_working_day(date(2026, 2, 28))  # Saturday, 调休上班
    assert not any(is_working_day(date(2026, 2, d)) for d in range(15, 24))  # 春节假期
    assert not is_working_day(date(2026, 2, 21))  # an ordinary Saturday inside the break


def test_working_day_deadline_across_spring_festival() -> None:
    # served Thu 12 Feb: 13 (Fri), 14 (make-up Sat), then the break, 24, 25, 26
    got = count_deadline(date(2026, 2, 12), "working", 5)
    assert (got.due, got.note) == (date(2026, 2, 26), None)
    # the make-up Saturday 28 Feb counts: served Wed 25 Feb, 3 working days → 26, 27, 28
    assert add_working_days(date(2026, 2, 25), 3) == date(2026, 2, 28)
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 26)) == 5


def test_calendar_deadline_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    got = count_deadline(date(2026, 2, 5), "calendar", 10)
    assert got.due == date(2026, 2, 24)
    assert got.note == "期限末日2026年2月15日为休息日，顺延至2026年2月24日"
    assert count_deadline(date(2026, 3, 2), "calendar", 10).due == date(2026, 3, 12)


def test_immediate_and_open_ended_deadlines() -> None:
    assert count_deadline(date(2026, 3, 2), "immediate", 0).due == date(2026, 3, 2)
    assert count_deadline(date(2026, 3, 2), "none", 0).due is None
    with pytest.raises(ValueError, match="未知"):
        count_deadline(date(2026, 3, 2), "lunar", 3)


def test_unpublished_adjustments_are_flagged_not_hidden() -> None:
    assert schedule_published(2026)
    assert not schedule_published(2030)
    got = count_deadline(date(2030, 3, 4), "working", 10)
    assert got.due == date(2030, 3, 18)
    assert got.note is not None and "2030年调休安排尚未公布" in got.note
