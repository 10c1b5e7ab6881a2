"""Starting the application: the stylesheet loads, a database error is told in Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from gui import app, messages
from models.db import Database, DatabaseError


def test_a_database_that_cannot_be_opened_is_reported_and_the_app_exits(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "error", lambda _p, text, *, title="", **_k: told.append((title, text))
    )
    monkeypatch.setattr(app, "configure", lambda _app, **_kw: None)

    def open_db() -> Database:
        raise DatabaseError("demo.sqlite 已损坏（完整性检查未通过），请从备份恢复。")

    assert app.run_gui(open_db) == 1
    assert told == [("无法打开数据库", "demo.sqlite 已损坏（完整性检查未通过），请从备份恢复。")]


def test_the_bundled_stylesheet_is_found() -> None:
    qss = app.stylesheet()
    assert "QListWidget#sidebar" in qss


def test_the_chosen_font_is_a_chinese_one_when_one_is_installed(qapp: Any) -> None:
    import sys

    from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

    installed = [f for f in app.CJK_FONTS if f in set(QFontDatabase.families())]
    font = app.choose_font()
    assert font.families() == list(app.CJK_FONTS)
    if installed:  # what Qt draws with: the first of them that is installed
        assert QFontInfo(font).family() == installed[0]
    assert font.pointSize() == app.FONT_POINT_SIZE
    if sys.platform.startswith("linux"):
        assert font.hintingPreference() == QFont.HintingPreference.PreferNoHinting


def test_a_broken_data_file_is_reported_and_the_app_exits(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checklists.datafiles import DataFileError

    told: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: told.append(text))
    monkeypatch.setattr(app, "configure", lambda _app, **_kw: None)

    def open_db() -> Database:
        raise DataFileError("数据文件格式错误：topics.yaml第3行")

    assert app.run_gui(open_db) == 1
    assert told and "topics.yaml" in told[0]


def test_an_error_in_a_slot_is_shown_in_chinese_and_a_full_disk_is_named(
    db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from PySide6.QtWidgets import QPushButton, QWidget
    from sqlalchemy import text

    from models.db import DISK_FULL
    from services.settings import set_setting

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "error", lambda _p, text, *, title="", **_k: told.append((title, text))
    )
    window = QWidget()
    qtbot.addWidget(window)
    previous = app.install_error_dialog(window)
    try:
        def save_too_much() -> None:  # a slot whose write hits a full disk
            with db.session() as s:
                pages = s.execute(text("PRAGMA page_count")).scalar()
                s.execute(text(f"PRAGMA max_page_count = {pages}"))
                for i in range(2000):
                    set_setting(s, f"filler-{i}", "很长的文本" * 200)

        button = QPushButton(window)
        button.clicked.connect(save_too_much)
        with qtbot.capture_exceptions() as raised:
            button.click()
        assert raised, "the slot's error reaches the event loop"
        exc = raised[0][1]
        sys.excepthook(type(exc), exc, None)  # what PySide hands the hook outside pytest-qt
    finally:
        sys.excepthook = previous
    assert told == [("操作未完成", DISK_FULL)]
    chinese = "统一社会信用代码校验位不正确"
    assert app.error_text(ValueError(chinese)) == chinese
    assert "没有权限读写 /x.pdf" in app.error_text(PermissionError(13, "Permission denied",
                                                                 "/x.pdf"))
    fault = app.error_text(RuntimeError("unexpected"))  # a fault of the program: logged
    assert fault.startswith("程序出错") and "详细信息已写入" in fault and "errors.log" in fault


def test_the_application_is_made_in_the_fusion_style_with_the_command_line_kept() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; sys.argv = ['main.py', '--db', 'x.sqlite']\n"
        "from gui.app import create_application\n"
        "app = create_application()\n"
        "print(app.style().name(), sys.argv[1:])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          cwd=Path(__file__).resolve().parents[2], check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "fusion ['--db', 'x.sqlite']"
