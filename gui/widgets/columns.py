"""Column widths for tables and trees that can be long."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHeaderView


def size_columns(header: QHeaderView, chars: Sequence[int], stretch: int) -> None:
    """Fixed column widths of about ``chars`` CJK characters, one column stretched; the user
    can still drag them wider. Measuring contents instead (ResizeToContents) reads every row
    each time the view is laid out, which makes a long list slow to show."""
    em = header.fontMetrics().horizontalAdvance("中")
    header.setStretchLastSection(False)
    for col, n in enumerate(chars):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, n * em + 16)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
