"""The register of inspected units as a table: one row per unit, duplicates marked; and the
badge that marks demo rows in this and the inspections list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from gui import format as fmt
from gui.models.base import ATTENTION, ROW_ROLE, Column, RowTableModel
from services.entities import EntityInfo

DEMO_BADGE = "演示"
DEMO_TIP = "演示数据：仅供试用，不会随数据包导出"
BADGE_FILL = QColor("#fdf0d5")
BADGE_TEXT = QColor("#8a4b00")


class EntityTableModel(RowTableModel[EntityInfo]):
    def __init__(self, rows: Sequence[EntityInfo] = (), parent: Any = None) -> None:
        self._duplicates: set[str] = set()
        columns: tuple[Column[EntityInfo], ...] = (
            Column("单位名称", lambda e: e.name, tooltip=_name_tip),
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


def _name_tip(e: EntityInfo) -> str | None:
    lines = [x for x in (e.address, DEMO_TIP if e.demo else None) if x]
    return "\n".join(lines) or None


class DemoBadgeDelegate(QStyledItemDelegate):
    """Draws a small "演示" badge at the right of the cell of a demo row (one whose
    ``ROW_ROLE`` object has a true ``demo``), leaving the text itself as it is."""

    @staticmethod
    def is_demo(index: QModelIndex | QPersistentModelIndex) -> bool:
        return bool(getattr(index.data(ROW_ROLE), "demo", False))

    @staticmethod
    def badge_rect(cell: QRect, metrics: QFontMetrics) -> QRect:
        width = metrics.horizontalAdvance(DEMO_BADGE) + 10
        height = metrics.height() + 2
        return QRect(cell.right() - width - 4, cell.center().y() - height // 2 + 1,
                     width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if not self.is_demo(index):
            super().paint(painter, option, index)
            return
        badge = self.badge_rect(option.rect, option.fontMetrics)
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        widget = full.widget
        style = widget.style() if widget is not None else QApplication.style()
        # The row's background across the whole cell, then the text beside the badge.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, full, painter, widget)
        text = QStyleOptionViewItem(full)
        text.rect = QRect(option.rect.left(), option.rect.top(),
                          max(badge.left() - option.rect.left() - 4, 0), option.rect.height())
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text, painter, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_FILL)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(BADGE_TEXT)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, DEMO_BADGE)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if self.is_demo(index):
            size.setWidth(size.width() + self.badge_rect(option.rect, option.fontMetrics).width()
                          + 8)
        return size
