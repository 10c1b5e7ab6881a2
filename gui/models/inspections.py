"""The inspections list: a lazy table model over the inspections list service.

Filters and sorting are SQL (:mod:`services.inspection_list`), and rows are fetched a window at
a time (``canFetchMore``/``fetchMore``), so the list opens as fast over 100,000 findings as over
a hundred.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from gui.models.base import ALIGN_CENTER, ALIGN_NUMBER, ATTENTION, MUTED, ROW_ROLE, Index
from gui.models.entities import DEMO_TIP
from gui.models.paged import PagedTableModel
from models.db import Database, Session
from rules.china_time import beijing
from rules.inspection_status import COMPLETED, STATUS_LABELS
from services.inspection_list import (
    BATCH,
    InspectionRow,
    ListFilter,
    count_rows,
    fetch_page,
    fetch_rows,
)

#: Status as the GUI shows it: a completed inspection still waits for its signatures, and
#: "已完成" alone would read as final.
STATUS_TEXT = {**STATUS_LABELS, COMPLETED: "已完成（待签名）"}
STATUS_TIPS = {
    "draft": "正在检查，检查结果可以修改",
    COMPLETED: "检查已完成，尚待检查人员和被检查单位签名确认后锁定；签名前不是正式记录",
    "signed": "已签名确认并锁定，是正式记录",
}
HEADERS = ("被检查单位", "类型", "主题", "状态", "检查日期", "进度", "符合率", "不符合数")


def status_label(r: InspectionRow) -> str:
    label = STATUS_TEXT.get(r.status, r.status)
    return label if r.version == 1 else f"{label}（第{r.version}版）"


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
        self.reorder()

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

    def _fetch_first(self, session: Session) -> tuple[list[InspectionRow], int]:
        column, descending = self._sort
        page = fetch_page(session, self._filter, sort_column=column, descending=descending,
                          limit=self._batch)
        return page.rows, page.total

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
            return status_label(r)
        if col == 4:
            return beijing(r.started_at).strftime("%Y-%m-%d")
        if col == 5:
            return f"{r.answered}/{r.total}"
        if col == 6:
            return percent(r.rate)
        return str(r.failed)
