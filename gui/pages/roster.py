"""检查人员: the roster (name, department, 执法证号, in post) and declared conflicts (回避).

Left: the people. Right: the conflicts declared with each unit; an inspector with a conflict
is left out when an inspection of that unit is set up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from gui.models.base import ROW_ROLE
from gui.models.roster import ConflictTableModel, InspectorTableModel
from services.entities import list_entities
from services.roster import (
    ConflictInfo,
    InspectorInfo,
    conflicts_for_entity,
    list_inspectors,
    withdraw_conflict,
)


def _table(model: object) -> QTableView:
    view = QTableView()
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    proxy.setSortLocaleAware(True)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class _WrapDelegate(QStyledItemDelegate):
    """Measures a wrapped cell as narrower than it is, so the row is tall enough.

    The style sheet's cell padding is left out when a row's height is measured but not when
    the text is drawn, so a line that just fits when measured would be cut off with "…".
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        narrower = QStyleOptionViewItem(option)
        narrower.rect = QRect(option.rect.x(), option.rect.y(),
                              max(option.rect.width() - 12, 1), option.rect.height())
        return super().sizeHint(narrower, index)


class RosterPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("检查人员")
        self.title_label.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")

        self.inspector_model = InspectorTableModel(parent=self)
        self.inspector_table = _table(self.inspector_model)
        self.inspector_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.inspector_table.horizontalHeader().resizeSection(0, 110)
        self.inspector_table.horizontalHeader().resizeSection(1, 150)
        self.inspector_table.horizontalHeader().resizeSection(2, 160)
        self.inspector_table.doubleClicked.connect(lambda _i: self.edit_current())
        self.add_button = QPushButton("添加人员…")
        self.add_button.setObjectName("primaryButton")
        self.add_button.clicked.connect(self.add_inspector)
        self.edit_button = QPushButton("编辑…")
        self.edit_button.clicked.connect(self.edit_current)
        self.conflict_button = QPushButton("登记回避…")
        self.conflict_button.setToolTip("所选人员与某单位存在利害关系，今后不参加对该单位的检查")
        self.conflict_button.clicked.connect(self.declare_conflict)

        self.entity_combo = QComboBox()
        self.entity_combo.currentIndexChanged.connect(self._refresh_conflicts)
        self.conflict_model = ConflictTableModel(parent=self)
        self.conflict_table = _table(self.conflict_model)
        self.conflict_table.horizontalHeader().resizeSection(0, 90)
        self.conflict_table.horizontalHeader().resizeSection(1, 200)
        self.conflict_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.ResizeToContents)
        self.conflict_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        # A reason is a sentence: wrap it over as many lines as it needs (the full text is
        # also the cell's tooltip) rather than cut it off.
        self.conflict_table.setWordWrap(True)
        self.conflict_table.horizontalHeader().setStretchLastSection(False)
        self.conflict_table.setItemDelegateForColumn(2, _WrapDelegate(self.conflict_table))
        self.conflict_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.withdraw_button = QPushButton("撤回回避登记")
        self.withdraw_button.clicked.connect(self.withdraw_current)
        self.conflict_hint = QLabel()
        self.conflict_hint.setObjectName("pageSubtitle")
        self.conflict_hint.setWordWrap(True)

        self._build_layout()
        ctx.events.registryChanged.connect(self.refresh)
        self.refresh()

    def _build_layout(self) -> None:
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("人员名册")
        caption.setObjectName("sectionCaption")
        row = QHBoxLayout()
        row.addWidget(caption, 1)
        for b in (self.add_button, self.edit_button, self.conflict_button):
            row.addWidget(b)
        lbox.addLayout(row)
        lbox.addWidget(self.inspector_table, 1)

        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        caption2 = QLabel("回避登记")
        caption2.setObjectName("sectionCaption")
        row2 = QHBoxLayout()
        row2.addWidget(caption2)
        row2.addWidget(self.entity_combo, 1)
        row2.addWidget(self.withdraw_button)
        rbox.addLayout(row2)
        rbox.addWidget(self.conflict_table, 1)
        rbox.addWidget(self.conflict_hint)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 560])
        split.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addWidget(self.title_label)
        box.addWidget(self.count_label)
        box.addWidget(split, 1)

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._ctx.db.session() as session:
            people = list_inspectors(session)
            entities = list_entities(session)
        self.inspector_model.set_rows(people)
        active = sum(1 for p in people if p.active)
        certified = sum(1 for p in people if p.active and p.cert_no)
        self.count_label.setText(
            f"共 {len(people)} 人，在岗 {active} 人，其中持执法证 {certified} 人。"
            "执法检查须由两名以上持执法证的人员进行。")
        chosen = self.entity_combo.currentData()
        self.entity_combo.blockSignals(True)
        self.entity_combo.clear()
        self.entity_combo.addItem("全部单位", None)
        for e in entities:
            self.entity_combo.addItem(e.name, e.id)
        index = self.entity_combo.findData(chosen) if chosen is not None else 0
        self.entity_combo.setCurrentIndex(max(index, 0))
        self.entity_combo.blockSignals(False)
        self._refresh_conflicts()

    def inspectors(self) -> list[InspectorInfo]:
        proxy = self.inspector_table.model()
        return [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]

    def conflicts(self) -> list[ConflictInfo]:
        return self.conflict_model.rows()

    def current_inspector(self) -> InspectorInfo | None:
        index = self.inspector_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_inspector(self, inspector_id: int) -> bool:
        proxy = self.inspector_table.model()
        for r in range(proxy.rowCount()):
            if proxy.index(r, 0).data(ROW_ROLE).id == inspector_id:
                self.inspector_table.setCurrentIndex(proxy.index(r, 0))
                return True
        return False

    def add_inspector(self) -> None:
        from gui.dialogs.inspector_editor import InspectorEditorDialog

        saved = InspectorEditorDialog.ask(self, self._ctx.db)
        if saved is not None:
            self._ctx.events.registryChanged.emit()
            self.select_inspector(saved.id)

    def edit_current(self) -> None:
        from gui.dialogs.inspector_editor import InspectorEditorDialog

        current = self.current_inspector()
        if current is None:
            messages.info(self, "请先在名册中选择一名检查人员。")
            return
        if InspectorEditorDialog.ask(self, self._ctx.db, current.id) is not None:
            self._ctx.events.registryChanged.emit()
            self.select_inspector(current.id)

    def declare_conflict(self) -> None:
        from gui.dialogs.inspector_editor import ConflictDialog

        current = self.current_inspector()
        if current is None:
            messages.info(self, "请先在名册中选择需要回避的检查人员。")
            return
        if ConflictDialog.ask(self, self._ctx.db, current) is not None:
            self._ctx.events.registryChanged.emit()
            self.select_inspector(current.id)

    def withdraw_current(self) -> None:
        index = self.conflict_table.currentIndex()
        conflict: ConflictInfo | None = index.data(ROW_ROLE) if index.isValid() else None
        if conflict is None:
            messages.info(self, "请先选择要撤回的回避登记。")
            return
        if not messages.confirm(self, f"撤回 {conflict.inspector_name} 与“{conflict.entity_name}”"
                                f"的回避登记？", ok="撤回"):
            return
        with self._ctx.db.session() as session:
            withdraw_conflict(session, conflict.id)
        self._ctx.events.registryChanged.emit()

    # --- internals --------------------------------------------------------------------------

    def _refresh_conflicts(self, *_args: object) -> None:
        chosen = self.entity_combo.currentData()
        with self._ctx.db.session() as session:
            if chosen is not None:
                rows = conflicts_for_entity(session, int(chosen))
            else:
                rows = [c for i in range(self.entity_combo.count())
                        if (eid := self.entity_combo.itemData(i)) is not None
                        for c in conflicts_for_entity(session, int(eid))]
        self.conflict_model.set_rows(rows)
        self.conflict_hint.setText(
            f"共 {len(rows)} 条回避登记。登记回避的人员不会出现在该单位检查的人员候选中。"
            if rows else "尚无回避登记。在左侧选择人员后点“登记回避…”。")
