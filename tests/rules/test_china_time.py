"""北京时间 for every printed and shown time, and for times a person enters."""

from __future__ import annotations

from datetime import UTC, datetime

from models.utc import to_utc
from rules.china_time import CHINA, beijing, beijing_date, from_wall_clock, wall_clock


def test_a_stored_utc_time_reads_as_beijing_time() -> None:
    stored = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    assert beijing(stored).hour == 9 and beijing(stored).tzinfo == CHINA
    assert beijing(datetime(2026, 3, 10, 1, 30)).hour == 9  # naive: stored UTC
    assert beijing_date(datetime(2026, 3, 9, 17, 0, tzinfo=UTC)).day == 10  # past midnight
    assert wall_clock(stored) == datetime(2026, 3, 10, 9, 30)


def test_an_entered_wall_clock_time_is_beijing_time() -> None:
    entered = datetime(2026, 3, 10, 9, 30)
    assert from_wall_clock(entered).utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert to_utc(entered) == datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    assert to_utc(datetime(2026, 3, 10, 1, 30, tzinfo=UTC)).hour == 1
