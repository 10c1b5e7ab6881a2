"""开始使用: a new database opens on the setup steps, each done or not and a click away;
the demo data is written by the program's own ``demo`` command in a process of its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from gui.main_window import MainWindow
from gui.pages.start import StartPage, program_command
from models.db import Database
from rules.china_time import today
from services.entities import create_entity
from services.first_steps import (
    CATALOG,
    NUMBERS,
    OFFICE,
    ORG_WORD,
    ROSTER,
    UNITS,
    first_steps,
    is_new_database,
)
from services.numbering import reserve_block
from services.roster import add_inspector
from services.settings import JURISDICTION, ORG_CODE, ORG_DEPARTMENT, ORGANISATION, set_setting

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(catalog_db: Database, qtbot: Any) -> MainWindow:
    widget = MainWindow(catalog_db)
    qtbot.addWidget(widget)
    return widget


def test_a_new_database_opens_on_the_steps_with_only_the_catalog_done(
        window: MainWindow) -> None:
    assert window.current_page_key() == "start"
    page = window.stack.currentWidget()
    assert isinstance(page, StartPage)
    assert page.step_done(CATALOG)
    assert "5 份政策文件" in page.detail_labels[CATALOG].text()
    for key in (OFFICE, ORG_WORD, NUMBERS, ROSTER, UNITS):
        assert not page.step_done(key), key
        assert page.status_labels[key].text() == "○ 未完成"
    assert page.summary_label.text() == "还有 5 步未完成。"


def test_each_step_shows_done_once_it_is_done_and_the_page_says_when_all_are(
        window: MainWindow, catalog_db: Database) -> None:
    page = window.page("start")
    assert isinstance(page, StartPage)
    with catalog_db.session() as s:
        set_setting(s, JURISDICTION, "640521")
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
        set_setting(s, ORG_CODE, "中宁卫")
    window.events.settingsChanged.emit()
    assert page.step_done(OFFICE) and page.step_done(ORG_WORD)
    assert "中宁卫责改" in page.detail_labels[ORG_WORD].text()
    with catalog_db.session() as s:
        reserve_block(s, suffix="责改", year=today().year, start=1, end=200)
        add_inspector(s, name="王敏", department="卫生健康", cert_no="ZF64000001")
        create_entity(s, name="中宁县万达广场", type_code="commercial_center")
    window.events.registryChanged.emit()
    assert page.step_done(NUMBERS) and "1–200号" in page.detail_labels[NUMBERS].text()
    assert page.step_done(ROSTER) and page.step_done(UNITS)
    assert page.summary_label.text() == "设置已全部完成，可以开始检查。"
    with catalog_db.session() as s:
        assert not is_new_database(s)
        assert all(step.done for step in first_steps(s))


def test_many_blocks_are_counted_not_listed_and_the_example_number_is_one_of_them(
        window: MainWindow, catalog_db: Database) -> None:
    page = window.page("start")
    assert isinstance(page, StartPage)
    year = today().year
    suffixes = ("卫监意", "责改", "建议", "移", "督办")
    with catalog_db.session() as s:
        set_setting(s, ORG_CODE, "中宁卫")
        for n, suffix in enumerate(suffixes):
            reserve_block(s, suffix=suffix, year=year, start=100 * n + 1, end=100 * n + 50)
    window.events.registryChanged.emit()
    shown = page.detail_labels[NUMBERS].text()
    assert shown.startswith(f"已预留 {len(suffixes)} 个号段：") and "整改跟踪" in shown
    assert shown.count("号、") == 2  # three are named
    example = page.detail_labels[ORG_WORD].text()
    assert example.startswith("文书编号如：中宁卫") and f"〔{year}〕" in example
    assert any(f"中宁卫{sfx}〔" in example for sfx in suffixes)
    # with the office's department known, the example is of the document it issues most
    with catalog_db.session() as s:
        set_setting(s, ORG_DEPARTMENT, "卫生健康")
    window.events.settingsChanged.emit()
    assert page.detail_labels[ORG_WORD].text() == f"文书编号如：中宁卫卫监意〔{year}〕第1号"


def test_the_step_buttons_open_the_registers_and_the_settings(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    page = window.page("start")
    assert isinstance(page, StartPage)
    page.buttons[ROSTER].click()
    assert window.current_page_key() == "roster"
    page.buttons[UNITS].click()
    assert window.current_page_key() == "entities"
    page.buttons[CATALOG].click()
    assert window.current_page_key() == "library"

    from gui.dialogs import notice_numbers, settings

    asked: list[str] = []
    monkeypatch.setattr(settings.SettingsDialog, "ask",
                        classmethod(lambda cls, parent, db, **_k: asked.append("settings")
                                    or settings.SAVED))
    monkeypatch.setattr(notice_numbers.NumberBlockDialog, "ask",
                        classmethod(lambda cls, parent, db: asked.append("numbers")))
    page.buttons[OFFICE].click()
    page.buttons[ORG_WORD].click()
    page.buttons[NUMBERS].click()
    assert asked == ["settings", "settings", "numbers"]


def test_the_program_runs_itself_for_the_demo() -> None:
    program, args = program_command("--demo")
    assert Path(program).name.startswith("python")
    assert Path(args[0]).name == "main.py" and Path(args[0]).is_file()
    assert args[1:] == ["--demo"]


def test_the_demo_is_written_by_a_process_of_its_own_and_then_opened(
        window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    page = window.page("start")
    assert isinstance(page, StartPage)
    demo = tmp_path / "demo.sqlite"
    page.demo_arguments = ["--db", str(demo), "demo", "--scale", "0.02"]
    opened: list[bool] = []
    page.launch_demo_window = lambda: opened.append(True)  # type: ignore[method-assign]
    page.open_demo()
    assert not page.demo_button.isEnabled()
    qtbot.waitUntil(lambda: bool(opened), timeout=120_000)
    assert page.demo_button.isEnabled()
    conn = sqlite3.connect(demo)
    try:
        units = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
        flag = conn.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()[0]
    finally:
        conn.close()
    assert units > 0 and flag in ("true", "1", 1)
    with window.context.db.session() as s:  # type: ignore[union-attr]
        assert is_new_database(s)  # nothing of the demo in this database
