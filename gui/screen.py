"""Sizing windows and dialogs to the screen they open on (a 1366×768 laptop included)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room left for the window manager's title bar and borders, which the window's own size
#: does not include.
FRAME_ALLOWANCE = QSize(16, 40)


def fit_to_screen(window: QWidget, preferred: QSize, parent: QWidget | None = None, *,
                  centre: bool = True) -> QRect:
    """Size ``window`` to ``preferred`` or the screen's free area, whichever is smaller (never
    below what its contents need), so that nothing runs under the task bar; centred on the
    screen, or (``centre=False``, a dialog) where Qt places it, over its parent."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    free = screen.availableGeometry()
    size = preferred.boundedTo(free.size() - FRAME_ALLOWANCE)
    size = size.expandedTo(window.minimumSizeHint().boundedTo(free.size()))
    window.resize(size)
    left = free.x() + max((free.width() - size.width()) // 2, 0)
    top = free.y() + max((free.height() - size.height() - FRAME_ALLOWANCE.height()) // 2, 0)
    if centre:
        window.move(left, top)
    return QRect(left, top, size.width(), size.height())
