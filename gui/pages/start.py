"""开始使用: what a new installation needs before the first inspection, each step done or not
and a click away, and the demo data for a first look.

The steps come from :func:`services.first_steps.first_steps`; the page asks the main window
for its dialogs (settings, policy import) through ``AppEvents.actionRequested`` and opens the
registers through ``AppEvents.openPage``. The demo data is written by the program's own
``demo`` command in a separate process (a database of its own, never this one) behind a
progress dialog that can be cancelled; the demo then opens in a window of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from services.first_steps import CATALOG, NUMBERS, OFFICE, ORG_WORD, ROSTER, UNITS, first_steps

#: What each step's button says and does: (label, kind, target).
_ACTIONS = {
    CATALOG: ("查看政策目录", "page", "library"),
    OFFICE: ("设置辖区和机关…", "action", "settings"),
    ORG_WORD: ("设置机关代字…", "action", "settings"),
    NUMBERS: ("预留号段…", "dialog", "numbers"),
    ROSTER: ("登记检查人员", "page", "roster"),
    UNITS: ("登记被检查单位", "page", "entities"),
}
DONE_STYLE = "color:#1b7f3b; font-weight:600;"
TODO_STYLE = "color:#a15c00; font-weight:600;"


def program_command(*args: str, console: bool = False) -> tuple[str, list[str]]:
    """This program run with ``args``: the bundle's executable, or Python with main.py.
    ``console``: a command whose output is read (on Windows the bundle has a console program
    beside the windowed one, which has no standard output)."""
    if getattr(sys, "frozen", False):
        beside = Path(sys.executable).with_name("shengyu-jiancha-cli.exe")
        if console and beside.is_file():
            return str(beside), list(args)
        return sys.executable, list(args)
    main = Path(__file__).resolve().parents[2] / "main.py"
    return sys.executable, [str(main), *args]


class StartPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._process: QProcess | None = None
        self._progress: QProgressDialog | None = None
        self._output = ""
        #: The command line that writes the demo database (tests name a small one).
        self.demo_arguments: list[str] = ["demo"]

        title = QLabel("开始使用")
        title.setObjectName("pageTitle")
        on_server = not ctx.db.is_sqlite
        intro = QLabel(("服务器上的新数据库" if on_server else "新装的程序")
                       + "按以下步骤设置后即可开始检查。程序随附的五份地方政策文件已在政策目录中"
                       "（设置辖区后，目录只列出适用于本辖区的文件）；"
                       "每一步完成后，这里会显示“已完成”。"
                       + ("连接这个数据库的各台电脑看到同样的设置和记录。" if on_server else ""))
        intro.setObjectName("pageSubtitle")
        intro.setWordWrap(True)

        self.name_labels: dict[str, QLabel] = {}
        self.status_labels: dict[str, QLabel] = {}
        self.detail_labels: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(2, 1)
        for row, step in enumerate(_ACTIONS):  # the steps, in the order they are shown
            number = QLabel(f"{row + 1}")
            number.setObjectName("sectionCaption")
            status = QLabel()
            name = QLabel()
            name.setStyleSheet("font-weight:600;")
            detail = QLabel()
            detail.setWordWrap(True)
            detail.setObjectName("pageSubtitle")
            text_box = QVBoxLayout()
            text_box.setSpacing(2)
            text_box.addWidget(name)
            text_box.addWidget(detail)
            label, _kind, _target = _ACTIONS[step]
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, k=step: self.act(k))
            grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(status, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(text_box, row, 2)
            grid.addWidget(button, row, 3, Qt.AlignmentFlag.AlignTop)
            self.status_labels[step] = status
            self.detail_labels[step] = detail
            self.buttons[step] = button
            self.name_labels[step] = name

        steps_frame = QFrame()
        steps_frame.setObjectName("startSteps")
        steps_frame.setStyleSheet("QFrame#startSteps { background:#ffffff; border:1px solid "
                                  "#d0d5dd; border-radius:4px; }")
        steps_frame.setLayout(grid)

        demo_caption = QLabel("先看看演示数据")
        demo_caption.setObjectName("sectionCaption")
        demo_text = QLabel("演示数据是一个市的卫生健康委员会汇总所辖县区一年半的工作："
                           "约三百个单位、一千五百次检查、整改文书和督查通报。"
                           "它写入本机单独的演示数据库，"
                           "在另一个窗口中打开，"
                           + ("不会写入服务器上的数据库。" if on_server else
                              "不会混入本机的检查记录。"))
        demo_text.setWordWrap(True)
        self.demo_button = QPushButton("生成并打开演示数据")
        self.demo_button.clicked.connect(self.open_demo)

        self.intro_label, self.demo_label = intro, demo_text
        self.summary_label = QLabel()
        self.summary_label.setObjectName("sectionCaption")

        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(12)
        box.addWidget(title)
        box.addWidget(intro)
        box.addWidget(self.summary_label)
        box.addWidget(steps_frame)
        box.addSpacing(8)
        box.addWidget(demo_caption)
        box.addWidget(demo_text)
        box.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        for signal in (ctx.events.settingsChanged, ctx.events.catalogChanged,
                       ctx.events.registryChanged):
            signal.connect(self.refresh)
        self.refresh()

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._ctx.db.session() as session:
            steps = first_steps(session)
        for step in steps:
            self.name_labels[step.key].setText(step.title)
            self.detail_labels[step.key].setText(step.detail)
            status = self.status_labels[step.key]
            status.setText("✓ 已完成" if step.done else "○ 未完成")
            status.setStyleSheet(DONE_STYLE if step.done else TODO_STYLE)
        left = sum(1 for s in steps if not s.done)
        self.summary_label.setText("设置已全部完成，可以开始检查。" if not left
                                   else f"还有 {left} 步未完成。")

    def step_done(self, key: str) -> bool:
        return self.status_labels[key].text().startswith("✓")

    def act(self, key: str) -> None:
        _label, kind, target = _ACTIONS[key]
        if kind == "page":
            self._ctx.events.openPage.emit(target, {})
        elif kind == "action":
            self._ctx.events.actionRequested.emit(target)
        else:
            self.reserve_numbers()

    def reserve_numbers(self) -> None:
        from gui.dialogs.notice_numbers import NumberBlockDialog

        if NumberBlockDialog.ask(self, self._ctx.db) is not None:
            self.refresh()

    def open_demo(self) -> None:
        """Write the demo database in a separate process, then open it in a window of its own."""
        program, args = program_command(*self.demo_arguments, console=True)
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._read_demo_output)
        process.finished.connect(self._demo_finished)
        self._process, self._output = process, ""
        progress = QProgressDialog("正在生成演示数据（约半分钟）…", "取消", 0, 0, self)
        progress.setWindowTitle("演示数据")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(self._cancel_demo)
        self._progress = progress
        self.demo_button.setEnabled(False)
        process.start(program, args)
        progress.show()

    # --- internals --------------------------------------------------------------------------

    def _read_demo_output(self) -> None:
        if self._process is not None:
            self._output += bytes(self._process.readAllStandardOutput().data()).decode(
                "utf-8", "replace")

    def _cancel_demo(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.waitForFinished(3000)
        self.demo_button.setEnabled(True)

    def _demo_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.demo_button.setEnabled(True)
        if self._process is None:  # cancelled
            return
        self._read_demo_output()
        self._process.deleteLater()
        self._process = None
        if code != 0:
            messages.error(self, "未能生成演示数据。\n\n" + self._output.strip()[-800:],
                           title="演示数据")
            return
        self.launch_demo_window()

    def launch_demo_window(self) -> None:
        """Open the demo database in a window of its own (a seam the tests replace)."""
        program, args = program_command("--demo")
        if not QProcess.startDetached(program, args)[0]:
            messages.error(self, "演示数据已生成，但未能打开演示窗口。可在命令行运行："
                           "main.py --demo", title="演示数据")

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

