"""The measures of a freshly parsed document, as the import dialog previews them."""

from __future__ import annotations

from typing import Any

from checklists.catalog_view import TargetView
from checklists.parsing.model import ParsedDocument, ParsedMeasure
from gui import format as fmt
from gui.models.base import ALIGN_CENTER, ATTENTION, Column, RowTableModel


def _targets(m: ParsedMeasure) -> str:
    return "；".join(
        f"{t.indicator} {fmt.requirement(TargetView.from_parsed(t))}" for t in m.targets
    )


def _others(m: ParsedMeasure) -> str:
    return "、".join(u.name for u in m.units if u.role != "lead")


COLUMNS: tuple[Column[ParsedMeasure], ...] = (
    Column("编号", lambda m: m.number, align=ALIGN_CENTER, tooltip=lambda m: m.path),
    Column("标题", lambda m: m.title, tooltip=lambda m: m.text),
    Column("牵头单位", lambda m: "、".join(m.lead_units)),
    Column(
        "责任单位",
        _others,
        tooltip=lambda m: (
            "\n".join(f"{fmt.role_label(u.role)}：{u.name}" for u in m.units if u.role != "lead")
            or None
        ),
    ),
    Column("目标指标", _targets, tooltip=lambda m: _targets(m) or None),
    Column("核对", lambda m: "、".join(m.flags), color=lambda m: ATTENTION if m.flags else None),
)


class ParsedMeasureTableModel(RowTableModel[ParsedMeasure]):
    def __init__(self, doc: ParsedDocument | None = None, parent: Any = None) -> None:
        super().__init__(COLUMNS, doc.measures if doc else (), parent)

    def set_document(self, doc: ParsedDocument | None) -> None:
        self.update_rows(doc.measures if doc else ())
