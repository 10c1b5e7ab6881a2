"""编辑检查项: one template item in form fields, validated by the same schema as the shipped
theme files before the dialog closes. An error names the field in Chinese and keeps the
dialog open with that field focused.

``TemplateItemEditor.ask(parent, theme, item)`` returns the item in template form (the
payload the user layer stores), or None when cancelled.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checklists.conditions import condition_to_dict
from checklists.departments import department_kinds
from checklists.regions import NATIONAL, load_regions
from checklists.template_model import (
    HOW_TO_CHECK,
    OBLIGATIONS,
    SEVERITIES,
    VERIFIED,
    TemplateError,
    TemplateItem,
    Theme,
)
from checklists.template_schema import parse_item
from checklists.templates import theme_context
from checklists.vocabulary import load_vocabulary
from gui import format as fmt
from gui.widgets.checklist_detail import REQUIRE_ON_FAIL_LABELS
from gui.widgets.region_combo import searchable_regions

FIELD_LABELS = {
    "code": "编码",
    "section": "分节",
    "question": "检查内容",
    "how_to_check": "检查方法",
    "check_detail": "检查要点",
    "evidence": "佐证材料",
    "legal_basis": "法律依据",
    "obligation": "义务性质",
    "competent_department": "主管部门",
    "measures": "政策措施",
    "jurisdiction": "适用地区",
    "applies_to": "适用单位",
    "severity": "严重程度",
    "answer": "答案",
    "require_on_fail": "不符合时",
    "enabled": "启用",
}
BASIS_COLUMNS = (
    ("document", "文件（带书名号）"),
    ("doc_number", "文号 / 版本"),
    ("clause", "条款"),
    ("excerpt", "原文摘录"),
    ("verified", "核实程度"),
)
ANSWER_TYPES = (
    ("compliance", "符合 / 不符合 / 部分符合 / 不适用"),
    ("measure", "测量值与标准"),
    ("progress", "推进情况（已完成 / 推进中 / 未启动 / 滞后）"),
    ("date", "日期"),
    ("text", "文字记录"),
)
COMPARATORS = (
    (">=", "≥ 不低于"),
    (">", "＞ 高于"),
    ("<=", "≤ 不高于"),
    ("<", "＜ 低于"),
    ("=", "＝ 等于"),
    ("range", "区间（含两端）"),
)
_SPLIT = re.compile(r"[、，,；;\s]+")


def field_label(field: str | None) -> str:
    """legal_basis[1].clause → 法律依据第2行的条款; answer.threshold → 答案的threshold."""
    if not field:
        return "检查项"
    head, _, rest = field.partition(".")
    m = re.fullmatch(r"(\w+)\[(\d+)\]", head)
    if m:
        label = f"{FIELD_LABELS.get(m.group(1), m.group(1))}第{int(m.group(2)) + 1}行"
        names = dict(BASIS_COLUMNS)
        return label + (f"的“{names.get(rest, rest)}”" if rest else "")
    label = FIELD_LABELS.get(head, head)
    sub = {
        "type": "类型",
        "label": "名称",
        "comparator": "比较方式",
        "threshold": "标准值",
        "threshold_max": "区间上限",
        "unit": "单位",
        "entity_types": "单位类型",
        "when": "适用条件",
    }
    return label + (f"的“{sub.get(rest, rest)}”" if rest else "")


def error_text(exc: TemplateError) -> str:
    """The schema's message with the field named in Chinese instead of the file's key."""
    prefix = (
        exc.file
        + (f" 检查项 {exc.item}" if exc.item else "")
        + (f" 字段 {exc.field}" if exc.field else "")
    )
    text = str(exc)
    message = text[len(prefix) + 1 :] if text.startswith(prefix + "：") else text
    return f"“{field_label(exc.field)}”填写有误：{message}"


def _number(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text  # the schema refuses it with a message naming the field
    return int(value) if value.is_integer() else value


class TemplateItemEditor(QDialog):
    def __init__(
        self,
        theme: Theme,
        item: TemplateItem | None = None,
        *,
        taken_codes: set[str] | frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._theme = theme
        self._item = item
        self._taken = set(taken_codes)
        self._vocab = load_vocabulary()
        self.payload: dict[str, Any] | None = None
        self.setWindowTitle(f"{'编辑' if item else '新增'}检查项 · {theme.name}")
        self.resize(820, 640)

        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("如 XF-Z01：字母开头，只含字母、数字、- 和 _")
        self.section_combo = QComboBox()
        for sec in theme.sections:
            self.section_combo.addItem(f"{sec.code}　{sec.title}", sec.code)
        self.question_edit = _text_box(54, "一个在现场可以核实的问题")
        self.how_checks = {how: QCheckBox(how) for how in HOW_TO_CHECK}
        self.detail_edit = _text_box(54, "可选：具体怎么查")
        self.evidence_edit = _text_box(54, "每行一项，如 消防设施检测报告")
        self.basis_table = QTableWidget(0, len(BASIS_COLUMNS))
        self.basis_table.setHorizontalHeaderLabels([c[1] for c in BASIS_COLUMNS])
        self.basis_table.verticalHeader().setVisible(False)
        self.basis_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.basis_table.setMinimumHeight(110)
        basis_header = self.basis_table.horizontalHeader()
        for col, width in enumerate((170, 120, 110, 200, 70)):
            self.basis_table.setColumnWidth(col, width)
        basis_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.basis_table.setToolTip("核实程度填 " + "、".join(VERIFIED) + " 之一")
        number_header = self.basis_table.horizontalHeaderItem(1)
        if number_header is not None:
            number_header.setToolTip(
                "规范性文件填发文字号；法律法规填公布或最近一次修正的版本，"
                "如 2021年8月20日第十三届全国人大常委会第三十次会议第二次修正"
            )
        # A cell shows its whole text on hover, kept in step with edits.
        self.basis_table.itemChanged.connect(lambda cell: cell.setToolTip(cell.text()))
        self.add_basis_button = QPushButton("添加依据")
        self.remove_basis_button = QPushButton("删除所选依据")
        self.add_basis_button.clicked.connect(lambda: self.add_basis_row())
        self.remove_basis_button.clicked.connect(self._remove_basis_row)
        self.obligation_combo = _combo(OBLIGATIONS)
        self.department_combo = _combo([k.label for k in department_kinds()])
        self.severity_combo = _combo(SEVERITIES)
        self.measures_edit = QLineEdit()
        self.measures_edit.setPlaceholderText("如 宝鸡:6、内蒙古:(十)；可以不填")
        self.jurisdiction_combo = QComboBox()
        self.jurisdiction_combo.addItem("全国", NATIONAL)
        for region in sorted(load_regions(), key=lambda r: r.code):
            if region.code != NATIONAL:
                self.jurisdiction_combo.addItem(fmt.region_path(region.code), region.code)
        searchable_regions(self.jurisdiction_combo)  # the country's regions: typed into
        self.type_list = QListWidget()
        self.type_list.setFixedHeight(120)
        for t in self._vocab.entity_types:
            if self._vocab.is_any(t.code, theme.entity_types):
                row = QListWidgetItem(("　　" if t.parent else "") + t.label)
                row.setData(Qt.ItemDataRole.UserRole, t.code)
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(Qt.CheckState.Unchecked)
                self.type_list.addItem(row)
        self.when_edit = _text_box(
            54,
            '可选，YAML 写法，如 {fact: in_mixed_building, op: "=", '
            "value: true}；可用的事实：" + "、".join(theme.facts),
        )
        self.answer_combo = QComboBox()
        for code, label in ANSWER_TYPES:
            self.answer_combo.addItem(label, code)
        self.answer_label_edit = QLineEdit()
        self.answer_label_edit.setPlaceholderText("答案名称，如 母婴室使用面积（测量时必填）")
        self.comparator_combo = QComboBox()
        for code, label in COMPARATORS:
            self.comparator_combo.addItem(label, code)
        self.threshold_edit = QLineEdit()
        self.threshold_max_edit = QLineEdit()
        self.unit_edit = QLineEdit()
        for edit, hint in (
            (self.threshold_edit, "标准值"),
            (self.threshold_max_edit, "区间上限"),
            (self.unit_edit, "单位，如 ㎡"),
        ):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(110)
        self.require_combo = QComboBox()
        for code, label in REQUIRE_ON_FAIL_LABELS.items():
            self.require_combo.addItem(label, code)
        self.answer_combo.currentIndexChanged.connect(self._answer_type_changed)

        self.error_label = QLabel()
        self.error_label.setObjectName("warningText")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.save_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self._build_layout()
        self._fill(item)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow("编码", self.code_edit)
        form.addRow("分节", self.section_combo)
        form.addRow("检查内容", self.question_edit)
        how = QHBoxLayout()
        for box in self.how_checks.values():
            how.addWidget(box)
        how.addStretch(1)
        form.addRow("检查方法", how)
        form.addRow("检查要点", self.detail_edit)
        form.addRow("佐证材料", self.evidence_edit)
        basis = QVBoxLayout()
        basis.addWidget(self.basis_table)
        row = QHBoxLayout()
        row.addWidget(self.add_basis_button)
        row.addWidget(self.remove_basis_button)
        row.addStretch(1)
        basis.addLayout(row)
        form.addRow("法律依据", basis)
        duty = QHBoxLayout()
        for caption, widget in (
            ("义务性质", self.obligation_combo),
            ("主管部门", self.department_combo),
            ("严重程度", self.severity_combo),
        ):
            if duty.count():
                duty.addSpacing(12)
                duty.addWidget(QLabel(caption))
            duty.addWidget(widget)
        duty.addStretch(1)
        form.addRow("义务性质", duty)
        form.addRow("政策措施", self.measures_edit)
        form.addRow("适用地区", self.jurisdiction_combo)
        form.addRow("适用单位", self.type_list)
        form.addRow("适用条件", self.when_edit)
        form.addRow("答案", self.answer_combo)
        measure = QHBoxLayout()
        for widget in (
            self.answer_label_edit,
            self.comparator_combo,
            self.threshold_edit,
            self.threshold_max_edit,
            self.unit_edit,
        ):
            measure.addWidget(widget)
        form.addRow("测量与标准", measure)
        form.addRow("不符合时", self.require_combo)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        buttons = QHBoxLayout()
        note = QLabel("保存到本机的用户模板层，不改动随程序提供的模板文件；可撤销。")
        note.setObjectName("measureRef")
        buttons.addWidget(note, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        box = QVBoxLayout(self)
        box.addWidget(scroll, 1)
        box.addWidget(self.error_label)
        box.addLayout(buttons)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        theme: Theme,
        item: TemplateItem | None = None,
        taken_codes: set[str] | frozenset[str] = frozenset(),
    ) -> dict[str, Any] | None:
        dialog = cls(theme, item, taken_codes=taken_codes, parent=parent)
        try:
            return dialog.payload if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    # --- reading and checking ---------------------------------------------------------------

    def raw_payload(self) -> dict[str, Any]:
        """The fields as a template item, not yet checked."""
        out: dict[str, Any] = {
            "code": self.code_edit.text().strip(),
            "section": self.section_combo.currentData(),
            "question": self.question_edit.toPlainText().strip(),
            "how_to_check": [h for h, box in self.how_checks.items() if box.isChecked()],
            "evidence": [
                line.strip()
                for line in self.evidence_edit.toPlainText().splitlines()
                if line.strip()
            ],
            "legal_basis": self._basis_rows(),
            "obligation": self.obligation_combo.currentText(),
            "competent_department": self.department_combo.currentText(),
            "measures": [r for r in _SPLIT.split(self.measures_edit.text().strip()) if r],
            "jurisdiction": self.jurisdiction_combo.currentData(),
            "applies_to": {"entity_types": self._entity_types()},
            "severity": self.severity_combo.currentText(),
            "answer": self._answer(),
            "require_on_fail": self.require_combo.currentData(),
            "enabled": self._item.enabled if self._item else True,
        }
        detail = self.detail_edit.toPlainText().strip()
        if detail:
            out["check_detail"] = detail
        return out

    def check(self) -> TemplateItem | None:
        """Validate; on success keep the payload, otherwise show why and return None."""
        try:
            raw = self.raw_payload()
            raw["applies_to"].update(self._when())
            if self._item is None and raw["code"] in self._taken:
                raise TemplateError(
                    self._file(), "编码已被其他检查项使用，请换一个", item=raw["code"], field="code"
                )
            header = {
                "code": self._theme.code,
                "sections": self._theme.sections,
                "entity_types": self._theme.entity_types,
                "facts": self._theme.facts,
            }
            item = parse_item(raw, theme_context(header, self._file(), self._vocab), 1)
        except TemplateError as exc:
            self._show_error(exc)
            return None
        self.payload = item.to_payload()
        self.error_label.setVisible(False)
        return item

    def accept(self) -> None:
        if self.check() is not None:
            super().accept()

    def add_basis_row(self, values: dict[str, Any] | None = None) -> None:
        row = self.basis_table.rowCount()
        self.basis_table.insertRow(row)
        for col, (key, _label) in enumerate(BASIS_COLUMNS):
            value = (values or {}).get(key)
            cell = QTableWidgetItem("" if value is None else str(value))
            cell.setToolTip(cell.text())
            self.basis_table.setItem(row, col, cell)

    # --- internals --------------------------------------------------------------------------

    def _file(self) -> str:
        return f"用户模板（{self._theme.name}）"

    def _fill(self, item: TemplateItem | None) -> None:
        if item is None:
            self.add_basis_row({"verified": "原文"})
            self.how_checks["查看现场"].setChecked(True)
            for i in range(self.type_list.count()):
                row = self.type_list.item(i)
                if row.data(Qt.ItemDataRole.UserRole) in self._theme.entity_types:
                    row.setCheckState(Qt.CheckState.Checked)
            self._answer_type_changed()
            return
        self.code_edit.setText(item.code)
        self.code_edit.setReadOnly(True)
        self.code_edit.setToolTip("编码是检查结果与检查项对应的依据，不能修改")
        self.section_combo.setCurrentIndex(max(self.section_combo.findData(item.section), 0))
        self.question_edit.setPlainText(item.question)
        for how, box in self.how_checks.items():
            box.setChecked(how in item.how_to_check)
        self.detail_edit.setPlainText(item.check_detail or "")
        self.evidence_edit.setPlainText("\n".join(item.evidence))
        for basis in item.legal_basis:
            self.add_basis_row(basis.to_dict())
        self.obligation_combo.setCurrentText(item.obligation)
        self.department_combo.setCurrentText(item.competent_department)
        self.severity_combo.setCurrentText(item.severity)
        self.measures_edit.setText("、".join(item.measures))
        self.jurisdiction_combo.setCurrentIndex(
            max(self.jurisdiction_combo.findData(item.jurisdiction), 0)
        )
        for i in range(self.type_list.count()):
            row = self.type_list.item(i)
            row.setCheckState(
                Qt.CheckState.Checked
                if row.data(Qt.ItemDataRole.UserRole) in item.applies_to.entity_types
                else Qt.CheckState.Unchecked
            )
        if item.applies_to.when is not None:
            self.when_edit.setPlainText(
                yaml.safe_dump(
                    condition_to_dict(item.applies_to.when),
                    allow_unicode=True,
                    default_flow_style=True,
                    sort_keys=False,
                ).strip()
            )
        answer = item.answer
        self.answer_combo.setCurrentIndex(max(self.answer_combo.findData(answer.type), 0))
        self.answer_label_edit.setText(answer.label or "")
        if answer.comparator:
            self.comparator_combo.setCurrentIndex(
                max(self.comparator_combo.findData(answer.comparator), 0)
            )
        self.threshold_edit.setText(_num_text(answer.threshold))
        self.threshold_max_edit.setText(_num_text(answer.threshold_max))
        self.unit_edit.setText(answer.unit or "")
        self.require_combo.setCurrentIndex(
            max(self.require_combo.findData(item.require_on_fail), 0)
        )
        self._answer_type_changed()

    def _basis_rows(self) -> list[dict[str, Any]]:
        rows = []
        for r in range(self.basis_table.rowCount()):
            row: dict[str, Any] = {}
            for col, (key, _label) in enumerate(BASIS_COLUMNS):
                cell = self.basis_table.item(r, col)
                text = cell.text().strip() if cell is not None else ""
                if text:
                    row[key] = text
            if row:
                rows.append(row)
        return rows

    def _remove_basis_row(self) -> None:
        rows = sorted({i.row() for i in self.basis_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.basis_table.removeRow(r)

    def _entity_types(self) -> list[str]:
        """Ticked types: the item's own in their written order, then new ones in list order."""
        ticked = [
            str(self.type_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.type_list.count())
            if self.type_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        kept = [
            t for t in (self._item.applies_to.entity_types if self._item else ()) if t in ticked
        ]
        return kept + [t for t in ticked if t not in kept]

    def _when(self) -> dict[str, Any]:
        text = self.when_edit.toPlainText().strip()
        if not text:
            return {}
        try:
            return {"when": yaml.safe_load(text)}
        except yaml.YAMLError:
            raise TemplateError(
                self._file(),
                "写法有误，无法读取（应为 YAML，如 "
                '{fact: in_mixed_building, op: "=", value: true}）',
                item=self.code_edit.text().strip() or None,
                field="applies_to.when",
            ) from None

    def _answer(self) -> dict[str, Any]:
        kind = self.answer_combo.currentData()
        out: dict[str, Any] = {"type": kind}
        label = self.answer_label_edit.text().strip()
        if label:
            out["label"] = label
        if kind == "measure":
            out["comparator"] = self.comparator_combo.currentData()
            out["threshold"] = _number(self.threshold_edit.text())
            top = _number(self.threshold_max_edit.text())
            if top is not None or out["comparator"] == "range":
                out["threshold_max"] = top
            out["unit"] = self.unit_edit.text().strip()
        return out

    def _answer_type_changed(self) -> None:
        kind = self.answer_combo.currentData()
        for widget in (
            self.comparator_combo,
            self.threshold_edit,
            self.threshold_max_edit,
            self.unit_edit,
        ):
            widget.setEnabled(kind == "measure")

    def _show_error(self, exc: TemplateError) -> None:
        self.error_label.setText(error_text(exc))
        self.error_label.setVisible(True)
        widget = self._widget_for(exc.field)
        if widget is not None:
            widget.setFocus()

    def _widget_for(self, field: str | None) -> QWidget | None:
        head = (field or "").split(".")[0].split("[")[0]
        answer = {
            "answer.label": self.answer_label_edit,
            "answer.threshold": self.threshold_edit,
            "answer.threshold_max": self.threshold_max_edit,
            "answer.unit": self.unit_edit,
            "answer.comparator": self.comparator_combo,
        }
        if field in answer:
            return answer[field]
        widgets: dict[str, QWidget] = {
            "code": self.code_edit,
            "section": self.section_combo,
            "question": self.question_edit,
            "check_detail": self.detail_edit,
            "evidence": self.evidence_edit,
            "legal_basis": self.basis_table,
            "obligation": self.obligation_combo,
            "competent_department": self.department_combo,
            "measures": self.measures_edit,
            "jurisdiction": self.jurisdiction_combo,
            "severity": self.severity_combo,
            "answer": self.answer_combo,
            "applies_to": self.when_edit if field and "when" in field else self.type_list,
            "how_to_check": self.how_checks["查看现场"],
        }
        return widgets.get(head)


def _text_box(height: int, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    return box


def _combo(values: Any) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(values))
    return combo


def _num_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
