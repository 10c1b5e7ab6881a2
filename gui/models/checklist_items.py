"""Item models of the checklist page: the generated checklist as sections holding items, the
items left out with their reason, and the coverage tables.

:class:`GroupTreeModel` is a two-level tree over plain rows (groups, each with children); the
checklist preview and the template editor both use it with their own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from checklists.checklist_model import Checklist, ChecklistItem, Exclusion
from checklists.coverage import DocumentCoverage, ItemCoverage
from gui.models.base import ALIGN_CENTER, ATTENTION, MUTED, ROW_ROLE, Column, RowTableModel
from gui.models.tree import TOP, TwoLevelModel

Index = QModelIndex | QPersistentModelIndex
G = TypeVar("G")
R = TypeVar("R")
_GROUP = TOP  # internalId of a group row; a child row stores its group's row + 1

OBLIGATION_COLORS = {"法定义务": QColor("#8c1d18"), "规范义务": QColor("#1f4e8c")}
SEVERITY_COLORS = {"严重": ATTENTION}


@dataclass(frozen=True)
class Group(Generic[G, R]):
    value: G
    children: tuple[R, ...]


class GroupTreeModel(TwoLevelModel, Generic[G, R]):
    """Groups (bold) with their rows below. ``group_text(group, column)`` and the row
    :class:`Column` list give the cells; ROW_ROLE returns the row (or the group) itself."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        group_text: Callable[[G, int, int], str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._group_text = group_text
        self._groups: list[Group[G, R]] = []

    def set_groups(self, groups: Sequence[Group[G, R]]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def groups(self) -> list[Group[G, R]]:
        return list(self._groups)

    def row_count_total(self) -> int:
        return sum(len(g.children) for g in self._groups)

    def row_at(self, index: Index) -> R | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1].children[index.row()]

    def find(self, match: Callable[[R], bool]) -> QModelIndex:
        for g_row, group in enumerate(self._groups):
            for r_row, row in enumerate(group.children):
                if match(row):
                    return self.createIndex(r_row, 0, g_row + 1)
        return QModelIndex()

    def first_row_index(self) -> QModelIndex:
        return self.find(lambda _row: True)

    # --- QAbstractItemModel -----------------------------------------------------------------

    def group_count(self) -> int:
        return len(self._groups)

    def child_count(self, group_row: int) -> int:
        return len(self._groups[group_row].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _GROUP:
            group = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._group_text(group.value, col, len(group.children))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and col > 0:
                return QBrush(MUTED)
            if role == ROW_ROLE:
                return group.value
            return None
        row = self._groups[index.internalId() - 1].children[index.row()]
        column = self._columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(row)
            return QBrush(color) if color is not None else None
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- the generated checklist -------------------------------------------------------------------


def _item_question(item: ChecklistItem) -> str:
    mark = "［待确认适用］" if item.pending else ""
    return mark + item.question


def _item_tooltip(item: ChecklistItem) -> str:
    return item.note or item.question


ITEM_COLUMNS: tuple[Column[ChecklistItem], ...] = (
    Column("编码", lambda i: i.code),
    Column(
        "检查内容",
        _item_question,
        tooltip=_item_tooltip,
        color=lambda i: MUTED if i.pending else None,
    ),
    Column(
        "性质",
        lambda i: i.obligation,
        ALIGN_CENTER,
        color=lambda i: OBLIGATION_COLORS.get(i.obligation),
    ),
    Column(
        "严重程度",
        lambda i: i.severity,
        ALIGN_CENTER,
        color=lambda i: SEVERITY_COLORS.get(i.severity),
    ),
    Column("主管部门", lambda i: i.competent_department, ALIGN_CENTER),
    Column(
        "措施",
        lambda i: str(len(i.measures)) if i.measures else "—",
        ALIGN_CENTER,
        tooltip=lambda i: "\n".join(f"{m.ref} {m.title}" for m in i.measures) or None,
    ),
)


def _section_text(title: str, col: int, count: int) -> str:
    return title if col == 1 else (f"{count} 项" if col == 2 else "")


class ChecklistTreeModel(GroupTreeModel[str, ChecklistItem]):
    """The checklist grouped by section (with the theme's name when several are chosen)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ITEM_COLUMNS, _section_text, parent)

    def set_checklist(self, checklist: Checklist | None) -> None:
        if checklist is None:
            self.set_groups([])
            return
        names = {t.code: t.name for t in checklist.themes}
        multi = len(checklist.themes) > 1
        self.set_groups(
            [
                Group(f"{names[s.theme]} · {s.title}" if multi else s.title, checklist.items_in(s))
                for s in checklist.sections
            ]
        )

    def index_of(self, code: str) -> QModelIndex:
        return self.find(lambda i: i.code == code)

    def item_codes(self) -> list[str]:
        return [i.code for g in self._groups for i in g.children]


def exclusion_model(parent: Any = None) -> RowTableModel[Exclusion]:
    return RowTableModel(
        [
            Column("编码", lambda e: e.code),
            Column("检查内容", lambda e: e.question, tooltip=lambda e: e.question),
            Column("为何未列入", lambda e: e.reason, tooltip=lambda e: e.reason),
        ],
        parent=parent,
    )


def document_coverage_model(parent: Any = None) -> RowTableModel[DocumentCoverage]:
    return RowTableModel(
        [
            Column("文件", lambda d: d.short, tooltip=lambda d: d.title),
            Column("措施", lambda d: d.total, ALIGN_CENTER),
            Column("已有检查项", lambda d: len(d.covered), ALIGN_CENTER),
            Column(
                "尚未覆盖",
                lambda d: len(d.uncovered),
                ALIGN_CENTER,
                color=lambda d: ATTENTION if d.uncovered else None,
            ),
            Column("覆盖率", lambda d: f"{d.ratio:.0%}", ALIGN_CENTER),
        ],
        parent=parent,
    )


def _covered_text(i: ItemCoverage) -> str:
    text = "、".join(m.ref for m in i.measures) or "—"
    if i.unresolved:
        text += "；目录中没有：" + "、".join(i.unresolved)
    return text


def _covered_tooltip(i: ItemCoverage) -> str | None:
    lines = [f"{m.ref} {m.title}" for m in i.measures]
    if i.unresolved:
        lines.append("目录中找不到的措施引用：" + "、".join(i.unresolved))
    return "\n".join(lines) or None


def item_coverage_model(parent: Any = None) -> RowTableModel[ItemCoverage]:
    return RowTableModel(
        [
            Column("编码", lambda i: i.code),
            Column("检查内容", lambda i: i.question, tooltip=lambda i: i.question),
            Column(
                "覆盖的措施",
                _covered_text,
                tooltip=_covered_tooltip,
                color=lambda i: ATTENTION if i.unresolved else None,
            ),
        ],
        parent=parent,
    )
