"""北京时间: the time every printed document, screen and export shows.

Times are stored in UTC. Officials read and write them in China Standard Time (UTC+8, no
daylight saving), whatever time zone the laptop happens to be set to: an inspection begun at
09:00 prints as 09:00 on a computer set to UTC as well.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "北京时间")


def beijing(value: datetime) -> datetime:
    """An instant in 北京时间. A naive value is a stored UTC time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA)


def beijing_date(value: datetime) -> date:
    """The calendar day in China of an instant."""
    return beijing(value).date()


def from_wall_clock(value: datetime) -> datetime:
    """A time a person entered (a naive wall-clock reading) as the instant it means in China;
    an aware value is kept as it is."""
    return value.replace(tzinfo=CHINA) if value.tzinfo is None else value


def wall_clock(value: datetime) -> datetime:
    """The naive 北京时间 reading of an instant, for widgets and spreadsheets that keep none."""
    return beijing(value).replace(tzinfo=None)


def today() -> date:
    """Today's date in China (after 16:00 UTC it is already tomorrow there)."""
    return datetime.now(CHINA).date()


def chinese_date(value: date) -> str:
    """A day as official text writes it: 2026年3月5日."""
    return f"{value.year}年{value.month}月{value.day}日"
