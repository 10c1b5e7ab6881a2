"""The whole database checked on demand in 设置 (off the GUI thread, cancellable) and in the
background after start-up, with a banner in the main window when it finds a problem."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from gui import messages
from gui.dialogs import settings as settings_module
from gui.dialogs.settings import SettingsDialog
from gui.main_window import MainWindow
from models.db import Database
from rules.progress import Cancelled
from services.integrity import last_check
from tests.models.faults import damage_table, fill_audit_log


def _damage(db: Database) -> None:
    db.engine.dispose()  # no connection keeps a page it read before
    fill_audit_log(db.path)
    damage_table(db.path)


def _last_check(db: Database) -> object:
    with db.session() as s:
        return last_check(s)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {"info": [], "warning": [], "error": []}
    for kind in said:
        monkeypatch.setattr(messages, kind,
                            lambda _p, text, *, _kind=kind, **_k: said[_kind].append(text))
    return said


def _dialog(db: Database, qtbot: Any) -> SettingsDialog:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def test_the_check_in_settings_finds_a_sound_database_sound_and_remembers_when(
    db: Database, qtbot: Any, told: dict[str, list[str]]
) -> None:
    dialog = _dialog(db, qtbot)
    assert dialog.integrity_button.text() == "检查数据库完整性"
    assert "尚未检查" in dialog.integrity_label.text()
    qtbot.mouseClick(dialog.integrity_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.integrity is not None, timeout=30_000)
    assert told["info"] and "完整性检查通过" in told["info"][0]
    assert not told["warning"] and not told["error"]
    assert "上次检查通过" in dialog.integrity_label.text()
    assert dialog.integrity_button.isEnabled()
    assert _last_check(db) is not None


def test_the_check_in_settings_finds_a_damaged_page_and_says_to_restore(
    db: Database, qtbot: Any, told: dict[str, list[str]]
) -> None:
    _damage(db)
    dialog = _dialog(db, qtbot)
    task = dialog.check_integrity()
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert dialog.integrity is not None and not dialog.integrity.ok
    (warning,) = told["warning"]
    assert "发现问题" in warning and "恢复所选" in warning and "设置" in warning
    assert _last_check(db) is None  # a failed check is not remembered: it is asked again


def test_the_check_in_settings_can_be_cancelled(
    db: Database, qtbot: Any, told: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = threading.Event()  # set once 取消 has been pressed

    def slow(_path: Path, _progress: Any, is_cancelled: Any) -> object:
        asked.wait(20)  # a long check, until it is cancelled
        assert is_cancelled()
        raise Cancelled("已取消完整性检查。")

    monkeypatch.setattr(settings_module, "check_database", slow)
    dialog = _dialog(db, qtbot)
    task = dialog.check_integrity()
    assert not dialog.integrity_button.isEnabled()
    (progress,) = dialog.findChildren(QProgressDialog)
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        progress.canceled.emit()  # the dialog's 取消 button
        asked.set()
    assert "已取消" in dialog.integrity_label.text()
    assert dialog.integrity_button.isEnabled()
    assert dialog.integrity is None and not any(told.values())


def _window(db: Database, qtbot: Any) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    return window


def test_the_background_check_shows_a_problem_in_a_banner_that_leads_to_settings(
    catalog_db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damage(catalog_db)
    window = _window(catalog_db, qtbot)
    assert not window.integrity_label.isVisibleTo(window)
    window.check_integrity_later(0)  # as at start-up, once the window is up
    qtbot.waitUntil(lambda: window.integrity_label.isVisibleTo(window), timeout=30_000)
    text = window.integrity_label.text()
    assert "发现问题" in text and "设置 → 数据与备份" in text and "恢复" in text
    opened: list[Database] = []
    monkeypatch.setattr(SettingsDialog, "ask",
                        classmethod(lambda _cls, _parent, db, **_k: opened.append(db)))
    window.integrity_label.linkActivated.emit("settings")
    assert opened == [catalog_db]
    assert _last_check(catalog_db) is None


def test_the_background_check_of_a_sound_database_is_remembered_and_not_repeated_for_days(
    catalog_db: Database, qtbot: Any
) -> None:
    window = _window(catalog_db, qtbot)
    task = window.check_integrity_in_background()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert not window.integrity_label.isVisibleTo(window)
    assert _last_check(catalog_db) is not None
    assert window.check_integrity_in_background() is None  # checked just now: not due


def test_closing_the_window_stops_a_background_check(
    catalog_db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.integrity as integrity

    closed = threading.Event()  # set once the window has been closed

    def slow(_path: Path, _progress: Any = None, is_cancelled: Any = None) -> object:
        closed.wait(20)  # a long check, until the window closes
        assert is_cancelled()
        raise Cancelled("已取消完整性检查。")

    monkeypatch.setattr(integrity, "check_database", slow)
    window = _window(catalog_db, qtbot)
    task = window.check_integrity_in_background()
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        window.close()
        closed.set()
    assert not window.integrity_label.isVisibleTo(window)
