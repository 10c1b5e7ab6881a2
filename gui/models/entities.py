"""The register of inspected units as a table: one row per unit, duplicates marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gui import format as fmt
from gui.models.base import ATTENTION, Column, RowTableModel
from models.entities import EntityInfo


class EntityTableModel(RowTableModel[EntityInfo]):
    def __init__(self, rows: Sequence[EntityInfo] = (), parent: Any = None) -> None:
        self._duplicates: set[str] = set()
        columns: tuple[Column[EntityInfo], ...] = (
            Column("单位名称", lambda e: e.name + ("（演示）" if e.demo else ""),
                   tooltip=lambda e: e.address or None),
            Column("单位类型", lambda e: e.type_label),
            Column("统一社会信用代码", lambda e: e.credit_code or "—",
                   tooltip=self._duplicate_tip, color=self._duplicate_color),
            Column("行政区划", lambda e: _region(e.region_code),
                   tooltip=lambda e: fmt.region_path(e.region_code) or None),
            Column("地址", lambda e: e.address or ""),
            Column("联系人", lambda e: " ".join(x for x in (e.contact_name, e.contact_phone) if x)),
        )
        super().__init__(columns, rows, parent)

    def set_duplicates(self, codes: set[str]) -> None:
        """Credit codes registered more than once; their cells are marked."""
        self._duplicates = set(codes)
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 2))

    def row_of(self, entity_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == entity_id), -1)

    def _duplicate_tip(self, e: EntityInfo) -> str | None:
        if e.credit_code and e.credit_code in self._duplicates:
            return "此统一社会信用代码登记了不止一个单位，请核对合并"
        return None

    def _duplicate_color(self, e: EntityInfo) -> Any:
        return ATTENTION if e.credit_code and e.credit_code in self._duplicates else None


def _region(code: str | None) -> str:
    if not code:
        return ""
    path = fmt.region_path(code)
    return path.split(" ")[-1] if path != code else code
