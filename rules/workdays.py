"""Working days and rectification deadlines on the Chinese calendar (``holidays.China``).

The holiday package knows each year's 法定节假日 and, once the State Council has published it,
the year's 调休 (weekend days made working days, and the days off they pay for). For a year
whose 调休 schedule the installed package does not know yet, working days are estimated from
weekends and the statutory holidays alone; :func:`count_deadline` then says so in its note, so
that nobody takes an estimate for a settled date.

Deadlines run from 送达: the day of service is not counted. A calendar-day deadline whose last
day is a rest day moves to the next working day; a working-day deadline is the N-th working day
after service; an immediate one is the day of service itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from rules.china_time import chinese_date

IMMEDIATE, CALENDAR, WORKING, NONE = "immediate", "calendar", "working", "none"
MODES = (IMMEDIATE, CALENDAR, WORKING, NONE)
MODE_LABELS = {IMMEDIATE: "立即", CALENDAR: "自然日", WORKING: "工作日", NONE: "无期限"}


@dataclass(frozen=True)
class Deadline:
    due: date | None
    note: str | None  # Chinese: an estimate, or a deadline moved off a rest day


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    cal: holidays.HolidayBase = holidays.country_holidays("CN", years=year)
    return cal


@cache
def schedule_published(year: int) -> bool:
    """Whether the installed holiday data holds this year's 调休 schedule."""
    cal = _calendar(year)
    workdays: set[date] = getattr(cal, "weekend_workdays", set())
    if any(d.year == year for d in workdays):
        return True
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return year <= max(ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError, ValueError):
        return False


@cache
def is_working_day(day: date) -> bool:
    """A working day in mainland China, make-up Saturdays and Sundays (调休上班) included."""
    return bool(_calendar(day.year).is_working_day(day))


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted)."""
    if n < 0:
        raise ValueError("工作日天数不能为负数")
    day, left = start, n
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=i)))


def count_deadline(served_on: date, mode: str, days: int) -> Deadline:
    """The last day to rectify, counted from the day of 送达, with a Chinese note if needed."""
    if mode not in MODES:
        raise ValueError(f"未知的期限计算方式：{mode}")
    if mode == NONE:
        return Deadline(None, None)
    if mode == IMMEDIATE:
        return Deadline(served_on, None)
    notes: list[str] = []
    if mode == WORKING:
        due = add_working_days(served_on, days)
    else:
        end = served_on + timedelta(days=days)
        due = next_working_day(end)
        if due != end:
            notes.append(f"期限末日{chinese_date(end)}为休息日，顺延至{chinese_date(due)}")
    years = range(served_on.year, due.year + 1)
    unknown = [y for y in years if not schedule_published(y)]
    if unknown:
        notes.append("、".join(f"{y}年" for y in unknown)
                     + "调休安排尚未公布（或本机节假日数据未更新），期限按周末和法定节日推算，"
                     "公布后请核对")
    return Deadline(due, "；".join(notes) or None)
