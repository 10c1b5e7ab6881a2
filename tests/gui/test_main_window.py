"""The main window: sidebar pages built on first use, placeholders, toolbar, status bar."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from gui.context import PageContext
from gui.main_window import MainWindow
from gui.pages import PageEntry, default_pages
from gui.pages.library import LibraryPage
from gui.pages.placeholder import PlaceholderPage
from models.db import Database
from services.settings import JURISDICTION, set_setting


@pytest.fixture
def window(catalog_db: Database, qtbot: Any) -> MainWindow:
    widget = MainWindow(catalog_db, demo=True)
    qtbot.addWidget(widget)
    return widget


def _sidebar(window: MainWindow) -> list[str]:
    return [window.sidebar.item(i).text() for i in range(window.sidebar.count())]


def test_the_sidebar_groups_the_pages_by_the_work_they_serve(window: MainWindow) -> None:
    assert _sidebar(window) == [
        "开始使用",
        "政策", "政策目录", "全文检索", "部门视图", "主题对比",
        "清单", "检查清单", "模板编辑",
        "检查", "现场检查", "被检查单位", "检查人员",
        "整改与汇总", "整改跟踪", "报告", "总览", "数据交换",
    ]
    assert window.windowTitle() == "积极生育支持措施落实检查（演示数据）"


def test_every_page_builds_on_a_catalog_database(window: MainWindow) -> None:
    for key in window.page_keys():
        page = window.show_page(key)
        assert window.stack.currentWidget() is page
        assert window.current_page_key() == key


def test_it_opens_on_the_library_and_builds_other_pages_only_when_shown(
        catalog_db: Database, qtbot: Any) -> None:
    from services.entities import create_entity

    with catalog_db.session() as s:  # a database in use: it has a unit
        create_entity(s, name="中宁县万达广场", type_code="commercial_center")
    window = MainWindow(catalog_db)
    qtbot.addWidget(window)
    assert window.current_page_key() == "library"
    assert isinstance(window.stack.currentWidget(), LibraryPage)
    assert window.stack.count() == 1
    page = window.show_page("search")
    assert window.stack.currentWidget() is page and window.stack.count() == 2
    assert window.show_page("search") is page


def test_a_page_still_to_come_says_plainly_what_it_will_do(catalog_db: Database,
                                                           qtbot: Any) -> None:
    from gui.pages import coming_soon

    pages = [*default_pages(), PageEntry("later", "统计分析", "整改与汇总",
                                         coming_soon("统计分析", "按年度比较各县区的检查结果。"))]
    window = MainWindow(catalog_db, pages=pages)
    qtbot.addWidget(window)
    page = window.show_page("later")
    assert isinstance(page, PlaceholderPage)
    assert page.notice_label.text() == "此功能将在后续版本提供"
    assert "各县区" in page.purpose_label.text()


def test_a_figure_opens_its_page_filtered(window: MainWindow) -> None:
    window.events.openPage.emit("rectification", {"status": "overdue"})
    assert window.current_page_key() == "rectification"
    assert window.page("rectification").status_combo.currentData() == "overdue"


def test_a_page_is_added_by_a_registry_entry_alone(catalog_db: Database, qtbot: Any) -> None:
    def build(ctx: PageContext) -> QWidget:
        return QLabel(f"主题清单：{ctx.db.path.name}")

    pages = [*default_pages(), PageEntry("themes", "主题清单预览", "检查", build)]
    window = MainWindow(catalog_db, pages=pages)
    qtbot.addWidget(window)
    assert _sidebar(window)[-1] == "主题清单预览"
    page = window.show_page("themes")
    assert isinstance(page, QLabel) and catalog_db.path.name in page.text()


def test_the_status_bar_shows_the_database_and_the_jurisdiction(
    window: MainWindow, catalog_db: Database
) -> None:
    assert str(catalog_db.path) in window.db_label.text()
    assert "未设置" in window.jurisdiction_label.text()
    with catalog_db.session() as s:
        set_setting(s, JURISDICTION, "640521")
    window.events.settingsChanged.emit()
    assert "中宁县" in window.jurisdiction_label.text()
    library = window.page("library")
    assert isinstance(library, LibraryPage)
    assert [d.short for d in library.documents()] == ["中宁"]


def test_import_and_settings_are_in_the_toolbar_and_menu(window: MainWindow) -> None:
    actions = [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]
    assert "导入政策文件…" in actions and "设置…" in actions


def test_the_window_appears_before_its_database_and_fills_in_once_attached(
    catalog_db: Database, qtbot: Any
) -> None:
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    notice = window.findChild(QLabel, "openingNotice")
    assert notice is not None and notice.text() == "正在打开数据库…"
    assert not window.sidebar.isEnabled() and not window.import_action.isEnabled()
    window.attach(catalog_db)
    assert window.sidebar.isEnabled() and window.import_action.isEnabled()
    assert window.current_page_key() == "start"  # new: the setup steps first
    assert window.stack.currentWidget() is window.page("start")
    assert str(catalog_db.path) in window.db_label.text()


def test_after_a_restore_every_page_is_built_again_on_the_same_page(window: MainWindow) -> None:
    old = window.show_page("entities")
    window.show_page("search")
    window.reload_everything()
    assert window.current_page_key() == "search"
    assert window.stack.currentWidget() is window.page("search")
    assert window.page("entities") is not old  # built anew from the restored file


def test_a_read_only_database_is_shown_read_only_and_cannot_be_edited(
        catalog_db: Database, qtbot: Any) -> None:
    from gui.context import AppEvents, PageContext
    from gui.inspection.entry_form import EntryForm
    from models.db import open_database
    from tests.services.inspection_fixtures import new_inspection

    with catalog_db.session() as s:
        made = new_inspection(s).id
    path = catalog_db.path
    catalog_db.dispose()
    ro = open_database(path, read_only=True)
    try:
        assert ro.read_only
        window = MainWindow(ro)
        qtbot.addWidget(window)
        assert window.windowTitle().endswith("（只读）")
        assert window.read_only_label.isVisibleTo(window)
        assert "只读" in window.read_only_label.text()
        assert not window.import_action.isEnabled()
        events = AppEvents()
        form = EntryForm(PageContext(ro, events), made)
        qtbot.addWidget(form)
        assert not form.editable
        assert "数据库以只读方式打开" in form.readonly_label.text()
        code = form.current_code()
        assert code is not None and form.choose(0) is None  # 1 pressed: nothing written
        assert not form.entry(code).finding.answered
    finally:
        ro.dispose()


def test_settings_open_through_the_dialogs_seam_and_a_restore_rebuilds_the_pages(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.dialogs import settings

    hooks: list[Any] = []
    monkeypatch.setattr(settings.SettingsDialog, "ask", classmethod(
        lambda cls, parent, db, before_restore=None: hooks.append(before_restore)
        or settings.RESTORED))
    before = window.page("library")
    window.settings_action.trigger()
    assert len(hooks) == 1 and hooks[0]()  # no inspection window open: the restore may go on
    assert window.page("library") is not before  # every page built again on the new file
    assert "已恢复备份" in window.statusBar().currentMessage()
