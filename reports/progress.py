"""Progress reporting and cancellation for the report builders.

Every builder takes ``progress`` and ``is_cancelled`` keyword arguments with the same shapes as
``gui.workers.run_task`` hands to a task function, so the GUI can pass its two callables
straight through. A builder wraps them in a :class:`Tracker`; ``Tracker.report`` raises
:class:`Cancelled` as soon as ``is_cancelled()`` turns true, and the partly written output is
discarded by the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

IsCancelled = Callable[[], bool]


class Progress(Protocol):
    """``progress(done, total, label)``: ``label`` is a short Chinese text for a dialog."""

    def __call__(self, done: int, total: int, label: str = "", /) -> None: ...


class Cancelled(Exception):
    """The user cancelled a report; nothing was written."""

    def __init__(self, message: str = "已取消生成报告。") -> None:
        super().__init__(message)


class Tracker:
    """Relays progress and checks for cancellation; both callables are optional."""

    def __init__(self, progress: Progress | None = None,
                 is_cancelled: IsCancelled | None = None) -> None:
        self._progress = progress
        self._is_cancelled = is_cancelled

    def check(self) -> None:
        """Raise :class:`Cancelled` if the caller asked to stop."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()

    def report(self, done: int, total: int, label: str = "") -> None:
        """Check for cancellation, then pass ``done``/``total``/``label`` to the callback."""
        self.check()
        if self._progress is not None:
            self._progress(done, total, label)
