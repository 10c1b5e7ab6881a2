"""The window on a database on a PostgreSQL server: no database file, so no file backups and no
file check; 设置 says who backs it up and where its photos and attachments are, and the start
page speaks of the shared database rather than of this computer.

These tests open a real server database (``SHENGYU_TEST_PG``, the throwaway server
``./dev test`` starts); the GUI tests otherwise run on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from gui import messages
from gui.dialogs.settings import SettingsDialog
from gui.main_window import MainWindow
from gui.pages.exchange import ExchangePage
from gui.pages.start import StartPage
from models.db import Database, open_database
from services.first_steps import NUMBERS
from services.settings import ORGANISATION, get_setting
from tests import engines

pytestmark = [
    pytest.mark.skipif(engines.server_url() is None,
                       reason=f"{engines.PG_ENV} names no PostgreSQL server to open"),
    pytest.mark.qt_log_ignore("This plugin does not support"),
]


@pytest.fixture
def server_db(tmp_path: Path) -> Iterator[Database]:
    """A new database with the bundled catalog on the test server, opened by a URL that
    carries a password (the server trusts the socket, so it is not needed; it must never be
    shown), its evidence in a folder not yet made."""
    server = engines.server()
    url = server.new_database(catalog=True)
    database = open_database(url.set(password="geheim-123"),
                             evidence_dir=tmp_path / "shared" / "evidence")
    try:
        yield database
    finally:
        database.dispose()
        server.drop(url)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {"info": [], "warning": [], "error": []}
    for kind in said:
        monkeypatch.setattr(messages, kind,
                            lambda _p, text, *, _kind=kind, **_k: said[_kind].append(text))
    return said


def test_settings_names_the_server_database_without_its_password(
        server_db: Database, qtbot: Any) -> None:
    dialog = SettingsDialog(server_db)
    qtbot.addWidget(dialog)
    shown = dialog.database_path_edit.text()
    assert shown == server_db.location
    assert shown.startswith("postgresql+psycopg://postgres:***@/")
    assert "geheim" not in shown and "None" not in shown
    assert dialog.evidence_edit is not None
    assert dialog.evidence_edit.text() == str(server_db.evidence_root)


def test_settings_offers_no_file_backup_or_file_check_and_says_who_backs_it_up(
        server_db: Database, qtbot: Any, told: dict[str, list[str]]) -> None:
    dialog = SettingsDialog(server_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    for widget in (dialog.backup_table, dialog.backup_button, dialog.verify_button,
                   dialog.restore_button, dialog.integrity_button, dialog.integrity_label):
        assert widget.isHidden() and not widget.isVisible()
    for button in (dialog.backup_button, dialog.verify_button, dialog.restore_button,
                   dialog.integrity_button):
        assert not button.isEnabled()
    note = dialog.backup_note.text()
    assert dialog.backup_note.isVisible()
    assert "数据库管理员" in note and "pg_dump" in note and "pg_restore" in note
    assert str(server_db.evidence_root) in note and "一同备份" in note
    # Nothing a hidden button would start runs on a server, even when asked directly.
    assert dialog.take_backup() is None
    assert dialog.check_integrity() is None
    assert dialog.verify_selected() is None and dialog.restore_selected() is None
    assert dialog.backups == []
    assert told == {"info": [], "warning": [], "error": []}


def test_open_folder_shows_the_evidence_folder_making_it_first(
        server_db: Database, qtbot: Any, told: dict[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    dialog = SettingsDialog(server_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    assert dialog.open_folder_button.isVisible()
    assert dialog.open_folder_button.text() == "打开所在文件夹"
    assert not server_db.evidence_root.exists()
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [server_db.evidence_root]
    assert server_db.evidence_root.is_dir()
    assert not told["warning"]


def test_settings_are_saved_in_the_server_database(server_db: Database, qtbot: Any) -> None:
    dialog = SettingsDialog(server_db)
    qtbot.addWidget(dialog)
    dialog.organisation_edit.setText("中卫市卫生健康委员会")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    with server_db.session() as s:
        assert get_setting(s, ORGANISATION) == "中卫市卫生健康委员会"


def test_the_window_on_a_server_database_speaks_of_the_shared_database(
        server_db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Database] = []
    monkeypatch.setattr(SettingsDialog, "ask",
                        classmethod(lambda _cls, _parent, db, **_k: asked.append(db)))
    window = MainWindow(server_db)
    qtbot.addWidget(window)
    assert window.current_page_key() == "start"
    page = window.stack.currentWidget()
    assert isinstance(page, StartPage)
    assert "服务器上的新数据库" in page.intro_label.text()
    assert "不会写入服务器上的数据库" in page.demo_label.text()
    assert page.name_labels[NUMBERS].text() == "本数据库文书编号号段"
    assert "共用这些号段" in page.detail_labels[NUMBERS].text()
    assert "本机" not in page.detail_labels[NUMBERS].text()
    assert window.db_label.text() == f"数据库：{server_db.location}"
    assert "geheim" not in window.db_label.text()
    # The whole-file check in the background has no file to read.
    assert window.check_integrity_in_background() is None
    exchange = window.show_page("exchange")
    assert isinstance(exchange, ExchangePage)
    assert "pg_dump" in exchange.import_button.toolTip()
    assert "自动备份" not in exchange.import_button.toolTip()
    window.open_settings()
    assert asked == [server_db]


def test_every_page_builds_on_a_server_database(server_db: Database, qtbot: Any) -> None:
    window = MainWindow(server_db)
    qtbot.addWidget(window)
    for key in window.page_keys():
        page = window.show_page(key)
        assert window.current_page_key() == key and window.stack.currentWidget() is page
