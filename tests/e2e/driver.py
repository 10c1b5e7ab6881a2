"""Drives a scenario through the real windows the way a person would, one step after another.

A scenario is a generator. It clicks and types through public widgets and yields a
:class:`Wait` whenever the program has to do something first (a worker thread, a dialog that
opens). The driver resumes it from a timer once the condition holds, so a modal dialog's own
event loop keeps running while the scenario fills the dialog in: a click that opens a modal
dialog is posted with :func:`later`, never made directly from the scenario.

At each screenshot the driver checks every visible window: no Python traceback in any text,
and no standard dialog with English buttons. Any failure ends the process with exit code 1 and
a message naming the step; nothing waits for ever (every wait has a timeout, and a watchdog
dumps the stacks and exits if the event loop itself hangs).
"""

from __future__ import annotations

import faulthandler
import re
import sys
import time
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QTextEdit,
    QWidget,
)

TRACEBACK = "Traceback (most recent call last)"
#: Button texts of Qt's standard dialogs when their Chinese translation is missing.
ENGLISH_WORD = re.compile(r"^[A-Za-z][A-Za-z' ]*$")
STANDARD_DIALOGS: tuple[type[QWidget], ...] = (QMessageBox, QFileDialog, QProgressDialog)
POLL_MS = 40


class StepFailed(Exception):
    """Something a step expected did not happen (said in the message)."""


@dataclass
class Wait:
    """Resume the scenario once ``until()`` returns something truthy (it is sent back)."""

    until: Callable[[], Any]
    what: str
    timeout: float = 30.0


Scenario = Generator[Wait, Any, None]


def later(fn: Callable[[], Any], ms: int = 0) -> None:
    """Do ``fn`` from the event loop: a click that opens a modal dialog must not block the
    scenario, which fills the dialog in from inside the dialog's own loop."""
    QTimer.singleShot(ms, fn)


def modal(kind: type[QWidget] | tuple[type[QWidget], ...], title: str | None = None
          ) -> Callable[[], QWidget | None]:
    """A condition: the visible modal dialog of this kind (and window title, if given)."""

    def find() -> QWidget | None:
        for w in QApplication.topLevelWidgets():
            if (isinstance(w, kind) and w.isVisible() and w.isModal()
                    and (title is None or title in w.windowTitle())):
                return w
        active = QApplication.activeModalWidget()
        if isinstance(active, kind) and (title is None or title in active.windowTitle()):
            return active
        return None

    return find


def gone(widget: QWidget) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return not widget.isVisible()
        except RuntimeError:  # already deleted
            return True

    return check


def no_modal() -> Callable[[], bool]:
    return lambda: QApplication.activeModalWidget() is None


class Driver:
    def __init__(self, app: QApplication, shots: Path, *, watchdog_s: float = 240.0) -> None:
        self.app = app
        self.shots = shots
        self.shots.mkdir(parents=True, exist_ok=True)
        self.step = "启动"
        self.taken: list[str] = []
        self._gen: Scenario | None = None
        self._wait: Wait | None = None
        self._since = 0.0
        faulthandler.dump_traceback_later(watchdog_s, exit=True)
        sys.excepthook = self._unexpected

    # --- running ------------------------------------------------------------------------------

    def run(self, scenario: Scenario) -> int:
        self._gen = scenario
        later(lambda: self._advance(None))
        code = self.app.exec()
        faulthandler.cancel_dump_traceback_later()
        return code

    def _advance(self, value: Any) -> None:
        assert self._gen is not None
        try:
            wait = self._gen.send(value)
        except StopIteration:
            print(f"通过：{len(self.taken)} 张截图", flush=True)
            self.app.exit(0)
            return
        except Exception as exc:  # every failure names its step
            self.fail(f"{type(exc).__name__}: {exc}", tb=traceback.format_exc())
            return
        self._wait, self._since = wait, time.monotonic()
        later(self._poll, POLL_MS)

    def _poll(self) -> None:
        wait = self._wait
        assert wait is not None
        try:
            got = wait.until()
        except Exception as exc:  # a condition that raises is a failed step too
            self.fail(f"{wait.what}: {type(exc).__name__}: {exc}", tb=traceback.format_exc())
            return
        if got:
            self._wait = None
            later(lambda: self._advance(got))
        elif time.monotonic() - self._since > wait.timeout:
            self.fail(f"等待超时（{wait.timeout:.0f} 秒）：{wait.what}")
        else:
            later(self._poll, POLL_MS)

    def _unexpected(self, kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        self.fail(f"程序抛出未处理的异常：{kind.__name__}: {exc}", tb=text)

    def fail(self, message: str, *, tb: str = "") -> None:
        try:
            self.shot("失败", check=False)
        except Exception:  # the failure is what matters, not its picture
            pass
        if tb:
            print(tb, file=sys.stderr)
        print(f"失败：步骤“{self.step}”：{message}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        import os

        os._exit(1)

    # --- checks and screenshots -------------------------------------------------------------

    def begin(self, step: str) -> None:
        self.step = step
        print(f"步骤：{step}", flush=True)

    def shot(self, name: str, *, check: bool = True) -> Path:
        """Check the visible windows, then save the whole screen as ``NN-name.png``."""
        if check:
            self.check_windows()
        for _ in range(3):
            self.app.processEvents()
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        screen = QGuiApplication.primaryScreen()
        pixmap = screen.grabWindow(0)
        if pixmap.isNull() or _one_colour(pixmap):
            window = QApplication.activeModalWidget() or QApplication.activeWindow()
            if window is not None:
                pixmap = window.grab()
        if not pixmap.save(str(path), "PNG"):
            raise StepFailed(f"截图未能保存：{path}")
        if check:
            self.taken.append(path.name)
        return path

    def check_windows(self) -> None:
        for top in QApplication.topLevelWidgets():
            if not top.isVisible():
                continue
            for text in _texts(top):
                if TRACEBACK in text:
                    raise StepFailed(
                        f"窗口“{top.windowTitle()}”显示了 Python 出错信息：{text[:300]}")
            english = _english_buttons(top)
            if english:
                raise StepFailed(
                    f"{type(top).__name__}“{top.windowTitle()}”是英文对话框：按钮 {english}")


def _one_colour(pixmap: Any) -> bool:
    image = pixmap.toImage().scaled(64, 36)
    first = image.pixel(0, 0)
    return all(image.pixel(x, y) == first for x in range(64) for y in range(36))


def _texts(top: QWidget) -> list[str]:
    out: list[str] = []
    widgets = [top, *top.findChildren(QWidget)]
    for w in widgets:
        if isinstance(w, QMessageBox):
            out += [w.text(), w.informativeText(), w.detailedText()]
        elif isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
    return out


def _english_buttons(top: QWidget) -> list[str]:
    boxes: list[QWidget] = [top] if isinstance(top, STANDARD_DIALOGS) else []
    boxes += [b for b in top.findChildren(QDialogButtonBox) if b.isVisible()]
    words = []
    for box in boxes:
        for button in box.findChildren(QAbstractButton):
            text = button.text().replace("&", "").strip()
            if button.isVisible() and text and ENGLISH_WORD.match(text):
                words.append(text)
    return words
