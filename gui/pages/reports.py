"""报告 page: choose a report, generate it on a worker thread, preview, print, save, export Word.

Reports: 现场检查笔录 (one inspection), 整改文书 (one notice; also as Word), 复查意见书 (a
rechecked notice; also as Word), 督查通报 (a selection by date, region, theme and department),
and 台账 (the same selection as an Excel workbook, saved rather than previewed). Every build is
a Qt-free builder in ``reports/`` run through :func:`gui.workers.run_task` with its own Session
and a cancellable progress dialog; the PDF goes to a temporary folder of this page and is shown
in :class:`~gui.widgets.pdf_preview.PdfPreview`. 打印… opens the print dialog and renders the
previewed pages to the printer; 另存为… copies the file where the user chooses.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDir, Qt, QTemporaryDir
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from gui.file_dialogs import DOCUMENTS, remember, start_path
from gui.widgets.pdf_preview import PdfPreview, print_pdf
from gui.workers import Task, run_task
from rules.china_time import beijing, chinese_date
from rules.inspection_status import DRAFT, SIGNED
from rules.progress import Cancelled as ReportCancelled

RECORD, NOTICE, RECHECK, SUMMARY, LEDGER = "record", "notice", "recheck", "summary", "ledger"
KINDS = ((RECORD, "现场检查笔录"), (NOTICE, "整改文书"), (RECHECK, "复查意见书"),
         (SUMMARY, "督查通报"), (LEDGER, "台账（Excel）"))
WORD_KINDS = (NOTICE, RECHECK)
THEMES = ("", "母婴设施", "托育机构消防安全", "女职工劳动保护")
#: What each report is and holds, shown under the report type so a user knows what to pick.
DESCRIPTIONS = {
    RECORD: "一次检查的正式记录：被检查单位、检查人员及执法证号、检查时间地点、告知事项、"
            "逐项检查结果与依据、现场照片、当事人陈述和签名。\n"
            "只有已签名的检查生成的是正式笔录；草稿或未签名的检查生成的笔录仅供核对，"
            "不能作为正式文书。",
    NOTICE: "责令（指令）整改通知书：不符合项、法律依据、整改要求和期限、送达信息。\n"
            "可导出 Word 文档，修改后打印用印。",
    RECHECK: "整改期满后的复查意见：逐项写明是否整改到位，整改完成的予以销号。\n"
             "这里只列出已经复查的整改文书。",
    SUMMARY: "按日期、行政区划、检查主题和主管部门汇总：各主题、地区和单位类型的符合率与图表，"
             "主要问题，各部门整改进展（已销号、整改中、逾期），仍有未整改项的单位。\n"
             "只统计每次检查最新的已签名版本。",
    LEDGER: "与督查通报相同的筛选条件，逐条列出检查、检查结果、整改文书和双随机抽查记录，"
            "保存为 Excel 工作簿（不预览）。",
}
EMPTY_PREVIEW = "选择报告类型和对象，点击“生成预览”"
STALE_PREVIEW = "报告类型、对象或筛选条件已改变，请重新生成预览。"
FINAL_CONFIRM = ("定稿将从本机“通”字号段取用下一个文号，印在通报上，取用后不能收回。\n"
                 "请先用“生成预览”核对内容。确定定稿吗？")
DRAFT_MARK = "（草稿，非正式）"
UNSIGNED_MARK = "（未签名，非正式）"


class ReportsPage(QWidget):
    """Public widgets and actions so tests can drive the page without reaching inside."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Removed with its contents when the page goes (no Python finaliser to warn about).
        self._tmp = QTemporaryDir(QDir.tempPath() + "/shengyu-reports-XXXXXX")
        self.current_path: Path | None = None
        self.current_kind: str | None = None
        self.task: Task | None = None
        self._unsigned: set[int] = set()
        self._shown: tuple[Any, ...] | None = None  # what the preview was built for

        title = QLabel("报告")
        title.setObjectName("pageTitle")
        self.kind_combo = QComboBox()
        for key, label in KINDS:
            self.kind_combo.addItem(label, key)
        self.inspection_combo = QComboBox()
        self.notice_combo = QComboBox()
        self.recheck_combo = QComboBox()
        for combo in (self.inspection_combo, self.notice_combo, self.recheck_combo):
            combo.setMinimumContentsLength(28)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            _searchable(combo)
        self.date_filter = QCheckBox("按检查日期")
        self.from_date = QDateEdit(QDate.currentDate().addMonths(-3))
        self.to_date = QDateEdit(QDate.currentDate())
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            # dates that are not applied are not offered as if they were
            edit.setEnabled(False)
            self.date_filter.toggled.connect(edit.setEnabled)
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText("行政区划名称或代码，如 中宁县；空为不限")
        self.theme_combo = QComboBox()
        self.theme_combo.setEditable(True)
        self.theme_combo.addItems(THEMES)
        self.department_combo = QComboBox()
        self.department_combo.setEditable(True)
        self.department_combo.addItems(["", *_department_labels()])
        for combo, what in ((self.theme_combo, "全部主题"), (self.department_combo, "全部部门")):
            typed = combo.lineEdit()
            assert typed is not None  # an editable combo has one
            typed.setPlaceholderText(f"{what}（空为不限）")

        self.selectors = QStackedWidget()
        self.selectors.addWidget(_form(("检查记录", self.inspection_combo)))
        self.selectors.addWidget(_form(("整改文书", self.notice_combo)))
        self.selectors.addWidget(_form(("已复查的文书", self.recheck_combo)))
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.date_filter)
        dates.addWidget(self.from_date)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.to_date)
        dates.addStretch(1)
        dates_box = QWidget()
        dates_box.setLayout(dates)
        filters = _form(("日期", dates_box), ("行政区划", self.region_edit),
                        ("检查主题", self.theme_combo), ("主管部门", self.department_combo))
        self.selectors.addWidget(filters)
        self._pages = {RECORD: 0, NOTICE: 1, RECHECK: 2, SUMMARY: 3, LEDGER: 3}

        self.generate_button = QPushButton("生成预览")
        self.generate_button.setDefault(True)
        self.print_button = QPushButton("打印…")
        self.save_button = QPushButton("另存为…")
        self.word_button = QPushButton("导出Word…")
        # The 通报's preview leaves its 文号 blank; 定稿 takes the number (never a preview).
        self.final_button = QPushButton("定稿取号…")
        self.final_button.setToolTip("从本机“通”字号段取用文号，生成带文号的正式通报。"
                                     "预览不取号。")
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("reportStatus")
        self.description_label = QLabel()
        self.description_label.setObjectName("pageSubtitle")
        self.description_label.setWordWrap(True)
        self.preview = PdfPreview()
        # Above the preview: says so when the 笔录 shown comes from an unsigned inspection.
        self.draft_notice = QLabel()
        self.draft_notice.setObjectName("warningText")
        self.draft_notice.setWordWrap(True)
        self.draft_notice.setVisible(False)
        self.empty_label = QLabel(EMPTY_PREVIEW)
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.empty_label)
        self.preview_stack.addWidget(self.preview)

        side = QVBoxLayout()
        side.addWidget(title)
        side.addWidget(_form(("报告类型", self.kind_combo)))
        side.addWidget(self.description_label)
        side.addWidget(self.selectors)
        buttons = QHBoxLayout()
        for b in (self.generate_button, self.print_button, self.save_button, self.word_button):
            buttons.addWidget(b)
        side.addLayout(buttons)
        final_row = QHBoxLayout()
        final_row.addWidget(self.final_button)
        final_row.addStretch(1)
        side.addLayout(final_row)
        side.addWidget(self.status_label)
        side.addStretch(1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMinimumWidth(380)
        split = QSplitter()
        split.addWidget(side_box)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.draft_notice)
        right_box.addWidget(self.preview_stack, 1)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 700])
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(split)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.inspection_combo, self.notice_combo, self.recheck_combo):
            combo.currentIndexChanged.connect(self._selection_changed)
        for signal in (self.date_filter.toggled, self.from_date.dateChanged,
                       self.to_date.dateChanged, self.region_edit.textEdited,
                       self.theme_combo.currentTextChanged,
                       self.department_combo.currentTextChanged):
            signal.connect(self._selection_changed)
        self.generate_button.clicked.connect(lambda: self.generate())
        self.final_button.clicked.connect(self.finalise)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_as)
        self.word_button.clicked.connect(self.export_word)
        for signal in (ctx.events.inspectionsChanged, ctx.events.rectificationChanged):
            signal.connect(self.refresh)
        self.refresh()
        self._kind_changed()

    # -- lists ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the inspections and notices the selectors offer."""
        from reports.notice_data import list_notices
        from services.inspection_lifecycle import list_inspections

        with self.ctx.db.session() as session:
            inspections = list_inspections(session, current_only=True)
            notices = list_notices(session)
        # Signed inspections first (newest first within each group): they give formal records.
        ordered = sorted(inspections, key=lambda i: i.status != SIGNED)
        self._unsigned = {i.id for i in inspections if i.status != SIGNED}
        _fill(self.inspection_combo, [(_inspection_label(i), i.id) for i in ordered],
              "暂无检查记录")
        _fill(self.notice_combo, [(n.label, n.id) for n in notices], "暂无整改文书")
        _fill(self.recheck_combo, [(n.label, n.id) for n in notices if n.rechecked],
              "暂无已复查的整改文书")
        self._update_buttons()

    def select_kind(self, key: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(key))

    def apply_preset(self, preset: dict[str, object]) -> None:
        """Show one report of one object, e.g. {"kind": "record", "inspection": 12} from an
        inspection window's 打印笔录: the type and the object chosen, the preview generated."""
        kind = preset.get("kind")
        if isinstance(kind, str):
            self.select_kind(kind)
        target = preset.get("inspection", preset.get("notice"))
        combo = {RECORD: self.inspection_combo, NOTICE: self.notice_combo,
                 RECHECK: self.recheck_combo}.get(self.kind)
        if combo is None or target is None:
            return
        if combo.findData(target) < 0:
            self.refresh()
        index = combo.findData(target)
        if index >= 0:
            combo.setCurrentIndex(index)
            self.generate()

    @property
    def showing_preview(self) -> bool:
        """True once a PDF is shown; before that the page shows what to do."""
        return self.preview_stack.currentWidget() is self.preview

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        index = self._pages[self.kind]
        # The stack takes the height of the page shown, not of its tallest page.
        for i in range(self.selectors.count()):
            self.selectors.widget(i).setSizePolicy(
                QSizePolicy.Policy.Preferred,
                QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored)
        self.selectors.setCurrentIndex(index)
        self.selectors.adjustSize()
        self.generate_button.setText("生成台账…" if self.kind == LEDGER else "生成预览")
        self.final_button.setVisible(self.kind == SUMMARY)
        self.description_label.setText(DESCRIPTIONS[self.kind])
        self._selection_changed()

    def _selection_changed(self) -> None:
        """A preview of another report than the one now chosen is taken away, so that it can
        be neither printed nor saved by mistake."""
        if self.current_path is not None and self._shown != self._wanted():
            self.current_path = self.current_kind = None
            self.preview.clear()
            self.draft_notice.setVisible(False)
            self.empty_label.setText(STALE_PREVIEW)
            self.preview_stack.setCurrentWidget(self.empty_label)
            self.status_label.setText("")
        self._update_buttons()

    def _wanted(self) -> tuple[Any, ...]:
        """What the page is set to produce: the report type and its object or filters."""
        if self.kind in (SUMMARY, LEDGER):
            return (self.kind, self.date_filter.isChecked(), self.from_date.date(),
                    self.to_date.date(), self.region_edit.text().strip(),
                    self.theme_combo.currentText().strip(),
                    self.department_combo.currentText().strip())
        return (self.kind, self._selected_id())

    def _update_buttons(self) -> None:
        busy = self.task is not None and self.task.running
        ready = self.current_path is not None and self.current_path.exists() and not busy
        pdf = ready and self.current_kind != LEDGER
        chosen = self.kind in (SUMMARY, LEDGER) or self._selected_id() is not None
        self.generate_button.setEnabled(not busy and chosen)
        self.final_button.setEnabled(not busy and self.kind == SUMMARY)
        self.print_button.setEnabled(pdf and self.preview.page_count > 0)
        self.save_button.setEnabled(ready)
        self.word_button.setEnabled(not busy and self.kind in WORD_KINDS
                                    and self._selected_id() is not None)

    def _selected_id(self) -> int | None:
        combo = {RECORD: self.inspection_combo, NOTICE: self.notice_combo,
                 RECHECK: self.recheck_combo}.get(self.kind)
        value = combo.currentData() if combo is not None else None
        return int(value) if value is not None else None

    # -- building -------------------------------------------------------------------------------

    def generate(self, *, numbered: bool = False, again: bool = False) -> Task | None:
        """Build the chosen report into the temporary folder and preview it. ``numbered``
        (the 通报 only) takes its 文号 from this device's 通 block and keeps the finalised PDF;
        ``again`` allows a second 文号 for a period already finalised."""
        kind = self.kind
        if kind in (RECORD, NOTICE, RECHECK) and self._selected_id() is None:
            messages.warning(self, "请先选择要生成报告的检查记录或整改文书。")
            return None
        if kind == LEDGER:
            target = self.choose_save_path("保存台账", "检查台账.xlsx", "Excel 工作簿 (*.xlsx)")
            if target is None:
                return None
            out = Path(target)
        else:
            out = Path(self._tmp.path()) / f"{kind}-{self._selected_id() or 'selection'}.pdf"
        build = self._builder(kind, out, numbered=numbered, again=again)
        if build is None:
            return None
        wanted = self._wanted()
        return self._run(build, f"正在生成{dict(KINDS)[kind]}…",
                         lambda result: self._show(kind, out, result, wanted))

    def finalise(self) -> Task | None:
        """The 通报 with its 文号 taken from this device's 通 block, after a confirmation: the
        number is used only when the report is built (a failed build gives it back), and the
        finalised PDF is kept. A period finalised already is offered for printing again, or
        - for a corrected reissue - for a new 文号."""
        from services.issued_reports import AlreadyIssued

        if self.kind != SUMMARY:
            return None
        try:
            earlier = self._issued(self.selection())
        except ValueError as exc:
            messages.warning(self, str(exc))
            return None
        if earlier is not None:
            choice = messages.choose(self, str(AlreadyIssued(earlier)),
                                     ["补打存档的通报", "更正后重新定稿取号"], title="这一期已定稿")
            if choice == 0:
                self.show_issued(earlier)
            if choice != 1:
                return None
            return self.generate(numbered=True, again=True)
        if not messages.confirm(self, FINAL_CONFIRM, title="定稿取号", ok="定稿取号"):
            return None
        return self.generate(numbered=True)

    def _issued(self, selection: Any) -> Any:
        """The 通报 finalised for the period ``selection`` names, if any."""
        from reports.summary import finalised_summary

        with self.ctx.db.session() as session:
            return finalised_summary(session, selection)

    def show_issued(self, issued: Any) -> None:
        """Preview the kept PDF of a finalised 通报, to print or save again."""
        from services.issued_reports import IssuedReportError, reprint

        out = Path(self._tmp.path()) / f"summary-issued-{issued.id}.pdf"
        try:
            reprint(self.ctx.db.evidence_root, issued, out)
        except (IssuedReportError, OSError) as exc:
            messages.error(self, f"无法补打：{exc}")
            return
        self._show(SUMMARY, out, None, self._wanted())
        self.status_label.setText(
            f"补打：督查通报 {issued.doc_number}（{chinese_date(beijing(issued.issued_at))}定稿），"
            f"与定稿时完全相同，共 {issued.pages} 页。请打印或另存。")

    def _builder(self, kind: str, out: Path, *, numbered: bool = False,
                 again: bool = False) -> Callable[..., Any] | None:
        db = self.ctx.db
        ident = self._selected_id()
        if kind == RECORD:
            from reports.record import build_record_pdf

            store = db.evidence_root
            return _with_session(db, lambda s, **kw: build_record_pdf(
                s, ident, out, store_root=store, **kw))
        if kind == NOTICE:
            from reports.notice import build_notice_pdf

            return _with_session(db, lambda s, **kw: build_notice_pdf(s, ident, out, **kw))
        if kind == RECHECK:
            from reports.recheck import build_recheck_pdf

            return _with_session(db, lambda s, **kw: build_recheck_pdf(s, ident, out, **kw))
        try:
            selection = self.selection()
        except ValueError as exc:
            messages.warning(self, str(exc))
            return None
        try:
            if kind == SUMMARY:
                from reports.summary import build_summary_pdf as build
            else:
                from reports.ledger import build_ledger_xlsx as build  # type: ignore[no-redef]
        except ImportError:
            messages.warning(self, "该报告暂不可用。")
            return None
        if kind == SUMMARY:
            store = db.evidence_root
            return _with_session(db, lambda s, **kw: build(
                s, selection, out, numbered=numbered, archive_root=store, again=again, **kw))
        return _with_session(db, lambda s, **kw: build(s, selection, out, **kw))

    def selection(self) -> Any:
        """The 督查通报 / 台账 selection from the filter fields."""
        from reports.data import ReportSelection

        date_from = date_to = None
        if self.date_filter.isChecked():
            date_from = _pydate(self.from_date.date())
            date_to = _pydate(self.to_date.date())
            if date_from > date_to:
                raise ValueError("开始日期不能晚于结束日期。")
        return ReportSelection(date_from=date_from, date_to=date_to,
                               region=self.region_edit.text().strip() or None,
                               theme=self.theme_combo.currentText().strip() or None,
                               department=self.department_combo.currentText().strip() or None)

    def _run(self, build: Callable[..., Any], label: str,
             done: Callable[[Any], None]) -> Task:
        def work(progress: Any, is_cancelled: Any) -> Any:
            return build(progress=progress, is_cancelled=is_cancelled)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ReportCancelled):
                cancelled()
                return
            self._update_buttons()
            messages.error(self, f"报告未能生成：{exc}")

        def cancelled() -> None:
            self.status_label.setText("已取消。")
            self._update_buttons()

        self.status_label.setText(label)
        self.task = run_task(work, parent=self, label=label, title="生成报告",
                             on_success=done, on_failure=failed, on_cancel=cancelled)
        self._update_buttons()
        return self.task

    def _show(self, kind: str, out: Path, result: Any, wanted: tuple[Any, ...]) -> None:
        self.current_path, self.current_kind, self._shown = out, kind, wanted
        warning = getattr(result, "warning", None)
        draft = kind == RECORD and self._selected_id() in self._unsigned
        self.draft_notice.setText(
            "草稿：该检查尚未签名，此笔录仅供核对，不是正式笔录。"
            "检查完成并由各方签名后再生成正式笔录。" if draft else "")
        self.draft_notice.setVisible(draft)
        if kind == LEDGER:
            self.preview.clear("台账为 Excel 文件，已保存，可用 Excel 或 WPS 打开。")
            self.empty_label.setText(
                f"台账为 Excel 文件，已保存到\n{out}\n可用 Excel 或 WPS 打开。")
            self.preview_stack.setCurrentWidget(self.empty_label)
            text = f"台账已保存到 {out}"
        else:
            pages = self.preview.load(out)
            self.preview_stack.setCurrentWidget(self.preview)
            text = f"{dict(KINDS)[kind]}{'（草稿）' if draft else ''}已生成，共 {pages} 页。"
            number = getattr(result, "doc_number", None)
            if number:
                text = f"督查通报已定稿，文号 {number}，共 {pages} 页。请打印或另存。"
        self.status_label.setText(text + (f"\n{warning}" if warning else ""))
        self._update_buttons()

    # -- output ---------------------------------------------------------------------------------

    def choose_save_path(self, caption: str, suggested: str, filters: str) -> str | None:
        """Ask where to save (a seam the tests replace); None when the user cancels."""
        path, _ = QFileDialog.getSaveFileName(self, caption, start_path(DOCUMENTS, suggested),
                                              filters)
        remember(DOCUMENTS, path)
        return path or None

    def save_as(self) -> None:
        if self.current_path is None:
            return
        suffix = self.current_path.suffix
        name = f"{dict(KINDS).get(self.current_kind or '', '报告')}{suffix}"
        target = self.choose_save_path("另存为", name, f"{suffix[1:].upper()} 文件 (*{suffix})")
        if target is None or Path(target) == self.current_path:
            return
        try:
            shutil.copyfile(self.current_path, target)
        except OSError as exc:
            messages.error(self, f"无法保存到 {target}：{exc.strerror or exc}")
            return
        self.status_label.setText(f"已保存到 {target}")

    def export_word(self) -> Task | None:
        """Write the chosen notice or 复查意见书 as an editable .docx."""
        ident = self._selected_id()
        if self.kind not in WORD_KINDS or ident is None:
            return None
        name = "整改文书.docx" if self.kind == NOTICE else "复查意见书.docx"
        target = self.choose_save_path("导出Word", name, "Word 文档 (*.docx)")
        if target is None:
            return None
        out = Path(target)
        if self.kind == NOTICE:
            from reports.notice import build_notice_docx as build
        else:
            from reports.recheck import build_recheck_docx as build  # type: ignore[assignment]

        def done(_result: Any) -> None:
            self.status_label.setText(f"Word 文档已保存到 {out}")
            self._update_buttons()

        return self._run(_with_session(self.ctx.db, lambda s, **kw: build(s, ident, out, **kw)),
                         "正在导出 Word 文档…", done)

    def print_report(self) -> None:
        if self.preview.page_count == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.current_path.stem if self.current_path else "报告")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印报告")
        dialog.setMinMax(1, self.preview.page_count)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            count = print_pdf(self.preview.document, printer, first=printer.fromPage() or 1,
                              last=printer.toPage())
        except OSError as exc:
            messages.error(self, str(exc))
            return
        self.status_label.setText(f"已发送 {count} 页到打印机。")


def _with_session(db: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn(session, **kw)`` in a Session of its own (one per worker thread)."""
    def run(**kw: Any) -> Any:
        with db.session() as session:
            return fn(session, **kw)

    return run


def _form(*rows: tuple[str, QWidget]) -> QWidget:
    box = QWidget()
    form = QFormLayout(box)
    form.setContentsMargins(0, 0, 0, 0)
    for label, widget in rows:
        form.addRow(label, widget)
    return box


def _searchable(combo: QComboBox) -> None:
    """A picker over hundreds of records: typing any part of the label (unit, date, theme,
    文号, status) narrows the list; a choice is still only one of the records."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText("输入单位名称、日期、主题或文号查找")
        # a long label shows its start (the date and the unit), not its end, and the whole of
        # it in the tooltip
        combo.currentIndexChanged.connect(lambda _i: edit.setCursorPosition(0))
        combo.currentIndexChanged.connect(lambda _i: combo.setToolTip(combo.currentText()))
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


#: How many of the longest labels set the width of a list that drops down.
_MEASURED = 20


def _fill(combo: QComboBox, items: list[tuple[str, int]], empty: str) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, value in items:
        combo.addItem(label, value)
    if not items:
        combo.addItem(empty, None)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    combo.setToolTip(combo.currentText())
    # the list drops down as wide as its longest label (within the screen), not the box's width
    view = combo.view()
    screen = combo.screen()
    # measured on the longest labels only: the list may hold every inspection
    metrics = view.fontMetrics()
    longest = sorted((label for label, _value in items), key=len, reverse=True)[:_MEASURED]
    widest = (max((metrics.horizontalAdvance(label) for label in longest), default=0)
              + view.verticalScrollBar().sizeHint().width() + 24)
    limit = screen.availableGeometry().width() - 40 if screen is not None else widest
    view.setMinimumWidth(min(widest, limit))
    if combo.lineEdit() is not None:
        combo.lineEdit().setCursorPosition(0)


def _inspection_label(i: Any) -> str:
    """Date, unit, kind and status; an unsigned inspection is marked as not formal."""
    when = f"{beijing(i.started_at):%Y-%m-%d}　{i.entity_name}　{'、'.join(i.themes)}"
    if i.status == SIGNED:
        return f"{when}（{i.kind}，{i.status_label}）"
    # The mark goes first so that a long unit name cannot push it out of sight.
    return f"{DRAFT_MARK if i.status == DRAFT else UNSIGNED_MARK}{when}（{i.kind}）"


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _department_labels() -> list[str]:
    try:
        from checklists.departments import department_kinds

        return [k.label for k in department_kinds()]
    except Exception:  # a broken data file must not keep the page from opening
        return []
