"""设置: the user's jurisdiction (行政区划), the organisation's name and its 机关代字."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import NATIONAL, load_regions
from gui import format as fmt
from gui import messages
from models.db import Database
from models.settings import JURISDICTION, ORG_CODE, ORGANISATION, get_setting, set_setting

_CODE = Qt.ItemDataRole.UserRole + 20
ORG_CODE_MAX = 10


class SettingsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("设置")
        self.resize(560, 600)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("输入地名筛选，如 中宁、宝鸡")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.region_tree = QTreeWidget()
        self.region_tree.setHeaderLabels(["行政区划", "代码"])
        self.region_tree.setColumnWidth(0, 330)
        self.region_tree.setUniformRowHeights(True)
        self.region_tree.currentItemChanged.connect(self._region_changed)
        self._fill_regions()
        self.region_label = QLabel()
        self.region_label.setObjectName("pageSubtitle")
        self.region_label.setWordWrap(True)

        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText("如 中宁县卫生健康局")
        self.org_code_edit = QLineEdit()
        self.org_code_edit.setPlaceholderText("如 中宁卫（用于文书编号：中宁卫责改〔2026〕第12号）")
        self.org_code_edit.setMaxLength(ORG_CODE_MAX)

        self.button_box = QDialogButtonBox()
        self.ok_button: QPushButton = self.button_box.addButton(
            "保存", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button: QPushButton = self.button_box.addButton(
            "取消", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.setDefault(True)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow("机关名称", self.organisation_edit)
        form.addRow("机关代字", self.org_code_edit)
        box = QVBoxLayout(self)
        caption = QLabel("本单位辖区")
        caption.setObjectName("sectionCaption")
        box.addWidget(caption)
        box.addWidget(QLabel("政策目录默认显示适用于本辖区的文件（含上级和下辖地区的文件）。"))
        box.addWidget(self.filter_edit)
        box.addWidget(self.region_tree, 1)
        box.addWidget(self.region_label)
        box.addSpacing(8)
        box.addLayout(form)
        box.addWidget(self.button_box)
        self._load()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database) -> bool:
        """Show the dialog; True when the user saved."""
        dialog = cls(db, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def select_region(self, code: str | None) -> bool:
        item = self._item(code or NATIONAL)
        if item is not None:
            self.region_tree.setCurrentItem(item)
            self.region_tree.scrollToItem(item)
        return item is not None

    def selected_region(self) -> str | None:
        item = self.region_tree.currentItem()
        code = item.data(0, _CODE) if item is not None else None
        return None if code in (None, NATIONAL) else str(code)

    def save(self) -> None:
        org_code = self.org_code_edit.text().strip()
        if org_code and not all("\u4e00" <= ch <= "\u9fff" for ch in org_code):
            messages.warning(self, "机关代字应为汉字，如“中宁卫”。", title="机关代字有误")
            return
        with self._db.session() as session:
            set_setting(session, JURISDICTION, self.selected_region())
            set_setting(session, ORGANISATION, self.organisation_edit.text().strip() or None)
            set_setting(session, ORG_CODE, org_code or None)
        self.accept()

    # --- internals --------------------------------------------------------------------------

    def _load(self) -> None:
        with self._db.session() as session:
            code = get_setting(session, JURISDICTION)
            self.organisation_edit.setText(get_setting(session, ORGANISATION) or "")
            self.org_code_edit.setText(get_setting(session, ORG_CODE) or "")
        self.select_region(code)

    def _fill_regions(self) -> None:
        regions = load_regions()
        items: dict[str, QTreeWidgetItem] = {}
        for region in regions:
            name = "全国（不限辖区）" if region.code == NATIONAL else region.name
            item = QTreeWidgetItem([name, "" if region.code == NATIONAL else region.code])
            item.setData(0, _CODE, region.code)
            items[region.code] = item
        for region in regions:
            parent = items.get(region.parent or "")
            if parent is None:
                self.region_tree.addTopLevelItem(items[region.code])
            else:
                parent.addChild(items[region.code])
        national = items.get(NATIONAL)
        if national is not None:
            national.setExpanded(True)

    def _item(self, code: str) -> QTreeWidgetItem | None:
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            if item.data(0, _CODE) == code:
                return item
            it += 1
        return None

    def _filter(self, text: str) -> None:
        text = text.strip()
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            item.setHidden(bool(text))
            it += 1
        if not text:
            return
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            if text in item.text(0) or text in item.text(1):
                node: QTreeWidgetItem | None = item
                while node is not None:
                    node.setHidden(False)
                    node.setExpanded(True)
                    node = node.parent()
            it += 1

    def _region_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        code = self.selected_region()
        self.region_label.setText(
            f"已选：{fmt.region_path(code)}"
            if code
            else "已选：全国（不限辖区，政策目录显示全部文件）"
        )
