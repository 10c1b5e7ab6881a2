"""登记/编辑被检查单位: name, type and its facts, credit code (checked as typed), address,
region and contact.

The facts shown are those the vocabulary lets a unit of the chosen type have, the ones its
themes' checklists read first; each may stay 未知. The 统一社会信用代码 is checked with its check
digit on every keystroke, and a code already registered for another unit is named at once.
Saving goes through :mod:`services.entities`, which checks everything again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import NATIONAL, load_regions
from checklists.vocabulary import Fact, Vocabulary, load_vocabulary
from gui import format as fmt
from gui import messages
from gui.screen import fit_to_screen
from models.db import Database
from rules.credit_code import CreditCodeError
from rules.credit_code import validate as validate_credit_code
from services.entities import (
    EntityError,
    EntityInfo,
    create_entity,
    find_by_credit_code,
    get_entity,
    update_entity,
)

OK_STYLE = "color:#1b7a3a;"
BAD_STYLE = "color:#b3261e;"


def facts_for_type(type_code: str, vocab: Vocabulary) -> list[Fact]:
    """The facts a unit of this type can have, those its themes' checklists read first."""
    applicable = [f for f in vocab.facts if vocab.fact_applies(f, type_code)]
    try:
        from checklists.templates import load_themes

        themes = load_themes()
    except Exception:  # a broken template file must not stop the register
        themes = ()
    declared: list[str] = []
    for theme in themes:
        if vocab.is_any(type_code, theme.entity_types):
            declared += [f for f in theme.facts if f not in declared]
    rank = {code: i for i, code in enumerate(declared)}
    return sorted(applicable, key=lambda f: rank.get(f.code, len(rank)))


class FactField(QWidget):
    """One fact's input: 未知/是/否, a number with its unit, a choice, or text."""

    def __init__(self, fact: Fact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fact = fact
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.combo: QComboBox | None = None
        self.edit: QLineEdit | None = None
        if fact.type in ("bool", "choice"):
            self.combo = QComboBox()
            self.combo.addItem("未知", None)
            if fact.type == "bool":
                self.combo.addItem("是", True)
                self.combo.addItem("否", False)
            else:
                for choice in fact.choices:
                    self.combo.addItem(choice, choice)
            box.addWidget(self.combo, 1)
        else:
            self.edit = QLineEdit()
            self.edit.setPlaceholderText("未知可留空")
            if fact.type == "number":
                validator = QDoubleValidator(0, 1e12, 2, self.edit)
                validator.setNotation(QDoubleValidator.Notation.StandardNotation)
                self.edit.setValidator(validator)
            box.addWidget(self.edit, 1)
            if fact.unit:
                box.addWidget(QLabel(fact.unit))

    def value(self) -> Any:
        if self.combo is not None:
            return self.combo.currentData()
        assert self.edit is not None
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            index = self.combo.findData(value) if value is not None else 0
            self.combo.setCurrentIndex(max(index, 0))
        else:
            assert self.edit is not None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            self.edit.setText("" if value is None else str(value))


class EntityEditorDialog(QDialog):
    def __init__(self, db: Database, entity_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._entity_id = entity_id
        self._vocab = load_vocabulary()
        self.saved: EntityInfo | None = None
        self.fact_fields: dict[str, FactField] = {}
        self.setWindowTitle("编辑被检查单位" if entity_id else "登记被检查单位")
        fit_to_screen(self, QSize(620, 720), parent, centre=False)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("营业执照或登记证书上的全称")
        self.type_combo = QComboBox()
        for t in self._vocab.entity_types:
            indent = "　　" if t.parent else ""
            self.type_combo.addItem(indent + t.label, t.code)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.credit_edit = QLineEdit()
        self.credit_edit.setPlaceholderText("18位，选填")
        self.credit_edit.setMaxLength(24)
        self.credit_edit.textChanged.connect(self._check_credit_code)
        self.credit_status = QLabel()
        self.credit_status.setWordWrap(True)
        self.address_edit = QLineEdit()
        self.region_combo = QComboBox()
        self.region_combo.setEditable(True)
        self.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.region_combo.addItem("", None)
        for region in load_regions():
            if region.code != NATIONAL:
                self.region_combo.addItem(f"{fmt.region_path(region.code)}（{region.code}）",
                                          region.code)
        completer = self.region_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.region_combo.lineEdit().setPlaceholderText("输入地名筛选，或填写6位行政区划代码")
        self.contact_name_edit = QLineEdit()
        self.contact_phone_edit = QLineEdit()

        self.facts_box = QGroupBox("单位情况（生成检查清单时使用，不了解的可留“未知”）")
        self.facts_form = QFormLayout(self.facts_box)
        self.facts_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self.error_label = QLabel()
        self.error_label.setObjectName("warningText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton(
            "保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.button_box.addButton(
            "取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("单位名称 *", self.name_edit)
        form.addRow("单位类型 *", self.type_combo)
        form.addRow("统一社会信用代码", self.credit_edit)
        form.addRow("", self.credit_status)
        form.addRow("地址", self.address_edit)
        form.addRow("行政区划", self.region_combo)
        form.addRow("联系人", self.contact_name_edit)
        form.addRow("联系电话", self.contact_phone_edit)

        inner = QWidget()
        inner_box = QVBoxLayout(inner)
        inner_box.addLayout(form)
        inner_box.addWidget(self.facts_box)
        inner_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        box = QVBoxLayout(self)
        box.addWidget(scroll, 1)
        box.addWidget(self.error_label)
        box.addWidget(self.button_box)

        if entity_id is not None:
            self._load(entity_id)
        else:
            self._type_changed()
            self._check_credit_code()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database,
            entity_id: int | None = None) -> EntityInfo | None:
        """Show the dialog; the saved unit, or None when the user cancelled."""
        dialog = cls(db, entity_id, parent)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def set_type(self, type_code: str) -> None:
        index = self.type_combo.findData(type_code)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def type_code(self) -> str:
        return str(self.type_combo.currentData())

    def set_region(self, code: str | None) -> None:
        index = self.region_combo.findData(code) if code else 0
        if index >= 0:
            self.region_combo.setCurrentIndex(index)
        else:
            self.region_combo.setEditText(code or "")

    def region_value(self) -> str | None:
        """The picked region's code, or what was typed (checked when saving)."""
        text = self.region_combo.currentText().strip()
        index = self.region_combo.currentIndex()
        if index >= 0 and text == self.region_combo.itemText(index):
            data = self.region_combo.itemData(index)
            return str(data) if data else None
        return text or None

    def facts(self) -> dict[str, Any]:
        return {code: w.value() for code, w in self.fact_fields.items() if w.value() is not None}

    def credit_code_ok(self) -> bool:
        return self._credit_problem() is None

    def save(self) -> None:
        problem = self._credit_problem()
        if problem:
            self._show_error(problem)
            return
        fields = {"name": self.name_edit.text(), "type_code": self.type_code(),
                  "facts": self.facts(), "credit_code": self.credit_edit.text(),
                  "address": self.address_edit.text(), "region_code": self.region_value(),
                  "contact_name": self.contact_name_edit.text(),
                  "contact_phone": self.contact_phone_edit.text()}
        try:
            with self._db.session() as session:
                if self._entity_id is None:
                    self.saved = create_entity(session, **fields)
                else:
                    self.saved = update_entity(session, self._entity_id, **fields)
        except EntityError as exc:
            self.saved = None
            self._show_error(str(exc))
            messages.warning(self, str(exc), title="无法保存")
            return
        self.accept()

    # --- internals --------------------------------------------------------------------------

    def _load(self, entity_id: int) -> None:
        with self._db.session() as session:
            e = get_entity(session, entity_id)
        self.name_edit.setText(e.name)
        self.set_type(e.type_code)
        self._type_changed()
        for code, value in e.facts.items():
            if code in self.fact_fields:
                self.fact_fields[code].set_value(value)
        self.credit_edit.setText(e.credit_code or "")
        self.address_edit.setText(e.address or "")
        self.set_region(e.region_code)
        self.contact_name_edit.setText(e.contact_name or "")
        self.contact_phone_edit.setText(e.contact_phone or "")
        self._check_credit_code()

    def _type_changed(self, *_args: object) -> None:
        kept = {code: w.value() for code, w in self.fact_fields.items()}
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        self.fact_fields = {}
        for fact in facts_for_type(self.type_code(), self._vocab):
            field = FactField(fact)
            field.set_value(kept.get(fact.code))
            self.fact_fields[fact.code] = field
            label = QLabel(fact.label)
            label.setWordWrap(True)
            label.setMaximumWidth(260)
            self.facts_form.addRow(label, field)
        self.facts_box.setVisible(bool(self.fact_fields))

    def _credit_problem(self) -> str | None:
        text = self.credit_edit.text().strip()
        if not text:
            return None
        try:
            code = validate_credit_code(text)
        except CreditCodeError as exc:
            return str(exc)
        with self._db.session() as session:
            twin = find_by_credit_code(session, code)
        if twin is not None and twin.id != self._entity_id:
            return f"统一社会信用代码 {code} 已登记为“{twin.name}”，不能重复登记"
        return None

    def _check_credit_code(self, *_args: object) -> None:
        problem = self._credit_problem()
        if problem:
            self.credit_status.setStyleSheet(BAD_STYLE)
            self.credit_status.setText(problem)
        elif self.credit_edit.text().strip():
            self.credit_status.setStyleSheet(OK_STYLE)
            self.credit_status.setText("✓ 校验位正确，未与已登记单位重复")
        else:
            self.credit_status.setStyleSheet("")
            self.credit_status.setText("选填；填写后自动检查校验位和是否重复登记")
        self.save_button.setEnabled(problem is None)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
