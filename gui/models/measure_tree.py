"""Sections and their measures for one document: a two-level tree.

Top-level rows are the sections (举措) in document order, each holding its measures. Measures
that sit in no section are gathered under one row named 正文. A measure the parser flagged
(待核, 标题待确认) says so in the third column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from checklists.catalog_view import MeasureView
from gui.models.base import ALIGN_CENTER, ATTENTION, MUTED, ROW_ROLE
from gui.models.tree import TOP, TwoLevelModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("编号", "措施", "核对")
_SECTION = TOP  # internalId of a group row; a child row stores its group's row + 1


@dataclass
class _Group:
    number: str
    title: str
    measures: list[MeasureView] = field(default_factory=list)


def _section_path(m: MeasureView) -> str:
    return m.path.rsplit("/", 1)[0] if "/" in m.path else ""


def group_measures(measures: Sequence[MeasureView]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for m in measures:
        key = _section_path(m)
        if key not in groups:
            number = key.rsplit("/", 1)[-1] if key else ""
            groups[key] = _Group(number, m.section or ("正文" if not key else ""))
        groups[key].measures.append(m)
    return list(groups.values())


class MeasureTreeModel(TwoLevelModel):
    def __init__(self, measures: Sequence[MeasureView] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._groups = group_measures(measures)

    def set_measures(self, measures: Sequence[MeasureView]) -> None:
        self.beginResetModel()
        self._groups = group_measures(measures)
        self.endResetModel()

    def measure_count(self) -> int:
        return sum(len(g.measures) for g in self._groups)

    def measure_at(self, index: Index) -> MeasureView | None:
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        return self._groups[index.internalId() - 1].measures[index.row()]

    def index_of(self, measure_id: str) -> QModelIndex:
        for g_row, group in enumerate(self._groups):
            for m_row, m in enumerate(group.measures):
                if m.id == measure_id:
                    return self.createIndex(m_row, 0, g_row + 1)
        return QModelIndex()

    def first_measure_index(self) -> QModelIndex:
        for g_row, group in enumerate(self._groups):
            if group.measures:
                return self.createIndex(0, 0, g_row + 1)
        return QModelIndex()

    # --- QAbstractItemModel -----------------------------------------------------------------

    def group_count(self) -> int:
        return len(self._groups)

    def child_count(self, group_row: int) -> int:
        return len(self._groups[group_row].measures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _SECTION:
            group = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return (group.number, group.title, f"{len(group.measures)} 项")[col]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and col == 2:
                return QBrush(MUTED)
            if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
                return int(ALIGN_CENTER)
            return None
        m = self._groups[index.internalId() - 1].measures[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (m.number, m.title, "待核" if m.flags else "")[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 2 and m.flags:
                return "解析时标记：" + "、".join(m.flags) + "，请对照原文核对。"
            return m.title if col == 1 else None
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and m.flags:
            return QBrush(ATTENTION)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 2):
            return int(ALIGN_CENTER)
        if role == ROW_ROLE:
            return m
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
