"""Search results: one row per measure, with the matched words marked for the delegate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from gui import format as fmt
from gui.models.base import HTML_ROLE, ROW_ROLE
from services.catalog import SearchHit

Index = QModelIndex | QPersistentModelIndex


def hit_html(hit: SearchHit) -> str:
    head = (
        f'<span style="color:#1f4e8c;font-weight:600;">{fmt.esc(hit.document_short)}'
        f" · {fmt.esc(hit.number)}</span>&nbsp;&nbsp;"
        f"<b>{fmt.highlighted(hit.title, hit.title_spans)}</b>"
    )
    body = f'<span style="color:#374151;">{fmt.highlighted(hit.snippet, hit.spans)}</span>'
    return f"{head}<br/>{body}"


class SearchHitModel(QAbstractListModel):
    def __init__(self, hits: Sequence[SearchHit] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._hits = list(hits)

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.document_short} {hit.number} {hit.title}\n{hit.snippet}"
        if role == HTML_ROLE:
            return hit_html(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.document_short} 第{hit.number}项：{hit.title}"
        if role == ROW_ROLE:
            return hit
        return None
