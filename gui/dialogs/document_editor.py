"""The editable preview of a parsed document in the import dialog.

Metadata (title, region, 文号, date, issuers) is read from its fields when the document is
taken (:meth:`DocumentEditor.commit`). Measure corrections (title, units, merge, split, delete,
a source line marked as a measure or a heading) apply at once through ``checklists.editing``,
so the table always shows what will be saved; each is recorded with the document.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checklists import editing
from checklists.departments import canonical_department, is_collective
from checklists.parsing.model import ParsedDocument
from checklists.regions import NATIONAL, load_regions
from gui import format as fmt
from gui import messages
from gui.models.parsed_measures import ParsedMeasureTableModel
from gui.widgets.region_combo import searchable_regions
from gui.widgets.source_lines import SourceLines


class DocumentEditor(QWidget):
    documentChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: ParsedDocument | None = None
        self._loading = False

        self.doc_title_edit = QLineEdit()
        self.region_combo = QComboBox()
        self.region_combo.addItem("未识别（请选择）", None)
        for region in sorted(load_regions(), key=lambda r: r.code):
            if region.code != NATIONAL:
                above = fmt.region_path(region.parent) if region.parent != NATIONAL else ""
                label = f"{region.name}（{above}）" if above else region.name
                self.region_combo.addItem(label, region.code)
        searchable_regions(self.region_combo)  # the country's regions: typed into
        self.region_combo.setMaxVisibleItems(20)
        self.doc_number_edit = QLineEdit()
        self.doc_number_edit.setPlaceholderText("如 宝卫人口发〔2024〕162号")
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("如 2024-10-29")
        self.issuers_edit = QLineEdit()
        self.issuers_edit.setPlaceholderText("多个单位用顿号分开")
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warningText")
        self.warnings_label.setWordWrap(True)

        self.model = ParsedMeasureTableModel(parent=self)
        self.measure_table = QTableView()
        self.measure_table.setModel(self.model)
        self.measure_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.measure_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.measure_table.verticalHeader().setVisible(False)
        self.measure_table.setAlternatingRowColors(True)
        self.measure_table.setWordWrap(False)
        header = self.measure_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in enumerate((56, 180, 120, 170)):
            self.measure_table.setColumnWidth(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.ResizeToContents)
        self.measure_table.selectionModel().selectionChanged.connect(self._row_selected)

        self.title_edit = QLineEdit()
        self.lead_edit = QLineEdit()
        self.lead_edit.setPlaceholderText("多个单位用顿号分开")
        self.responsible_edit = QLineEdit()
        self.responsible_edit.setPlaceholderText("多个单位用顿号分开")
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text_view.setToolTip("在正文中点击要拆分的位置，再点“在光标处拆分”")
        self.merge_button = QPushButton("与下一项合并")
        self.merge_button.setToolTip("解析把一项措施拆成了两项时使用")
        self.split_button = QPushButton("在光标处拆分")
        self.split_button.setToolTip("解析把两项措施连在一起时使用：先在正文中点击拆分位置")
        self.delete_button = QPushButton("不是措施，删除")
        self.delete_button.setToolTip("解析把通知事项、小标题等误认成措施时使用")
        self.delete_button.clicked.connect(self.delete_current)
        self.mapping_label = QLabel()
        self.mapping_label.setObjectName("pageSubtitle")
        self.mapping_label.setWordWrap(True)
        self.source = SourceLines()
        self.source.markMeasure.connect(self.mark_measure)
        self.source.markHeading.connect(self.mark_heading)
        self.title_edit.textChanged.connect(self._title_edited)
        self.lead_edit.textChanged.connect(self._units_edited)
        self.responsible_edit.textChanged.connect(self._units_edited)
        self.merge_button.clicked.connect(self.merge_with_next)
        self.split_button.clicked.connect(
            lambda: self.split_at(self.text_view.textCursor().position())
        )
        self._build_layout()
        self._set_measure_enabled(False)

    def _build_layout(self) -> None:
        meta = QGridLayout()
        meta.setHorizontalSpacing(10)
        meta.addWidget(QLabel("文件标题"), 0, 0)
        meta.addWidget(self.doc_title_edit, 0, 1, 1, 3)
        meta.addWidget(QLabel("地区"), 1, 0)
        meta.addWidget(self.region_combo, 1, 1)
        meta.addWidget(QLabel("文号"), 1, 2)
        meta.addWidget(self.doc_number_edit, 1, 3)
        meta.addWidget(QLabel("成文日期"), 2, 0)
        meta.addWidget(self.date_edit, 2, 1)
        meta.addWidget(QLabel("发文单位"), 2, 2)
        meta.addWidget(self.issuers_edit, 2, 3)
        meta.setColumnStretch(1, 1)
        meta.setColumnStretch(3, 2)

        form = QFormLayout()
        form.addRow("措施标题", self.title_edit)
        form.addRow("牵头单位", self.lead_edit)
        form.addRow("责任单位", self.responsible_edit)
        form.addRow("", self.mapping_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.split_button)
        buttons.addWidget(self.merge_button)
        edit_panel = QWidget()
        edit_box = QVBoxLayout(edit_panel)
        edit_box.setContentsMargins(0, 0, 0, 0)
        edit_box.addLayout(form)
        edit_box.addWidget(QLabel("正文（拆分时先点击要拆开的位置）"))
        edit_box.addWidget(self.text_view, 1)
        edit_box.addLayout(buttons)

        parse = QSplitter(Qt.Orientation.Vertical)
        parse.addWidget(self.measure_table)
        parse.addWidget(edit_panel)
        parse.setSizes([260, 300])
        parse.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.source)
        split.addWidget(parse)
        split.setSizes([420, 700])
        split.setChildrenCollapsible(False)

        self.warnings_area = QScrollArea()
        self.warnings_area.setWidget(self.warnings_label)
        self.warnings_area.setWidgetResizable(True)
        self.warnings_area.setMaximumHeight(84)
        self.warnings_area.setFrameShape(QScrollArea.Shape.NoFrame)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(meta)
        box.addWidget(self.warnings_area)
        box.addWidget(split, 1)

    # --- public API -------------------------------------------------------------------------

    @property
    def document(self) -> ParsedDocument | None:
        return self._doc

    def set_document(self, doc: ParsedDocument) -> None:
        self._loading = True
        try:
            self._doc = doc
            self.doc_title_edit.setText(doc.title)
            self.region_combo.setCurrentIndex(max(self.region_combo.findData(doc.region_code), 0))
            self.doc_number_edit.setText(doc.doc_number or "")
            self.date_edit.setText(doc.date or "")
            self.issuers_edit.setText("、".join(doc.issuers))
            notes = list(doc.warnings)
            if doc.region_code is None:
                notes.insert(0, "未能从标题或发文单位识别地区，请在“地区”中选择。")
            self.warnings_label.setText("\n".join(f"· {n}" for n in notes))
            self.warnings_area.setVisible(bool(notes))
            self.model.set_document(doc)
            self.source.set_lines(editing.source_lines(doc))
        finally:
            self._loading = False
        self.select_measure(0)

    def commit(self) -> ParsedDocument:
        """The document with the metadata fields applied. Raises ``editing.EditError``."""
        if self._doc is None:
            raise editing.EditError("还没有可保存的文件。")
        doc = editing.set_title(self._doc, self.doc_title_edit.text())
        doc = editing.set_region(doc, self.region_combo.currentData())
        doc = editing.set_doc_number(doc, self.doc_number_edit.text())
        doc = editing.set_date(doc, self.date_edit.text())
        doc = editing.set_issuers(doc, editing.split_names(self.issuers_edit.text()))
        row = self.current_row()
        if row >= 0 and not self.title_edit.text().strip():
            raise editing.EditError(f"第 {doc.measures[row].number} 项的标题不能为空。")
        self._doc = doc
        return doc

    def current_row(self) -> int:
        rows = self.measure_table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_measure(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.measure_table.selectRow(row)
        else:
            self.measure_table.clearSelection()
            self._show_measure(-1)

    def merge_with_next(self) -> None:
        row = self.current_row()
        if row >= 0 and self._apply(editing.merge_measures, row):
            self.select_measure(row)

    def split_at(self, position: int) -> None:
        row = self.current_row()
        if row >= 0 and self._apply(editing.split_measure, row, position):
            self.select_measure(row)

    def delete_current(self) -> None:
        row = self.current_row()
        if row >= 0 and self._apply(editing.delete_measure, row):
            self.select_measure(min(row, self.model.rowCount() - 1))

    def mark_measure(self, first: int, last: int) -> None:
        if self._doc is None:
            return
        before = {id(m) for m in self._doc.measures}
        if self._apply(editing.mark_measure, first, last):
            assert self._doc is not None
            new = next(k for k, m in enumerate(self._doc.measures) if id(m) not in before)
            self.select_measure(new)

    def mark_heading(self, line: int) -> None:
        row = self.current_row()
        if self._apply(editing.mark_heading, line):
            self.select_measure(min(max(row, 0), self.model.rowCount() - 1))

    # --- internals --------------------------------------------------------------------------

    def _apply(self, edit: Callable[..., ParsedDocument], *args: object) -> bool:
        assert self._doc is not None
        try:
            doc = edit(self._doc, *args)
        except editing.EditError as exc:
            messages.warning(self, str(exc), title="无法修改")
            return False
        self._doc = doc
        self.model.set_document(doc)
        self.documentChanged.emit()
        return True

    def _set_measure_enabled(self, enabled: bool) -> None:
        for w in (
            self.title_edit,
            self.lead_edit,
            self.responsible_edit,
            self.text_view,
            self.merge_button,
            self.split_button,
            self.delete_button,
        ):
            w.setEnabled(enabled)

    def _row_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_measure(self.current_row())

    def _show_measure(self, row: int) -> None:
        self._loading = True
        try:
            if self._doc is None or not 0 <= row < len(self._doc.measures):
                for edit in (self.title_edit, self.lead_edit, self.responsible_edit):
                    edit.clear()
                self.text_view.clear()
                self.mapping_label.clear()
                self.source.show_range(None)
                self._set_measure_enabled(False)
                return
            m = self._doc.measures[row]
            self.title_edit.setText(m.title)
            self.lead_edit.setText("、".join(m.lead_units))
            self.responsible_edit.setText("、".join(m.responsible_units))
            self.text_view.setPlainText(m.text)
            self.mapping_label.setText(self._mapping(row))
            self.source.show_range(editing.measure_lines(self._doc, row))
            self._set_measure_enabled(True)
            self.merge_button.setEnabled(row + 1 < len(self._doc.measures))
        finally:
            self._loading = False

    def _mapping(self, row: int) -> str:
        """How each unit as written maps to a department: beside the name, never for it."""
        assert self._doc is not None
        parts = []
        for u in self._doc.measures[row].units:
            if u.collective or is_collective(u.name):
                continue
            found = canonical_department(u.name, self._doc.region_code)
            if found is None:
                parts.append(f"{u.name}：未能对应部门")
            elif self._doc.region_code is None:
                parts.append(f"{u.name} → {found.label}（地区未定）")
            elif found.name_supported and found.name != u.name:
                parts.append(f"{u.name} → {found.name}")
            elif not found.name_supported:
                parts.append(f"{u.name} → {found.label}职能（名称以原文为准）")
        return ("对应部门：" + "；".join(parts)) if parts else ""

    def _title_edited(self, text: str) -> None:
        row = self.current_row()
        if self._loading or row < 0 or not text.strip():
            return
        self._apply(editing.set_measure_title, row, text)

    def _units_edited(self, _text: str) -> None:
        row = self.current_row()
        if self._loading or row < 0:
            return
        self._apply(
            editing.set_measure_units,
            row,
            editing.split_names(self.lead_edit.text()),
            editing.split_names(self.responsible_edit.text()),
        )
