"""The inspection window: keyboard entry, 回头看, evidence, the 笔录 and signatures.

Other pages open an inspection through :func:`open_inspection` only; the window's parts live
in the modules of this package.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from gui.context import PageContext

_open: dict[tuple[str, int], QWidget] = {}


def open_inspection(ctx: PageContext, inspection_id: int,
                    parent: QWidget | None = None) -> QWidget:
    """Show the window of one inspection (raising it if it is already open) and return it."""
    from gui.inspection.window import InspectionWindow

    key = (ctx.db.location, inspection_id)
    window = _open.get(key)
    if window is not None and shiboken6.isValid(window) and window.isVisible():
        window.raise_()
        window.activateWindow()
        return window
    window = InspectionWindow(ctx, inspection_id, parent=parent)
    _open[key] = window
    window.destroyed.connect(lambda _=None, k=key: _open.pop(k, None))
    window.show()
    return window


def close_all() -> bool:
    """Close every open inspection window; False when one of them would not close."""
    for window in list(_open.values()):
        if shiboken6.isValid(window) and window.isVisible() and not window.close():
            return False
    return True


__all__ = ["close_all", "open_inspection"]
