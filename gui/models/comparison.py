"""The topics × documents grid: how many measures of each document fall under each topic."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from gui.models.base import ALIGN_CENTER
from services.catalog import TopicComparison

Index = QModelIndex | QPersistentModelIndex
#: Role that returns the cell's measures as ((id, number, title), ...).
CELL_ROLE = Qt.ItemDataRole.UserRole + 3
_EMPTY = TopicComparison((), (), {})


def _shade(count: int, most: int) -> QColor:
    """A pale-to-mid blue by count; white for none."""
    if count == 0 or most == 0:
        return QColor("#ffffff")
    share = count / most
    light, dark = (239, 245, 252), (143, 179, 222)
    return QColor(*(round(a + (b - a) * share) for a, b in zip(light, dark, strict=True)))


class ComparisonTableModel(QAbstractTableModel):
    def __init__(self, grid: TopicComparison = _EMPTY, parent: Any = None) -> None:
        super().__init__(parent)
        self._grid = grid
        self._most = self._max(grid)

    @staticmethod
    def _max(grid: TopicComparison) -> int:
        return max((len(v) for v in grid.cells.values()), default=0)

    def set_grid(self, grid: TopicComparison) -> None:
        self.beginResetModel()
        self._grid = grid
        self._most = self._max(grid)
        self.endResetModel()

    def cell(self, row: int, column: int) -> tuple[tuple[str, str, str], ...]:
        topic = self._grid.topics[row][0]
        doc = self._grid.documents[column][0]
        return self._grid.cells.get((topic, doc), ())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._grid.topics)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._grid.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        measures = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(len(measures)) if measures else "—"
        if role == Qt.ItemDataRole.ToolTipRole:
            if not measures:
                return "该文件没有此主题的措施"
            return "\n".join(f"{number}　{title}" for _, number, title in measures)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_shade(len(measures), self._most))
        if role == Qt.ItemDataRole.ForegroundRole and not measures:
            return QBrush(QColor("#b0b7c3"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(ALIGN_CENTER)
        if role == CELL_ROLE:
            return measures
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._grid.documents):
            return self._grid.documents[section][1]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._grid.topics):
            return self._grid.topics[section][1]
        return None
