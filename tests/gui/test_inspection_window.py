"""The inspection window fits the screen it opens on (a 1366×768 laptop has about 728 pixels
of free height), and hides the 主管部门 column when one department owns every item."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from gui.context import AppEvents, PageContext
from gui.inspection.entry_model import EntryTableModel
from gui.inspection.window import PREFERRED_SIZE, InspectionWindow
from gui.screen import FRAME_ALLOWANCE
from models.db import Database
from tests.services.inspection_fixtures import checklist, new_inspection

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ctx(db: Database, qapp: QApplication) -> Iterator[PageContext]:
    events = AppEvents()
    yield PageContext(db=db, events=events)
    events.deleteLater()


def _window(qtbot: Any, ctx: PageContext, c: Any = None) -> InspectionWindow:
    with ctx.db.session() as s:
        inspection_id = new_inspection(s, c=c).id
    window = InspectionWindow(ctx, inspection_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_fits_the_free_area_of_the_screen_with_every_tab_inside(
        qtbot: Any, ctx: PageContext) -> None:
    free = QGuiApplication.primaryScreen().availableGeometry()
    assert free.height() < PREFERRED_SIZE.height() + FRAME_ALLOWANCE.height()  # a small screen
    window = _window(qtbot, ctx)
    assert window.height() <= free.height() - FRAME_ALLOWANCE.height()
    assert window.width() <= free.width()
    assert free.contains(window.geometry())
    inside = QRect(QPoint(0, 0), window.size())
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        page = window.tabs.widget(i)
        qtbot.waitUntil(page.isVisible)
        top_left = page.mapTo(window, QPoint(0, 0))
        assert inside.contains(QRect(top_left, page.size())), window.tabs.tabText(i)
    # The bottom controls of the 笔录 tab can be reached (its content scrolls).
    window.tabs.setCurrentWidget(window.record_tab)
    assert window.record_tab.minimumSizeHint().height() <= window.record_tab.height()


def test_the_department_column_shows_only_when_items_have_several_departments(
        qtbot: Any, ctx: PageContext) -> None:
    joint = _window(qtbot, ctx)
    assert not joint.form.table.isColumnHidden(EntryTableModel.DEPARTMENT_COLUMN)
    full = checklist()
    first = full.items[0].competent_department
    single = dataclasses.replace(
        full, items=tuple(i for i in full.items if i.competent_department == first))
    alone = _window(qtbot, ctx, single)
    assert alone.form.table.isColumnHidden(EntryTableModel.DEPARTMENT_COLUMN)
