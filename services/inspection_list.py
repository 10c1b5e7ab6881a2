"""The inspections list: one row per inspection, filtered and sorted in SQL, a window at a time.

Rows come from the inspections joined with their unit and their stored counts
(``inspection_counts``); no finding is ever read to draw a row. Filters are the selection
filters of :mod:`services.selection`, so the list and the reports agree on what a region, a
theme or a date range holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

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


def _rate_expr() -> ColumnElement[Any]:
    c = InspectionCounts
    judged = c.passed + c.partial + c.failed
    return case((judged == 0, literal(None)),
                else_=(c.passed + 0.5 * c.partial) * 1.0 / judged)


def _progress_expr() -> ColumnElement[Any]:
    c = InspectionCounts
    return case((c.total == 0, literal(0.0)), else_=c.answered * 1.0 / c.total)


#: Per column of the list (单位, 类型, 主题, 状态, 检查日期, 进度, 符合率, 不符合数), the SQL
#: expression it sorts by.
SORT_KEYS: tuple[Any, ...] = (
    Entity.name, Inspection.kind, Inspection.themes,
    case({"draft": 0, "completed": 1, "signed": 2}, value=Inspection.status, else_=3),
    Inspection.started_at,
    _progress_expr(), _rate_expr(), InspectionCounts.failed,
)


def filtered(f: ListFilter) -> Select[Any]:
    """The list's rows for a filter, unordered."""
    stmt = (select(Inspection.id, Entity.name, Inspection.kind, Inspection.themes,
                   Inspection.status, Inspection.version, Inspection.started_at,
                   InspectionCounts.total, InspectionCounts.answered, InspectionCounts.passed,
                   InspectionCounts.failed, InspectionCounts.partial, Inspection.demo)
            .join(Entity, Inspection.entity_id == Entity.id)
            .outerjoin(InspectionCounts, InspectionCounts.inspection_id == Inspection.id))
    conds = inspection_terms(date_from=f.date_from, date_to=f.date_to, region=f.region,
                             theme=f.theme)
    if f.status:
        conds.append(Inspection.status == f.status)
    if f.kind:
        conds.append(Inspection.kind == f.kind)
    if f.search:
        conds.append(Entity.name.like(f"%{f.search.strip()}%"))
    if f.current_only:
        newer = aliased(Inspection)
        conds.append(~select(newer.id).where(newer.supersedes_id == Inspection.id).exists())
    return stmt.where(and_(*conds)) if conds else stmt


def count_rows(session: Session, f: ListFilter) -> int:
    return int(session.scalar(select(func.count()).select_from(filtered(f).subquery())) or 0)


def fetch_rows(session: Session, f: ListFilter, *, sort_column: int = 4,
               descending: bool = True, offset: int = 0, limit: int = BATCH
               ) -> list[InspectionRow]:
    key = SORT_KEYS[sort_column]
    order = [key.desc() if descending else key.asc(),
             Inspection.id.desc() if descending else Inspection.id.asc()]
    stmt = filtered(f).order_by(*order).offset(offset).limit(limit)
    return [InspectionRow(r[0], r[1], r[2], tuple(r[3] or ()), r[4], r[5], r[6], r[7] or 0,
                          r[8] or 0, r[9] or 0, r[10] or 0, r[11] or 0, bool(r[12]))
            for r in session.execute(stmt)]
