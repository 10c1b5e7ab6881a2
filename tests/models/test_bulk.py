"""Rows written in bulk (the path an import and the demo fill share) are stored exactly as the
ORM stores them, through the driver's executemany or, for a driver that takes named
parameters, through SQLAlchemy Core."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

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
