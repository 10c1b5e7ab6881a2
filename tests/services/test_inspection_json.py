"""The inspections list written as JSON by SQLite is the list Python writes, object for object.

``inspections --json`` on a SQLite file has SQLite write each row's object
(:mod:`services.inspection_json`); ``--pretty``, a server and the GUI go through
:func:`services.inspection_lifecycle.list_inspections` and :func:`cli.inspections.as_json`.
These tests compare the two over the demo data (amended versions, every status, demo rows),
over every released schema's frozen database once upgraded, and over rows hypothesis makes
awkward: names with quotes, backslashes, control characters and characters outside the BMP;
times with and without microseconds; every mix of counts.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

import services.inspection_json as inspection_json
from cli.inspections import as_json
from models.db import Database, open_database, open_for_reading
from models.inspection import Inspection, InspectionCounts
from models.registry import Entity
from rules.inspection_status import COMPLETED, SIGNED, STATUS_LABELS
from services.catalog_store import ensure_bundled_catalog
from services.inspection_lifecycle import list_inspections
from tests.conftest import ROOT
from tests.services.inspection_fixtures import new_entity, new_inspection

FROZEN = sorted((ROOT / "tests" / "data" / "db").glob("schema-*.sqlite"))
FILTERS = [(status, current) for status in (None, *sorted(STATUS_LABELS))
           for current in (False, True)]


def by_python(db: Database, status: str | None = None,
              current: bool = False) -> list[dict[str, Any]]:
    with db.session() as s:
        return [as_json(r) for r in list_inspections(s, status=status, current_only=current)]


def by_sqlite(db: Database, status: str | None = None,
              current: bool = False) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        written = inspection_json.inspections_json(conn, status=status, current_only=current)
    assert written is not None
    rows: list[dict[str, Any]] = json.loads(written)["inspections"]
    return rows


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from services.demo.fill import fill_demo

    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    with db.session() as s:
        ensure_bundled_catalog(s)
    with db.session() as s:
        fill_demo(s, scale=0.05)
    with db.session() as s:  # versions: a corrected inspection and its correction
        from services.amendments import amend_inspection

        done = s.scalars(select(Inspection.id).where(Inspection.status == COMPLETED)
                         .order_by(Inspection.id)).first()
        assert done is not None
        s.execute(update(Inspection).where(Inspection.id == done).values(status=SIGNED))
        amend_inspection(s, done, reason="更正检查人员姓名")
    return db


@pytest.mark.slow
@pytest.mark.parametrize(("status", "current"), FILTERS)
def test_sqlite_writes_the_demo_list_as_python_does(demo_db: Database, status: str | None,
                                                    current: bool) -> None:
    expected = by_python(demo_db, status, current)
    assert by_sqlite(demo_db, status, current) == expected
    if status is None and not current:  # the data holds what the comparison is about
        assert len(expected) > 50
        assert any(r["supersedes"] for r in expected) and any(r["superseded"] for r in expected)
        assert {r["status"] for r in expected} == set(STATUS_LABELS)
        assert any(r["compliance_rate"] not in (None, 0.0, 1.0) for r in expected)


@pytest.mark.slow
@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_sqlite_writes_each_released_schemas_list_as_python_does(frozen: Path,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / frozen.name
    shutil.copy(frozen, path)
    db = open_database(path)  # upgraded to this program's schema
    try:
        for status, current in FILTERS:
            assert by_sqlite(db, status, current) == by_python(db, status, current)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def one_row(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, int, int]:
    db = open_database(tmp_path_factory.mktemp("row") / "row.sqlite")
    with db.session() as s:
        unit = new_entity(s, "宁安托育园")
        inspection = new_inspection(s, entity_id=unit)
    return db, unit, inspection.id


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
TIMES = st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2099, 12, 31),
                     timezones=st.just(UTC))


TOOK = st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, themes=st.lists(NAMES, max_size=3), started=TIMES, took=TOOK,
       counts=st.one_of(st.none(), st.tuples(*[st.integers(0, 400)] * 4)),
       superseded=st.booleans(), demo=st.booleans())
def test_sqlite_writes_any_row_as_python_does(
        one_row: tuple[Database, int, int], name: str, themes: list[str], started: datetime,
        took: timedelta | None, counts: tuple[int, int, int, int] | None, superseded: bool,
        demo: bool) -> None:
    db, unit, inspection = one_row
    with db.session() as s:
        s.execute(update(Entity).where(Entity.id == unit).values(name=name))
        s.execute(update(Inspection).where(Inspection.id == inspection).values(
            themes=themes, started_at=started, demo=demo,
            ended_at=None if took is None else started + took))
        s.query(InspectionCounts).filter_by(inspection_id=inspection).delete()
        if counts is not None:
            passed, failed, partial, not_applicable = counts
            answered = passed + failed + partial + not_applicable
            s.add(InspectionCounts(inspection_id=inspection, total=answered + 7,
                                   answered=answered, passed=passed, failed=failed,
                                   partial=partial, not_applicable=not_applicable,
                                   superseded=superseded))
    expected = by_python(db)
    assert by_sqlite(db) == expected
    assert expected[0]["entity"] == name


def test_a_sqlite_that_cannot_write_a_rate_exactly_leaves_the_list_to_python(
        demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_db.engine.connect() as conn:
        assert inspection_json.writes_exact_reals(conn)
        monkeypatch.setattr(inspection_json, "_REAL", "json(printf('%!.15g', {0}))")
        assert not inspection_json.writes_exact_reals(conn)
        assert inspection_json.inspections_json(conn) is None
        # a SQLite without its JSON functions: the probe fails, it does not raise
        monkeypatch.setattr(inspection_json, "_REAL", "json_missing(printf('%!.17g', {0}))")
        assert inspection_json.inspections_json(conn) is None


def test_open_for_reading_takes_only_a_file_that_is_ready(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    assert open_for_reading(missing) is None
    assert not missing.exists()  # nothing made
    assert open_for_reading("postgresql+psycopg://u@localhost/db") is None

    path = tmp_path / "work.sqlite"
    open_database(path).dispose()
    engine = open_for_reading(path)
    assert engine is not None
    try:
        with engine.connect() as conn:
            with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
                conn.exec_driver_sql("DELETE FROM settings")
    finally:
        engine.dispose()

    older = tmp_path / FROZEN[0].name
    shutil.copy(FROZEN[0], older)
    before = older.read_bytes()
    assert open_for_reading(older) is None  # it needs an upgrade: the full open does that
    assert older.read_bytes() == before
