"""On start, the catalog page the last run remembered is on screen before the database opens,
and the page built from the database replaces it with the same content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from gui.app import close_database, show_remembered, stylesheet
from gui.main_window import MainWindow
from gui.pages.library import LibraryPage
from models.db import open_database
from services.entities import create_entity
from services.first_page import recall
from services.settings import JURISDICTION, set_setting

pytestmark = pytest.mark.sqlite_only  # a note is about a database file


@pytest.fixture
def db_file(catalog_template: Path, tmp_path: Path) -> Path:
    """A database in use (it has a unit), closed by the program as at the end of a session."""
    path = tmp_path / "jiancha.sqlite"
    path.write_bytes(catalog_template.read_bytes())
    db = open_database(path)
    with db.session() as session:
        create_entity(session, name="中宁县某商业广场", type_code="commercial_center")
        set_setting(session, JURISDICTION, "640000")  # 宁夏
    close_database(db, path)
    return path


@pytest.fixture
def styled(qapp: QApplication) -> Any:
    """The program's style sheet, as on screen (its item padding sets the trees' row height)."""
    qapp.setStyleSheet(stylesheet())
    yield qapp
    qapp.setStyleSheet("")


def _rows(page: LibraryPage) -> list[str]:
    return [d.id for d in page.documents()]


def _measures(page: LibraryPage) -> list[str]:
    model = page.measure_model
    return [model.index(r, 0, model.index(s, 0)).data()
            for s in range(model.rowCount()) for r in range(model.rowCount(model.index(s, 0)))]


def test_the_remembered_page_is_shown_before_and_replaced_by_the_same_page(
        db_file: Path, qtbot: Any, styled: QApplication) -> None:
    window = MainWindow(None)
    qtbot.addWidget(window)
    assert show_remembered(window, db_file)
    window.show()
    QApplication.processEvents()
    shown = window.stack.currentWidget()
    assert isinstance(shown, LibraryPage)
    assert shown.isVisible() and window.current_page_key() == "library"
    remembered_docs, remembered_measures = _rows(shown), _measures(shown)
    assert len(remembered_docs) == 1  # 中宁县 is the one document for 宁夏
    assert "宁夏回族自治区" in shown.scope_label.text()
    assert remembered_measures and shown.detail.measure is not None
    first_measure = shown.detail.measure.id
    first_row = shown.measure_model.index(0, 0)
    remembered_row_height = shown.measure_tree.rowHeight(first_row)
    assert shown.detail.title_label.text() == shown.detail.measure.title
    # nothing can be changed before the database is open
    assert not shown.show_all_check.isEnabled()
    assert not shown.detail.assign_button.isEnabled()
    assert not window.sidebar.isEnabled()

    db = open_database(db_file)
    try:
        window.attach(db)
        QApplication.processEvents()
        page = window.stack.currentWidget()
        assert isinstance(page, LibraryPage) and page is not shown
        assert window.page("library") is page
        assert _rows(page) == remembered_docs
        assert _measures(page) == remembered_measures
        assert page.detail.measure is not None and page.detail.measure.id == first_measure
        # laid out alike: the style sheet's item padding is in both trees' rows
        assert page.measure_tree.rowHeight(page.measure_model.index(0, 0)) \
            == remembered_row_height
        assert page.show_all_check.isEnabled() and window.sidebar.isEnabled()
        assert window.stack.indexOf(shown) == -1  # the remembered page is gone
    finally:
        close_database(db, db_file)


def test_a_changed_database_shows_nothing_remembered(db_file: Path, qtbot: Any) -> None:
    db = open_database(db_file)
    with db.session() as session:
        set_setting(session, JURISDICTION, "610000")  # another program, or a crash mid-session
    db.dispose()  # closed without remembering
    window = MainWindow(None)
    qtbot.addWidget(window)
    assert not show_remembered(window, db_file)
    assert window.stack.currentWidget() is window._opening


def test_closing_remembers_what_the_next_start_shows(db_file: Path) -> None:
    db = open_database(db_file)
    with db.session() as session:
        set_setting(session, JURISDICTION, "610000")  # 陕西: 宝鸡
    close_database(db, db_file)
    page = recall(db_file)
    assert page is not None
    assert [d.short for d in page.documents] == ["宝鸡"]


def test_a_new_database_opens_on_its_first_steps_and_is_not_remembered(
        catalog_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    path.write_bytes(catalog_template.read_bytes())
    close_database(open_database(path), path)
    assert recall(path) is None
