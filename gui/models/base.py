"""A read-only table model over a list of plain rows (frozen dataclasses), column by column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

#: Role that returns the row's dataclass itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role that returns the row as rich text (HTML) for RichTextDelegate.
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Text colour for things that need a person's attention (待核).
ATTENTION = QColor("#b3261e")
MUTED = QColor("#6b7280")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[T], str | None] | None = None
    color: Callable[[T], QColor | None] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    def __init__(
        self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[T] = list(rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_rows(self, rows: Sequence[T]) -> None:
        """New rows; when their number is unchanged, views keep their selection."""
        if len(rows) != len(self._rows):
            self.set_rows(rows)
            return
        self._rows = list(rows)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1)
            )

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            return column.color(row)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None
