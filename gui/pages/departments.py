"""部门视图: which measures each department leads or shares, across all documents.

Left: departments grouped by kind, with a filter box that also matches the names as written
(县卫健局 finds 鹿寨县卫生健康局). A kind row stands for all departments of that kind across
regions. Right: the measures, and the selected one in full below them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui.context import PageContext
from gui.models.base import ROW_ROLE
from gui.models.department_measures import DepartmentMeasureTableModel
from gui.models.departments import KEY_ROLE, SEARCH_ROLE, DepartmentTreeModel
from gui.widgets.measure_detail import MeasureDetail
from services.catalog import DepartmentMeasure, department_measures, list_departments


class DepartmentsPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("部门视图")
        self.title_label.setObjectName("pageTitle")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选部门，如 卫生健康、县卫健局、总工会")
        self.filter_edit.setClearButtonEnabled(True)

        self.tree_model = DepartmentTreeModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.tree_model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self._filter_changed)

        self.department_tree = QTreeView()
        self.department_tree.setModel(self.proxy)
        self.department_tree.setUniformRowHeights(True)
        self.department_tree.setAlternatingRowColors(True)
        header = self.department_tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.department_tree.selectionModel().currentChanged.connect(self._department_selected)

        self.heading_label = QLabel("选择左侧的部门或部门类别")
        self.heading_label.setObjectName("sectionCaption")
        self.heading_label.setWordWrap(True)
        self.measure_model = DepartmentMeasureTableModel(parent=self)
        self.measure_table = QTableView()
        self.measure_table.setModel(self.measure_model)
        self.measure_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.measure_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.measure_table.verticalHeader().setVisible(False)
        self.measure_table.setAlternatingRowColors(True)
        self.measure_table.setWordWrap(False)
        m_header = self.measure_table.horizontalHeader()
        for col in range(self.measure_model.columnCount()):
            m_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        m_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.measure_table.selectionModel().currentChanged.connect(self._measure_selected)
        self.detail = MeasureDetail(ctx.db)
        self.detail.unitsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())
        self.detail.topicsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())

        self._build_layout()
        ctx.events.catalogChanged.connect(self.refresh)
        self.refresh()

    def _build_layout(self) -> None:
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.filter_edit)
        left_box.addWidget(self.department_tree, 1)

        right_top = QWidget()
        rt_box = QVBoxLayout(right_top)
        rt_box.setContentsMargins(0, 0, 0, 0)
        rt_box.addWidget(self.heading_label)
        rt_box.addWidget(self.measure_table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(right_top)
        right.addWidget(self.detail)
        right.setSizes([260, 380])
        right.setChildrenCollapsible(False)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 760])
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addWidget(self.title_label)
        box.addWidget(split, 1)

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        key = self.current_key()
        with self._ctx.db.session() as session:
            self.tree_model.set_departments(list_departments(session))
        if key is not None:
            self.show_department(key)

    def current_key(self) -> str | None:
        index = self.department_tree.currentIndex()
        return index.data(KEY_ROLE) if index.isValid() else None

    def select_kind(self, kind: str) -> bool:
        """Select a kind row (卫生健康): every department of that kind across regions."""
        index = self.proxy.mapFromSource(self.tree_model.kind_index(kind))
        if index.isValid():
            self.department_tree.setCurrentIndex(index)
        return index.isValid()

    def show_department(self, key: str) -> None:
        """List the measures of a department id or a kind, without touching the tree."""
        with self._ctx.db.session() as session:
            rows = department_measures(session, key)
        self.measure_model.set_rows(rows)
        documents = len({r.document_id for r in rows})
        lead = sum(1 for r in rows if "lead" in r.roles)
        self.heading_label.setText(
            f"{self._key_label(key)}：共 {len(rows)} 项措施，分布在 {documents} 份文件中，"
            f"其中牵头 {lead} 项"
            if rows
            else f"{self._key_label(key)}：没有涉及的措施"
        )
        if rows:
            self.measure_table.selectRow(0)
        else:
            self.detail.show_measure(None)

    def measures(self) -> list[DepartmentMeasure]:
        return self.measure_model.rows()

    # --- internals --------------------------------------------------------------------------

    def _key_label(self, key: str) -> str:
        if key in self.tree_model.kind_labels():
            return f"全部{key}部门（各地区）"
        index = self.department_tree.currentIndex()
        name = index.siblingAtColumn(0).data() if index.isValid() else None
        return str(name) if name and index.data(KEY_ROLE) == key else key

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.department_tree.expandAll()

    def _department_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else None
        if key is None:
            self.measure_model.set_rows([])
            self.heading_label.setText("请展开并选择具体单位查看其措施")
            self.detail.show_measure(None)
            return
        self.show_department(key)

    def _measure_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.siblingAtColumn(0).data(ROW_ROLE) if current.isValid() else None
        self.detail.show_measure_id(row.measure_id if row is not None else None)
