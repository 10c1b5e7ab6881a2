"""回头看: what earlier visits to this unit found, what is still open, and carrying answers
forward into this draft where the item's text is unchanged (services.lookback)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from gui.format import local_time
from gui.inspection.entry_model import RESULT_COLOURS
from gui.models.inspections import STATUS_TEXT
from models.db import Session
from rules.china_time import today as china_today
from rules.inspection_status import DRAFT, FAIL, NOT_CHECKED
from services.checklist_snapshot import SnapshotError
from services.inspection_access import InspectionError, status_of
from services.inspection_entry import load_checklist
from services.lookback import CarryReport, EntityHistory, carry_forward, history_for_entity
from services.notices import open_notices_for_entity

_ID = Qt.ItemDataRole.UserRole + 1


def open_notices(session: Session, entity_id: int) -> list[str]:
    """Open rectification notices of the unit, one line each (文号, title, status, deadline)."""
    today = china_today()
    lines = []
    for n in open_notices_for_entity(session, entity_id):
        due = f"，期限 {n.deadline.isoformat()}" if n.deadline else ""
        late = "（已逾期）" if n.is_overdue(today) else ""
        lines.append(f"{n.doc_number} {n.title}：{n.status_label}{due}{late}，"
                     f"涉及 {n.item_count} 项")
    return lines


class LookbackPanel(QWidget):
    carried = Signal(object)  # CarryReport

    def __init__(self, ctx: PageContext, inspection_id: int, entity_id: int, *,
                 user: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id = inspection_id
        self._entity = entity_id
        self._user = user
        self.history: EntityHistory | None = None

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.open_caption = QLabel("尚未整改到位的问题（以往检查中最近一次判定为不符合或部分符合）")
        self.open_caption.setObjectName("sectionCaption")
        self.open_tree = QTreeWidget()
        self.open_tree.setHeaderLabels(["检查项", "结果", "发现日期", "情况说明"])
        self.open_tree.setRootIsDecorated(False)
        for col, width in enumerate((360, 80, 130)):  # 情况说明 takes the rest
            self.open_tree.setColumnWidth(col, width)
        self.open_tree.setMaximumHeight(170)
        self.notices_label = QLabel()
        self.notices_label.setWordWrap(True)
        self.past_caption = QLabel("以往检查（新的在前）")
        self.past_caption.setObjectName("sectionCaption")
        self.past_tree = QTreeWidget()
        self.past_tree.setHeaderLabels(["检查 / 检查项", "结果", "情况说明"])
        self.past_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.past_tree.setColumnWidth(0, 360)  # as wide as the open problems above
        self.carry_button = QPushButton(
            "把所选检查的结果带入本次（仅题目未变的项，标记“沿用上次”）")
        self.carry_button.clicked.connect(self.carry_selected)
        row = QHBoxLayout()
        row.addWidget(self.carry_button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.summary_label)
        box.addWidget(self.open_caption)
        box.addWidget(self.open_tree)
        box.addWidget(self.notices_label)
        box.addWidget(self.past_caption)
        box.addWidget(self.past_tree, 1)
        box.addLayout(row)
        self.reload()

    def _questions(self, session: Session) -> dict[str, str]:
        """What this inspection's checklist asks, by item code: for an earlier finding whose
        own checklist cannot be read."""
        try:
            checklist = load_checklist(session, self._id)
        except (InspectionError, SnapshotError):
            return {}
        return {i.code: i.question for i in checklist.items}

    def set_editable(self, editable: bool) -> None:
        self.carry_button.setEnabled(editable and bool(self.history and
                                                       self.history.inspections))

    def reload(self) -> None:
        with self._ctx.db.session() as s:
            history = history_for_entity(s, self._entity, exclude_inspection_id=self._id)
            notices = open_notices(s, self._entity)
            status = status_of(s, self._id)
            questions = self._questions(s)
        self.history = history
        n = len(history.inspections)
        self.summary_label.setText(
            f"该单位以往有 {n} 次已完成的检查，{len(history.open_items)} 个问题尚未确认整改到位。"
            if n else "该单位此前没有已完成的检查记录。")
        self.open_tree.clear()
        for o in history.open_items:
            question = o.question or questions.get(o.item_code, "")
            item = QTreeWidgetItem([f"{o.item_code}　{question}".strip(), o.result,
                                    local_time(o.found_at)[:10], o.note or ""])
            item.setForeground(1, QColor(RESULT_COLOURS.get(o.result, "#374151")))
            item.setToolTip(0, question)
            item.setToolTip(3, o.note or "")
            self.open_tree.addTopLevelItem(item)
        self.open_caption.setVisible(bool(history.open_items))
        self.open_tree.setVisible(bool(history.open_items))
        self.notices_label.setText("未销号的整改文书：\n" + "\n".join(notices) if notices else "")
        self.notices_label.setVisible(bool(notices))
        self.past_tree.clear()
        for past in history.inspections:
            s = past.summary
            c = s.counts
            head = QTreeWidgetItem([
                f"{local_time(s.started_at)}　{s.kind}　{'、'.join(s.themes)}",
                STATUS_TEXT.get(s.status, s.status),
                f"已答 {c.answered}/{c.total}，不符合 {c.failed}，部分符合 {c.partial}"])
            head.setData(0, _ID, s.id)
            for f in past.findings:
                if f.result == NOT_CHECKED and not f.answered:
                    continue
                value = f.value
                if isinstance(value, float) and value.is_integer():
                    value = int(value)  # 2, not 2.0 (as the item list shows it)
                unit = past.units.get(f.item_code, "")
                shown = f.result if value is None else f"{value}{unit} · {f.result}"
                asked = past.questions.get(f.item_code) or questions.get(f.item_code, "")
                child = QTreeWidgetItem([f"{f.item_code}　{asked}".strip(), shown, f.note or ""])
                child.setToolTip(0, asked)
                child.setData(0, _ID, s.id)
                child.setForeground(1, QColor(RESULT_COLOURS.get(f.result, "#374151")))
                if f.result == FAIL:
                    child.setToolTip(2, f.note or "")
                head.addChild(child)
            self.past_tree.addTopLevelItem(head)
        if history.inspections:
            first = self.past_tree.topLevelItem(0)
            first.setExpanded(True)
            self.past_tree.setCurrentItem(first)
        self.set_editable(status == DRAFT)

    def carry_selected(self) -> CarryReport | None:
        item = self.past_tree.currentItem()
        if item is None:
            messages.warning(self, "请先在列表中选择一次以往的检查。")
            return None
        return self.carry_from(int(item.data(0, _ID)))

    def carry_from(self, past_id: int) -> CarryReport | None:
        try:
            with self._ctx.db.session() as s:
                report = carry_forward(s, self._id, past_id, user=self._user)
        except InspectionError as exc:
            messages.error(self, str(exc), title="未能带入")
            return None
        self.carried.emit(report)
        lines = [f"已带入 {len(report.copied)} 项结果，均标记为“沿用上次”，修改后即为本次结果。"]
        if report.changed:
            lines.append(f"{len(report.changed)} 项检查内容已修改，未带入："
                         f"{'、'.join(report.changed)}")
        if report.kept:
            lines.append(f"{len(report.kept)} 项本次已作答，保留本次结果。")
        messages.info(self, "\n".join(lines), title="回头看")
        return report
