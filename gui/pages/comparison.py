"""主题对比: how the documents compare topic by topic.

A grid of topics × documents; each cell counts the document's measures on that topic, shaded
by count. Selecting a cell lists those measures; selecting one shows it in full.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.context import PageContext
from gui.models.comparison import ComparisonTableModel
from gui.widgets.measure_detail import MeasureDetail
from services.catalog import topic_comparison

_MEASURE_ID = Qt.ItemDataRole.UserRole + 10


class ComparisonPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("主题对比")
        self.title_label.setObjectName("pageTitle")
        self.hint_label = QLabel(
            "每格是该文件中属于该主题的措施数，颜色越深越多。点选一格查看这些措施。"
        )
        self.hint_label.setObjectName("pageSubtitle")

        self.model = ComparisonTableModel(parent=self)
        self.grid_view = QTableView()
        self.grid_view.setObjectName("comparisonGrid")
        self.grid_view.setModel(self.model)
        self.grid_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid_view.verticalHeader().setDefaultSectionSize(26)
        self.grid_view.selectionModel().currentChanged.connect(self._cell_selected)

        self.cell_label = QLabel()
        self.cell_label.setObjectName("sectionCaption")
        self.measure_list = QListWidget()
        self.measure_list.currentItemChanged.connect(self._measure_selected)
        self.detail = MeasureDetail(ctx.db)
        self.detail.unitsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())
        self.detail.topicsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())

        self._build_layout()
        ctx.events.catalogChanged.connect(self.refresh)
        self.refresh()

    def _build_layout(self) -> None:
        listing = QWidget()
        l_box = QVBoxLayout(listing)
        l_box.setContentsMargins(0, 0, 0, 0)
        l_box.addWidget(self.cell_label)
        l_box.addWidget(self.measure_list, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(listing)
        right.addWidget(self.detail)
        right.setSizes([170, 480])
        right.setChildrenCollapsible(False)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(self.grid_view)
        outer.addWidget(right)
        outer.setSizes([560, 600])
        outer.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        box.addWidget(self.title_label)
        box.addWidget(self.hint_label)
        box.addWidget(outer, 1)

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._ctx.db.session() as session:
            grid = topic_comparison(session)
        self.model.set_grid(grid)
        self.measure_list.clear()
        self.cell_label.setText("点选上方表格中的一格")
        self.detail.show_measure(None)

    def select_cell(self, row: int, column: int) -> None:
        self.grid_view.setCurrentIndex(self.model.index(row, column))

    def listed_measures(self) -> list[str]:
        """The measure ids listed for the selected cell."""
        return [
            self.measure_list.item(i).data(_MEASURE_ID) for i in range(self.measure_list.count())
        ]

    # --- internals --------------------------------------------------------------------------

    def _cell_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.measure_list.clear()
        if not current.isValid():
            return
        topic = self.model.headerData(current.row(), Qt.Orientation.Vertical)
        doc = self.model.headerData(current.column(), Qt.Orientation.Horizontal)
        measures = self.model.cell(current.row(), current.column())
        self.cell_label.setText(f"{doc} · {topic}：{len(measures)} 项措施")
        for measure_id, number, title in measures:
            item = QListWidgetItem(f"{number}　{title}")
            item.setData(_MEASURE_ID, measure_id)
            item.setToolTip(title)
            self.measure_list.addItem(item)
        if measures:
            self.measure_list.setCurrentRow(0)
        else:
            self.detail.show_measure(None)

    def _measure_selected(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.detail.show_measure_id(current.data(_MEASURE_ID) if current is not None else None)
