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
from PySide6.QtGui import QFont

from checklists.catalog_view import MeasureView
from gui.models.base import ALIGN_CENTER, ATTENTION, MUTED, ROW_ROLE
from gui.models.tree import TOP, TwoLevelModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("编号", "措施", "备注")
_SECTION = TOP  # internalId of a group row; a child row stores its group's row + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROW = int(ROW_ROLE)
_ROLES = frozenset({_DISPLAY, _FONT, _FOREGROUND, _ALIGNMENT, _TOOLTIP, _ROW})
_CENTER = int(ALIGN_CENTER)


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

    def numbers(self) -> tuple[set[str], set[str]]:
        """The numbers the 编号 column shows: of the sections, of the measures below them."""
        return ({g.number for g in self._groups},
                {m.number for g in self._groups for m in g.measures})

    def group_count(self) -> int:
        return len(self._groups)

    def child_count(self, group_row: int) -> int:
        return len(self._groups[group_row].measures)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # the view asks each cell for a dozen roles several times while it lays out and paints
        # the tree: roles this model does not answer are turned away first, as plain ints
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _SECTION:
            group = self._groups[index.row()]
            if role == _DISPLAY:
                return (group.number, group.title, f"{len(group.measures)} 项")[col]
            if role == _FONT:
                font = QFont()  # the application's font, as it is now
                font.setBold(True)
                return font
            if role == _FOREGROUND and col == 2:
                return MUTED
            if role == _ALIGNMENT and col == 2:
                return _CENTER
            return None
        m = self._groups[index.internalId() - 1].measures[index.row()]
        if role == _DISPLAY:
            return (m.number, m.title, "待核" if m.flags else "")[col]
        if role == _TOOLTIP:
            if col == 2 and m.flags:
                return "解析时标记：" + "、".join(m.flags) + "，请对照原文核对。"
            return m.title if col == 1 else None
        if role == _FOREGROUND and col == 2 and m.flags:
            return ATTENTION
        if role == _ALIGNMENT and col in (0, 2):
            return _CENTER
        if role == _ROW:
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
