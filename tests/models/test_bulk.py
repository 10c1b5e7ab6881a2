"""Rows written in bulk (the path an import and the demo fill share) are stored exactly as the
ORM stores them, through the driver's executemany or, for a driver that takes named
parameters, through SQLAlchemy Core."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import models.bulk
from models.bulk import BulkInserter
from models.db import Database
from models.registry import Entity

# How the rows are stored in the SQLite file itself; on a server the same path is exercised
# by every import (tests/sync on PostgreSQL).
pytestmark = pytest.mark.sqlite_only

WHEN = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)  # on the whole second
COLUMNS = ("name", "type_code", "facts", "credit_code", "address", "region_code",
           "contact_name", "contact_phone", "demo", "created_at", "uuid", "sync_rev",
           "updated_at", "device_id", "sync_vv")


def _values(n: int, facts: dict[str, Any]) -> dict[str, Any]:
    return {"name": f"单位{n}", "type_code": "employer", "facts": facts, "credit_code": None,
            "address": "中宁县", "region_code": "640521", "contact_name": None,
            "contact_phone": None, "demo": n % 2 == 0, "created_at": WHEN,
            "uuid": f"00000000-0000-4000-8000-{n:012d}", "sync_rev": 1,
            "updated_at": WHEN + timedelta(microseconds=n * 250_000), "device_id": "d1",
            "sync_vv": {"d1": n}}


def _stored(db: Database) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute(f"SELECT {', '.join(COLUMNS)} FROM entities ORDER BY uuid").fetchall()
    finally:
        conn.close()


def _by_orm(db: Database, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    with db.session() as s:
        s.add_all(Entity(**row) for row in rows)
    stored = _stored(db)
    with db.session() as s:
        s.query(Entity).delete()
    return stored


@pytest.mark.parametrize("core", [False, True], ids=["driver", "core"])
def test_bulk_rows_are_stored_as_the_orm_stores_them(db: Database, core: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shared = {"employees": 120, "女职工": 60}  # one object in many rows: encoded once
    rows = [_values(n, shared if n % 2 else {"employees": n}) for n in range(1, 8)]
    expected = _by_orm(db, rows)
    if core:  # what a driver with named parameters (PostgreSQL's) goes through
        monkeypatch.setattr(models.bulk, "_plan", lambda *args: None)
    bulk = BulkInserter()
    with db.session() as s:
        bulk.insert(s.connection(), Entity.__table__, rows[:3])
        bulk.insert(s.connection(), Entity.__table__, rows[3:])
        bulk.insert(s.connection(), Entity.__table__, [])
    stored = _stored(db)
    assert stored == expected
    assert stored[0][COLUMNS.index("created_at")] == "2026-03-10 01:30:00.000000"
    with db.session() as s:
        read = s.get(Entity, s.query(Entity.id).filter_by(uuid=rows[0]["uuid"]).scalar())
        assert read is not None and read.facts == shared and read.demo is False
        assert read.created_at == WHEN


@given(offsets=st.lists(st.integers(-3, 3), min_size=1, max_size=6),
       zones=st.lists(st.sampled_from((UTC, timezone(timedelta(hours=8)))), min_size=6,
                      max_size=6))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_time_several_columns_hold_is_stored_in_each_as_the_orm_stores_it(
        db: Database, offsets: list[int], zones: list[timezone]) -> None:
    rows = []
    for n, offset in enumerate(offsets):
        when = (WHEN + timedelta(hours=offset, microseconds=n)).astimezone(zones[n])
        row = _values(n, {})
        # the same object in both columns, or equal times given as two objects
        row["created_at"], row["updated_at"] = when, when if n % 2 else when + timedelta(0)
        rows.append(row)
    rows.append({**_values(len(rows), {}), "created_at": rows[0]["updated_at"]})
    expected = _by_orm(db, rows)
    with db.session() as s:
        BulkInserter().insert(s.connection(), Entity.__table__, rows)
    try:
        assert _stored(db) == expected
    finally:
        with db.session() as s:
            s.query(Entity).delete()


@pytest.mark.parametrize("kept", [1, 1000], ids=["cleared", "kept"])
def test_times_written_in_earlier_calls_are_written_alike_in_later_ones(
        db: Database, kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text of a time is kept across calls (cleared past a bound): equal instants given
    as other objects in later calls, and other instants, are stored as the ORM stores them."""
    monkeypatch.setattr(models.bulk, "TIME_TEXTS", kept)
    rows = [_values(n, {}) for n in range(9)]
    for n, row in enumerate(rows):
        row["created_at"] = WHEN + timedelta(minutes=n % 3)  # a new object, an earlier instant
    expected = _by_orm(db, rows)
    bulk = BulkInserter()
    with db.session() as s:
        for start in range(0, 9, 3):
            bulk.insert(s.connection(), Entity.__table__, rows[start:start + 3])
    assert _stored(db) == expected


@pytest.mark.parametrize("core", [False, True], ids=["driver", "core"])
def test_rows_given_as_tuples_with_their_names_are_stored_as_dicts_are(
        db: Database, core: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = {"employees": 120}
    rows = [_values(n, shared if n % 2 else {"employees": n}) for n in range(1, 6)]
    expected = _by_orm(db, rows)
    if core:
        monkeypatch.setattr(models.bulk, "_plan", lambda *args: None)
    names = tuple(reversed(COLUMNS))  # any order the writer likes
    bulk = BulkInserter()
    with db.session() as s:
        bulk.insert(s.connection(), Entity.__table__,
                    [tuple(row[n] for n in names) for row in rows], names)
    assert _stored(db) == expected
    with db.session() as s, pytest.raises(ValueError, match="15"):
        bulk.insert(s.connection(), Entity.__table__, [("单位",)], names)


def test_one_statement_is_compiled_per_table_and_columns(db: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plans: list[tuple[str, ...]] = []
    plan = models.bulk._plan
    monkeypatch.setattr(models.bulk, "_plan",
                        lambda c, t, names: plans.append(names) or plan(c, t, names))
    bulk = BulkInserter()
    with db.session() as s:
        for n in range(3):
            bulk.insert(s.connection(), Entity.__table__, [_values(n, {})])
    assert len(plans) == 1 and len(_stored(db)) == 3


def test_rows_without_a_column_the_table_fills_by_default_are_refused(db: Database) -> None:
    row = _values(1, {})
    del row["uuid"]
    with db.session() as s, pytest.raises(ValueError, match="uuid"):
        BulkInserter().insert(s.connection(), Entity.__table__, [row])


_TIMES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                      timezones=st.none() | st.just(UTC)
                      | st.builds(timezone, st.integers(-14 * 60, 14 * 60).map(
                          lambda m: timedelta(minutes=m))))


@given(value=_TIMES | st.dates())
def test_time_columns_are_written_as_their_own_processor_writes_them(value: Any) -> None:
    from sqlalchemy import DateTime
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from models.utc import UtcDateTime

    dialect = sqlite_dialect.dialect()
    for column_type in (UtcDateTime(), DateTime(timezone=True), DateTime()):
        own = column_type.dialect_impl(dialect).bind_processor(dialect)
        quick = models.bulk._quicker_time(column_type, dialect, own)
        assert quick is not own  # the quicker path is taken for these columns
        if isinstance(column_type, UtcDateTime) and not isinstance(value, datetime):
            continue  # a UTC time column takes times only
        assert quick(value) == own(value)


@given(bits=st.integers(0, (1 << 128) - 1), salt=st.integers(0, (1 << 128) - 1))
def test_demo_uuids_read_as_the_uuid_module_writes_them(bits: int, salt: int) -> None:
    import random
    import uuid

    from services.demo.inspections import IdMaker

    maker = IdMaker.__new__(IdMaker)
    maker.rng = random.Random()
    maker.rng.getrandbits = lambda _n: bits  # type: ignore[method-assign]
    maker._salt = salt
    assert maker.uuid() == str(uuid.UUID(int=bits ^ salt, version=4))


@given(seed=st.integers(0, 2**32), n=st.integers(0, 40), salt=st.integers(0, 2**128 - 1))
def test_demo_uuids_made_at_once_are_those_made_one_by_one(seed: int, n: int,
                                                          salt: int) -> None:
    import random

    from services.demo.inspections import IdMaker

    def maker() -> IdMaker:
        made = IdMaker.__new__(IdMaker)
        made.rng, made._salt, made._masks = random.Random(seed), salt, {}
        return made

    one_by_one, at_once = maker(), maker()
    assert at_once.uuids(n) == [one_by_one.uuid() for _ in range(n)]
    assert at_once.uuid() == one_by_one.uuid()  # and the generator is where it would be


def test_bulk_work_collects_less_often_and_gives_the_thresholds_back() -> None:
    import gc
    import threading

    from models.bulk import BULK_GC_THRESHOLD, bulk_work

    before = gc.get_threshold()
    entered, release = threading.Event(), threading.Event()

    def other() -> None:  # a second scope in another thread, ending after the first
        with bulk_work():
            entered.set()
            release.wait(10)

    with bulk_work():
        inside = gc.get_threshold()
        worker = threading.Thread(target=other)
        worker.start()
        assert entered.wait(10)
    assert gc.get_threshold() == inside  # the other scope is still open
    release.set()
    worker.join(10)
    assert gc.get_threshold() == before
    assert all(i >= b for i, b in zip(inside, BULK_GC_THRESHOLD, strict=True))
    assert gc.isenabled()

    @bulk_work()
    def fails() -> None:
        raise RuntimeError("中断")

    with pytest.raises(RuntimeError):
        fails()
    assert gc.get_threshold() == before


_JSON_SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) \
    | st.sampled_from(("", "a", "设备"))


@given(values=st.lists(
    st.none() | st.dictionaries(st.sampled_from(("a", "b", "设备")), _JSON_SCALARS, max_size=3)
    | st.lists(_JSON_SCALARS, max_size=3) | st.dictionaries(st.just("n"), st.lists(
        _JSON_SCALARS, max_size=2), max_size=1), max_size=12))
def test_json_values_written_once_per_value_are_written_as_each_alone(
        values: list[Any]) -> None:
    import json

    shared = values + values[::-1]  # each object again, as rows share one dict
    assert models.bulk._shared_once(shared, json.dumps) == [
        None if v is None else json.dumps(v) for v in shared]
