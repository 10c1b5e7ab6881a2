"""The inspector roster and the declared conflicts (回避) of one unit, as tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gui.models.base import ALIGN_CENTER, MUTED, Column, RowTableModel
from rules.china_time import beijing
from services.roster import ConflictInfo, InspectorInfo

INSPECTOR_COLUMNS: tuple[Column[InspectorInfo], ...] = (
    Column("姓名", lambda i: i.name, color=lambda i: None if i.active else MUTED),
    Column("部门", lambda i: i.department),
    Column("执法证号", lambda i: i.cert_no or "—",
           tooltip=lambda i: None if i.cert_no else "无执法证号：不能作为执法检查的执法人员"),
    Column("状态", lambda i: "在岗" if i.active else "停用", align=ALIGN_CENTER,
           color=lambda i: None if i.active else MUTED),
)

CONFLICT_COLUMNS: tuple[Column[ConflictInfo], ...] = (
    Column("检查人员", lambda c: c.inspector_name),
    Column("被检查单位", lambda c: c.entity_name, tooltip=lambda c: c.entity_name),
    Column("回避事由", lambda c: c.reason, tooltip=lambda c: c.reason),
    Column("登记时间", lambda c: beijing(c.declared_at).strftime("%Y-%m-%d"),
           align=ALIGN_CENTER),
)


class InspectorTableModel(RowTableModel[InspectorInfo]):
    def __init__(self, rows: Sequence[InspectorInfo] = (), parent: Any = None) -> None:
        super().__init__(INSPECTOR_COLUMNS, rows, parent)

    def row_of(self, inspector_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == inspector_id), -1)


class ConflictTableModel(RowTableModel[ConflictInfo]):
    def __init__(self, rows: Sequence[ConflictInfo] = (), parent: Any = None) -> None:
        super().__init__(CONFLICT_COLUMNS, rows, parent)
