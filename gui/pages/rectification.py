"""整改跟踪: the rectification board.

A lazy table of notices with a status filter (待送达, 整改中, 逾期, 待复查, 已销号, 移送立案 …),
the deadline and the days left or overdue highlighted; beside it, the selected notice in full
and the actions its status allows, each in its own dialog. Every change emits
``ctx.events.rectificationChanged``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.context import PageContext
from gui.dialogs.notice_issue import IssueNoticesDialog
from gui.dialogs.notice_numbers import NumberBlockDialog
from gui.dialogs.notice_steps import STEP_DIALOGS
from gui.models.notices import (
    DEPT,
    ITEMS,
    SERVED_ON,
    TITLE,
    UNIT,
    NoticeListModel,
    deadline_text,
    remaining_text,
)
from rules.notice_status import FAILED, ISSUED, PASSED, REPORTED, SERVED
from services.notice_queries import FILTERS, NoticeInfo, count_notices, notice_detail

DEBOUNCE_MS = 250
#: Board filters, in the order a user thinks of them.
FILTER_ORDER = ("open", "issued", "served", "overdue", "reported", "recheck_late", "passed",
                "failed", "closed", "referred", "reordered", "answered", "all")
ACTIONS = (("serve", "登记送达…"), ("extend", "延期…"), ("report", "整改报告…"),
           ("recheck", "复查…"), ("close", "销号…"), ("follow_up", "后续处理…"),
           ("feedback", "登记反馈…"))
#: Column widths that keep 文号 … 剩余/逾期 visible without scrolling at 1366×768.
COLUMN_WIDTHS = (212, 104, 150, 84, 132, 92, 120, 90, 50)  # 文号: 中卫人社劳监指〔2026〕第12号
#: Columns the detail pane repeats, hidden in this order when the list is too narrow for them.
OPTIONAL_COLUMNS = (ITEMS, SERVED_ON, DEPT, TITLE)
UNIT_MIN_WIDTH = 150
#: Which actions a stored status allows.
ALLOWED = {
    ISSUED: {"serve"}, SERVED: {"extend", "report", "recheck"}, REPORTED: {"recheck"},
    PASSED: {"close"}, FAILED: {"follow_up"},
}


class RectificationPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("整改跟踪")
        self.title_label.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        self.issue_button = QPushButton("开具整改文书…")
        self.issue_button.setObjectName("primaryButton")
        self.issue_button.clicked.connect(self.issue)
        self.numbers_button = QPushButton("文书编号号段…")
        self.numbers_button.setToolTip("查看和预留本机的文书编号号段")
        self.numbers_button.clicked.connect(self.numbers)

        self.status_combo = QComboBox()
        for code in FILTER_ORDER:
            self.status_combo.addItem(FILTERS[code], code)
        self.status_combo.currentIndexChanged.connect(self.apply_filters)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("单位名称或文号")
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())

        self.model = NoticeListModel(ctx.db, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(UNIT, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.detail_view = QTextBrowser()
        self.detail_view.setOpenExternalLinks(False)
        self.action_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (key, label) in enumerate(ACTIONS):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.run_action(k))
            self.action_buttons[key] = button
            grid.addWidget(button, i // 3, i % 3)
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        side_box.addWidget(self.detail_view, 1)
        side_box.addLayout(grid)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.count_label)
        top.addLayout(titles, 1)
        top.addWidget(self.numbers_button)
        top.addWidget(self.issue_button)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status_combo)
        filters.addWidget(self.search_edit, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 360])
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(filters)
        box.addWidget(self.splitter, 1)

        ctx.events.rectificationChanged.connect(self.refresh)
        ctx.events.inspectionsChanged.connect(self.refresh)
        self.apply_filters()

    # --- public API -------------------------------------------------------------------------

    def fit_columns(self) -> None:
        """Hide the columns the detail pane repeats, least needed first, until the list fits
        its width without scrolling sideways; show them again when there is room."""
        available = self.table.viewport().width()
        shown = [c for c in range(len(COLUMN_WIDTHS)) if c != UNIT]
        need = sum(COLUMN_WIDTHS[c] for c in shown) + UNIT_MIN_WIDTH
        hidden = set()
        for col in OPTIONAL_COLUMNS:
            if need <= available:
                break
            hidden.add(col)
            need -= COLUMN_WIDTHS[col]
        for col in OPTIONAL_COLUMNS:
            if self.table.isColumnHidden(col) != (col in hidden):
                self.table.setColumnHidden(col, col in hidden)
                if col not in hidden:
                    self.table.setColumnWidth(col, COLUMN_WIDTHS[col])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def apply_preset(self, preset: dict[str, object]) -> None:
        """Show the notices a figure stands for (open, overdue …)."""
        index = self.status_combo.findData(preset.get("status"))
        if index >= 0:
            self.search_edit.clear()
            self.status_combo.setCurrentIndex(index)

    def apply_filters(self) -> None:
        self.model.set_filter(status=self.status_combo.currentData(),
                              search=self.search_edit.text())
        self._after_reload(None)

    def set_as_of(self, day: date | None) -> None:
        """Count days left and overdue as of ``day`` (today when None)."""
        self.model.set_as_of(day)
        self._after_reload(None)

    def set_status_filter(self, code: str) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(code))

    def refresh(self) -> None:
        """Reload, keeping the selected notice selected where it is still listed."""
        keep = self.current_notice()
        self.model.reload()
        self._after_reload(keep.id if keep else None)

    def current_notice(self) -> NoticeInfo | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    def select_notice(self, notice_id: int) -> bool:
        row = self.model.row_of(notice_id)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(notice_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def allowed_actions(self) -> set[str]:
        n = self.current_notice()
        if n is None:
            return set()
        if n.is_referral:  # 移送函: served, then the receiving department's feedback
            return {"serve"} if n.status == ISSUED else {"feedback"} if n.status == SERVED \
                else set()
        allowed = set(ALLOWED.get(n.status, set()))
        if n.is_overdue(self.model.as_of) or n.deadline is None:
            allowed.discard("extend")  # 延期 is asked for before the deadline
        return allowed

    def issue(self) -> None:
        issued = IssueNoticesDialog.ask(self, self._ctx.db)
        if issued:
            self.changed(issued[0].id)

    def numbers(self) -> None:
        NumberBlockDialog.ask(self, self._ctx.db)

    def run_action(self, key: str) -> Any:
        """Open the dialog for one step on the selected notice; emit the change if saved."""
        n = self.current_notice()
        if n is None or key not in self.allowed_actions():
            return None
        got = STEP_DIALOGS[key].ask(self, self._ctx.db, n.id)  # type: ignore[attr-defined]
        if got is not None:  # a further order is a new notice: show that one
            self.changed(got.id if isinstance(got, NoticeInfo) else n.id)
        return got

    def changed(self, notice_id: int | None) -> None:
        """After a saved step: tell the window, then show ``notice_id`` again."""
        self._ctx.events.rectificationChanged.emit()  # refresh() reloads the list
        if notice_id is not None and not self.select_notice(notice_id):
            self.set_status_filter("all")
            self.select_notice(notice_id)

    # --- internals --------------------------------------------------------------------------

    def _after_reload(self, keep: int | None) -> None:
        total = self.model.total()
        as_of = self.model.as_of
        with self._ctx.db.session() as session:
            pending = count_notices(session, status="open", as_of=as_of)
            everything = count_notices(session, as_of=as_of)
        searched = self.search_edit.text().strip()
        shown = "" if self.model.status_filter in ("open", "all", None) and not searched else \
            f" · 当前筛选 {total} 份"
        self.count_label.setText(f"待跟进 {pending} 份（全部 {everything} 份）{shown}"
                                 f" · 逾期按 {as_of:%Y-%m-%d} 计算")
        if keep is None or not self.select_notice(keep):
            if self.model.rowCount() > 0:
                self.table.selectRow(0)
        self._show_current()

    def _show_current(self) -> None:
        n = self.current_notice()
        allowed = self.allowed_actions()
        for key, button in self.action_buttons.items():
            button.setEnabled(key in allowed)
        if n is None:
            searched = self.search_edit.text().strip()
            if self.model.rowCount() == 0 and searched:
                text = (f"没有与“{escape(searched)}”相符的文书"
                        "（按被检查单位、主送单位和文号查找）。")
            elif self.model.rowCount() == 0:
                text = "当前筛选下没有文书。"
            else:
                text = "选择一份文书查看详情。"
            self.detail_view.setHtml(f"<p style='color:#6b7280'>{text}</p>")
            return
        with self._ctx.db.session() as session:
            detail = notice_detail(session, n.id)
        self.detail_view.setHtml(self._html(detail))

    def _html(self, d: Any) -> str:
        n: NoticeInfo = d.notice
        as_of = self.model.as_of
        e = escape
        kind = "（移送类）" if n.is_referral else "" if n.is_order else "（建议类）"
        rows = [("文书", f"{e(n.title)}{kind}")]
        if n.is_referral:
            rows.append(("主送", e(n.addressee)))
        rows += [
            ("被检查单位", e(n.unit_name)), ("主管部门", e(n.department)),
            ("状态", e(n.board_label(as_of))),
            ("开具", f"{n.issued_on:%Y-%m-%d}　{e('、'.join(n.issued_by))}"),
            ("送达", f"{n.served_on:%Y-%m-%d}　{e(n.service_method or '')}" if n.served_on
             else "尚未送达"),
        ]
        if d.service_refused:
            rows.append(("拒收", e(f"{d.service_refusal or ''}；见证人 "
                                   f"{'、'.join(d.service_witnesses)}")))
        if n.is_referral:
            rows.append(("反馈", e(f"{n.feedback_on:%Y-%m-%d} {d.feedback_text or ''}")
                         if n.feedback_on else "待接收部门反馈"))
        else:
            # once the report is in, what runs is the recheck's time limit (its own row)
            left = "已收到整改报告" if n.status == REPORTED else remaining_text(n, as_of)
            rows.append(("整改期限", f"{e(deadline_text(n))}　{e(left)}"))
        if n.deadline_note:
            rows.append(("期限说明", e(n.deadline_note)))
        if d.recheck_due and n.status in (SERVED, REPORTED):
            late = n.recheck_days_late(as_of)
            rows.append(("复查时限", f"{d.recheck_due:%Y-%m-%d} 前"
                         + (f"（已超过 {late} 天）" if late is not None else "")))
        if d.legal_basis and d.legal_basis_verified:
            rows.append(("法律依据", e("；".join(d.legal_basis))))
        elif d.legal_basis:
            rows.append(("法律依据", "<span style='color:#9ca3af'>依据待法制审核</span>"))
        if d.escalation_note:
            rows.append(("移送/立案", e(d.escalation_note)))
        table = "".join(f"<tr><td style='color:#6b7280;padding-right:10px'>{k}</td>"
                        f"<td>{v}</td></tr>" for k, v in rows)
        items = "".join(
            f"<li>存在问题：{e(i.problem or i.question)}<br>"
            f"<span style='color:#6b7280'>违反：{e(i.provision)}</span><br>"
            f"整改要求：{e(i.requirement)}"
            + (f"　<b>复查：{e(i.recheck_result)}</b>" if i.recheck_result else "") + "</li>"
            for i in d.items)
        history = [f"{h.day:%Y-%m-%d} <b>{e(h.step)}</b>　{e(h.text)}" for h in d.history]
        history += [f"{x.requested_on:%Y-%m-%d} 延期申请待决定" for x in d.extensions
                    if x.decision == "pending"]
        hist = "".join(f"<li>{h}</li>" for h in history)
        return (f"<h3 style='margin:0'>{e(n.doc_number)}</h3><table>{table}</table>"
                f"<h4>问题与整改要求（{len(d.items)}）</h4><ol>{items}</ol>"
                f"<h4>办理记录</h4><ul>{hist}</ul>")
