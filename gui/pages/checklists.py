"""检查清单: choose themes, documents, the entity and departments; preview the generated
checklist by section with every item's basis; see what was left out and why, and which
measures the items cover; export the fillable Excel form or an XLSForm.

Generating takes a few milliseconds, so it runs on the GUI thread whenever the choice changes.
Exporting runs through ``run_task`` with a progress dialog that can cancel it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import DocumentView, MeasureView
from checklists.checklist_model import Checklist, ChecklistItem
from checklists.coverage import Coverage, coverage
from checklists.generator import SelectionError, generate
from checklists.template_model import TemplateError, Theme
from checklists.vocabulary import load_vocabulary
from gui import format as fmt
from gui import messages
from gui.context import PageContext
from gui.models.base import ROW_ROLE
from gui.models.checklist_items import ChecklistTreeModel, exclusion_model
from gui.widgets.checklist_coverage import CoverageView
from gui.widgets.checklist_detail import ItemDetail, checklist_item_html
from gui.widgets.checklist_selection import SelectionPanel
from gui.widgets.columns import size_columns
from gui.workers import Cancelled, IsCancelled, Progress, Task, run_task
from models.paths import data_dir
from rules.china_time import today as china_today
from services.catalog import applies_to_jurisdiction, load_catalog
from services.settings import JURISDICTION, get_setting
from services.user_templates import effective_themes

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
#: Shown in place of the empty preview until a theme is ticked.
GUIDE = (
    "生成检查清单：\n\n"
    "1．在左侧“检查主题”中勾选一个或多个主题，如 母婴设施、托育机构消防安全；\n"
    "2．核对“政策文件”（已按辖区勾选）和“被检查单位类型”，按需填写单位情况；\n"
    "3．需要时勾选“检查部门”，只列出这些部门主管的检查项。\n\n"
    "勾选主题后清单自动生成：在这里预览每个检查项及其依据，再导出 Excel 填写表或手机采集表单。"
)


class ChecklistPage(QWidget):
    generated = Signal()  # after every (re)generation, successful or not
    exported = Signal(str)  # the path of a file written

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._vocab = load_vocabulary()
        self._catalog: tuple[DocumentView, ...] = ()
        self._themes: tuple[Theme, ...] = ()
        self._measures: dict[str, MeasureView] = {}
        self._titles: dict[str, str] = {}
        self._jurisdiction: str | None = None
        self.checklist: Checklist | None = None
        self.problem: str | None = None  # why nothing could be generated (Chinese)
        self._last_folder: Path | None = None

        self.title_label = QLabel("检查清单")
        self.title_label.setObjectName("pageTitle")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("pageSubtitle")
        self.summary_label.setWordWrap(True)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warningText")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setVisible(False)
        self.generate_button = QPushButton("生成清单")
        self.generate_button.setToolTip("按左侧的选择重新生成（选择改变时也会自动生成）")
        self.export_xlsx_button = QPushButton("导出 Excel 填写表…")
        self.export_xlsx_button.setToolTip("可打印（A4）或在其他电脑上填写的 Excel 检查表")
        self.export_xlsform_button = QPushButton("导出手机采集表单…")
        self.export_xlsform_button.setToolTip(
            "XLSForm 格式，可在手机上用 ODK Collect 或 KoboToolbox 填写")
        self.generate_button.clicked.connect(self.regenerate)
        self.export_xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.export_xlsform_button.clicked.connect(lambda: self.export_xlsform())

        self.selection_panel = SelectionPanel(self._vocab)
        self.selection_panel.changed.connect(self.regenerate)

        self.tree_model = ChecklistTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        size_columns(self.tree.header(), (7, 20, 5, 4, 5, 3), stretch=1)
        self.tree.selectionModel().currentChanged.connect(self._item_selected)
        self.detail = ItemDetail(
            "选择一个检查项，这里显示它的依据：检查方法、佐证材料、法律条款和所落实的政策措施原文。"
        )

        self.excluded_model = exclusion_model(self)
        self.excluded_table = QTableView()
        self.excluded_table.setModel(self.excluded_model)
        self.excluded_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.excluded_table.verticalHeader().setVisible(False)
        self.excluded_table.setAlternatingRowColors(True)
        self.excluded_table.setWordWrap(False)
        ex_header = self.excluded_table.horizontalHeader()
        ex_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        ex_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        ex_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.excluded_table.setColumnWidth(1, 340)
        self.coverage_view = CoverageView()

        self.guide_label = QLabel(GUIDE)
        self.guide_label.setObjectName("emptyHint")
        self.guide_label.setWordWrap(True)
        self.guide_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview_stack = QStackedWidget()

        self.tabs = QTabWidget()
        self._build_layout()
        ctx.events.catalogChanged.connect(self._catalog_changed)
        ctx.events.settingsChanged.connect(self._settings_changed)
        ctx.events.templatesChanged.connect(self.reload_themes)
        self.reload()

    def _build_layout(self) -> None:
        preview = QSplitter(Qt.Orientation.Vertical)
        preview.addWidget(self.tree)
        preview.addWidget(self.detail)
        preview.setChildrenCollapsible(False)
        preview.setSizes([330, 300])
        self.preview_stack.addWidget(self.guide_label)
        self.preview_stack.addWidget(preview)
        self.tabs.addTab(self.preview_stack, "清单预览")
        self.tabs.addTab(self.excluded_table, "未列入的检查项")
        self.tabs.addTab(self.coverage_view, "措施覆盖")

        scroll = QScrollArea()
        scroll.setWidget(self.selection_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(300)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.summary_label)
        top.addLayout(heading, 1)
        for button in (self.generate_button, self.export_xlsx_button, self.export_xlsform_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.warnings_label)
        right.addWidget(self.tabs, 1)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(scroll)
        body.addLayout(right, 1)

        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addLayout(top)
        box.addLayout(body, 1)

    # --- public API -------------------------------------------------------------------------

    def reload(self, keep_documents: bool = False) -> None:
        """Reload the catalog, the jurisdiction and the themes, then regenerate. The documents
        ticked are those that apply to the jurisdiction, or with ``keep_documents`` the ones
        ticked before (when only the catalog changed)."""
        ticked = self.selection_panel.document_ids()
        with self._ctx.db.session() as session:
            self._jurisdiction = get_setting(session, JURISDICTION) or None
            self._catalog = load_catalog(session)
        self._measures = {m.id: m for d in self._catalog for m in d.measures}
        self._titles = {d.id: d.title for d in self._catalog}
        if self._jurisdiction:
            checked = [
                d.id
                for d in self._catalog
                if applies_to_jurisdiction(d.region_code, self._jurisdiction)
            ]
            hint = f"已勾选适用于{fmt.region_path(self._jurisdiction)}的文件。"
        else:
            checked = []
            hint = "尚未设置辖区：不勾选文件时，引用全部文件的措施，只列全国通用的检查项。"
        if keep_documents and ticked:
            checked = ticked
        self.selection_panel.set_documents(self._catalog, checked, hint)
        self.reload_themes()

    def reload_themes(self) -> None:
        """The shipped themes with the user's template layer over them; then regenerate."""
        try:
            with self._ctx.db.session() as session:
                self._themes = effective_themes(session)
        except TemplateError as exc:
            messages.error(self, f"检查主题模板有误，无法加载：{exc}")
            self._themes = ()
        self.selection_panel.set_themes(self._themes)
        self.regenerate()

    def regenerate(self) -> Checklist | None:
        current = self.current_item()
        selection = self.selection_panel.selection(self._jurisdiction)
        try:
            checklist = generate(
                selection, self._catalog, self._themes, as_of=china_today(), vocab=self._vocab
            )
        except SelectionError as exc:
            self.checklist, self.problem = None, str(exc)
        else:
            self.checklist, self.problem = checklist, None
        self._show(current.code if current else None)
        self.generated.emit()
        return self.checklist

    @property
    def showing_guide(self) -> bool:
        """True while no theme is ticked: the preview tab shows how to start instead."""
        return self.preview_stack.currentWidget() is self.guide_label

    def current_item(self) -> ChecklistItem | None:
        index = self.tree.currentIndex()
        row = self.tree_model.row_at(index.siblingAtColumn(0)) if index.isValid() else None
        return row

    def select_item(self, code: str) -> bool:
        index = self.tree_model.index_of(code)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        return index.isValid()

    def excluded_reasons(self) -> dict[str, str]:
        return {e.code: e.reason for e in self.excluded_model.rows()}

    def export_xlsx(self, path: Path | None = None) -> Task | None:
        """Write the fillable Excel form; asks for the file when ``path`` is not given."""
        checklist = self._ready_to_export()
        if checklist is None:
            return None
        path = path or self._ask_path("导出 Excel 填写表", ".xlsx", XLSX_FILTER)
        if path is None:
            return None
        from checklists.export_xlsx import write_checklist_xlsx

        chosen = set(checklist.selection.documents)
        titles = [d.title for d in self._catalog if d.id in chosen]
        entity = checklist.selection.entity_type
        label = self._vocab.type_label(entity) if entity else None
        return self._export(
            path,
            "正在生成 Excel 填写表…",
            lambda tmp: write_checklist_xlsx(checklist, tmp, entity_label=label, documents=titles),
        )

    def export_xlsform(self, path: Path | None = None) -> Task | None:
        checklist = self._ready_to_export()
        if checklist is None:
            return None
        path = path or self._ask_path("导出手机采集表单（XLSForm）", "_xlsform.xlsx", XLSX_FILTER)
        if path is None:
            return None
        from checklists.export_xlsform import write_xlsform

        return self._export(
            path, "正在生成 XLSForm 表单…", lambda tmp: write_xlsform(checklist, tmp)
        )

    # --- internals --------------------------------------------------------------------------

    def _catalog_changed(self) -> None:
        self.reload(keep_documents=True)

    def _settings_changed(self) -> None:
        self.reload()

    def _show(self, keep_code: str | None) -> None:
        checklist = self.checklist
        self.preview_stack.setCurrentIndex(0 if not self.selection_panel.theme_codes() else 1)
        self.tree_model.set_checklist(checklist)
        self.tree.expandAll()
        self.excluded_model.set_rows(checklist.excluded if checklist else [])
        self.tabs.setTabText(1, f"未列入的检查项（{len(checklist.excluded) if checklist else 0}）")
        if checklist is None:
            self.summary_label.setText(self.problem or "")
            self.detail.show_html(None)
        else:
            pending = sum(1 for i in checklist.items if i.pending)
            text = (
                f"“{checklist.title}”：{len(checklist.sections)} 节、"
                f"{len(checklist.items)} 个检查项；未列入 {len(checklist.excluded)} 项"
            )
            if pending:
                text += f"；{pending} 项适用条件待现场确认"
            self.summary_label.setText(text)
        warnings = checklist.warnings if checklist else ()
        self.warnings_label.setText("\n".join(warnings))
        self.warnings_label.setVisible(bool(warnings))
        for button in (self.export_xlsx_button, self.export_xlsform_button):
            button.setEnabled(bool(checklist and checklist.items))
        if not (keep_code and self.select_item(keep_code)):
            first = self.tree_model.first_row_index()
            if first.isValid():
                self.tree.setCurrentIndex(first)
            else:
                self.detail.show_html(None)
        self._show_coverage()

    def _show_coverage(self) -> None:
        chosen_docs = set(self.selection_panel.document_ids())
        chosen = set(self.selection_panel.theme_codes())
        onsite = [t for t in self._themes if t.kind == "onsite"]
        picked = [t for t in onsite if t.code in chosen] or onsite
        names = "、".join(t.name for t in picked)
        where = "所选" if chosen_docs else "全部"
        # Items resolve their refs against the whole catalog; only the documents are narrowed.
        full = coverage(self._catalog, picked)
        docs = tuple(d for d in full.documents if not chosen_docs or d.document_id in chosen_docs)
        self.coverage_view.show_coverage(
            Coverage(docs, full.items),
            f"统计范围：{where}政策文件 × 现场检查主题（{names}）的全部启用检查项，"
            "不受单位类型、条件和部门筛选的影响。部门督查按措施逐条生成，不计入。",
        )

    def _item_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.siblingAtColumn(0).data(ROW_ROLE) if current.isValid() else None
        if isinstance(item, ChecklistItem):
            self.detail.show_html(checklist_item_html(item, self._measures, self._titles))
        else:
            self.detail.show_html(None)

    def _ready_to_export(self) -> Checklist | None:
        if self.checklist is None or not self.checklist.items:
            messages.warning(self, self.problem or "清单中没有检查项，无法导出。请先调整选择。")
            return None
        return self.checklist

    def _folder(self) -> Path:
        """Where the save dialog opens: the last folder used, else the exports folder in the
        user's data folder (never beside the program)."""
        if self._last_folder is not None:
            return self._last_folder
        folder = data_dir() / "exports"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Path.home()
        return folder

    def _ask_path(self, title: str, suffix: str, file_filter: str) -> Path | None:
        assert self.checklist is not None
        name = f"{self.checklist.title}检查表_{china_today():%Y%m%d}{suffix}"
        chosen, _ = QFileDialog.getSaveFileName(
            self, title, str(self._folder() / name), file_filter
        )
        if not chosen:
            return None
        path = Path(chosen)
        self._last_folder = path.parent
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def _export(self, path: Path, label: str, write: Callable[[Path], object]) -> Task:
        def work(
            progress: Progress, is_cancelled: IsCancelled
        ) -> str:
            progress(0, 2, label)
            tmp = path.with_name(f".{path.name}.part")
            try:
                write(tmp)
                progress(1, 2, "正在保存文件…")
                if is_cancelled():
                    raise Cancelled()
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            progress(2, 2, "已完成")
            return str(path)

        def failed(exc: BaseException) -> None:
            messages.error(self, _export_error(path, exc), title="导出失败")

        def done(result: object) -> None:
            self.exported.emit(str(result))

        return run_task(
            work, parent=self, label=label, title="导出", on_success=done, on_failure=failed
        )


def _export_error(path: Path, exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return f"没有权限写入“{path}”。请换一个文件夹，或先关闭正在打开这个文件的程序。"
    if isinstance(exc, FileNotFoundError):
        return f"文件夹“{path.parent}”不存在，请重新选择保存位置。"
    if isinstance(exc, OSError):
        return f"无法写入“{path}”：{exc.strerror or exc}"
    return f"导出“{path.name}”时出错：{exc}"
