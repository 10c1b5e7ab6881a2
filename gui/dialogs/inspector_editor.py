"""检查人员 and 回避登记 dialogs: one person on the roster; one declared conflict with a unit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from checklists.departments import department_kinds
from gui import messages
from gui.dialogs import dialog_buttons
from models.db import Database
from services.entities import list_entities
from services.roster import (
    ConflictInfo,
    InspectorInfo,
    RosterError,
    add_inspector,
    declare_conflict,
    get_inspector,
    update_inspector,
)


class InspectorEditorDialog(QDialog):
    def __init__(self, db: Database, inspector_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._id = inspector_id
        self.saved: InspectorInfo | None = None
        self.setWindowTitle("编辑检查人员" if inspector_id else "添加检查人员")
        self.resize(420, 240)
        self.name_edit = QLineEdit()
        self.department_combo = QComboBox()
        for kind in department_kinds():
            self.department_combo.addItem(kind.label)
        self.cert_edit = QLineEdit()
        self.cert_edit.setPlaceholderText("执法检查须填写；督查、自查可不填")
        self.active_check = QCheckBox("在岗（可参加检查）")
        self.active_check.setChecked(True)
        self.button_box, self.save_button, self.cancel_button = dialog_buttons(self, "保存")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("姓名 *", self.name_edit)
        form.addRow("部门 *", self.department_combo)
        form.addRow("执法证号", self.cert_edit)
        form.addRow("", self.active_check)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addStretch(1)
        box.addWidget(self.button_box)
        if inspector_id is not None:
            with db.session() as session:
                info = get_inspector(session, inspector_id)
            self.name_edit.setText(info.name)
            self.department_combo.setCurrentText(info.department)
            self.cert_edit.setText(info.cert_no or "")
            self.active_check.setChecked(info.active)

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database,
            inspector_id: int | None = None) -> InspectorInfo | None:
        dialog = cls(db, inspector_id, parent)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()

    def save(self) -> None:
        try:
            with self._db.session() as session:
                if self._id is None:
                    self.saved = add_inspector(
                        session, name=self.name_edit.text(),
                        department=self.department_combo.currentText(),
                        cert_no=self.cert_edit.text(), active=self.active_check.isChecked())
                else:
                    self.saved = update_inspector(
                        session, self._id, name=self.name_edit.text(),
                        department=self.department_combo.currentText(),
                        cert_no=self.cert_edit.text(), active=self.active_check.isChecked())
        except RosterError as exc:
            self.saved = None
            messages.warning(self, str(exc), title="无法保存")
            return
        self.accept()


class ConflictDialog(QDialog):
    """登记回避: this inspector must not inspect that unit, and why."""

    def __init__(self, db: Database, inspector: InspectorInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._inspector = inspector
        self.saved: ConflictInfo | None = None
        self.setWindowTitle(f"登记回避：{inspector.name}")
        self.resize(520, 320)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("输入单位名称筛选")
        self.search_edit.textChanged.connect(self._fill)
        self.entity_combo = QComboBox()
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("如：配偶在该单位任负责人")
        self.button_box, self.save_button, self.cancel_button = dialog_buttons(self, "登记")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("被检查单位", self.search_edit)
        form.addRow("", self.entity_combo)
        form.addRow("回避事由 *", self.reason_edit)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(f"{inspector.name}（{inspector.department}）今后不能参加对该单位的检查。"))
        box.addLayout(form)
        box.addWidget(self.button_box)
        self._fill("")

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database,
            inspector: InspectorInfo) -> ConflictInfo | None:
        dialog = cls(db, inspector, parent)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()

    def select_entity(self, entity_id: int) -> bool:
        index = self.entity_combo.findData(entity_id)
        if index >= 0:
            self.entity_combo.setCurrentIndex(index)
        return index >= 0

    def save(self) -> None:
        entity_id = self.entity_combo.currentData()
        if entity_id is None:
            messages.warning(self, "请选择被检查单位。", title="无法登记")
            return
        try:
            with self._db.session() as session:
                self.saved = declare_conflict(session, inspector_id=self._inspector.id,
                                              entity_id=int(entity_id),
                                              reason=self.reason_edit.toPlainText())
        except RosterError as exc:
            self.saved = None
            messages.warning(self, str(exc), title="无法登记")
            return
        self.accept()

    def _fill(self, text: str) -> None:
        with self._db.session() as session:
            rows = list_entities(session, search=text.strip() or None)
        self.entity_combo.clear()
        for e in rows[:500]:
            self.entity_combo.addItem(f"{e.name}（{e.type_label}）", e.id)
