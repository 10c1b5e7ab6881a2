"""One selection, one answer: the inspections list and the reports pick the same inspections
for the same region, theme and dates, because both use :mod:`services.selection`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from main import main
from models.db import open_database
from models.inspection import Inspection
from models.registry import Entity
from reports.data import ReportSelection, selected_inspections
from services.inspection_list import ListFilter, count_rows, fetch_page, fetch_rows
from services.selection import SelectionError, in_region, resolve_region


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("selection") / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--scale", "0.05"]) == 0
    return path


def _list_ids(session: Session, f: ListFilter) -> set[int]:
    total = count_rows(session, f)
    rows = fetch_rows(session, f, limit=max(total, 1))
    assert len(rows) == total
    page = fetch_page(session, f, sort_column=6, limit=max(total, 1))  # count and rows at once
    assert page.total == total and {r.id for r in page.rows} == {r.id for r in rows}
    return {r.id for r in rows}


CASES = [
    {},
    {"region": "640521"},  # 中宁县
    {"region": "640500"},  # 中卫市: every county below it
    {"region": "640000"},  # 宁夏: by the tree and by the code prefix
    {"region": "110000"},  # 北京: nothing
    {"theme": "母婴设施"},
    {"theme": "托育"},  # a prefix of two themes' names
    {"region": "640502", "theme": "女职工劳动保护"},
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_the_list_and_the_reports_select_the_same_inspections(demo_path: Path,
                                                              case: dict[str, str]) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            first, last = s.execute(select(func.min(Inspection.started_at),
                                           func.max(Inspection.started_at))).one()
            middle = (first + (last - first) / 2).date()
            for dates in ({}, {"date_from": middle}, {"date_to": middle},
                          {"date_from": middle - timedelta(days=60), "date_to": middle}):
                listed = _list_ids(s, ListFilter(current_only=False, **case, **dates))
                reported = set(s.scalars(selected_inspections(ReportSelection(**case, **dates))))
                assert listed == reported, (case, dates)
    finally:
        db.dispose()


def test_a_region_holds_the_units_of_every_region_below_it(demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            city = set(s.scalars(select(Entity.id).where(in_region("中卫市"))))
            counties = set()
            for code in ("640502", "640521", "640522"):
                counties |= set(s.scalars(select(Entity.id).where(in_region(code))))
            assert city == counties == set(s.scalars(select(Entity.id)))
            assert not set(s.scalars(select(Entity.id).where(in_region("北京市"))))
    finally:
        db.dispose()


def test_dates_are_whole_local_days_inclusive(demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            days = [r.started_at.astimezone().date() for r in
                    fetch_rows(s, ListFilter(current_only=False), limit=10_000)]
            day = days[len(days) // 2]
            on_day = _list_ids(s, ListFilter(current_only=False, date_from=day, date_to=day))
            assert len(on_day) == days.count(day)
    finally:
        db.dispose()


def test_unknown_regions_are_named_in_chinese() -> None:
    with pytest.raises(SelectionError, match="找不到行政区划"):
        resolve_region("不存在县")
    assert resolve_region("中宁").code == "640521"


@pytest.mark.parametrize("column", range(1, 8))
def test_the_list_sorts_by_each_column_through_an_index(demo_path: Path, column: int) -> None:
    """A header click reads the first window in index order instead of sorting every row, also
    within a status or a type (by the unit's name SQLite still sorts, reading a narrow covering
    index)."""
    from sqlalchemy.dialects import sqlite

    from services.inspection_list import sorted_rows

    db = open_database(demo_path)
    try:
        with db.session() as s:
            for f, descending in [(ListFilter(), True), (ListFilter(), False),
                                  (ListFilter(status="signed"), True),
                                  (ListFilter(kind="督查"), False)]:
                stmt = sorted_rows(f, column, descending).limit(200)
                sql = str(stmt.compile(dialect=sqlite.dialect(),
                                       compile_kwargs={"literal_binds": True}))
                plan = [r[-1] for r in s.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {sql}")]
                assert not any("TEMP B-TREE FOR ORDER BY" in p for p in plan), plan
                assert any("USING INDEX" in p for p in plan), plan
    finally:
        db.dispose()
