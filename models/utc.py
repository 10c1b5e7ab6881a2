"""Times in the database are UTC.

SQLite keeps no time zone: SQLAlchemy writes an aware datetime's wall clock and drops the zone,
and reads back a naive value. Every time the inspection records store goes through
:func:`to_utc` on the way in and :func:`from_db` on the way out, so a time taken on a laptop
set to 北京时间 reads back as the same instant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from rules.china_time import from_wall_clock


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is a wall-clock reading in 北京时间."""
    return from_wall_clock(value).astimezone(UTC)


def from_db(value: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the UTC offset, or None."""
    aware = from_db(value)
    return aware.isoformat() if aware is not None else None


class UtcDateTime(TypeDecorator[datetime]):
    """A DateTime column that stores UTC and reads back aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if dialect.name != "sqlite":  # timestamptz: the instant, whatever the session's zone
            return to_utc(value)
        return to_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return from_db(value)
