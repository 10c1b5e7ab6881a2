"""笔录与签名: the fields of the 现场检查笔录, the officers, the signatures, and the status.

Each field is committed when it is left (``services.inspection_lifecycle.update_record``). The
buttons follow the workflow: 完成检查 (draft → completed; a Chinese list of what is missing
otherwise), signatures or a refusal before a witness, 签名确认 (completed → signed, locked),
退回草稿, and 更正 (a new version with a reason; the signed one is kept).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QSize, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from gui.format import local_time
from gui.inspection.signature_pad import RefusalDialog, SignatureDialog
from gui.models.inspections import STATUS_TEXT
from rules.china_time import from_wall_clock, wall_clock
from rules.inspection_status import COMPLETED, DRAFT, ROLE_OFFICER, ROLE_PARTY, SIGNED
from services.amendments import amend_inspection
from services.inspection_access import InspectionError, UncheckedItems
from services.inspection_lifecycle import (
    complete_inspection,
    reopen_inspection,
    sign_inspection,
    update_record,
)
from services.inspection_record import InspectionRecord, get_record
from services.signatures import add_signature, record_refusal, signature_image


def _qdt(value: datetime | None) -> QDateTime:
    """A stored time as the widget shows it: the 北京时间 wall clock."""
    if value is None:
        return QDateTime()
    return QDateTime(wall_clock(value))


class RecordTab(QWidget):
    statusChanged = Signal()  # completed, reopened, signed, signatures changed
    amended = Signal(int)  # the new version's inspection id
    goToItem = Signal(str)  # an item code the inspector should go back to

    def __init__(self, ctx: PageContext, inspection_id: int, store_root: Path, *,
                 before_action: Callable[[], None] = lambda: None, user: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id = inspection_id
        self._root = store_root
        self._before = before_action
        self._user = user
        self._loading = False
        self.record: InspectionRecord | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("measureTitle")
        self.status_detail = QLabel()
        self.status_detail.setObjectName("measureRef")
        self.status_detail.setWordWrap(True)

        # 笔录 fields
        self.place_edit = QLineEdit()
        self.started_edit = QDateTimeEdit()
        self.ended_edit = QDateTimeEdit()
        for w in (self.started_edit, self.ended_edit):
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
            w.setCalendarPopup(True)
        self.recorder_edit = QLineEdit()
        self.party_name_edit = QLineEdit()
        self.party_position_edit = QLineEdit()
        self.party_phone_edit = QLineEdit()
        self.credentials_check = QCheckBox("已向当事人出示执法证件")
        self.recusal_notice_check = QCheckBox("已告知当事人有申请回避的权利")
        self.recusal_requested_check = QCheckBox("当事人申请回避")
        self.recusal_note_edit = QLineEdit()
        self.recusal_note_edit.setPlaceholderText("申请回避的对象和理由、处理情况")
        self.statement_edit = QLineEdit()
        self.statement_edit.setPlaceholderText("由被检查单位负责人或在场人自己写明，如：以上记录属实")
        self._text_fields: dict[str, QLineEdit] = {
            "place": self.place_edit, "recorder": self.recorder_edit,
            "party_name": self.party_name_edit, "party_position": self.party_position_edit,
            "party_phone": self.party_phone_edit, "recusal_note": self.recusal_note_edit,
            "party_statement": self.statement_edit}
        self._checks: dict[str, QCheckBox] = {
            "credentials_shown": self.credentials_check,
            "recusal_notice_given": self.recusal_notice_check,
            "recusal_requested": self.recusal_requested_check}
        for key, edit in self._text_fields.items():
            edit.editingFinished.connect(lambda k=key, e=edit: self._save(k, e.text()))
        for key, box in self._checks.items():
            box.toggled.connect(lambda on, k=key: self._save(k, on))
        self.started_edit.editingFinished.connect(
            lambda: self._save("started_at",
                               from_wall_clock(self.started_edit.dateTime().toPython())))
        self.ended_edit.editingFinished.connect(
            lambda: self._save("ended_at",
                               from_wall_clock(self.ended_edit.dateTime().toPython())))

        fields = QGroupBox("现场检查笔录")
        grid = QFormLayout(fields)
        grid.addRow("检查地点", self.place_edit)
        times = QHBoxLayout()
        times.addWidget(self.started_edit)
        times.addWidget(QLabel("至"))
        times.addWidget(self.ended_edit)
        grid.addRow("检查时间", times)
        grid.addRow("记录人", self.recorder_edit)
        grid.addRow("负责人或在场人", self.party_name_edit)
        grid.addRow("职务", self.party_position_edit)
        grid.addRow("联系电话", self.party_phone_edit)
        notices = QVBoxLayout()
        for box in self._checks.values():
            notices.addWidget(box)
        grid.addRow("告知事项", notices)
        grid.addRow("回避情况", self.recusal_note_edit)
        grid.addRow("当事人意见", self.statement_edit)

        self.officers_table = QTableWidget(0, 3)
        self.officers_table.setHorizontalHeaderLabels(["检查人员", "部门", "执法证号"])
        self.officers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.officers_table.verticalHeader().setVisible(False)
        self.officers_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.officers_table.setMaximumHeight(130)
        officers = QGroupBox("检查人员")
        QVBoxLayout(officers).addWidget(self.officers_table)

        self.signatures_table = QTableWidget(0, 4)
        self.signatures_table.setHorizontalHeaderLabels(["身份", "姓名", "签名", "时间"])
        self.signatures_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.signatures_table.verticalHeader().setVisible(False)
        self.signatures_table.verticalHeader().setDefaultSectionSize(44)
        sig_header = self.signatures_table.horizontalHeader()
        for col in (0, 1, 3):
            sig_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        sig_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.signatures_table.setIconSize(QSize(120, 40))
        self.sign_officer_button = QPushButton("检查人员签名…")
        self.sign_party_button = QPushButton("被检查单位签名…")
        self.refuse_button = QPushButton("记录拒签…")
        self.sign_officer_button.clicked.connect(self.sign_officer)
        self.sign_party_button.clicked.connect(self.sign_party)
        self.refuse_button.clicked.connect(self.refuse)
        signatures = QGroupBox("签名")
        sig_box = QVBoxLayout(signatures)
        sig_buttons = QHBoxLayout()
        for b in (self.sign_officer_button, self.sign_party_button, self.refuse_button):
            sig_buttons.addWidget(b)
        sig_buttons.addStretch(1)
        sig_box.addLayout(sig_buttons)
        sig_box.addWidget(self.signatures_table)

        self.complete_button = QPushButton("完成检查")
        self.complete_button.setObjectName("primaryButton")
        self.reopen_button = QPushButton("退回草稿")
        self.lock_button = QPushButton("签名确认并锁定")
        self.amend_button = QPushButton("制作更正版本…")
        self.issue_button = QPushButton("开具整改文书…")
        self.issue_button.setToolTip("按本次检查的不符合项开具文书，检查人员和被检查单位已带入")
        self.print_button = QPushButton("打印笔录…")
        self.print_button.setToolTip("在“报告”中生成本次检查的现场检查笔录，可预览、打印和保存")
        self.export_button = QPushButton("导出数据包…")
        self.export_button.setToolTip("把本次检查导出为数据包，交给督查人员或其他检查人员")
        self.export_button.clicked.connect(self.export_package)
        self.issue_button.clicked.connect(self.issue_notices)
        self.print_button.clicked.connect(self.print_record)
        self.complete_button.clicked.connect(self.complete)
        self.reopen_button.clicked.connect(self.reopen)
        self.lock_button.clicked.connect(self.lock)
        self.amend_button.clicked.connect(self.amend)
        actions = QHBoxLayout()
        for b in (self.complete_button, self.reopen_button, self.lock_button, self.amend_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.issue_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.export_button)

        inner = QWidget()
        layout = QGridLayout(inner)
        layout.addWidget(self.status_label, 0, 0, 1, 2)
        layout.addWidget(self.status_detail, 1, 0, 1, 2)
        layout.addLayout(actions, 2, 0, 1, 2)
        layout.addWidget(fields, 3, 0, 2, 1)
        layout.addWidget(officers, 3, 1)
        layout.addWidget(signatures, 4, 1)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(4, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll)
        # A field that can no longer change looks it (after signing or when locked).
        self.setStyleSheet("QLineEdit:read-only { background: #eef1f5; color: #374151; }")
        self.reload()

    # ----- showing ---------------------------------------------------------------------------

    def reload(self) -> None:
        with self._ctx.db.session() as s:
            rec = get_record(s, self._id)
        self.record = rec
        status = rec.summary.status
        self._loading = True
        try:
            version = f"第 {rec.summary.version} 版" if rec.summary.version > 1 else ""
            self.status_label.setText(f"状态：{STATUS_TEXT[status]}"
                                      + ("（已锁定）" if status == SIGNED else "")
                                      + (f"　{version}" if version else ""))
            detail = []
            if rec.amendment_reason:
                detail.append(f"更正理由：{rec.amendment_reason}")
            if rec.summary.superseded:
                detail.append("此版本已被更正版本取代，仅供查阅。")
            if status == DRAFT:
                detail.append("逐项检查完毕、填好笔录后点“完成检查”，然后请各方签名。")
            elif status == COMPLETED:
                detail.append("请检查人员和被检查单位负责人签名（拒签的须记录见证人），再点"
                              "“签名确认并锁定”。")
            else:
                detail.append(f"已于 {local_time(rec.signed_at)} 签名确认，记录已锁定；"
                              "如需修改，请制作更正版本。")
            self.status_detail.setText("\n".join(detail))
            for key, edit in self._text_fields.items():
                edit.setText(getattr(rec, key) or "")
            for key, box in self._checks.items():
                box.setChecked(bool(getattr(rec, key)))
            self.started_edit.setDateTime(_qdt(rec.started_at))
            self.ended_edit.setDateTime(_qdt(rec.ended_at or rec.started_at))
            self.officers_table.setRowCount(len(rec.officers))
            for r, o in enumerate(rec.officers):
                for c, text in enumerate((o.name, o.department, o.cert_no or "（未填写）")):
                    self.officers_table.setItem(r, c, QTableWidgetItem(text))
            self._show_signatures(rec)
        finally:
            self._loading = False
        has_signatures = bool(rec.signatures)
        fields_open = status == DRAFT or (status == COMPLETED and not has_signatures)
        for edit in self._text_fields.values():
            edit.setReadOnly(not fields_open)
        for when in (self.started_edit, self.ended_edit):
            when.setEnabled(fields_open)
        for box in self._checks.values():
            box.setEnabled(fields_open)
        self.complete_button.setEnabled(status == DRAFT)
        self.reopen_button.setEnabled(status == COMPLETED)
        for b in (self.sign_officer_button, self.sign_party_button, self.refuse_button,
                  self.lock_button):
            b.setEnabled(status == COMPLETED)
        self.amend_button.setEnabled(status == SIGNED and not rec.summary.superseded)
        counts = rec.summary.counts
        self.issue_button.setEnabled(status in (COMPLETED, SIGNED)
                                     and counts.failed + counts.partial > 0)

    def _show_signatures(self, rec: InspectionRecord) -> None:
        table = self.signatures_table
        table.setRowCount(len(rec.signatures))
        for r, sig in enumerate(rec.signatures):
            table.setItem(r, 0, QTableWidgetItem(sig.role))
            table.setItem(r, 1, QTableWidgetItem(sig.name))
            if sig.refused:
                text = f"拒签（见证人：{sig.witness_name}，{sig.witness_id}）"
                if sig.refusal_reason:
                    text += f"　理由：{sig.refusal_reason}"
                cell = QTableWidgetItem(text)
            else:
                cell = QTableWidgetItem("已签名")
                if sig.image_sha256:
                    path = signature_image(self._root, sig.image_sha256)
                    if path.exists():
                        cell.setIcon(QIcon(QPixmap(str(path))))
            table.setItem(r, 2, cell)
            table.setItem(r, 3, QTableWidgetItem(local_time(sig.signed_at, seconds=True)))

    # ----- saving fields ---------------------------------------------------------------------

    def _save(self, key: str, value: Any) -> None:
        if self._loading or self.record is None:
            return
        current = getattr(self.record, key)
        if isinstance(value, str):
            if (value.strip() or None) == current:
                return
        elif key in ("started_at", "ended_at"):
            if current is not None and abs(value.timestamp() - current.timestamp()) < 60:
                return
        elif bool(value) == bool(current):
            return
        if not self._call(lambda s: update_record(s, self._id, user=self._user,
                                                  **{key: value}), "未能保存笔录"):
            self.reload()

    def save_fields(self, **fields: Any) -> bool:
        """Set several 笔录 fields at once (what the inputs do one by one)."""
        return self._call(lambda s: update_record(s, self._id, user=self._user, **fields),
                          "未能保存笔录")

    # ----- workflow --------------------------------------------------------------------------

    def _call(self, fn: Callable[[Any], Any], title: str, *, changed: bool = False) -> bool:
        try:
            with self._ctx.db.session() as s:
                fn(s)
        except InspectionError as exc:
            messages.error(self, str(exc), title=title)
            return False
        self.reload()
        if changed:
            self.statusChanged.emit()
        return True

    def complete(self, unchecked_reason: str | None = None) -> bool:
        """Complete the record. Items still unanswered are listed first: the inspector goes
        back to them, or records them as 未检查 with the reason (``unchecked_reason``)."""
        self._before()
        reason = unchecked_reason
        while True:
            try:
                with self._ctx.db.session() as s:
                    complete_inspection(s, self._id, user=self._user, unchecked_reason=reason)
            except UncheckedItems as exc:
                if reason:  # said once; the service still refuses: nothing more to ask
                    messages.error(self, str(exc), title="还不能完成检查")
                    return False
                reason = self.ask_unchecked_reason(exc.items)
                if not reason:
                    if exc.items:
                        self.goToItem.emit(exc.items[0][0])
                    return False
                continue
            except InspectionError as exc:
                messages.error(self, str(exc), title="还不能完成检查")
                return False
            break
        self.reload()
        self.statusChanged.emit()
        return True

    def ask_unchecked_reason(self, items: list[tuple[str, str]]) -> str | None:
        """The dialog listing the unanswered items (a seam tests replace): the reason they were
        not checked, or None to go back and check them."""
        from gui.dialogs.unchecked import UncheckedDialog

        dialog = UncheckedDialog(items, self)
        try:
            return dialog.reason() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def issue_notices(self) -> list[Any]:
        """开具整改文书 for this inspection: the proposals, officers and unit filled in."""
        from gui.dialogs.notice_issue import IssueNoticesDialog

        self._before()
        issued = IssueNoticesDialog.ask(self, self._ctx.db, self._id)
        if issued:
            self._ctx.events.rectificationChanged.emit()
        return issued

    def print_record(self) -> None:
        """The 现场检查笔录 of this inspection, previewed in 报告 (print, save, Word there)."""
        self._before()
        self._ctx.events.openPage.emit("reports", {"kind": "record", "inspection": self._id})

    def export_package(self) -> None:
        """The export dialog of 数据交换, offering just this inspection."""
        self._before()
        self._ctx.events.openPage.emit("exchange", {"export_inspection": self._id})

    def reopen(self) -> bool:
        if self.record and self.record.signatures and not messages.confirm(
                self, "退回草稿后，已有的签名将作废，需要重新签名。确定退回？", ok="退回草稿"):
            return False
        return self._call(lambda s: reopen_inspection(s, self._id, user=self._user),
                          "未能退回草稿", changed=True)

    def lock(self) -> bool:
        if not messages.confirm(
                self, "签名确认后本记录锁定：检查结果、笔录和签名都不能再修改；"
                      "如需更正，只能另立新版本并说明理由。确定签名确认并锁定？",
                title="签名确认", ok="签名确认并锁定"):
            return False
        return self._call(lambda s: sign_inspection(s, self._id, user=self._user),
                          "还不能签名确认", changed=True)

    def store_signature(self, role: str, name: str, png: bytes) -> bool:
        return self._call(lambda s: add_signature(s, self._id, role=role, name=name, png=png,
                                                  store_root=self._root, user=self._user),
                          "未能保存签名", changed=True)

    def store_refusal(self, *, name: str, witness_name: str, witness_id: str,
                      reason: str | None = None, witness_png: bytes | None = None) -> bool:
        return self._call(lambda s: record_refusal(
            s, self._id, name=name, witness_name=witness_name, witness_id=witness_id,
            reason=reason, witness_png=witness_png, store_root=self._root, user=self._user),
            "未能记录拒签", changed=True)

    def sign_officer(self) -> None:
        rec = self.record
        if rec is None:
            return
        signed = {s.name for s in rec.signatures if s.role == ROLE_OFFICER}
        names = [o.name for o in rec.officers if o.name not in signed]
        if not names:
            messages.info(self, "检查人员都已签名。")
            return
        got = SignatureDialog.ask(self, ROLE_OFFICER, names, fixed_name=True)
        if got is not None:
            self.store_signature(ROLE_OFFICER, *got)

    def sign_party(self) -> None:
        rec = self.record
        if rec is None:
            return
        got = SignatureDialog.ask(self, ROLE_PARTY, [rec.party_name] if rec.party_name else [])
        if got is not None:
            self.store_signature(ROLE_PARTY, *got)

    def refuse(self) -> None:
        rec = self.record
        if rec is None:
            return
        got = RefusalDialog.ask(self, rec.party_name or "")
        if got is not None:
            self.store_refusal(**got)  # type: ignore[arg-type]

    def amend(self) -> None:
        reason, ok = QInputDialog.getText(self, "制作更正版本",
                                          "更正理由（将记入更正版本，原签名版本保留）：")
        if ok:
            self.make_amendment(reason)

    def make_amendment(self, reason: str) -> int | None:
        try:
            with self._ctx.db.session() as s:
                new = amend_inspection(s, self._id, reason=reason, user=self._user)
        except InspectionError as exc:
            messages.error(self, str(exc), title="未能制作更正版本")
            return None
        self.reload()
        self.amended.emit(new.id)
        return new.id
