"""导入政策文件: a file (.txt, .docx, .pdf) or pasted text → parsed preview → corrected → saved.

Reading and parsing run on a worker thread. Saving is one Session, so a refused document
(already in the catalog) writes nothing. Every problem reaches the user through gui.messages.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checklists import editing
from checklists.parsing import PolicyFormatError, parse_text, read_policy_file
from checklists.parsing.model import ParsedDocument
from gui import messages
from gui.dialogs.document_editor import DocumentEditor
from gui.screen import fit_to_screen
from gui.workers import Cancelled, IsCancelled, Progress, Task, TaskFn, run_task
from models.db import Database
from services.catalog_store import DuplicateDocumentError, ImportResult, save_document

FILE_FILTER = (
    "政策文件 (*.txt *.docx *.pdf);;文本文件 (*.txt);;Word 文档 (*.docx);;PDF 文件 (*.pdf)"
)


def parse_file_job(path: Path) -> TaskFn:
    """Worker function: read and parse one file."""

    def run(progress: Progress, is_cancelled: IsCancelled) -> ParsedDocument:
        progress(0, 2, f"正在读取“{path.name}”…")
        text = read_policy_file(path)
        if is_cancelled():
            raise Cancelled
        progress(1, 2, "正在识别措施、责任单位和目标指标…")
        return parse_text(text, source_name=path.name)

    return run


def parse_text_job(text: str) -> TaskFn:
    """Worker function: parse pasted text."""

    def run(progress: Progress, is_cancelled: IsCancelled) -> ParsedDocument:
        progress(0, 1, "正在识别措施、责任单位和目标指标…")
        return parse_text(text, source_name=None)

    return run


class ImportPolicyDialog(QDialog):
    parsed = Signal()  # the preview shows a freshly parsed document
    parseFailed = Signal(str)  # the message the user was shown

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._source_name: str | None = None
        self._task: Task | None = None
        self.result_info: ImportResult | None = None
        self.setWindowTitle("导入政策文件")
        fit_to_screen(self, QSize(1120, 680), parent, centre=False)

        self.open_button = QPushButton("选择文件…")
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.choose_file)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setPlaceholderText(
            "也可以把政策文件的全文（从标题到落款）粘贴在这里，然后点“解析粘贴的文本”。"
        )
        self.parse_button = QPushButton("解析粘贴的文本")
        self.parse_button.clicked.connect(self.parse_pasted)

        self.editor = DocumentEditor()
        self.back_button = QPushButton("重新选择文件")
        self.back_button.clicked.connect(self.start_over)
        self.source_label = QLabel()
        self.source_label.setObjectName("pageSubtitle")

        self.save_button = QPushButton("保存到政策目录")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._source_page())
        self.stack.addWidget(self._preview_page())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        box = QVBoxLayout(self)
        box.addWidget(self.stack, 1)
        box.addLayout(buttons)

    def _source_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        intro = QLabel(
            "导入一份地方政策文件：程序会识别其中带编号的措施、牵头和责任单位、目标指标，"
            "保存前可以逐项核对和修改。支持 .txt、.docx 和带文字层的 .pdf（扫描件无法识别）。"
        )
        intro.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        paste_row = QHBoxLayout()
        paste_row.addStretch(1)
        paste_row.addWidget(self.parse_button)
        box.addWidget(intro)
        box.addLayout(row)
        box.addSpacing(6)
        box.addWidget(self.paste_edit, 1)
        box.addLayout(paste_row)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.source_label, 1)
        top.addWidget(self.back_button)
        box.addLayout(top)
        box.addWidget(self.editor, 1)
        return page

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database) -> ImportResult | None:
        """Show the dialog; the saved document's summary, or None when nothing was saved."""
        dialog = cls(db, parent)
        try:
            dialog.exec()
            return dialog.result_info
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    @property
    def document(self) -> ParsedDocument | None:
        return self.editor.document if self.stack.currentIndex() == 1 else None

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择政策文件", "", FILE_FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> Task:
        self._source_name = path.name
        return self._start(parse_file_job(path), f"正在解析“{path.name}”")

    def parse_pasted(self) -> Task | None:
        text = self.paste_edit.toPlainText()
        if not text.strip():
            messages.warning(self, "请先粘贴政策文件的全文。", title="没有内容")
            return None
        self._source_name = None
        return self._start(parse_text_job(text), "正在解析粘贴的文本")

    def start_over(self) -> None:
        self.stack.setCurrentIndex(0)
        self.save_button.setEnabled(False)

    def save(self) -> None:
        try:
            doc = self.editor.commit()
        except editing.EditError as exc:
            messages.warning(self, str(exc), title="请先修改")
            return
        try:
            with self._db.session() as session:
                result = save_document(session, doc, source_name=self._source_name or "粘贴的文本")
        except DuplicateDocumentError as exc:
            messages.error(self, f"{exc}。同一份文件不能重复导入。", title="文件已存在")
            return
        self.result_info = result
        self.accept()

    def done(self, result: int) -> None:
        if self._task is not None and self._task.running:
            self._task.cancel()
        super().done(result)

    # --- internals --------------------------------------------------------------------------

    def _start(self, job: TaskFn, label: str) -> Task:
        self.open_button.setEnabled(False)
        self.parse_button.setEnabled(False)
        self._task = run_task(
            job,
            parent=self,
            label=label,
            title="导入政策文件",
            on_success=self._parsed,
            on_failure=self._failed,
            on_cancel=self._idle,
        )
        return self._task

    def _idle(self) -> None:
        self.open_button.setEnabled(True)
        self.parse_button.setEnabled(True)

    def _parsed(self, doc: ParsedDocument) -> None:
        self._idle()
        self.editor.set_document(doc)
        source = f"文件：{self._source_name}" if self._source_name else "来源：粘贴的文本"
        self.source_label.setText(
            f"{source}　·　识别出 {len(doc.measures)} 项措施。"
            "请核对标题、地区和各项措施，可直接修改。"
        )
        self.stack.setCurrentIndex(1)
        self.save_button.setEnabled(True)
        self.parsed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, PolicyFormatError):
            text = str(exc)
        else:
            text = f"解析时出现意外错误：{exc}。请确认文件是政策文件正文。"
        messages.error(self, text, title="无法导入")
        self.parseFailed.emit(text)
