"""The inspections list: a lazy table model over windowed SQL queries.

Rows come from the inspections joined with their unit and their stored counts
(``inspection_counts``); no finding is ever read to draw a row. Filters and sorting are SQL,
and rows are fetched a window at a time (``canFetchMore``/``fetchMore``), so the list opens
as fast over 100,000 findings as over a hundred.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from checklists.regions import load_regions, region_by_code
from gui.models.base import ALIGN_CENTER, ALIGN_NUMBER, ATTENTION, MUTED, ROW_ROLE, Index
from gui.models.entities import DEMO_TIP
from gui.models.paged import PagedTableModel
from models.db import Database
from models.inspection import COMPLETED, STATUS_LABELS, Inspection, InspectionCounts
from models.registry import Entity

#: Status as the GUI shows it: a completed inspection still waits for its signatures, and
#: "已完成" alone would read as final.
STATUS_TEXT = {**STATUS_LABELS, COMPLETED: "已完成（待签名）"}
STATUS_TIPS = {
    "draft": "正在检查，检查结果可以修改",
    COMPLETED: "检查已完成，尚待检查人员和被检查单位签名确认后锁定；签名前不是正式记录",
    "signed": "已签名确认并锁定，是正式记录",
}
#: Rows fetched per window.
BATCH = 200
HEADERS = ("被检查单位", "类型", "主题", "状态", "检查日期", "进度", "符合率", "不符合数")


@dataclass(frozen=True)
class ListFilter:
    """What the list shows. ``None`` means no restriction."""

    status: str | None = None  # draft | completed | signed
    theme: str | None = None  # theme name, as stored on the inspection
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
    def status_label(self) -> str:
        label = STATUS_TEXT.get(self.status, self.status)
        return label if self.version == 1 else f"{label}（第{self.version}版）"

    @property
    def rate(self) -> float | None:
        judged = self.passed + self.partial + self.failed
        return None if judged == 0 else (self.passed + 0.5 * self.partial) / judged


def _rate_expr() -> ColumnElement[Any]:
    c = InspectionCounts
    judged = c.passed + c.partial + c.failed
    return case((judged == 0, literal(None)),
                else_=(c.passed + 0.5 * c.partial) * 1.0 / judged)


def _progress_expr() -> ColumnElement[Any]:
    c = InspectionCounts
    return case((c.total == 0, literal(0.0)), else_=c.answered * 1.0 / c.total)


#: Per column, the SQL expression it sorts by.
SORT_KEYS: tuple[Any, ...] = (
    Entity.name, Inspection.kind, Inspection.themes,
    case({"draft": 0, "completed": 1, "signed": 2}, value=Inspection.status, else_=3),
    Inspection.started_at,
    _progress_expr(), _rate_expr(), InspectionCounts.failed,
)


def region_scope(code: str) -> ColumnElement[bool]:
    """The unit's region is ``code`` or lies below it (in the region tree or by code prefix)."""
    below = {r.code for r in load_regions() if _is_below(r.code, code)}
    region = region_by_code(code)
    prefix = {"province": code[:2], "city": code[:4]}.get(region.level if region else "", None)
    cond: ColumnElement[bool] = Entity.region_code.in_(sorted(below | {code}))
    if prefix:
        cond = or_(cond, Entity.region_code.like(f"{prefix}%"))
    return cond


def _is_below(child: str, parent: str) -> bool:
    node = region_by_code(child)
    seen: set[str] = set()
    while node is not None and node.code not in seen:
        if node.code == parent:
            return True
        seen.add(node.code)
        node = region_by_code(node.parent)
    return False


def filtered(f: ListFilter) -> Select[Any]:
    """The list's rows for a filter, unordered."""
    stmt = (select(Inspection.id, Entity.name, Inspection.kind, Inspection.themes,
                   Inspection.status, Inspection.version, Inspection.started_at,
                   InspectionCounts.total, InspectionCounts.answered, InspectionCounts.passed,
                   InspectionCounts.failed, InspectionCounts.partial, Inspection.demo)
            .join(Entity, Inspection.entity_id == Entity.id)
            .outerjoin(InspectionCounts, InspectionCounts.inspection_id == Inspection.id))
    conds: list[ColumnElement[bool]] = []
    if f.status:
        conds.append(Inspection.status == f.status)
    if f.kind:
        conds.append(Inspection.kind == f.kind)
    if f.theme:
        each = func.json_each(Inspection.themes).table_valued("value")
        conds.append(select(each.c.value).where(each.c.value == f.theme).exists())
    if f.region:
        conds.append(region_scope(f.region))
    if f.date_from:
        conds.append(Inspection.started_at >= _local(f.date_from, time.min))
    if f.date_to:
        conds.append(Inspection.started_at <= _local(f.date_to, time.max))
    if f.search:
        conds.append(Entity.name.like(f"%{f.search.strip()}%"))
    if f.current_only:
        newer = aliased(Inspection)
        conds.append(~select(newer.id).where(newer.supersedes_id == Inspection.id).exists())
    return stmt.where(and_(*conds)) if conds else stmt


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).astimezone()  # the user's day, in their time zone


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


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class InspectionListModel(PagedTableModel[InspectionRow]):
    """Lazy (see :class:`PagedTableModel`), filtered and sorted in SQL."""

    def __init__(self, db: Database, parent: Any = None, *, batch: int = BATCH) -> None:
        super().__init__(db, len(HEADERS), parent, batch=batch)
        self._filter = ListFilter()
        self._sort = (4, True)

    # --- public API -------------------------------------------------------------------------

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    def set_filter(self, f: ListFilter | None = None, **changes: Any) -> None:
        self._filter = replace(f or self._filter, **changes)
        self.reload()

    # --- Qt model ---------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (5, 6, 7):
                return int(ALIGN_NUMBER)
            if col in (1, 3, 4):
                return int(ALIGN_CENTER)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 7 and r.failed:
                return QBrush(ATTENTION)
            if col == 3 and r.status != "signed":
                return QBrush(MUTED) if r.status == "draft" else None
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                demo = f"\n{DEMO_TIP}" if r.demo else ""
                return f"{r.entity_name}{demo}\n双击打开检查记录"
            if col == 3:
                return STATUS_TIPS.get(r.status)
            if col == 5:
                return f"已检查 {r.answered} 项，共 {r.total} 项"
            if col == 6:
                return "符合计1，部分符合计0.5，不符合计0；不适用和未检查不计"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    # --- internals --------------------------------------------------------------------------

    def _count(self, session: Session) -> int:
        return count_rows(session, self._filter)

    def _fetch(self, session: Session, offset: int) -> list[InspectionRow]:
        column, descending = self._sort
        return fetch_rows(session, self._filter, sort_column=column, descending=descending,
                          offset=offset, limit=self._batch)

    @staticmethod
    def _text(r: InspectionRow, col: int) -> str:
        if col == 0:
            return r.entity_name
        if col == 1:
            return r.kind
        if col == 2:
            return "、".join(r.themes)
        if col == 3:
            return r.status_label
        if col == 4:
            return r.started_at.astimezone().strftime("%Y-%m-%d")
        if col == 5:
            return f"{r.answered}/{r.total}"
        if col == 6:
            return percent(r.rate)
        return str(r.failed)
