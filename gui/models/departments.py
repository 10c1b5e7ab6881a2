"""Canonical departments grouped by kind (卫生健康, 教育, …): a two-level tree.

Selecting a kind row stands for every department of that kind across regions; selecting a
department row stands for that one department. Both give the key ``department_measures``
takes (a kind label or a department id) through :data:`KEY_ROLE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from gui.models.base import ALIGN_NUMBER, ROW_ROLE
from gui.models.tree import TOP, TwoLevelModel
from services.catalog import DepartmentSummary

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("部门", "牵头", "参与")
OTHER = "其他单位"
#: Role that returns what ``department_measures`` needs: a kind label or a department id.
KEY_ROLE = Qt.ItemDataRole.UserRole + 4
#: Role that returns the text the filter box searches: name and every alias.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5
_KIND = TOP  # internalId of a group row; a child row stores its group's row + 1


@dataclass
class _Kind:
    label: str
    known: bool  # False for the group of departments the lexicon could not place
    departments: list[DepartmentSummary] = field(default_factory=list)

    @property
    def lead(self) -> int:
        return sum(d.lead for d in self.departments)

    @property
    def shared(self) -> int:
        return sum(d.shared for d in self.departments)


def group_departments(departments: Sequence[DepartmentSummary]) -> list[_Kind]:
    kinds: dict[str, _Kind] = {}
    for d in departments:
        label = d.kind or OTHER
        kinds.setdefault(label, _Kind(label, d.kind is not None)).departments.append(d)
    for kind in kinds.values():
        kind.departments.sort(key=lambda d: (-(d.lead + d.shared), d.name))
    # The kinds most involved first; the unplaced ones last.
    return sorted(kinds.values(), key=lambda k: (not k.known, -(k.lead + k.shared), k.label))


class DepartmentTreeModel(TwoLevelModel):
    def __init__(self, departments: Sequence[DepartmentSummary] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._kinds = group_departments(departments)

    def set_departments(self, departments: Sequence[DepartmentSummary]) -> None:
        self.beginResetModel()
        self._kinds = group_departments(departments)
        self.endResetModel()

    def kind_labels(self) -> list[str]:
        return [k.label for k in self._kinds]

    def kind_index(self, label: str) -> QModelIndex:
        row = next((i for i, k in enumerate(self._kinds) if k.label == label), -1)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def group_count(self) -> int:
        return len(self._kinds)

    def child_count(self, group_row: int) -> int:
        return len(self._kinds[group_row].departments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _KIND:
            kind = self._kinds[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    f"{kind.label}（{len(kind.departments)}）",
                    str(kind.lead),
                    str(kind.shared),
                )[col]
            if role == Qt.ItemDataRole.FontRole and col == 0:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                if not kind.known:
                    return "未能归入部门类别的单位，请选择具体单位查看"
                return f"全部{kind.label}部门（各地区）牵头或参与的措施"
            if role == KEY_ROLE:
                return kind.label if kind.known else None
            if role == SEARCH_ROLE:
                return kind.label
        else:
            d = self._kinds[index.internalId() - 1].departments[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return (d.name, str(d.lead), str(d.shared))[col]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{d.name}\n文中写法：" + "、".join(d.aliases)
            if role == KEY_ROLE:
                return d.id
            if role == SEARCH_ROLE:
                return " ".join((d.name, *d.aliases))
            if role == ROW_ROLE:
                return d
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(ALIGN_NUMBER)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("", "牵头的措施数", "作为责任单位参与的措施数")[section] or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
