"""Measures one department (or a kind of department) leads or shares, across documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gui import format as fmt
from gui.models.base import ALIGN_CENTER, Column, RowTableModel
from services.catalog import DepartmentMeasure

COLUMNS: tuple[Column[DepartmentMeasure], ...] = (
    Column("文件", lambda m: m.document_short, tooltip=lambda m: m.document_title),
    Column("编号", lambda m: m.number, align=ALIGN_CENTER),
    Column("措施", lambda m: m.title, tooltip=lambda m: m.title),
    Column("角色", lambda m: fmt.roles_label(m.roles), align=ALIGN_CENTER),
    Column("文中写法", lambda m: "、".join(m.names_as_written)),
)


class DepartmentMeasureTableModel(RowTableModel[DepartmentMeasure]):
    def __init__(self, rows: Sequence[DepartmentMeasure] = (), parent: Any = None) -> None:
        super().__init__(COLUMNS, rows, parent)
