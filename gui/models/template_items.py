"""The template editor's list: one theme's items by section, each marked with where it comes
from (the shipped file or the user's layer) and whether it is disabled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor

from checklists.template_model import Section, TemplateItem, Theme
from gui.models.base import ALIGN_CENTER, MUTED, Column
from gui.models.checklist_items import Group, GroupTreeModel
from services.user_templates import UserEdit

EDITED = QColor("#1f4e8c")
ADDED = QColor("#0f6b3a")


@dataclass(frozen=True)
class TemplateRow:
    item: TemplateItem  # the effective item (user layer laid over the shipped one)
    shipped: bool  # the shipped file has an item with this code
    edited: bool  # the user layer holds its own text for it
    disabled: bool

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def status(self) -> str:
        if not self.shipped:
            origin = "新增"
        elif self.edited:
            origin = "已修改"
        else:
            origin = "内置"
        return f"{origin}·已停用" if self.disabled else origin


def template_rows(
    shipped: Theme, effective: Theme, edits: dict[str, UserEdit]
) -> list[Group[Section, TemplateRow]]:
    """The effective theme's items by section, with their origin and state."""
    rows = []
    for item in effective.items:
        edit = edits.get(item.code)
        rows.append(
            TemplateRow(
                item=item,
                shipped=shipped.item(item.code) is not None,
                edited=edit is not None and edit.payload is not None,
                disabled=not item.enabled,
            )
        )
    return [
        Group(sec, tuple(r for r in rows if r.item.section == sec.code))
        for sec in effective.sections
    ]


def _color(row: TemplateRow) -> QColor | None:
    if row.disabled:
        return MUTED
    if not row.shipped:
        return ADDED
    return EDITED if row.edited else None


COLUMNS: tuple[Column[TemplateRow], ...] = (
    Column("编码", lambda r: r.code, color=_color),
    Column(
        "检查内容",
        lambda r: r.item.question,
        tooltip=lambda r: r.item.question,
        color=lambda r: MUTED if r.disabled else None,
    ),
    Column(
        "状态",
        lambda r: r.status,
        ALIGN_CENTER,
        color=_color,
        tooltip=lambda r: {
            "内置": "随程序提供的检查项，未改动",
            "已修改": "用户模板层中保存了修改后的内容",
            "新增": "用户新增的检查项",
        }.get(r.status.split("·")[0]),
    ),
    Column("性质", lambda r: r.item.obligation, ALIGN_CENTER),
    Column("主管部门", lambda r: r.item.competent_department, ALIGN_CENTER),
)


def _section_text(sec: Section, col: int, count: int) -> str:
    return {0: sec.code, 1: sec.title, 2: f"{count} 项"}.get(col, "")


class TemplateTreeModel(GroupTreeModel[Section, TemplateRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, _section_text, parent)

    def index_of(self, code: str) -> QModelIndex:
        return self.find(lambda r: r.code == code)

    def rows(self) -> list[TemplateRow]:
        return [r for g in self.groups() for r in g.children]

    def row_for(self, code: str) -> TemplateRow | None:
        return next((r for r in self.rows() if r.code == code), None)
