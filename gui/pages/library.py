"""政策目录: the documents that apply to the user's jurisdiction, their measures, one measure.

Top: the documents (all of them with “显示全部文件”). Below: the selected document's sections
and measures on the left, the selected measure on the right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import DocumentSummary
from gui import format as fmt
from gui.context import PageContext
from gui.models.base import HTML_ROLE, ROW_ROLE
from gui.models.documents import DocumentTableModel
from gui.models.measure_tree import MeasureTreeModel
from gui.widgets.columns import size_columns
from gui.widgets.highlight import RichTextList
from gui.widgets.measure_detail import MeasureDetail

if TYPE_CHECKING:
    from services.first_page import FirstPage


class LibraryPage(QWidget):
    """With a context, the page reads and changes the catalog. Without one, on start before
    the database is open, it shows ``remembered`` (see :mod:`services.first_page`) as the
    page built from the database will show it, and changes nothing."""

    def __init__(self, ctx: PageContext | None, parent: QWidget | None = None, *,
                 remembered: FirstPage | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._remembered = remembered
        self._jurisdiction: str | None = None

        # Built top down, each widget inside its final parent: with the application's style
        # sheet, every widget moved into another parent has its style worked out again, with
        # all the widgets inside it.
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        top = QHBoxLayout()
        box.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        box.addWidget(split, 1)

        self.title_label = QLabel("政策目录", self)
        self.title_label.setObjectName("pageTitle")
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("pageSubtitle")
        self.show_all_check = QCheckBox("显示全部文件", self)
        self.show_all_check.setToolTip("也显示不适用于本辖区的政策文件")
        self.show_all_check.toggled.connect(self.refresh)

        self.document_model = DocumentTableModel(parent=self)
        self.document_list = RichTextList(self.document_model, HTML_ROLE, split)
        self.document_list.setObjectName("cardList")
        self.document_list.selectionModel().currentChanged.connect(self._document_selected)

        self.measure_model = MeasureTreeModel(parent=self)
        self.measure_tree = QTreeView(split)
        self.measure_tree.setModel(self.measure_model)
        self.measure_tree.setUniformRowHeights(True)
        self.measure_tree.setAlternatingRowColors(True)
        # 编号 fitted to each document's numbers (_fit_numbers), 备注 “待核” or “12 项”
        size_columns(self.measure_tree.header(), (4, 0, 4), stretch=1)
        self.measure_tree.selectionModel().currentChanged.connect(self._measure_selected)

        self.detail = MeasureDetail(ctx.db if ctx is not None else None, split)
        self._build_layout(top, split)
        # The tree measures its (uniform) rows as it is filled, with the style sheet's item
        # padding only once it is polished: polished before the first document is shown.
        self.measure_tree.ensurePolished()
        if ctx is None:
            self.show_all_check.setEnabled(False)
            if remembered is not None:
                self._show_remembered(remembered)
            return
        self.detail.unitsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())
        self.detail.topicsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())
        ctx.events.settingsChanged.connect(self.refresh)
        ctx.events.catalogChanged.connect(self._catalog_changed)
        self.refresh()

    def _build_layout(self, top: QHBoxLayout, split: QSplitter) -> None:
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.scope_label)
        top.addLayout(heading, 1)
        top.addWidget(self.show_all_check, 0, Qt.AlignmentFlag.AlignBottom)

        split.addWidget(self.document_list)
        split.addWidget(self.measure_tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 2)
        split.setSizes([290, 330, 540])
        split.setChildrenCollapsible(False)

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the documents (jurisdiction and the show-all toggle), keeping the selection."""
        if self._ctx is None:
            return
        from services.catalog import list_documents
        from services.settings import JURISDICTION, get_setting

        current = self.current_document()
        with self._ctx.db.session() as session:
            self._jurisdiction = get_setting(session, JURISDICTION) or None
            scope = None if self.show_all_check.isChecked() else self._jurisdiction
            docs = list_documents(session, scope)
        self.document_model.set_rows(docs)
        self._update_scope_label(len(docs), fmt.region_path(self._jurisdiction))
        row = self.document_model.row_of(current.id) if current else -1
        self._select_row(row if row >= 0 else 0)
        if not docs:
            self.measure_model.set_measures(())
            self.detail.show_measure(None)

    def documents(self) -> list[DocumentSummary]:
        return self.document_model.rows()

    def current_document(self) -> DocumentSummary | None:
        index = self.document_list.currentIndex()
        return self.document_model.row_at(index.row()) if index.isValid() else None

    def select_document(self, document_id: str) -> bool:
        row = self.document_model.row_of(document_id)
        if row >= 0:
            self._select_row(row)
        return row >= 0

    def reveal_document(self, document_id: str) -> bool:
        """Select a document, showing all documents if the jurisdiction filter hides it."""
        if self.select_document(document_id):
            return True
        self.show_all_check.setChecked(True)
        return self.select_document(document_id)

    def select_measure(self, measure_id: str) -> bool:
        index = self.measure_model.index_of(measure_id)
        if index.isValid():
            self.measure_tree.setCurrentIndex(index)
        return index.isValid()

    # --- internals --------------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.document_model.rowCount():
            self.document_list.selectionModel().setCurrentIndex(
                self.document_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _show_remembered(self, page: FirstPage) -> None:
        self._jurisdiction = page.jurisdiction
        self.document_model.set_rows(list(page.documents))
        self._update_scope_label(len(page.documents), page.jurisdiction_path)
        self._select_row(0)  # shows the remembered measures through _document_selected

    def _update_scope_label(self, count: int, jurisdiction_path: str) -> None:
        if self.show_all_check.isChecked():
            text = f"全部政策文件，共 {count} 份"
        elif self._jurisdiction:
            text = (
                f"适用于 {jurisdiction_path} 的政策文件，共 {count} 份"
                "（含上级和下辖地区的文件）"
            )
        else:
            text = f"尚未设置辖区，显示全部 {count} 份政策文件。可在“设置”中选择本单位的辖区。"
        self.scope_label.setText(text)

    def _document_selected(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        doc = self.current_document()
        if doc is None:
            return
        if self._ctx is None:  # only the first document's measures are remembered
            first = self._remembered is not None and self.document_model.row_of(doc.id) == 0
            measures = self._remembered.measures if first and self._remembered else ()
        else:
            from services.catalog import measure_views

            with self._ctx.db.session() as session:
                measures = measure_views(session, doc.id)
        self.measure_model.set_measures(measures)
        self._fit_numbers()
        self.measure_tree.expandAll()
        first = self.measure_model.first_measure_index()
        if first.isValid():
            self.measure_tree.setCurrentIndex(first)
        else:
            self.detail.show_measure(None)

    def _fit_numbers(self) -> None:
        """编号 as wide as the longest number shown, below its section's indentation and the
        branch mark: measured from the numbers alone, not from every row of the tree."""
        tree = self.measure_tree
        advance = tree.fontMetrics().horizontalAdvance
        sections, measures = self.measure_model.numbers()
        indent = tree.indentation()
        widest = max([advance(n) + indent for n in sections]
                     + [advance(n) + 2 * indent for n in measures] + [advance("编号")])
        # and room for the item's padding and text margins
        tree.header().resizeSection(0, widest + 2 * advance("中"))

    def _measure_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        measure = current.siblingAtColumn(0).data(ROW_ROLE) if current.isValid() else None
        if measure is not None:
            labels = self._remembered.topic_labels if self._ctx is None and self._remembered \
                else None
            self.detail.show_measure(measure, labels)

    def _catalog_changed(self) -> None:
        shown = self.detail.measure
        self.refresh()
        if shown is not None:
            self.select_measure(shown.id)
