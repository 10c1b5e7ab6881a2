"""新建检查: unit → type → themes, documents, departments → generated checklist → officers →
回头看 → create.

The checklist is generated from the unit's type, facts and region, and kept whole on the
inspection as a snapshot. Officers come from the roster; anyone who declared a conflict with
the unit is listed but cannot be ticked, with the reason shown. Officers from several
departments make a joint inspection. The rules (two certified officers for a 执法检查, no
conflicts) are enforced by :func:`services.inspection_lifecycle.create_inspection`; the dialog
says in advance what it will refuse.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checklists.checklist_model import Checklist, Selection
from checklists.departments import department_kinds
from checklists.generator import SelectionError, generate
from checklists.regions import region_by_code
from checklists.snapshot import to_snapshot
from checklists.template_model import TemplateError
from checklists.vocabulary import load_vocabulary
from gui import format as fmt
from gui import messages
from gui.screen import fit_to_screen
from models.db import Database
from rules.china_time import beijing
from rules.china_time import today as china_today
from rules.inspection_status import ENFORCEMENT, KINDS, SUPERVISION
from services.catalog import load_catalog
from services.entities import EntityInfo, get_entity, list_entities
from services.inspection_lifecycle import InspectionError, InspectionSummary, create_inspection
from services.lookback import history_for_entity
from services.roster import conflicting_inspector_ids, list_inspectors
from services.user_templates import effective_themes

_ID = Qt.ItemDataRole.UserRole + 30
KIND_HINTS = {
    ENFORCEMENT: "执法检查须由两名以上持执法证件的人员进行（《行政处罚法》第四十二条）。",
    SUPERVISION: "督查人数由督查组自行确定，至少一人。",
    "自查": "自查人数由单位自行确定，至少一人。",
}


def _checklist_widget(max_height: int = 150) -> QListWidget:
    widget = QListWidget()
    widget.setUniformItemSizes(True)
    widget.setMaximumHeight(max_height)
    return widget


def _checked(widget: QListWidget) -> list[Any]:
    return [widget.item(i).data(_ID) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _set_checked(widget: QListWidget, values: list[Any]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            item.setCheckState(Qt.CheckState.Checked if item.data(_ID) in values
                               else Qt.CheckState.Unchecked)


class NewInspectionDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None,
                 entity_id: int | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._vocab = load_vocabulary()
        self.entity: EntityInfo | None = None
        self.checklist: Checklist | None = None
        self.created: InspectionSummary | None = None
        self.setWindowTitle("新建检查")
        fit_to_screen(self, QSize(1180, 760), parent, centre=False)
        with db.session() as session:
            try:
                self._themes = effective_themes(session)
            except TemplateError as exc:
                self._themes = ()
                self._theme_error = str(exc)
            else:
                self._theme_error = ""
            self._catalog = load_catalog(session)

        # unit
        self.entity_search = QLineEdit()
        self.entity_search.setPlaceholderText("输入单位名称或统一社会信用代码查找")
        self.entity_search.setClearButtonEnabled(True)
        self.entity_search.textChanged.connect(self._fill_entities)
        self.entity_list = QListWidget()
        self.entity_list.setMaximumHeight(130)
        self.entity_list.currentItemChanged.connect(self._entity_picked)
        self.entity_label = QLabel("请选择被检查单位。")
        self.entity_label.setWordWrap(True)
        self.entity_label.setObjectName("pageSubtitle")
        # room for the unit's name, region and three lines of facts from the start: choosing
        # a unit does not push the rest of the dialog down
        self.entity_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.entity_label.setFixedHeight(self.entity_label.fontMetrics().lineSpacing() * 5 + 6)

        # what
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(kind, kind)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.kind_hint = QLabel()
        self.kind_hint.setWordWrap(True)
        self.theme_list = _checklist_widget()
        for theme in self._themes:
            item = QListWidgetItem(theme.name)
            item.setData(_ID, theme.name)
            item.setToolTip(theme.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.theme_list.addItem(item)
        self.document_list = _checklist_widget()
        for doc in self._catalog:
            item = QListWidgetItem(f"{doc.short}：{doc.title}")
            item.setData(_ID, doc.id)
            item.setToolTip(doc.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.document_list.addItem(item)
        self.department_list = _checklist_widget()
        for kind in department_kinds():
            item = QListWidgetItem(kind.label)
            item.setData(_ID, kind.label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.department_list.addItem(item)
        for w in (self.theme_list, self.document_list, self.department_list):
            w.itemChanged.connect(self._selection_changed)
        self.generate_button = QPushButton("生成检查清单")
        self.generate_button.clicked.connect(self.generate_checklist)
        self.checklist_label = QLabel("尚未生成检查清单。")
        self.checklist_label.setWordWrap(True)
        self.exclusion_tree = QTreeWidget()
        self.exclusion_tree.setHeaderLabels(["未列入的检查项", "原因"])
        self.exclusion_tree.setColumnWidth(0, 260)
        self.exclusion_tree.setRootIsDecorated(False)

        # who
        self.officer_list = _checklist_widget(16_777_215)
        self.officer_list.itemChanged.connect(self._officers_changed)
        self.officer_label = QLabel()
        self.officer_label.setWordWrap(True)
        self.lookback_view = QTextBrowser()
        self.lookback_view.setOpenLinks(False)

        self.create_button = QPushButton("建立检查")
        self.create_button.setObjectName("primaryButton")
        # Enter in a field is no submission: the unit search picks a unit, the button is
        # pressed on purpose (Tab to it, or Alt+Enter anywhere)
        self.create_button.setAutoDefault(False)
        self.create_button.setToolTip("Alt+回车")
        self.create_button.clicked.connect(self.create)
        self.entity_search.installEventFilter(self)
        self.entity_list.installEventFilter(self)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)

        self.new_entity_button = QPushButton("新增单位…")
        self.new_entity_button.setToolTip("登记一个还不在名录中的被检查单位，登记后即选中")
        self.new_entity_button.clicked.connect(self.add_entity)
        self.new_officer_button = QPushButton("新增检查人员…")
        self.new_officer_button.setToolTip("登记一名还不在名单中的检查人员，登记后即勾选")
        self.new_officer_button.clicked.connect(self.add_officer)

        self._build_layout()
        self._fill_entities("")
        self._fill_officers()
        self._kind_changed()
        if entity_id is not None:
            self.select_entity(entity_id)

    def _build_layout(self) -> None:
        unit = QGroupBox("① 被检查单位")
        ubox = QVBoxLayout(unit)
        search_row = QHBoxLayout()
        search_row.addWidget(self.entity_search, 1)
        search_row.addWidget(self.new_entity_button)
        ubox.addLayout(search_row)
        ubox.addWidget(self.entity_list)
        ubox.addWidget(self.entity_label)

        what = QGroupBox("② 检查类型与检查清单")
        wbox = QVBoxLayout(what)
        form = QFormLayout()
        form.addRow("检查类型", self.kind_combo)
        wbox.addLayout(form)
        wbox.addWidget(self.kind_hint)
        lists = QHBoxLayout()
        # the documents' titles are the longest: their list gets the most room
        for caption, widget, share in (
                ("检查主题", self.theme_list, 2),
                ("政策文件（不选则按单位所在地区选用）", self.document_list, 3),
                ("检查部门（不选则不限）", self.department_list, 2)):
            col = QVBoxLayout()
            label = QLabel(caption)
            label.setWordWrap(True)
            col.addWidget(label)
            col.addWidget(widget, 1)
            lists.addLayout(col, share)
        wbox.addLayout(lists)
        row = QHBoxLayout()
        row.addWidget(self.generate_button)
        row.addWidget(self.checklist_label, 1)
        wbox.addLayout(row)
        wbox.addWidget(self.exclusion_tree, 1)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(unit)
        lbox.addWidget(what, 1)

        who = QGroupBox("③ 检查人员")
        obox = QVBoxLayout(who)
        obox.addWidget(self.officer_list, 1)
        obox.addWidget(self.new_officer_button, 0, Qt.AlignmentFlag.AlignLeft)
        obox.addWidget(self.officer_label)
        look = QGroupBox("④ 回头看：以往检查发现的问题")
        kbox = QVBoxLayout(look)
        kbox.addWidget(self.lookback_view)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(who, 1)
        rbox.addWidget(look, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 460])
        split.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addLayout(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database,
            entity_id: int | None = None) -> InspectionSummary | None:
        """Show the dialog; the new inspection, or None when none was created."""
        dialog = cls(db, parent, entity_id)
        try:
            dialog.exec()
            return dialog.created
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def select_entity(self, entity_id: int) -> bool:
        for i in range(self.entity_list.count()):
            if self.entity_list.item(i).data(_ID) == entity_id:
                self.entity_list.setCurrentRow(i)
                return True
        with self._db.session() as session:
            self.entity = get_entity(session, entity_id)
        self._entity_changed()
        return True

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def set_themes(self, names: list[str]) -> None:
        _set_checked(self.theme_list, names)

    def set_documents(self, ids: list[str]) -> None:
        _set_checked(self.document_list, ids)

    def set_departments(self, labels: list[str]) -> None:
        _set_checked(self.department_list, labels)

    def set_officers(self, inspector_ids: list[int]) -> None:
        _set_checked(self.officer_list, inspector_ids)

    def add_entity(self) -> bool:
        """Register a unit not yet in the register and choose it."""
        from gui.dialogs.entity_editor import EntityEditorDialog

        made = EntityEditorDialog.ask(self, self._db)
        if made is None:
            return False
        self.entity_search.clear()  # refills the list, which now holds the new unit
        self._fill_entities("")
        return self.select_entity(made.id)

    def add_officer(self) -> bool:
        """Register an inspector not yet on the roster and tick them."""
        from gui.dialogs.inspector_editor import InspectorEditorDialog

        made = InspectorEditorDialog.ask(self, self._db)
        if made is None:
            return False
        self._fill_officers()
        item = self.officer_items().get(made.id)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return False
        item.setCheckState(Qt.CheckState.Checked)
        return True

    def officer_ids(self) -> list[int]:
        return [int(v) for v in _checked(self.officer_list)]

    def officer_items(self) -> dict[int, QListWidgetItem]:
        """Each roster inspector's row, by id (disabled rows are excluded by a conflict)."""
        return {int(self.officer_list.item(i).data(_ID)): self.officer_list.item(i)
                for i in range(self.officer_list.count())}

    def selection(self) -> Selection:
        e = self.entity
        region = e.region_code if e and region_by_code(e.region_code) else None
        return Selection(themes=tuple(_checked(self.theme_list)),
                         documents=tuple(_checked(self.document_list)),
                         entity_type=e.type_code if e else None,
                         facts=dict(e.facts) if e else {},
                         departments=tuple(_checked(self.department_list)),
                         jurisdiction=region)

    def generate_checklist(self) -> Checklist | None:
        if self.entity is None:
            messages.warning(self, "请先选择被检查单位。", title="无法生成检查清单")
            return None
        if self._theme_error:
            messages.error(self, self._theme_error, title="检查主题模板有误")
            return None
        try:
            checklist = generate(self.selection(), self._catalog, self._themes,
                                 as_of=china_today(), vocab=self._vocab)
        except SelectionError as exc:
            messages.warning(self, str(exc), title="无法生成检查清单")
            return None
        self._show_checklist(checklist)
        return checklist

    def create(self) -> None:
        if self.entity is None:
            messages.warning(self, "请先选择被检查单位。", title="无法建立检查")
            return
        checklist = self.checklist or self.generate_checklist()
        if checklist is None:
            return
        if not checklist.items:
            messages.warning(self, "检查清单中没有检查项：请换选检查主题、政策文件或检查部门。",
                             title="无法建立检查")
            return
        try:
            with self._db.session() as session:
                self.created = create_inspection(
                    session, entity_id=self.entity.id, checklist_snapshot=to_snapshot(checklist),
                    kind=str(self.kind_combo.currentData()), officers=self.officer_ids())
        except InspectionError as exc:
            self.created = None
            messages.warning(self, str(exc), title="无法建立检查")
            return
        self.accept()

    # --- keyboard -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the unit search, Up/Down move through the units found and Enter chooses one and
        goes on to the next field; Enter on the list does the same. Alt+Enter creates."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.create()
            return True
        if watched is self.entity_search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = self.entity_list.currentRow()
            row = 0 if row < 0 else max(0, min(self.entity_list.count() - 1, row + step))
            if self.entity_list.count():
                self.entity_list.setCurrentRow(row)
            return True
        if enter and watched in (self.entity_search, self.entity_list):
            if self.entity_list.currentItem() is None and self.entity_list.count():
                self.entity_list.setCurrentRow(0)
            if self.entity is not None:
                self.kind_combo.setFocus()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in any other field does not submit the dialog by accident."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if (event.modifiers() & Qt.KeyboardModifier.AltModifier
                    or self.focusWidget() is self.create_button):
                self.create()
            return
        super().keyPressEvent(event)

    # --- internals --------------------------------------------------------------------------

    def _fill_entities(self, text: str) -> None:
        with self._db.session() as session:
            rows = list_entities(session, search=text.strip() or None)
        chosen = self.entity.id if self.entity else None
        self.entity_list.blockSignals(True)
        self.entity_list.clear()
        for e in rows[:300]:
            item = QListWidgetItem(f"{e.name}　（{e.type_label}）")
            item.setData(_ID, e.id)
            self.entity_list.addItem(item)
            if e.id == chosen:
                self.entity_list.setCurrentItem(item)
        self.entity_list.blockSignals(False)

    def _entity_picked(self, current: QListWidgetItem | None, _prev: object) -> None:
        if current is None:
            return
        with self._db.session() as session:
            self.entity = get_entity(session, int(current.data(_ID)))
        self._entity_changed()

    def _entity_changed(self) -> None:
        e = self.entity
        assert e is not None
        facts = "；".join(self._fact_text(k, v) for k, v in e.facts.items())
        parts = [f"<b>{fmt.esc(e.name)}</b>　{fmt.esc(e.type_label)}"]
        if e.region_code:
            parts.append(fmt.esc(fmt.region_path(e.region_code)))
        if facts:
            parts.append("单位情况：" + fmt.esc(facts))
        self.entity_label.setText("<br/>".join(parts))
        self.entity_label.setToolTip("<br/>".join(parts))
        for i in range(self.theme_list.count()):
            item = self.theme_list.item(i)
            theme = next(t for t in self._themes if t.name == item.data(_ID))
            fits = self._vocab.is_any(e.type_code, theme.entity_types)
            item.setForeground(Qt.GlobalColor.black if fits else Qt.GlobalColor.gray)
            item.setToolTip(theme.description if fits else
                            f"{theme.description}\n（不适用于“{e.type_label}”）")
        if not _checked(self.theme_list):
            fitting = [t.name for t in self._themes if self._vocab.is_any(e.type_code,
                                                                          t.entity_types)]
            self.set_themes(fitting[:1])
        self._fill_officers()
        self._show_lookback()
        self._selection_changed()

    def _fact_text(self, code: str, value: Any) -> str:
        fact = self._vocab.fact(code)
        label = fact.label if fact else code
        if isinstance(value, bool):
            return f"{label}：{'是' if value else '否'}"
        unit = fact.unit if fact and fact.unit else ""
        return f"{label}：{value}{unit}"

    def _kind_changed(self, *_args: object) -> None:
        self.kind_hint.setText(KIND_HINTS.get(str(self.kind_combo.currentData()), ""))
        self._officers_changed()

    def _selection_changed(self, *_args: object) -> None:
        """The selection changed: the generated checklist no longer matches it."""
        self.checklist = None
        self.exclusion_tree.clear()
        self.checklist_label.setText("选择检查主题后点“生成检查清单”。")

    def _show_checklist(self, checklist: Checklist) -> None:
        self.checklist = checklist
        pending = sum(1 for i in checklist.items if i.pending)
        departments = sorted({i.competent_department for i in checklist.items})
        text = (f"“{checklist.title}”：共 <b>{len(checklist.items)}</b> 项，"
                f"未列入 {len(checklist.excluded)} 项")
        if pending:
            text += f"，其中 {pending} 项适用条件待现场确认"
        if departments:
            text += f"；主管部门：{'、'.join(departments)}"
        if checklist.warnings:
            text += "<br/>" + "<br/>".join(fmt.esc(w) for w in checklist.warnings)
        self.checklist_label.setText(text)
        self.exclusion_tree.clear()
        for ex in checklist.excluded:
            item = QTreeWidgetItem([f"{ex.code} {ex.question}", ex.reason])
            item.setToolTip(0, ex.question)
            item.setToolTip(1, ex.reason)
            self.exclusion_tree.addTopLevelItem(item)

    def _fill_officers(self) -> None:
        chosen = set(self.officer_ids())
        with self._db.session() as session:
            people = list_inspectors(session, active_only=True)
            conflicts = conflicting_inspector_ids(session, self.entity.id) if self.entity else {}
        self.officer_list.blockSignals(True)
        self.officer_list.clear()
        for p in people:
            text = f"{p.name}　{p.department}　{p.cert_no or '无执法证号'}"
            item = QListWidgetItem()
            item.setData(_ID, p.id)
            if p.id in conflicts:
                item.setText(f"{text}　— 回避：{conflicts[p.id]}")
                item.setToolTip(f"已登记回避事由：{conflicts[p.id]}，不能参加对该单位的检查")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setText(text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if p.id in chosen
                                   else Qt.CheckState.Unchecked)
            self.officer_list.addItem(item)
        self.officer_list.blockSignals(False)
        self._officers_changed()

    def _officers_changed(self, *_args: object) -> None:
        items = self.officer_items()
        picked = [items[i] for i in self.officer_ids() if i in items]
        excluded = sum(1 for it in items.values()
                       if not it.flags() & Qt.ItemFlag.ItemIsEnabled)
        with self._db.session() as session:
            people = {p.id: p for p in list_inspectors(session, active_only=True)}
        chosen = [people[i] for i in self.officer_ids() if i in people]
        certified = sum(1 for p in chosen if p.cert_no)
        departments = list(dict.fromkeys(p.department for p in chosen))
        lines = [f"已选 {len(picked)} 人" + (f"，其中持执法证 {certified} 人"
                                            if self.kind_combo.currentData() == ENFORCEMENT
                                            else "")]
        if len(departments) > 1:
            lines.append(f"联合检查：{'、'.join(departments)}（各检查项归属其主管部门）")
        if excluded:
            lines.append(f"{excluded} 人因登记回避不能参加（灰色显示）")
        if not items:
            lines.append("名册中没有在岗的检查人员，请先在“检查人员”页添加。")
        if self.kind_combo.currentData() == ENFORCEMENT and certified < 2:
            lines.append('<span style="color:#b3261e;">执法检查还须至少两名持执法证的人员</span>')
        self.officer_label.setText("<br/>".join(lines))

    def _show_lookback(self) -> None:
        e = self.entity
        if e is None:
            self.lookback_view.setHtml("")
            return
        with self._db.session() as session:
            history = history_for_entity(session, e.id)
            notices = _open_notices(session, e.id)
        if not history.inspections and not notices:
            self.lookback_view.setHtml("<p>该单位没有已完成的检查记录，本次为首次检查。</p>")
            return
        html = [f"<p>已完成检查 <b>{len(history.inspections)}</b> 次；"
                f"尚未整改到位的问题 <b>{len(history.open_items)}</b> 项。</p>"]
        if history.inspections:
            last = history.inspections[0].summary
            html.append(f"<p>最近一次：{beijing(last.started_at):%Y-%m-%d} "
                        f"{fmt.esc('、'.join(last.themes))}（{last.status_label}，"
                        f"不符合 {last.counts.failed} 项）</p>")
        if history.open_items:
            html.append("<ul>")
            for item in history.open_items[:30]:
                note = f"：{fmt.esc(item.note)}" if item.note else ""
                asked = fmt.esc(item.question or item.item_code)
                html.append(f"<li>{asked} <b>{fmt.esc(item.result)}</b>"
                            f"（{fmt.esc(item.item_code)}，{beijing(item.found_at):%Y-%m-%d}）"
                            f"{note}</li>")
            html.append("</ul>")
        if notices:
            html.append("<p><b>未销号的整改文书</b></p><ul>")
            html += [f"<li>{fmt.esc(n)}</li>" for n in notices]
            html.append("</ul>")
        self.lookback_view.setHtml("".join(html))


def _open_notices(session: Any, entity_id: int) -> list[str]:
    """Open rectification notices of the unit, one line each (empty if that layer is absent)."""
    try:
        from services.notice_queries import open_notices_for_entity
    except ImportError:
        return []
    today = china_today()
    lines = []
    for n in open_notices_for_entity(session, entity_id):
        deadline = f"，期限 {n.deadline:%Y-%m-%d}" if n.deadline else ""
        lines.append(f"{n.doc_number} {n.title}（{n.board_label(today)}{deadline}，"
                     f"{n.item_count} 项）")
    return lines
