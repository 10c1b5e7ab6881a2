"""The one progress protocol and the one cancel exception of every long piece of work.

Long work (parsing, imports, exports, reports, demo data) is a plain function that takes
``progress(done, total, label)`` and ``is_cancelled()`` keyword arguments, the same shapes as
``gui.workers.run_task`` hands to a task function, so the GUI can pass its two callables
straight through. The work raises :class:`Cancelled` as soon as ``is_cancelled()`` turns true
and leaves nothing partly written; a :class:`Tracker` does both checks in one call.
"""

from __future__ import annotations

from collections.abc import Callable

IsCancelled = Callable[[], bool]


#: ``progress(done, total, label)``: ``label`` is a short Chinese text for a dialog.
Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The user cancelled the work; nothing was written."""

    def __init__(self, message: str = "已取消。") -> None:
        super().__init__(message)


class Tracker:
    """Relays progress and checks for cancellation; both callables are optional."""

    def __init__(self, progress: Progress | None = None,
                 is_cancelled: IsCancelled | None = None, *,
                 cancel_message: str = "已取消。") -> None:
        self._progress = progress
        self._is_cancelled = is_cancelled
        self._cancel_message = cancel_message

    def cancelled(self) -> bool:
        """Whether the caller asked to stop (for work that stops in its own way)."""
        return self._is_cancelled is not None and self._is_cancelled()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the caller asked to stop."""
        if self.cancelled():
            raise Cancelled(self._cancel_message)

    def report(self, done: int, total: int, label: str = "") -> None:
        """Check for cancellation, then pass ``done``/``total``/``label`` to the callback."""
        self.check()
        if self._progress is not None:
            self._progress(done, total, label)
