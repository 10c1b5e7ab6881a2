"""Everything about one measure: text, source, units, targets, topics, flags; and the units a
person assigns to it by hand.

The library, search, department and comparison pages all show a measure through this widget.
It opens one Session per action (showing a measure, assigning or removing a unit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import MeasureView, UnitView
from gui import format as fmt
from gui import messages

if TYPE_CHECKING:
    from models.db import Database

_TABLE = (
    '<table width="100%" cellspacing="0" cellpadding="5" border="1" '
    'style="border-color:#d5dbe3;border-collapse:collapse;">'
)
_HEAD_ROW = '<tr style="background:#eef2f7;">'
_H = '<h4 style="color:#1f4e8c;margin-top:14px;">'


def _units_html(units: tuple[UnitView, ...]) -> str:
    written = [u for u in units if u.role != "assigned"]
    if not written:
        return f'{_H}责任单位</h4><p style="color:#6b7280;">文件未写明本措施的责任单位。</p>'
    rows = []
    for u in written:
        if u.collective:
            dept = '<span style="color:#6b7280;">泛指，不对应具体部门</span>'
        elif u.department_kind and u.department and u.department != u.name:
            dept = f"{fmt.esc(u.department)}（{fmt.esc(u.department_kind)}）"
        elif u.department_kind:
            dept = (f"{fmt.esc(u.department_kind)}"
                    '<span style="color:#6b7280;">（按职能对应，名称以原文为准）</span>')
        else:
            dept = '<span style="color:#6b7280;">未能对应</span>'
        rows.append(
            f'<tr><td align="center">{fmt.role_label(u.role)}</td>'
            f"<td>{fmt.esc(u.name)}</td><td>{dept}</td></tr>"
        )
    return (
        f'{_H}责任单位（按文件原文）</h4>{_TABLE}{_HEAD_ROW}<th width="12%">角色</th>'
        f"<th>单位（原文写法）</th><th>对应部门</th></tr>{''.join(rows)}</table>"
    )


def content_html(m: MeasureView, topic_labels: Mapping[str, str] | None = None) -> str:
    """The measure as one readable page: flags, text, units, targets, topics (named from
    ``topic_labels`` when given, else from the topics data file)."""
    parts = []
    if m.flags:
        parts.append(
            '<p style="background:#fdecea;color:#8c1d18;">&nbsp;解析标记：'
            f"{fmt.esc('、'.join(m.flags))}。请切换到“原文”核对后再使用。&nbsp;</p>"
        )
    parts.append(f'<p style="line-height:160%;">{fmt.esc(m.text)}</p>')
    parts.append(_units_html(m.units))
    if m.targets:
        rows = "".join(
            f"<tr><td>{fmt.esc(t.indicator)}</td><td>{fmt.esc(fmt.requirement(t))}</td>"
            f'<td>{fmt.esc(fmt.deadline(t))}</td><td align="center">'
            f"{'力争' if t.soft else '约束性'}</td></tr>"
            for t in m.targets
        )
        parts.append(
            f"{_H}目标指标</h4>{_TABLE}{_HEAD_ROW}<th>指标</th><th>要求</th>"
            f"<th>期限</th><th>性质</th></tr>{rows}</table>"
        )
    if m.topics:
        if topic_labels is None:
            from checklists.topics import load_topics

            topic_labels = {t.code: t.label for t in load_topics()}
        labels = topic_labels
        tags = "　".join(
            f'<span style="background:#e8eef7;color:#1f4e8c;">&nbsp;{fmt.esc(labels.get(c, c))}'
            "&nbsp;</span>"
            for c in m.topics
        )
        parts.append(f"{_H}政策主题</h4><p>{tags}</p>")
    return "".join(parts)


class _DepartmentCombo(QComboBox):
    """An editable combo that fills its department list the first time someone uses it, so
    showing a measure costs no department query."""

    def __init__(self, fill: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill = fill

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._fill()
        super().focusInEvent(event)

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()


class MeasureDetail(QWidget):
    """Shows one measure. ``unitsChanged(measure_id)`` after a unit was assigned or removed,
    ``topicsChanged(measure_id)`` after a person corrected its topics."""

    unitsChanged = Signal(str)
    topicsChanged = Signal(str)

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        """Without a database (the page shown on start before it is open) the measure is
        shown and nothing can be changed."""
        super().__init__(parent)
        self._db = db
        self._measure: MeasureView | None = None
        self._names_loaded = False

        # Built top down, each widget inside its final parent: with the application's style
        # sheet, every widget moved into another parent has its style worked out again, with
        # all the widgets inside it. Widgets are made in the order they sit in (the tab order).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.empty_label = QLabel("选择一项措施，这里显示它的全文、责任单位和目标指标。",
                                  self.stack)
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.empty_label)
        body = QWidget(self.stack)
        self.stack.addWidget(body)
        box = QVBoxLayout(body)
        box.setContentsMargins(6, 0, 0, 0)
        box.setSpacing(6)

        self.title_label = QLabel(body)
        self.title_label.setObjectName("measureTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flags_label = QLabel(body)
        self.flags_label.setObjectName("flagBadge")
        self.flags_label.setVisible(False)
        title_row = QHBoxLayout()
        box.addLayout(title_row)
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.flags_label, 0, Qt.AlignmentFlag.AlignTop)
        self.ref_label = QLabel(body)
        self.ref_label.setObjectName("measureRef")
        self.ref_label.setWordWrap(True)
        box.addWidget(self.ref_label)

        self.tabs = QTabWidget(body)
        box.addWidget(self.tabs, 1)
        self.content_browser = QTextBrowser(self.tabs)
        self.source_browser = QTextBrowser(self.tabs)
        for browser in (self.content_browser, self.source_browser):
            browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(self.content_browser, "措施内容")
        self.tabs.addTab(self.source_browser, "原文")
        # the original text is laid out when its tab is first shown for a measure, not for
        # every measure passed over in the list
        self._source_shown: MeasureView | None = None
        self.tabs.currentChanged.connect(lambda _i: self._fill_source())

        row = QHBoxLayout()
        row.setSpacing(6)
        box.addLayout(row)
        caption = QLabel("指派单位", body)
        caption.setObjectName("sectionCaption")
        caption.setToolTip("导入后由检查人员补充的单位，与文件原文分开保存")
        row.addWidget(caption)
        self.assigned_list = QListWidget(body)
        self.assigned_list.setObjectName("assignedList")
        self.assigned_list.setFlow(QListWidget.Flow.LeftToRight)
        self.assigned_list.setFixedHeight(34)
        self.assigned_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.assigned_list.setToolTip("检查人员补充指派的单位；选中后可移除")
        row.addWidget(self.assigned_list, 1)
        self.assigned_empty = QLabel("暂无", body)
        self.assigned_empty.setObjectName("measureRef")
        row.addWidget(self.assigned_empty, 1)
        self.assign_combo = _DepartmentCombo(self._load_department_names, body)
        self.assign_combo.setEditable(True)
        self.assign_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typed = self.assign_combo.lineEdit()
        assert typed is not None  # an editable combo has one
        typed.setPlaceholderText("输入或选择部门名称")
        self.assign_combo.setMinimumContentsLength(14)
        self.assign_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        row.addWidget(self.assign_combo)
        self.assign_button = QPushButton("指派", body)
        self.assign_button.setToolTip("把该部门补充为本措施的指派单位（不改动文件原文）")
        row.addWidget(self.assign_button)
        self.unassign_button = QPushButton("移除所选", body)
        self.unassign_button.setEnabled(False)
        row.addWidget(self.unassign_button)
        row.addSpacing(12)
        self.topics_button = QPushButton("修改主题…", body)
        self.topics_button.setToolTip("更正本措施所属的政策主题（按关键词自动归类，可人工调整）")
        row.addWidget(self.topics_button)

        self.topics_button.clicked.connect(self.edit_topics)
        self.assign_button.clicked.connect(self.assign_current)
        self.unassign_button.clicked.connect(self.unassign_selected)
        typed.returnPressed.connect(self.assign_current)
        self.assigned_list.itemSelectionChanged.connect(
            lambda: self.unassign_button.setEnabled(bool(self.assigned_list.selectedItems()))
        )

        if db is None:
            for widget in (self.assign_combo, self.assign_button, self.topics_button):
                widget.setEnabled(False)

    # --- public API -------------------------------------------------------------------------

    @property
    def measure(self) -> MeasureView | None:
        return self._measure

    def show_measure(self, m: MeasureView | None,
                     topic_labels: Mapping[str, str] | None = None) -> None:
        self._measure = m
        if m is None:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        self.title_label.setText(m.title)
        section = f" · {m.section}" if m.section else ""
        place = " › ".join(m.path.split("/"))  # the numbers above it in the document: 二 › (一) › 1
        self.ref_label.setText(f"{m.ref.split(':')[0]} · 第 {m.number} 项 · 位于 {place}{section}")
        self.flags_label.setVisible(bool(m.flags))
        self.flags_label.setText("待核" if m.flags else "")
        self.flags_label.setToolTip(
            "解析时标记：" + "、".join(m.flags) + "。请对照“原文”核对。" if m.flags else ""
        )
        self.content_browser.setHtml(content_html(m, topic_labels))
        self._fill_source()
        self.assigned_list.clear()
        for u in m.units:
            if u.role == "assigned":
                self.assigned_list.addItem(u.name)
                item = self.assigned_list.item(self.assigned_list.count() - 1)
                item.setToolTip(f"对应部门：{u.department or '（未能对应）'}")
        self.unassign_button.setEnabled(False)
        self.assigned_list.setVisible(self.assigned_list.count() > 0)
        self.assigned_empty.setVisible(self.assigned_list.count() == 0)

    def _fill_source(self) -> None:
        m = self._measure
        if m is None or m is self._source_shown or self.tabs.currentWidget() is not \
                self.source_browser:
            return
        self._source_shown = m
        self.source_browser.setPlainText(m.source_text)

    def show_measure_id(self, measure_id: str | None) -> None:
        if measure_id is None:
            self.show_measure(None)
            return
        from services.catalog import measure_view

        assert self._db is not None
        with self._db.session() as session:
            self.show_measure(measure_view(session, measure_id))

    def assign_current(self) -> None:
        name = self.assign_combo.currentText().strip()
        if self._measure is None or not name:
            return
        if name in self.assigned_names():
            messages.info(self, f"“{name}”已是本措施的指派单位。")
            return
        from services.catalog_store import assign_unit

        assert self._db is not None
        try:
            with self._db.session() as session:
                assign_unit(session, self._measure.id, name)
        except ValueError as exc:
            messages.error(self, str(exc), title="无法指派")
            return
        self.assign_combo.setEditText("")
        self._after_units_changed()

    def unassign_selected(self) -> None:
        if self._measure is None:
            return
        names = [item.text() for item in self.assigned_list.selectedItems()]
        if not names:
            return
        from services.catalog_store import unassign_unit

        assert self._db is not None
        with self._db.session() as session:
            for name in names:
                unassign_unit(session, self._measure.id, name)
        self._after_units_changed()

    def edit_topics(self) -> None:
        """Let the user tick the measure's topics; the correction is kept across re-imports."""
        if self._measure is None:
            return
        from PySide6.QtWidgets import QDialog

        from gui.widgets.measure_topics import TopicsDialog

        dialog = TopicsDialog(self._measure, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.save_topics(dialog.chosen())

    def save_topics(self, codes: list[str]) -> None:
        assert self._measure is not None
        measure_id = self._measure.id
        from services.catalog_store import set_measure_topics

        assert self._db is not None
        try:
            with self._db.session() as session:
                set_measure_topics(session, measure_id, codes)
        except ValueError as exc:
            messages.error(self, str(exc), title="无法修改主题")
            return
        self.show_measure_id(measure_id)
        self.topicsChanged.emit(measure_id)

    def units_as_written(self) -> list[UnitView]:
        """The units the document itself names for the shown measure (not the assigned ones)."""
        return [u for u in self._measure.units if u.role != "assigned"] if self._measure else []

    def assigned_names(self) -> list[str]:
        return [self.assigned_list.item(i).text() for i in range(self.assigned_list.count())]

    # --- internals --------------------------------------------------------------------------

    def _after_units_changed(self) -> None:
        assert self._measure is not None
        measure_id = self._measure.id
        self.show_measure_id(measure_id)
        self.unitsChanged.emit(measure_id)

    def _load_department_names(self) -> None:
        if self._names_loaded or self._db is None:
            return
        from services.catalog import list_departments

        with self._db.session() as session:
            names = sorted({d.name for d in list_departments(session) if d.kind})
        text = self.assign_combo.currentText()
        self.assign_combo.clear()
        self.assign_combo.addItems(names)
        self.assign_combo.setEditText(text)
        from PySide6.QtWidgets import QCompleter

        completer = QCompleter(names, self.assign_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.assign_combo.setCompleter(completer)
        self._names_loaded = True
