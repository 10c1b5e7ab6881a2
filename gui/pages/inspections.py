"""现场检查: every inspection, filtered by status, type, theme, region and date, sorted by any
column; double-click or Enter opens one; “新建检查…” sets up the next.

The list is :class:`~services.inspection_list.InspectionListModel`: filtering and sorting are
SQL over the stored per-inspection counts, and rows are fetched as the view scrolls.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import NATIONAL, choosable_regions
from gui import messages
from gui.context import PageContext
from gui.models.base import ROW_ROLE
from gui.models.entities import DemoBadgeDelegate
from gui.models.inspections import STATUS_TEXT, InspectionListModel
from rules.inspection_status import KINDS
from services.inspection_list import InspectionRow, ListFilter
from services.settings import JURISDICTION, get_setting

NO_DATE = QDate(2000, 1, 1)
DEBOUNCE_MS = 250


def _date_edit(tip: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("不限")
    edit.setDate(NO_DATE)
    edit.setToolTip(tip)
    return edit


class InspectionsPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("现场检查")
        self.title_label.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        self.new_button = QPushButton("新建检查…")
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.new_inspection)
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("打开所选检查记录（也可双击或按回车）")
        self.open_button.clicked.connect(self.open_current)
        self.draw_button = QPushButton("双随机抽查…")
        self.draw_button.setToolTip("从名录中随机抽取被检查单位和检查人员，生成检查草稿")
        self.draw_button.clicked.connect(self.random_draw)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("单位名称")
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.status_combo = QComboBox()
        self.status_combo.addItem("全部状态", None)
        for code, label in STATUS_TEXT.items():
            self.status_combo.addItem(label, code)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部类型", None)
        for kind in KINDS:
            self.kind_combo.addItem(kind, kind)
        self.theme_combo = QComboBox()
        self.theme_combo.addItem("全部主题", None)
        for name in self._theme_names():
            self.theme_combo.addItem(name, name)
        self.region_combo = QComboBox()
        self.region_combo.addItem("全部地区", None)
        with ctx.db.session() as session:
            jurisdiction = get_setting(session, JURISDICTION)
        for region in choosable_regions(jurisdiction):  # the office's own, not the country's
            if region.code != NATIONAL:
                indent = "　" * max(0, ("province", "city", "county", "township")
                                    .index(region.level) if region.level != "national" else 0)
                self.region_combo.addItem(indent + region.name, region.code)
        self.from_edit = _date_edit("检查日期从（含）")
        self.to_edit = _date_edit("检查日期到（含）")
        for combo in (self.status_combo, self.kind_combo, self.theme_combo, self.region_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
            # on a narrow window the lists give way (their choices show whole when opened);
            # the name box keeps room for a few characters
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)
        self.search_edit.setMinimumWidth(
            self.search_edit.fontMetrics().horizontalAdvance("单位名称单位名称") + 24)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self.apply_filters)

        self.model = InspectionListModel(ctx.db, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for col, width in enumerate((240, 80, 200, 130, 96, 80, 72, 72)):
            header.resizeSection(col, width)
        # the unit's name and the themes share the room left (both can be long)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # the model sorts in SQL
        self.name_delegate = DemoBadgeDelegate(self.table)
        self.table.setItemDelegateForColumn(0, self.name_delegate)
        self.table.activated.connect(self._activated)
        self.empty_label = QLabel(
            "还没有检查记录。点“新建检查…”选择被检查单位、检查主题和检查人员。")
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setWordWrap(True)
        self.model.modelReset.connect(self._update_counts)
        self.model.rowsInserted.connect(self._update_counts)

        self._build_layout()
        ctx.events.inspectionsChanged.connect(self.model.reload)
        ctx.events.registryChanged.connect(self.model.reload)
        self._update_counts()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.count_label)
        top.addLayout(heading, 1)
        top.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.draw_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for w in (self.status_combo, self.kind_combo, self.theme_combo, self.region_combo):
            filters.addWidget(w, 1)
        filters.addWidget(QLabel("日期"))
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.to_edit)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addLayout(top)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.empty_label)

    # --- public API -------------------------------------------------------------------------

    def current_filter(self) -> ListFilter:
        return ListFilter(
            status=self.status_combo.currentData(), kind=self.kind_combo.currentData(),
            theme=self.theme_combo.currentData(), region=self.region_combo.currentData(),
            date_from=self._date(self.from_edit), date_to=self._date(self.to_edit),
            search=self.search_edit.text().strip() or None)

    def apply_preset(self, preset: dict[str, object]) -> None:
        """Show exactly the inspections a figure stands for (other filters cleared)."""
        widgets = (self.status_combo, self.kind_combo, self.theme_combo, self.region_combo,
                   self.from_edit, self.to_edit, self.search_edit)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.search_edit.clear()
            for combo, key in ((self.status_combo, "status"), (self.kind_combo, "kind"),
                               (self.theme_combo, "theme"), (self.region_combo, "region")):
                index = combo.findData(preset.get(key))
                combo.setCurrentIndex(max(index, 0))
            for edit, key in ((self.from_edit, "date_from"), (self.to_edit, "date_to")):
                value = preset.get(key)
                edit.setDate(QDate(value.year, value.month, value.day)  # type: ignore[attr-defined]
                             if value is not None else NO_DATE)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.apply_filters()

    def apply_filters(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())

    def rows(self) -> list[InspectionRow]:
        """The rows fetched so far, in the order shown."""
        return self.model.loaded_rows()

    def current_row(self) -> InspectionRow | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_inspection(self, inspection_id: int) -> bool:
        row = self.model.row_of(inspection_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        return row >= 0

    def open_current(self) -> None:
        row = self.current_row()
        if row is None:
            messages.info(self, "请先在列表中选择一次检查。")
            return
        self.open_inspection(row.id)

    def open_inspection(self, inspection_id: int) -> None:
        """Open the entry form of one inspection (gui.inspection)."""
        try:
            from gui.inspection import open_inspection
        except ImportError:
            messages.info(self, "检查记录表单尚未安装。")
            return
        open_inspection(self._ctx, inspection_id, self)

    def new_inspection(self) -> None:
        from gui.dialogs.new_inspection import NewInspectionDialog

        created = NewInspectionDialog.ask(self, self._ctx.db)
        if created is None:
            return
        self._ctx.events.inspectionsChanged.emit()
        self.select_inspection(created.id)
        self.open_inspection(created.id)

    def random_draw(self) -> None:
        """双随机抽查 (gui.dialogs.draw); confirmed draws become drafts in this list."""
        from gui.dialogs.draw import DrawDialog

        DrawDialog.ask(self, self._ctx.db, self._ctx.events)

    # --- internals --------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.open_inspection(row.id)

    @staticmethod
    def _date(edit: QDateEdit) -> date | None:
        value = edit.date()
        return None if value == NO_DATE else date(value.year(), value.month(), value.day())

    def _update_counts(self, *_args: object) -> None:
        total = self.model.total()
        shown = self.model.rowCount()
        text = f"共 {total} 次检查"
        if shown < total:
            text += f"（已显示 {shown} 条，向下滚动显示更多）"
        self.count_label.setText(text)
        filtered = self.model.list_filter != ListFilter()
        self.empty_label.setVisible(total == 0 and not filtered)
        if total == 0 and filtered:
            self.count_label.setText("没有符合筛选条件的检查")

    def _theme_names(self) -> list[str]:
        try:
            from services.user_templates import effective_themes

            with self._ctx.db.session() as session:
                return [t.name for t in effective_themes(session)]
        except Exception:  # a broken template must not hide the inspections
            return []
