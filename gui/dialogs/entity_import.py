"""从 Excel 导入被检查单位: pick a file, import on a worker thread, see every bad row.

By default nothing is written unless every row is good; ticking “只导入无误的行” imports the
good rows and reports the rest. A file with the wrong columns is refused whole, with a Chinese
message, before any row is read. The import runs in one Session: a failure writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.workers import IsCancelled, Progress, Task, TaskFn, run_task
from models.db import Database
from services.entity_import import EntityImportError, ImportReport, import_entities

FILE_FILTER = "Excel 工作簿 (*.xlsx)"


def import_job(db: Database, path: Path, *, valid_rows_only: bool) -> TaskFn:
    """Worker function: import one workbook in its own Session."""

    def run(progress: Progress, is_cancelled: IsCancelled) -> ImportReport:
        with db.session() as session:
            return import_entities(session, path, valid_rows_only=valid_rows_only,
                                   progress=progress)

    return run


class EntityImportDialog(QDialog):
    finishedImport = Signal(object)  # the ImportReport, or None when the file was refused

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._task: Task | None = None
        self.report: ImportReport | None = None
        self.path: Path | None = None
        self.setWindowTitle("从 Excel 导入被检查单位")
        self.resize(760, 520)

        intro = QLabel(
            "请使用“下载导入模板”得到的表格填写：第一行为栏目名称（单位名称、单位类型必填），"
            "每行一个单位。统一社会信用代码须通过校验位检查，且不能与已登记单位重复。")
        intro.setWordWrap(True)
        self.choose_button = QPushButton("选择 Excel 文件…")
        self.choose_button.setObjectName("primaryButton")
        self.choose_button.clicked.connect(self.choose_file)
        self.valid_only_check = QCheckBox("有错误的行跳过，只导入无误的行")
        self.valid_only_check.setToolTip("不勾选时，只要有一行有错误，就一行也不导入")
        self.summary_label = QLabel("尚未选择文件。")
        self.summary_label.setWordWrap(True)
        self.error_table = QTableWidget(0, 2)
        self.error_table.setHorizontalHeaderLabels(["行号", "问题"])
        self.error_table.verticalHeader().setVisible(False)
        self.error_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.error_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.error_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.error_table.setWordWrap(True)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.accept)

        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.valid_only_check)
        row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(row)
        box.addWidget(self.summary_label)
        box.addWidget(self.error_table, 1)
        box.addLayout(bottom)

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database) -> ImportReport | None:
        """Show the dialog; the last import's report (None if nothing was imported)."""
        dialog = cls(db, parent)
        try:
            dialog.exec()
            return dialog.report
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择 Excel 文件", "", FILE_FILTER)
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> Task:
        """Start importing ``path`` on a worker; ``finishedImport`` fires when it ends."""
        self.path = Path(path)
        self.report = None
        self.choose_button.setEnabled(False)
        self.summary_label.setText(f"正在导入“{self.path.name}”…")
        self.error_table.setRowCount(0)
        self._task = run_task(
            import_job(self._db, self.path, valid_rows_only=self.valid_only_check.isChecked()),
            parent=self, label=f"正在导入“{self.path.name}”…", on_success=self._done,
            on_failure=self._failed, cancellable=False, title="导入被检查单位")
        return self._task

    # --- internals --------------------------------------------------------------------------

    def _done(self, report: ImportReport) -> None:
        self.choose_button.setEnabled(True)
        self.report = report
        errors = report.errors
        if not errors:
            text = f"已导入 {report.imported} 个单位。"
        elif report.written:
            text = (f"共 {report.rows} 行：已导入 {report.imported} 个单位，"
                    f"{len(errors)} 行有错误未导入（见下表）。")
        else:
            text = (f"共 {report.rows} 行，其中 {len(errors)} 行有错误，未导入任何单位。"
                    "请改正下表所列问题后重新导入，或勾选“只导入无误的行”。")
        self.summary_label.setText(text)
        self.error_table.setRowCount(len(errors))
        for i, err in enumerate(errors):
            self.error_table.setItem(i, 0, QTableWidgetItem(f"第 {err.row} 行"))
            self.error_table.setItem(i, 1, QTableWidgetItem(err.message))
        self.error_table.resizeRowsToContents()
        self.finishedImport.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        if isinstance(exc, EntityImportError):
            text = str(exc)
        else:
            text = f"导入失败，未导入任何单位：{exc}"
        self.summary_label.setText(text)
        messages.error(self, text, title="无法导入")
        self.finishedImport.emit(None)
