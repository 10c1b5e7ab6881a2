"""Running long, Qt-free work off the GUI thread, with a progress dialog that can cancel it.

The work is a plain function ``fn(progress, is_cancelled) -> result`` (see the Qt-free
services: parsing, import, export, reports). It runs on a ``QThreadPool`` thread; its result
or its exception comes back to the main thread through queued signals, where the success or
failure callback runs. A function that needs the database opens its own Session inside ``fn``
(one Session per thread). A function that notices ``is_cancelled()`` raises :class:`Cancelled`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

# What a task function raises when it saw ``is_cancelled()`` and stopped, and the shapes of the
# two callables it is given: the one Qt-free protocol every long piece of work follows.
from rules.progress import Cancelled, IsCancelled, Progress

TaskFn = Callable[[Progress, IsCancelled], Any]

#: How long a task may run before its progress dialog appears, so quick work does not flash.
SHOW_AFTER_MS = 400




class Task(QObject):
    """One piece of background work. Its signals arrive on the main thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    # Internal: emitted from the worker thread, delivered queued to this (main-thread) object.
    _progress_from_worker = Signal(int, int, str)
    _done_from_worker = Signal(object, object)  # (result, exception or None)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._running = True
        self._progress_from_worker.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)
        self._done_from_worker.connect(self._relay_done, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._running

    @Slot(int, int, str)
    def _relay_progress(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)

    @Slot(object, object)
    def _relay_done(self, result: object, error: object) -> None:
        self._running = False
        _alive.discard(self)
        # Only a function that stopped says it was cancelled: work it finished (or an error it
        # hit) after the user pressed 取消 is still delivered, since it may already be saved.
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        elif error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


# Tasks stay referenced here until they finish, so a caller may drop its handle.
_alive: set[Task] = set()


class _Runner(QRunnable):
    def __init__(self, task: Task, fn: TaskFn) -> None:
        super().__init__()
        self._task = task
        self._fn = fn

    def run(self) -> None:
        task = self._task

        def progress(done: int, total: int, label: str = "") -> None:
            task._progress_from_worker.emit(done, total, label)

        try:
            result = self._fn(progress, task.is_cancelled)
        except BaseException as exc:  # handed to the failure callback on the main thread
            task._done_from_worker.emit(None, exc)
        else:
            task._done_from_worker.emit(result, None)


def run_task(
    fn: TaskFn,
    *,
    parent: QWidget | None,
    label: str,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    title: str = "请稍候",
    cancellable: bool = True,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``fn`` on a worker thread and show a (cancellable) progress dialog while it runs.

    ``on_success(result)``, ``on_failure(exception)`` or ``on_cancel()`` runs on the main
    thread when it ends; without ``on_failure`` the error is shown through gui.messages.
    Returns the :class:`Task`, whose ``finished`` signal tests can wait on.
    """
    task = Task()
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(task.cancel)

    def on_progress(done: int, total: int, text: str) -> None:
        if shiboken6.isValid(dialog):
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if text:
                dialog.setLabelText(text)

    def close_dialog() -> None:
        if shiboken6.isValid(dialog):
            dialog.canceled.disconnect(task.cancel)
            dialog.close()
            dialog.deleteLater()

    task.progressed.connect(on_progress)
    task.finished.connect(close_dialog)
    task.succeeded.connect(on_success)
    if on_failure is None:

        def on_failure(exc: BaseException) -> None:
            from gui import messages

            messages.error(parent, f"操作未能完成：{exc}")

    task.failed.connect(on_failure)
    if on_cancel is not None:
        task.cancelled.connect(on_cancel)
    _alive.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runner(task, fn))
    return task


def run_in_background(
    fn: TaskFn,
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``fn`` on a worker thread with no dialog: work the user did not ask for (a check
    the window makes on its own), which must not stand in the way. Stop it with
    :meth:`Task.cancel`; the callbacks run on the main thread as with :func:`run_task`."""
    task = Task()
    task.succeeded.connect(on_success)
    if on_failure is not None:
        task.failed.connect(on_failure)
    _alive.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runner(task, fn))
    return task
