"""The inspections list: one row per inspection, filtered and sorted in SQL, a window at a time.

Rows come from the inspections joined with their unit and their stored counts
(``inspection_counts``, with the stored rate and ``superseded`` flag); no finding is ever read
to draw a row and no row looks at another version. A filter change is one statement (the first
window with ``count(*) OVER ()``); a new order or the next page is one statement without a
count. Filters are the selection
filters of :mod:`services.selection`, so the list and the reports agree on what a region, a
theme or a date range holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from models.inspection import Inspection, InspectionCounts
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


def _progress_expr() -> ColumnElement[Any]:
    c = InspectionCounts
    return case((c.total == 0, literal(0.0)), else_=c.answered * 1.0 / c.total)


#: Per column of the list (单位, 类型, 主题, 状态, 检查日期, 进度, 符合率, 不符合数), the SQL
#: expression it sorts by. The rate is the stored one (``InspectionCounts.rate``, indexed).
SORT_KEYS: tuple[Any, ...] = (
    Entity.name, Inspection.kind, Inspection.themes,
    case({"draft": 0, "completed": 1, "signed": 2}, value=Inspection.status, else_=3),
    Inspection.started_at,
    _progress_expr(), InspectionCounts.rate, InspectionCounts.failed,
)


@dataclass(frozen=True)
class Page:
    """One window of rows and how many rows match the filter in all."""

    rows: list[InspectionRow]
    total: int


def filtered(f: ListFilter) -> Select[Any]:
    """The list's rows for a filter, unordered."""
    stmt = (select(Inspection.id, Entity.name, Inspection.kind, Inspection.themes,
                   Inspection.status, Inspection.version, Inspection.started_at,
                   InspectionCounts.total, InspectionCounts.answered, InspectionCounts.passed,
                   InspectionCounts.failed, InspectionCounts.partial, Inspection.demo)
            .join(Entity, Inspection.entity_id == Entity.id)
            .join(InspectionCounts, InspectionCounts.inspection_id == Inspection.id))
    conds = inspection_terms(date_from=f.date_from, date_to=f.date_to, region=f.region,
                             theme=f.theme)
    if f.status:
        conds.append(Inspection.status == f.status)
    if f.kind:
        conds.append(Inspection.kind == f.kind)
    if f.search:
        conds.append(Entity.name.like(f"%{f.search.strip()}%"))
    if f.current_only:
        conds.append(InspectionCounts.superseded.is_(False))
    return stmt.where(and_(*conds)) if conds else stmt


def count_rows(session: Session, f: ListFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(filtered(f).subquery())) or 0)


def _ordered(f: ListFilter, sort_column: int, descending: bool) -> Select[Any]:
    key = SORT_KEYS[sort_column]
    order = [key.desc() if descending else key.asc(),
             Inspection.id.desc() if descending else Inspection.id.asc()]
    return filtered(f).order_by(*order)


def _row(r: Any) -> InspectionRow:
    return InspectionRow(r[0], r[1], r[2], tuple(r[3] or ()), r[4], r[5], r[6], r[7] or 0,
                         r[8] or 0, r[9] or 0, r[10] or 0, r[11] or 0, bool(r[12]))


def fetch_rows(session: Session, f: ListFilter, *, sort_column: int = 4,
               descending: bool = True, offset: int = 0, limit: int = BATCH
               ) -> list[InspectionRow]:
    """One window of rows, in order (a header click or the next page: no count)."""
    stmt = _ordered(f, sort_column, descending).offset(offset).limit(limit)
    return [_row(r) for r in session.execute(stmt)]


def fetch_page(session: Session, f: ListFilter, *, sort_column: int = 4,
               descending: bool = True, limit: int = BATCH) -> Page:
    """The first window and the number of matching rows, in one statement (a filter change)."""
    stmt = _ordered(f, sort_column, descending).add_columns(
        func.count().over().label("matching")).limit(limit)
    result = session.execute(stmt).all()
    return Page([_row(r) for r in result], int(result[0][-1]) if result else 0)
