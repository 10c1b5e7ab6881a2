"""Which policy measures the checklists check: per document the measures no item checks yet,
per item the measures it covers (the GUI face of ``checklist coverage``)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checklists.coverage import Coverage, DocumentCoverage, MeasureRef
from checklists.topics import load_topics
from gui.models.base import ATTENTION, Column, RowTableModel
from gui.models.checklist_items import document_coverage_model, item_coverage_model
from gui.widgets.columns import size_columns


def _table(model: RowTableModel, chars: tuple[int, ...], stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    size_columns(view.horizontalHeader(), chars, stretch)
    return view


class CoverageView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("measureRef")
        self.scope_label.setWordWrap(True)
        self.document_model = document_coverage_model(self)
        self.document_table = _table(self.document_model, (8, 3, 5, 4, 4), 0)
        self.uncovered_caption = QLabel("尚无检查项核查的措施")
        self.uncovered_caption.setObjectName("sectionCaption")
        self.uncovered_caption.setWordWrap(True)
        topics = {t.code: t.label for t in load_topics()}
        self.uncovered_model: RowTableModel[MeasureRef] = RowTableModel(
            [
                Column("措施", lambda m: m.ref, color=lambda _m: ATTENTION),
                Column("标题", lambda m: m.title, tooltip=lambda m: m.title),
                Column("政策主题", lambda m: "、".join(topics.get(t, t) for t in m.topics)),
            ],
            parent=self,
        )
        self.uncovered_table = _table(self.uncovered_model, (5, 10, 7), 1)
        self.item_model = item_coverage_model(self)
        self.item_table = _table(self.item_model, (5, 12, 10), 1)
        self.document_table.selectionModel().currentChanged.connect(self._document_selected)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("按政策文件")
        caption.setObjectName("sectionCaption")
        lbox.addWidget(caption)
        lbox.addWidget(self.document_table, 2)
        lbox.addWidget(self.uncovered_caption)
        lbox.addWidget(self.uncovered_table, 3)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("按检查项：各项覆盖的措施")
        caption.setObjectName("sectionCaption")
        rbox.addWidget(caption)
        rbox.addWidget(self.item_table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setSizes([420, 580])
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.scope_label)
        box.addWidget(split, 1)

    def show_coverage(self, cov: Coverage, scope: str) -> None:
        current = self.current_document()
        self.scope_label.setText(scope)
        self.document_model.set_rows(cov.documents)
        self.item_model.set_rows(cov.items)
        rows = [d.document_id for d in cov.documents]
        row = rows.index(current.document_id) if current and current.document_id in rows else 0
        if rows:
            self.document_table.selectRow(row)
        else:
            self.uncovered_model.set_rows([])

    def current_document(self) -> DocumentCoverage | None:
        index = self.document_table.currentIndex()
        return self.document_model.row_at(index.row()) if index.isValid() else None

    def _document_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        doc = self.document_model.row_at(current.row())
        self.uncovered_model.set_rows(doc.uncovered)
        self.uncovered_caption.setText(
            f"《{doc.title}》中尚无检查项核查的措施：{len(doc.uncovered)} 条（共 {doc.total} 条）"
        )
