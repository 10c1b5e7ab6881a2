"""The policy documents of the library page: a table model, shown as cards in a list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from checklists.catalog_view import DocumentSummary
from gui import format as fmt
from gui.models.base import (
    ALIGN_CENTER,
    ALIGN_NUMBER,
    ATTENTION,
    HTML_ROLE,
    Column,
    RowTableModel,
)


def _title_tip(d: DocumentSummary) -> str:
    lines = [d.title]
    if d.issuers:
        lines.append("发文单位：" + "、".join(d.issuers))
    lines.append("随程序提供的文件" if d.bundled else "导入的文件")
    return "\n".join(lines)


def card_html(d: DocumentSummary) -> str:
    """The document as a small card: title, then region, 文号 and date, then counts."""
    meta = [d.region_name or "地区未识别", d.doc_number or "无文号", d.date or "日期不详"]
    counts = f"{d.measures} 项措施"
    if d.to_verify:
        counts += f'　<span style="color:#b3261e;">{d.to_verify} 项待核</span>'
    return (
        f"<b>{fmt.esc(d.title)}</b><br/>"
        f'<span style="color:#4b5563;">{fmt.esc(" · ".join(meta))}</span><br/>'
        f'<span style="color:#1f4e8c;">{counts}</span>'
    )


COLUMNS: tuple[Column[DocumentSummary], ...] = (
    Column("文件标题", lambda d: d.title, tooltip=_title_tip),
    Column(
        "地区",
        lambda d: d.region_name or "未识别",
        tooltip=lambda d: fmt.region_path(d.region_code),
    ),
    Column("文号", lambda d: d.doc_number or "—"),
    Column("成文日期", lambda d: d.date or "—", align=ALIGN_CENTER),
    Column("措施", lambda d: d.measures, align=ALIGN_NUMBER),
    Column(
        "待核",
        lambda d: d.to_verify or "",
        align=ALIGN_NUMBER,
        tooltip=lambda d: f"{d.to_verify} 项措施需要核对原文" if d.to_verify else None,
        color=lambda d: ATTENTION if d.to_verify else None,
    ),
)


class DocumentTableModel(RowTableModel[DocumentSummary]):
    def __init__(self, rows: Sequence[DocumentSummary] = (), parent: Any = None) -> None:
        super().__init__(COLUMNS, rows, parent)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == HTML_ROLE and index.isValid() and 0 <= index.row() < len(self._rows):
            return card_html(self._rows[index.row()])
        return super().data(index, role)

    def row_of(self, document_id: str) -> int:
        return next((i for i, d in enumerate(self._rows) if d.id == document_id), -1)
