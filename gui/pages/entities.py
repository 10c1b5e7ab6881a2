"""被检查单位: the register, searchable and sortable; new, edit, Excel import and template.

Units sharing a 统一社会信用代码 (registered on two laptops, then merged) are counted above
the list and their codes marked in red, for a person to merge.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checklists.vocabulary import load_vocabulary
from gui import messages
from gui.context import PageContext
from gui.file_dialogs import DOCUMENTS, remember, start_path
from gui.models.base import ROW_ROLE
from gui.models.entities import DemoBadgeDelegate, EntityTableModel
from services.entities import EntityInfo, duplicate_groups, list_entities

DEBOUNCE_MS = 200


class EntitiesPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("被检查单位")
        self.title_label.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchBox")
        self.search_edit.setPlaceholderText("按单位名称、统一社会信用代码或地址查找")
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.type_combo = QComboBox()
        self.type_combo.addItem("全部类型", None)
        for t in load_vocabulary().entity_types:
            self.type_combo.addItem(("　" if t.parent else "") + t.label, t.code)
        self.type_combo.currentIndexChanged.connect(self.refresh)

        self.new_button = QPushButton("登记单位…")
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.new_entity)
        self.edit_button = QPushButton("编辑…")
        self.edit_button.clicked.connect(self.edit_current)
        self.import_button = QPushButton("从 Excel 导入…")
        self.import_button.clicked.connect(self.import_excel)
        self.template_button = QPushButton("下载导入模板…")
        self.template_button.clicked.connect(self.save_template)

        self.duplicate_label = QLabel()
        self.duplicate_label.setObjectName("warningText")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.hide()

        self.model = EntityTableModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortLocaleAware(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 250)
        header.resizeSection(1, 230)
        header.resizeSection(2, 170)
        header.resizeSection(3, 80)
        header.resizeSection(4, 220)
        header.setStretchLastSection(True)
        self.name_delegate = DemoBadgeDelegate(self.table)
        self.table.setItemDelegateForColumn(0, self.name_delegate)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.empty_label = QLabel(
            "还没有登记被检查单位。点“登记单位…”逐个登记，或用“从 Excel 导入…”批量导入。")
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setWordWrap(True)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.count_label)
        top.addLayout(heading, 1)
        for b in (self.new_button, self.edit_button, self.import_button, self.template_button):
            top.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.type_combo)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addLayout(top)
        box.addLayout(filters)
        box.addWidget(self.duplicate_label)
        box.addWidget(self.table, 1)
        box.addWidget(self.empty_label)
        ctx.events.registryChanged.connect(self.refresh)
        self.refresh()

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_entity()
        with self._ctx.db.session() as session:
            rows = list_entities(session, search=self.search_edit.text().strip() or None,
                                 type_code=self.type_combo.currentData())
            groups = duplicate_groups(session)
        self.model.set_rows(rows)
        self.model.set_duplicates({g.credit_code for g in groups})
        filtered = bool(self.search_edit.text().strip() or self.type_combo.currentData())
        self.count_label.setText(f"{'找到' if filtered else '共'} {len(rows)} 个单位")
        if groups:
            names = "；".join(f"{g.credit_code}：" + "、".join(e.name for e in g.entities)
                             for g in groups[:3])
            more = f" 等 {len(groups)} 组" if len(groups) > 3 else ""
            self.duplicate_label.setText(
                f"发现统一社会信用代码重复登记的单位（{names}{more}），请核对后合并。")
        self.duplicate_label.setVisible(bool(groups))
        self.empty_label.setVisible(not rows and not filtered)
        if current is not None:
            self.select_entity(current.id)

    def entities(self) -> list[EntityInfo]:
        """The units in the order shown."""
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def current_entity(self) -> EntityInfo | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_entity(self, entity_id: int) -> bool:
        row = self.model.row_of(entity_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def new_entity(self) -> None:
        from gui.dialogs.entity_editor import EntityEditorDialog

        saved = EntityEditorDialog.ask(self, self._ctx.db)
        if saved is not None:
            self._ctx.events.registryChanged.emit()
            self.select_entity(saved.id)

    def edit_current(self) -> None:
        from gui.dialogs.entity_editor import EntityEditorDialog

        current = self.current_entity()
        if current is None:
            messages.info(self, "请先在列表中选择一个单位。")
            return
        if EntityEditorDialog.ask(self, self._ctx.db, current.id) is not None:
            self._ctx.events.registryChanged.emit()

    def import_excel(self) -> None:
        from gui.dialogs.entity_import import EntityImportDialog

        report = EntityImportDialog.ask(self, self._ctx.db)
        if report is not None and report.imported:
            self._ctx.events.registryChanged.emit()

    def save_template(self) -> None:
        from services.entity_import import write_entity_template

        name, _ = QFileDialog.getSaveFileName(
            self, "保存导入模板", start_path(DOCUMENTS, "被检查单位导入模板.xlsx"),
            "Excel 工作簿 (*.xlsx)")
        remember(DOCUMENTS, name)
        if not name:
            return
        try:
            write_entity_template(Path(name))
        except OSError as exc:
            messages.error(self, f"无法保存模板：{exc}")
            return
        messages.info(self, f"已保存导入模板：{name}")
