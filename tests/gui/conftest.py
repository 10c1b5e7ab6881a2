"""GUI fixtures: a page context over a fresh catalog database, and a leak check.

Every GUI test fails if it leaves a top-level widget behind (a window or dialog nobody
closed and deleted) or a worker thread still running, as napari's conftest does.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from gui.context import AppEvents, PageContext
from models.db import Database


def _top_level_pointers() -> set[int]:
    return {shiboken6.getCppPointer(w)[0] for w in QApplication.topLevelWidgets()}


@pytest.fixture(autouse=True)
def no_leaked_widgets(qapp: QApplication) -> Iterator[None]:
    before = _top_level_pointers()
    yield
    pool = QThreadPool.globalInstance()
    assert pool.waitForDone(10_000), "a worker thread is still running after the test"

    def leaked_now() -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets()
                if shiboken6.getCppPointer(w)[0] not in before and w.parent() is None]

    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = leaked_now()
    if leaked:  # a widget kept alive only by a reference cycle is no leak: collect, look again
        del leaked
        for _ in range(2):
            gc.collect()
            QCoreApplication.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        leaked = leaked_now()
    names = [f"{type(w).__name__}({w.windowTitle()!r})" for w in leaked]
    for w in leaked:
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not names, f"leaked top-level widgets: {names}"


@pytest.fixture
def ctx(catalog_db: Database, qapp: QApplication) -> Iterator[PageContext]:
    events = AppEvents()
    yield PageContext(db=catalog_db, events=events)
    events.deleteLater()
