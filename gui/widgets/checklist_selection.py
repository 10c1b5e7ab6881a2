"""What a checklist is generated for: themes, documents, the entity type with its facts, and
the inspecting departments. Emits ``changed`` whenever any of them changes.

The fact fields are built from the vocabulary: the facts the chosen themes declare, limited to
those that can be asked of the chosen entity type. An empty field (or 未知) means the fact is
not known yet; the generator then keeps the items that depend on it, marked 待现场确认.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import DocumentView
from checklists.checklist_model import Selection
from checklists.departments import department_kinds
from checklists.template_model import Theme
from checklists.vocabulary import Fact, Vocabulary, load_vocabulary

_DATA = Qt.ItemDataRole.UserRole
UNKNOWN = "未知"
FIELD_WIDTH = 96


def _check_list(height: int) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName("checkList")
    widget.setFixedHeight(height)
    widget.setUniformItemSizes(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


def _fit_height(widget: QListWidget, most: int) -> None:
    """As tall as its rows (up to ``most`` rows), so short lists leave no blank box."""
    rows = min(max(widget.count(), 1), most)
    row = widget.sizeHintForRow(0) if widget.count() else 20
    widget.setFixedHeight(rows * row + 2 * widget.frameWidth() + 4)


def _caption(text: str, tip: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionCaption")
    label.setToolTip(tip)
    return label


class SelectionPanel(QWidget):
    changed = Signal()

    def __init__(self, vocab: Vocabulary | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vocab = vocab or load_vocabulary()
        self._themes: tuple[Theme, ...] = ()
        self._fact_values: dict[str, Any] = {}
        self._fact_widgets: dict[str, QWidget] = {}
        self._quiet = False

        self.theme_list = _check_list(124)
        self.document_list = _check_list(124)
        self.document_hint = QLabel()
        self.document_hint.setObjectName("measureRef")
        self.document_hint.setWordWrap(True)
        self.entity_combo = QComboBox()
        self.entity_combo.addItem("不指定（列出全部单位类型的检查项）", None)
        for t in self._vocab.entity_types:
            indent = "　　" if t.parent else ""
            self.entity_combo.addItem(indent + t.label, t.code)
        self.entity_combo.setMaxVisibleItems(24)
        self.entity_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.entity_combo.setMinimumContentsLength(12)
        self.facts_box = QWidget()
        self.facts_form = QFormLayout(self.facts_box)
        self.facts_form.setContentsMargins(0, 0, 0, 0)
        self.facts_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.facts_empty = QLabel("所选主题不需要单位情况。")
        self.facts_empty.setObjectName("measureRef")
        self.department_list = _check_list(150)
        for kind in department_kinds():
            item = QListWidgetItem(kind.label)
            item.setData(_DATA, kind.label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.department_list.addItem(item)

        for widget in (self.theme_list, self.document_list, self.department_list):
            widget.itemChanged.connect(self._list_changed)
        self.entity_combo.currentIndexChanged.connect(self._entity_changed)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 6, 0)
        box.setSpacing(4)
        box.addWidget(_caption("检查主题", "可多选"))
        box.addWidget(self.theme_list)
        box.addSpacing(6)
        box.addWidget(
            _caption("政策文件", "检查项引用这些文件中的措施；地区性检查项按文件所在地区列入")
        )
        box.addWidget(self.document_list)
        box.addWidget(self.document_hint)
        box.addSpacing(6)
        box.addWidget(_caption("被检查单位类型"))
        box.addWidget(self.entity_combo)
        box.addSpacing(6)
        box.addWidget(
            _caption("单位情况", "不清楚的留空（未知）：相关检查项保留，并注明待现场确认")
        )
        box.addWidget(self.facts_box)
        box.addWidget(self.facts_empty)
        box.addSpacing(6)
        box.addWidget(_caption("检查部门", "只列主管部门为所选部门的检查项；不选则不限"))
        box.addWidget(self.department_list)
        box.addStretch(1)

    # --- filling ----------------------------------------------------------------------------

    def set_themes(self, themes: Sequence[Theme]) -> None:
        """Offer these themes, keeping the ticks of those still offered."""
        ticked = set(self.theme_codes())
        self._themes = tuple(themes)
        self._quiet = True
        self.theme_list.clear()
        for theme in themes:
            item = QListWidgetItem(theme.name)
            item.setData(_DATA, theme.code)
            item.setToolTip(theme.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if theme.code in ticked else Qt.CheckState.Unchecked
            )
            self.theme_list.addItem(item)
        self._quiet = False
        _fit_height(self.theme_list, 8)
        self._rebuild_facts()

    def set_documents(
        self, docs: Sequence[DocumentView], checked: Iterable[str], hint: str = ""
    ) -> None:
        wanted = set(checked)
        self._quiet = True
        self.document_list.clear()
        for doc in docs:
            item = QListWidgetItem(f"{doc.short}　{doc.title}")
            item.setData(_DATA, doc.id)
            item.setToolTip(f"{doc.title}\n{doc.doc_number or '（无文号）'}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if doc.id in wanted else Qt.CheckState.Unchecked
            )
            self.document_list.addItem(item)
        self._quiet = False
        _fit_height(self.document_list, 8)
        self.document_hint.setText(hint)
        self.document_hint.setVisible(bool(hint))

    # --- reading and setting the choice -----------------------------------------------------

    def theme_codes(self) -> list[str]:
        return _checked(self.theme_list)

    def document_ids(self) -> list[str]:
        return _checked(self.document_list)

    def departments(self) -> list[str]:
        return _checked(self.department_list)

    def entity_type(self) -> str | None:
        value = self.entity_combo.currentData()
        return str(value) if value is not None else None

    def facts(self) -> dict[str, Any]:
        """Known facts as entered (typed by the generator); unknown ones are left out."""
        return {
            k: v
            for k, v in self._fact_values.items()
            if k in self._fact_widgets and v not in (None, "")
        }

    def selection(self, jurisdiction: str | None = None) -> Selection:
        return Selection(
            themes=tuple(self.theme_codes()),
            documents=tuple(self.document_ids()),
            entity_type=self.entity_type(),
            facts=self.facts(),
            departments=tuple(self.departments()),
            jurisdiction=jurisdiction,
        )

    def check_themes(self, codes_or_names: Iterable[str]) -> None:
        wanted = set(codes_or_names)
        names = {t.code: t.name for t in self._themes}
        _set_checked(self.theme_list, lambda code: code in wanted or names.get(code) in wanted)

    def check_documents(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        _set_checked(self.document_list, lambda doc_id: doc_id in wanted)

    def check_departments(self, labels: Iterable[str]) -> None:
        wanted = set(labels)
        _set_checked(self.department_list, lambda label: label in wanted)

    def set_entity_type(self, code: str | None) -> None:
        row = self.entity_combo.findData(code)
        self.entity_combo.setCurrentIndex(max(row, 0))

    def fact_codes(self) -> list[str]:
        """The facts that have a field now, in form order."""
        return list(self._fact_widgets)

    def fact_widget(self, code: str) -> QWidget | None:
        return self._fact_widgets.get(code)

    def set_fact(self, code: str, value: Any) -> None:
        """Fill a fact field as a person would: True/False, a number, a choice, or None."""
        widget = self._fact_widgets[code]
        if isinstance(widget, QComboBox):
            if isinstance(widget.itemData(1), bool):
                row = widget.findData(value) if value is not None else 0
            else:
                row = widget.findText(str(value)) if value is not None else 0
            widget.setCurrentIndex(max(row, 0))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))

    # --- internals --------------------------------------------------------------------------

    def _list_changed(self, item: QListWidgetItem) -> None:
        if self._quiet:
            return
        if item.listWidget() is self.theme_list:
            self._rebuild_facts()
        self.changed.emit()

    def _entity_changed(self) -> None:
        self._rebuild_facts()
        self.changed.emit()

    def _wanted_facts(self) -> list[Fact]:
        chosen = set(self.theme_codes())
        codes: list[str] = []
        for theme in self._themes:
            if theme.code in chosen:
                codes += [f for f in theme.facts if f not in codes]
        entity = self.entity_type()
        out = []
        for code in codes:
            fact = self._vocab.fact(code)
            if fact is None:
                continue
            if entity and not self._vocab.fact_applies(fact, entity):
                continue
            out.append(fact)
        return out

    def _rebuild_facts(self) -> None:
        facts = self._wanted_facts()
        if [f.code for f in facts] == list(self._fact_widgets):
            return
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        self._fact_widgets = {}
        for fact in facts:
            widget = self._fact_field(fact)
            self._fact_widgets[fact.code] = widget
            label = QLabel(fact.label + (f"（{fact.unit}）" if fact.unit else ""))
            label.setWordWrap(True)
            self.facts_form.addRow(label, widget)
        self.facts_empty.setVisible(not facts)

    def _fact_field(self, fact: Fact) -> QWidget:
        value = self._fact_values.get(fact.code)
        if fact.type in ("bool", "choice"):
            combo = QComboBox()
            combo.setFixedWidth(FIELD_WIDTH)
            combo.addItem(UNKNOWN, None)
            if fact.type == "bool":
                combo.addItem("是", True)
                combo.addItem("否", False)
            else:
                for choice in fact.choices:
                    combo.addItem(choice, choice)
            combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)
            combo.currentIndexChanged.connect(
                lambda _i, c=fact.code, w=combo: self._fact_edited(c, w.currentData())
            )
            return combo
        edit = QLineEdit("" if value is None else str(value))
        edit.setFixedWidth(FIELD_WIDTH)
        edit.setPlaceholderText(UNKNOWN)
        edit.setToolTip("不清楚的留空" if fact.type == "text" else "填数字；不清楚的留空")
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda text, c=fact.code: self._fact_edited(c, text.strip()))
        return edit

    def _fact_edited(self, code: str, value: Any) -> None:
        self._fact_values[code] = value if value != "" else None
        self.changed.emit()


def _checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(i).data(_DATA))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def _set_checked(widget: QListWidget, wanted: Any) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        state = Qt.CheckState.Checked if wanted(item.data(_DATA)) else Qt.CheckState.Unchecked
        if item.checkState() != state:
            item.setCheckState(state)
