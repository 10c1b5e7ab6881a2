"""The inspections list: one row per inspection, filtered and sorted in SQL, a window at a time.

Rows come from the inspections joined with their unit and their stored counts
(``inspection_counts``, with the stored rate and ``superseded`` flag); no finding is ever read
to draw a row and no row looks at another version. A filter change is one statement (the first
window with its count as a subquery); a new order or the next page is one statement without a
count. Every column sorts through an index (see ``SORT_KEYS``). Filters are the selection
filters of :mod:`services.selection`, so the list and the reports agree on what a region, a
theme or a date range holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.orm import Session

from models.inspection import PROGRESS_SQL, STATUS_RANK_SQL, Inspection, InspectionCounts
from models.registry import Entity
from rules.compliance import compliance_rate
from services.selection import inspection_terms

#: Rows fetched per window.
BATCH = 200


@dataclass(frozen=True)
class ListFilter:
    """What the list shows. ``None`` means no restriction."""

    status: str | None = None  # draft | completed | signed
    theme: str | None = None  # theme name, its prefix, or a theme code
    region: str | None = None  # region code; the unit is in it or below it
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    kind: str | None = None  # 执法检查 | 督查 | 自查
    search: str | None = None  # part of the unit's name
    current_only: bool = True  # leave out versions a later version supersedes


@dataclass(frozen=True)
class InspectionRow:
    id: int
    entity_name: str
    kind: str
    themes: tuple[str, ...]
    status: str
    version: int
    started_at: datetime
    total: int
    answered: int
    passed: int
    failed: int
    partial: int
    demo: bool

    @property
    def rate(self) -> float | None:
        return compliance_rate(self.passed, self.partial, self.failed)


#: Per column of the list (单位, 类型, 主题, 状态, 检查日期, 进度, 符合率, 不符合数), the SQL
#: expression it sorts by and the id that breaks ties, so that each walks an index: the stored
#: rate, and for 状态 and 进度 the very expressions their indexes are made of.
SORT_KEYS: tuple[tuple[Any, Any], ...] = (
    (Entity.name, Inspection.id),
    (Inspection.kind, Inspection.id),
    (Inspection.themes, Inspection.id),
    (literal_column(STATUS_RANK_SQL.replace("status", "inspections.status")), Inspection.id),
    (Inspection.started_at, Inspection.id),
    (literal_column(PROGRESS_SQL.replace("total", "inspection_counts.total")
                    .replace("answered", "inspection_counts.answered")),
     InspectionCounts.inspection_id),
    (InspectionCounts.rate, InspectionCounts.inspection_id),
    (InspectionCounts.failed, InspectionCounts.inspection_id),
)
#: The columns sorted by a stored count: their rows are read through the counts' indexes.
COUNTS_COLUMNS = (5, 6, 7)


@dataclass(frozen=True)
class Page:
    """One window of rows and how many rows match the filter in all."""

    rows: list[InspectionRow]
    total: int


def _conditions(f: ListFilter, *, counts_outer: bool = False) -> list[ColumnElement[bool]]:
    conds = inspection_terms(date_from=f.date_from, date_to=f.date_to, region=f.region,
                             theme=f.theme)
    # Status and type hold a few values each: matched as an expression (``|| ''``), so that
    # SQLite walks the index of the sorted column and skips rows instead of sorting every row
    # of a status (a signed status is most of the list).
    if f.status:
        conds.append(Inspection.status.concat("") == f.status)
    if f.kind:
        conds.append(Inspection.kind.concat("") == f.kind)
    if f.search:
        conds.append(Entity.name.ilike(f"%{f.search.strip()}%"))
    if f.current_only:
        conds.append(func.coalesce(InspectionCounts.superseded, False) == False  # noqa: E712
                     if counts_outer else InspectionCounts.superseded == False)  # noqa: E712
    return conds


def filtered(f: ListFilter, *, counts_outer: bool = False) -> Select[Any]:
    """The list's rows for a filter, unordered.

    Every inspection has its counts row, so joining them outer gives the same rows; it keeps
    SQLite from reading the list through the counts table, which is what sorting by a column of
    the inspection or its unit needs (by the unit's name it would otherwise sort every row)."""
    stmt = (select(Inspection.id, Entity.name, Inspection.kind, Inspection.themes,
                   Inspection.status, Inspection.version, Inspection.started_at,
                   InspectionCounts.total, InspectionCounts.answered, InspectionCounts.passed,
                   InspectionCounts.failed, InspectionCounts.partial, Inspection.demo)
            .join(Entity, Inspection.entity_id == Entity.id)
            .join(InspectionCounts, InspectionCounts.inspection_id == Inspection.id,
                  isouter=counts_outer))
    conds = _conditions(f, counts_outer=counts_outer)
    # a statement of thirteen columns (typed by SQLAlchemy column by column)
    return cast("Select[Any]", stmt.where(and_(*conds)) if conds else stmt)


def _counting(f: ListFilter) -> Select[Any]:
    """How many rows match; the unit is joined only when the filter is about it."""
    stmt = (select(func.count()).select_from(Inspection)
            .join(InspectionCounts, InspectionCounts.inspection_id == Inspection.id))
    if f.region or f.search:
        stmt = stmt.join(Entity, Inspection.entity_id == Entity.id)
    conds = _conditions(f)
    return stmt.where(and_(*conds)) if conds else stmt


def count_rows(session: Session, f: ListFilter) -> int:
    return int(session.scalar(_counting(f)) or 0)


def sorted_rows(f: ListFilter, sort_column: int, descending: bool) -> Select[Any]:
    """The list's rows for a filter in the order of one column, ties broken by id."""
    key, tie = SORT_KEYS[sort_column]
    order = [key.desc() if descending else key.asc(), tie.desc() if descending else tie.asc()]
    return filtered(f, counts_outer=sort_column not in COUNTS_COLUMNS).order_by(*order)


def _row(r: Any) -> InspectionRow:
    return InspectionRow(r[0], r[1], r[2], tuple(r[3] or ()), r[4], r[5], r[6], r[7] or 0,
                         r[8] or 0, r[9] or 0, r[10] or 0, r[11] or 0, bool(r[12]))


def fetch_rows(session: Session, f: ListFilter, *, sort_column: int = 4,
               descending: bool = True, offset: int = 0, limit: int = BATCH
               ) -> list[InspectionRow]:
    """One window of rows, in order (a header click or the next page: no count)."""
    stmt = sorted_rows(f, sort_column, descending).offset(offset).limit(limit)
    return [_row(r) for r in session.execute(stmt)]


def fetch_page(session: Session, f: ListFilter, *, sort_column: int = 4,
               descending: bool = True, limit: int = BATCH) -> Page:
    """The first window and the number of matching rows, in one statement (a filter change):
    the count is an uncorrelated subquery, which SQLite runs once."""
    stmt = sorted_rows(f, sort_column, descending).add_columns(
        _counting(f).scalar_subquery().label("matching")).limit(limit)
    result = session.execute(stmt).all()
    return Page([_row(r) for r in result], int(result[0][-1]) if result else 0)
