"""Preferences of this computer's user, kept in QSettings rather than in the database: they
belong to the person at the keyboard, not to the records."""

from __future__ import annotations

from PySide6.QtCore import QSettings

#: 判定后自动跳到下一未答项 (on unless turned off).
AUTO_ADVANCE_KEY = "entry/auto_advance"


def auto_advance() -> bool:
    """Whether a judgement moves the cursor on to the next unanswered item (default: yes)."""
    value = QSettings().value(AUTO_ADVANCE_KEY, True)
    return value not in (False, "false", "0", 0)


def set_auto_advance(on: bool) -> None:
    QSettings().setValue(AUTO_ADVANCE_KEY, bool(on))
