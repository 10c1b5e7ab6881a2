"""The checklist items of one inspection as a table: a thin adapter over ``EntryRow`` values.

:func:`accepts` says which rows the 全部 / 未答 / 不符合 filter shows; the view hides the others
(rather than a proxy model), and keeps the item being worked on visible until the inspector
moves on, so answering an item in the 未答 view does not make the cursor jump away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from checklists.departments import short_label
from rules.inspection_status import FAIL, NOT_APPLICABLE, PARTIAL, PASS
from services.inspection_entry import EntryRow

Index = QModelIndex | QPersistentModelIndex
CODE_ROLE = Qt.ItemDataRole.UserRole + 1

RESULT_COLOURS = {PASS: "#1b7f3b", FAIL: "#b3261e", PARTIAL: "#a15c00", NOT_APPLICABLE: "#6b7280"}
CARRIED = "沿用上次"

FILTER_ALL, FILTER_UNANSWERED, FILTER_FAILED = "全部", "未答", "不符合"
FILTERS = (FILTER_ALL, FILTER_UNANSWERED, FILTER_FAILED)


class EntryTableModel(QAbstractTableModel):
    COLUMNS = ("序号", "编码", "检查项", "主管部门", "检查结果", "标记")
    DEPARTMENT_COLUMN = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EntryRow] = []
        self._where: dict[str, int] = {}

    def set_rows(self, rows: list[EntryRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._where = {r.code: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def rows(self) -> list[EntryRow]:
        return list(self._rows)

    def row_for(self, code: str) -> int | None:
        return self._where.get(code)

    def entry(self, row: int) -> EntryRow:
        return self._rows[row]

    def replace(self, entry: EntryRow) -> None:
        i = self._where[entry.code]
        self._rows[i] = entry
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        entry = self._rows[index.row()]
        col = index.column()
        if role == CODE_ROLE:
            return entry.code
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, index.row(), col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return entry.item.question
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return entry.item.competent_department
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and entry.finding.result in RESULT_COLOURS:
                return QColor(RESULT_COLOURS[entry.finding.result])
            if col == 5 and entry.missing_requirement():
                return QColor("#b3261e")
            if col == 5 and entry.carried:
                return QColor("#1f4e8c")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(entry: EntryRow, row: int, col: int) -> str:
        if col == 0:
            return str(row + 1)
        if col == 1:
            return entry.code
        if col == 2:
            return entry.item.question
        if col == 3:  # narrow: 人社 for 人力资源和社会保障, in full in its tooltip
            return short_label(entry.item.competent_department)
        if col == 4:
            return entry.answer_text() or "未答"
        marks = []
        need = entry.missing_requirement()
        if need:
            marks.append(f"需{need}")
        if entry.carried:
            marks.append(CARRIED)
        if entry.photos:
            marks.append(f"照片{entry.photos}")
        return " · ".join(marks)


def accepts(entry: EntryRow, mode: str, pinned: str | None = None) -> bool:
    """Whether the item list shows ``entry`` under filter ``mode``; the item being worked on
    (``pinned``) stays visible until the inspector moves on."""
    if mode == FILTER_ALL or entry.code == pinned:
        return True
    if mode == FILTER_UNANSWERED:
        return not entry.finding.answered
    return entry.finding.result == FAIL
