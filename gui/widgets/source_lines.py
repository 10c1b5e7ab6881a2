"""The imported text, line by line, beside the parse: which lines a measure was read from, and
which lines the user wants read differently (标为措施 / 标为标题)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_SHOWN = QBrush(QColor("#e8f0fb"))  # the lines of the measure selected in the table
_PLAIN = QBrush()


class SourceLines(QWidget):
    """A read-only list of the source lines, numbered from 1. The user selects a run of lines
    and asks for it to be read as a measure or as a heading."""

    markMeasure = Signal(int, int)  # first, last line (0-based, inclusive)
    markHeading = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAccessibleName("原文")
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.measure_button = QPushButton("选中行标为措施")
        self.measure_button.setToolTip("解析漏掉了一项措施时使用：选中它所在的一行或几行")
        self.heading_button = QPushButton("标为标题")
        self.heading_button.setToolTip("选中的一行是小标题，不是措施：其后的措施归入这一标题")
        self.measure_button.clicked.connect(self._mark_measure)
        self.heading_button.clicked.connect(self._mark_heading)
        caption = QLabel("原文（浅蓝色为所选措施所在的行）")
        caption.setObjectName("pageSubtitle")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.measure_button)
        buttons.addWidget(self.heading_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(caption)
        box.addWidget(self.list, 1)
        box.addLayout(buttons)
        self._shown: tuple[int, int] | None = None
        self._selection_changed()

    def set_lines(self, lines: list[str]) -> None:
        self.list.clear()
        width = len(str(len(lines)))
        for k, text in enumerate(lines, 1):
            self.list.addItem(QListWidgetItem(f"{k:>{width}}  {text.rstrip()}"))
        self._shown = None

    def selected_range(self) -> tuple[int, int] | None:
        rows = sorted(self.list.row(item) for item in self.list.selectedItems())
        return (rows[0], rows[-1]) if rows else None

    def select_range(self, first: int, last: int) -> None:
        self.list.clearSelection()
        for row in range(first, last + 1):
            item = self.list.item(row)
            if item is not None:
                item.setSelected(True)

    def show_range(self, span: tuple[int, int] | None) -> None:
        """Tint the lines of the measure selected in the table and scroll to them."""
        if self._shown is not None:
            self._paint(self._shown, _PLAIN)
        self._shown = span
        if span is None:
            return
        self._paint(span, _SHOWN)
        item = self.list.item(span[0])
        if item is not None:
            self.list.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)

    def shown_range(self) -> tuple[int, int] | None:
        return self._shown

    def _paint(self, span: tuple[int, int], brush: QBrush) -> None:
        for row in range(span[0], span[1] + 1):
            item = self.list.item(row)
            if item is not None:
                item.setBackground(brush)

    def _selection_changed(self) -> None:
        span = self.selected_range()
        self.measure_button.setEnabled(span is not None)
        self.heading_button.setEnabled(span is not None and span[0] == span[1])

    def _mark_measure(self) -> None:
        span = self.selected_range()
        if span is not None:
            self.markMeasure.emit(*span)

    def _mark_heading(self) -> None:
        span = self.selected_range()
        if span is not None:
            self.heading_button.setEnabled(False)
            self.markHeading.emit(span[0])
