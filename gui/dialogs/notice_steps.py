"""One dialog per step of the rectification loop: 送达, 延期, 整改报告, 复查, 销号, and what
follows a failed recheck (再次责令 / 立案 / 移送).

Each dialog has public input widgets and an ``ask()`` classmethod; its ``save()`` runs the
service in one session (one transaction) and shows a refusal in Chinese without closing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from checklists.notice_types import notice_types
from gui import messages
from gui.dialogs import dialog_buttons
from gui.dialogs.notice_issue import date_edit, edit_date, names
from gui.file_dialogs import DOCUMENTS, remember, start_dir
from models.db import Database, Session
from services.notice_issue import issue_further_order
from services.notice_loop import (
    close_notice,
    decide_extension,
    escalate,
    record_feedback,
    record_recheck,
    request_extension,
    serve_notice,
    submit_report,
)
from services.notice_queries import NoticeDetail, NoticeError, notice_detail
from services.numbering import NumberingError


class StepDialog(QDialog):
    """A form over one notice; subclasses add rows and implement :meth:`apply`."""

    ok_text = "保存"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.notice_id = notice_id
        self.result_value: Any = None
        with db.session() as session:
            self.detail: NoticeDetail = notice_detail(session, notice_id)
        n = self.detail.notice
        self.header_label = QLabel(f"<b>{n.doc_number}</b>　{n.title}<br>{n.addressee}")
        self.form = QFormLayout()
        self.button_box, self.ok_button, self.cancel_button = dialog_buttons(self, self.ok_text)
        self.ok_button.clicked.connect(self.save)
        box = QVBoxLayout(self)
        box.addWidget(self.header_label)
        box.addLayout(self.form)
        box.addStretch(1)
        box.addWidget(self.button_box)
        self.resize(520, 300)

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database, notice_id: int) -> Any:
        dialog = cls(db, notice_id, parent)
        try:
            dialog.exec()
            return dialog.result_value
        finally:
            dialog.deleteLater()

    def apply(self, session: Session) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self) -> None:
        try:
            with self._db.session() as session:
                self.result_value = self.apply(session)
        except (NoticeError, NumberingError) as exc:
            self.result_value = None
            messages.warning(self, str(exc), title="无法保存")
            return
        self.accept()


class ServeDialog(StepDialog):
    ok_text = "登记送达"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("登记送达")
        self.served_on_edit = date_edit()
        self.method_combo = QComboBox()
        self.method_combo.addItems(notice_types().service_methods)
        self.recipient_edit = QLineEdit()
        self.recipient_edit.setPlaceholderText("受送达人姓名")
        self.refusal_edit = QLineEdit()
        self.refusal_edit.setPlaceholderText("如：负责人拒绝签收")
        self.witnesses_edit = QLineEdit()
        self.witnesses_edit.setPlaceholderText("到场见证人姓名，用顿号分隔")
        self.note_edit = QLineEdit()
        self.form.addRow("送达日期", self.served_on_edit)
        self.form.addRow("送达方式", self.method_combo)
        self.form.addRow("受送达人", self.recipient_edit)
        self.form.addRow("拒收事由", self.refusal_edit)
        self.form.addRow("见证人", self.witnesses_edit)
        self.form.addRow("备注", self.note_edit)
        hint = ("移送函送达后等待接收部门反馈。" if self.detail.notice.is_referral
                else "整改期限自送达之日起计算（送达当日不计）。")
        self.form.addRow("", QLabel(hint))
        self.method_combo.currentTextChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        refused = self.method_combo.currentText() == "留置送达"
        self.refusal_edit.setEnabled(refused)
        self.witnesses_edit.setEnabled(refused)

    def apply(self, session: Session) -> Any:
        refused = self.method_combo.currentText() == "留置送达"
        return serve_notice(session, self.notice_id, served_on=edit_date(self.served_on_edit),
                            method=self.method_combo.currentText(),
                            recipient=self.recipient_edit.text(), note=self.note_edit.text(),
                            refusal=self.refusal_edit.text() if refused else None,
                            witnesses=names(self.witnesses_edit.text()) if refused else ())


class FeedbackDialog(StepDialog):
    """The receiving department's 反馈 on a 移送函."""

    ok_text = "登记反馈"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("登记移送反馈")
        self.received_on_edit = date_edit()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("接收部门的处理情况")
        self.text_edit.setMaximumHeight(90)
        self.form.addRow("反馈日期", self.received_on_edit)
        self.form.addRow("反馈内容", self.text_edit)

    def apply(self, session: Session) -> Any:
        return record_feedback(session, self.notice_id,
                               received_on=edit_date(self.received_on_edit),
                               text=self.text_edit.toPlainText())


class ExtensionDialog(StepDialog):
    """延期申请; when one is pending, its decision instead."""

    ok_text = "保存"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        pending = [e for e in self.detail.extensions if e.decision == "pending"]
        self.pending = pending[0] if pending else None
        n = self.detail.notice
        now = f"现有期限：{n.deadline:%Y-%m-%d}" if n.deadline else "现有期限：—"
        self.form.addRow("", QLabel(now))
        self.requested_on_edit = date_edit()
        self.reason_edit = QPlainTextEdit()
        self.requested_deadline_check = QCheckBox("申请延至")
        self.requested_deadline_edit = date_edit(n.deadline)
        self.grant_radio = QRadioButton("准予延期")
        self.refuse_radio = QRadioButton("不予延期")
        self.decision_group = QButtonGroup(self)
        self.decision_group.addButton(self.grant_radio)
        self.decision_group.addButton(self.refuse_radio)
        self.grant_radio.setChecked(True)
        self.new_deadline_edit = date_edit(self.pending.requested_deadline or n.deadline
                                           if self.pending else n.deadline)
        self.decided_on_edit = date_edit()
        self.decided_by_edit = QLineEdit()
        self.note_edit = QLineEdit()
        if self.pending is None:
            self.setWindowTitle("延期申请")
            self.form.addRow("申请日期", self.requested_on_edit)
            self.form.addRow("延期理由", self.reason_edit)
            self.form.addRow(self.requested_deadline_check, self.requested_deadline_edit)
        else:
            self.setWindowTitle("延期决定")
            self.form.addRow("申请", QLabel(f"{self.pending.requested_on:%Y-%m-%d}："
                                            f"{self.pending.reason}"))
            self.form.addRow("决定", self.grant_radio)
            self.form.addRow("", self.refuse_radio)
            self.form.addRow("新的整改期限", self.new_deadline_edit)
            self.form.addRow("决定日期", self.decided_on_edit)
            self.form.addRow("决定人", self.decided_by_edit)
            self.form.addRow("说明", self.note_edit)

    def apply(self, session: Session) -> Any:
        if self.pending is None:
            wanted = (edit_date(self.requested_deadline_edit)
                      if self.requested_deadline_check.isChecked() else None)
            return request_extension(session, self.notice_id,
                                     requested_on=edit_date(self.requested_on_edit),
                                     reason=self.reason_edit.toPlainText(),
                                     requested_deadline=wanted)
        granted = self.grant_radio.isChecked()
        return decide_extension(session, self.pending.id, granted=granted,
                                decided_on=edit_date(self.decided_on_edit),
                                decided_by=self.decided_by_edit.text(),
                                new_deadline=edit_date(self.new_deadline_edit) if granted
                                else None, note=self.note_edit.text())


class ReportDialog(StepDialog):
    ok_text = "登记整改报告"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("整改报告")
        self.received_on_edit = date_edit()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText("单位报告的整改情况")
        self.submitted_by_edit = QLineEdit()
        self.file_list = QListWidget()
        self.add_files_button = QPushButton("添加附件…")
        self.add_files_button.clicked.connect(self._pick)
        self.form.addRow("收到日期", self.received_on_edit)
        self.form.addRow("整改情况", self.summary_edit)
        self.form.addRow("报告人", self.submitted_by_edit)
        self.form.addRow("证明材料", self.file_list)
        self.form.addRow("", self.add_files_button)
        self.resize(560, 460)

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            item = QListWidgetItem(Path(p).name)
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            self.file_list.addItem(item)

    def files(self) -> list[Path]:
        return [Path(self.file_list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.file_list.count())]

    def _pick(self) -> None:
        got, _ = QFileDialog.getOpenFileNames(self, "选择整改证明材料", str(start_dir(DOCUMENTS)))
        remember(DOCUMENTS, got)
        self.add_files([Path(g) for g in got])

    def apply(self, session: Session) -> Any:
        return submit_report(session, self.notice_id,
                             received_on=edit_date(self.received_on_edit),
                             summary=self.summary_edit.toPlainText(),
                             submitted_by=self.submitted_by_edit.text(), files=self.files(),
                             store_root=self._db.evidence_root)


class RecheckDialog(StepDialog):
    """复查: overall result, and item by item (checked = 符合)."""

    ok_text = "登记复查"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("复查")
        self.checked_on_edit = date_edit()
        self.inspectors_edit = QLineEdit()
        self.inspectors_edit.setPlaceholderText("复查人员，用顿号分隔（执法文书至少两人）")
        self.item_list = QListWidget()
        for item in self.detail.items:
            row = QListWidgetItem(item.requirement)
            row.setToolTip(f"存在问题：{item.problem or item.question}")
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setCheckState(Qt.CheckState.Checked)
            self.item_list.addItem(row)
        self.item_list.itemChanged.connect(self._sync)
        self.passed_check = QCheckBox("复查合格（全部整改到位）")
        self.passed_check.setChecked(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setMaximumHeight(70)
        due = self.detail.recheck_due
        self.form.addRow("复查日期", self.checked_on_edit)
        if due is not None:
            self.form.addRow("", QLabel(f"应于 {due:%Y-%m-%d} 前复查（期限届满后的工作日内）"))
        self.form.addRow("复查人员", self.inspectors_edit)
        self.form.addRow("逐项结果", self.item_list)
        self.form.addRow("", self.passed_check)
        self.form.addRow("复查意见", self.note_edit)
        n = self.detail.notice
        if n.is_order and not n.is_referral and n.deadline is not None:
            self.within_label = QLabel(
                f"整改期限至 {n.deadline:%Y-%m-%d}。期限届满前复查未通过的，文书仍为“整改中”，"
                "单位应在期限内继续整改；期限届满后复查未通过的，方可再次责令或立案、移送。")
            self.within_label.setWordWrap(True)
            self.within_label.setObjectName("measureRef")
            self.form.addRow("", self.within_label)
        self.resize(600, 480)

    def set_item_passed(self, index: int, passed: bool) -> None:
        item = self.item_list.item(index)
        item.setCheckState(Qt.CheckState.Checked if passed else Qt.CheckState.Unchecked)

    def _sync(self) -> None:
        self.passed_check.setChecked(all(
            self.item_list.item(i).checkState() == Qt.CheckState.Checked
            for i in range(self.item_list.count())))

    def apply(self, session: Session) -> Any:
        results = {int(self.item_list.item(i).data(Qt.ItemDataRole.UserRole)):
                   "符合" if self.item_list.item(i).checkState() == Qt.CheckState.Checked
                   else "不符合" for i in range(self.item_list.count())}
        return record_recheck(session, self.notice_id,
                              checked_on=edit_date(self.checked_on_edit),
                              inspectors=names(self.inspectors_edit.text()),
                              passed=self.passed_check.isChecked(),
                              note=self.note_edit.toPlainText(), item_results=results)


class CloseDialog(StepDialog):
    ok_text = "销号"

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("销号")
        self.closed_on_edit = date_edit()
        self.closed_by_edit = QLineEdit()
        self.form.addRow("销号日期", self.closed_on_edit)
        self.form.addRow("销号人", self.closed_by_edit)
        self.form.addRow("", QLabel("只有复查合格的文书才能销号。"))

    def apply(self, session: Session) -> Any:
        return close_notice(session, self.notice_id, closed_on=edit_date(self.closed_on_edit),
                            closed_by=self.closed_by_edit.text())


class FollowUpDialog(StepDialog):
    """After a failed recheck: a further order with a new number, or 立案 / 移送."""

    ok_text = "确定"
    CHOICES = ("再次责令改正", "立案", "移送")

    def __init__(self, db: Database, notice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(db, notice_id, parent)
        self.setWindowTitle("复查未通过的后续处理")
        self.choice_combo = QComboBox()
        self.choice_combo.addItems(self.CHOICES if self.detail.notice.is_order
                                   else self.CHOICES[:1])
        self.on_edit = date_edit()
        self.people_edit = QLineEdit()
        self.people_edit.setPlaceholderText("再次责令时的执法人员，用顿号分隔")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setMaximumHeight(70)
        self.form.addRow("处理方式", self.choice_combo)
        self.form.addRow("日期", self.on_edit)
        self.form.addRow("执法人员", self.people_edit)
        self.form.addRow("说明", self.note_edit)

    def apply(self, session: Session) -> Any:
        choice = self.choice_combo.currentText()
        day = edit_date(self.on_edit)
        if choice == self.CHOICES[0]:
            return issue_further_order(session, self.notice_id, issued_on=day,
                                       issued_by=names(self.people_edit.text()))
        return escalate(session, self.notice_id, action=choice, decided_on=day,
                        note=self.note_edit.toPlainText())


#: Board action key → dialog class.
STEP_DIALOGS: dict[str, Callable[..., Any]] = {
    "serve": ServeDialog, "extend": ExtensionDialog, "report": ReportDialog,
    "recheck": RecheckDialog, "close": CloseDialog, "follow_up": FollowUpDialog,
    "feedback": FeedbackDialog,
}
