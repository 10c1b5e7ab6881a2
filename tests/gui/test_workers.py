"""Background tasks: results, errors and cancellation come back on the main thread."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QWidget

from gui.workers import Cancelled, IsCancelled, Progress, run_task


def test_a_task_reports_progress_and_its_result_on_the_main_thread(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[int, int, str]] = []
    results: list[tuple[object, bool]] = []
    worker_threads: list[bool] = []

    def job(progress: Progress, is_cancelled: IsCancelled) -> int:
        worker_threads.append(threading.current_thread() is not threading.main_thread())
        for i in range(3):
            progress(i, 3, f"第 {i + 1} 步")
        return 42

    def on_success(value: object) -> None:
        results.append((value, QThread.currentThread() is parent.thread()))

    task = run_task(job, parent=parent, label="计算", on_success=on_success)
    task.progressed.connect(lambda d, t, text: seen.append((d, t, text)))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert results == [(42, True)]
    assert seen == [(0, 3, "第 1 步"), (1, 3, "第 2 步"), (2, 3, "第 3 步")]
    assert worker_threads == [True]
    assert not task.running


def test_an_exception_goes_to_the_failure_callback(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []

    def job(progress: Progress, is_cancelled: IsCancelled) -> None:
        raise ValueError("文件损坏")

    task = run_task(
        job, parent=parent, label="读取", on_success=lambda _v: None, on_failure=errors.append
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["文件损坏"]


def test_a_cancelled_task_calls_neither_success_nor_failure(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started, go = threading.Event(), threading.Event()
    outcome: list[str] = []

    def job(progress: Progress, is_cancelled: IsCancelled) -> None:
        started.set()
        go.wait(5)
        if is_cancelled():
            raise Cancelled

    task = run_task(
        job,
        parent=parent,
        label="等待",
        on_success=lambda _v: outcome.append("ok"),
        on_failure=lambda _e: outcome.append("error"),
        on_cancel=lambda: outcome.append("cancelled"),
    )
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
        go.set()
    assert outcome == ["cancelled"]


def test_work_finished_after_cancel_is_still_delivered(qtbot: Any) -> None:
    """A task that had already saved part of its work reports it, even if 取消 was pressed."""
    parent = QWidget()
    qtbot.addWidget(parent)
    started, go = threading.Event(), threading.Event()
    outcome: list[object] = []

    def job(progress: Progress, is_cancelled: IsCancelled) -> tuple[int, bool]:
        started.set()
        go.wait(5)
        return 3, is_cancelled()  # three files saved, then it noticed the cancel

    task = run_task(job, parent=parent, label="保存照片", on_success=outcome.append,
                    on_cancel=lambda: outcome.append("cancelled"))
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
        go.set()
    assert outcome == [(3, True)]
