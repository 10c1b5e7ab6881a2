"""开具整改文书: pick a completed inspection, review the documents its findings call for, issue.

The proposals come from :func:`services.notice_issue.propose_notices` (kind per department and
obligation, as data); each proposal is one document and can be left out. All checked documents
are issued in one transaction: either every one gets its number, or none does.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.dialogs import dialog_buttons
from models.db import Database
from rules.china_time import today as china_today
from rules.workdays import MODE_LABELS
from services.notice_issue import (
    ProposedNotice,
    candidate_inspections,
    issue_blocker,
    issue_notice,
    propose_notices,
)
from services.notice_queries import NoticeError, NoticeInfo
from services.numbering import NumberingError
from services.officers import officer_names


def date_edit(day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    d = day or china_today()
    edit.setDate(QDate(d.year, d.month, d.day))
    return edit


def edit_date(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def names(text: str) -> list[str]:
    """Officers typed as 张三、李四 or 张三,李四."""
    for sep in ("，", ",", " ", "；", ";"):
        text = text.replace(sep, "、")
    return [n for n in (p.strip() for p in text.split("、")) if n]


class IssueNoticesDialog(QDialog):
    def __init__(self, db: Database, inspection_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.issued: list[NoticeInfo] = []
        self._proposals: list[ProposedNotice] = []
        self.setWindowTitle("开具整改文书")
        self.resize(760, 560)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("输入单位名称筛选检查记录")
        self.search_edit.textChanged.connect(self._fill_inspections)
        self.inspection_combo = QComboBox()
        self.inspection_combo.currentIndexChanged.connect(self._propose)
        self.issued_on_edit = date_edit()
        self.issued_by_edit = QLineEdit()
        self.issued_by_edit.setPlaceholderText("执法人员姓名，用顿号分隔，如：张三、李四")
        self.proposal_tree = QTreeWidget()
        self.proposal_tree.setHeaderLabels(["文书 / 存在问题（双击修改）",
                                            "主管部门 / 整改要求（双击修改）", "整改期限 / 结果"])
        self.proposal_tree.setColumnWidth(0, 330)
        self.proposal_tree.setColumnWidth(1, 280)
        self.proposal_tree.setEditTriggers(QTreeWidget.EditTrigger.DoubleClicked
                                           | QTreeWidget.EditTrigger.EditKeyPressed
                                           | QTreeWidget.EditTrigger.SelectedClicked)
        self.proposal_tree.setWordWrap(True)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("pageSubtitle")
        self.button_box, self.issue_button, self.cancel_button = dialog_buttons(self, "开具")
        self.issue_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("检查记录", self.search_edit)
        form.addRow("", self.inspection_combo)
        form.addRow("开具日期", self.issued_on_edit)
        form.addRow("执法人员", self.issued_by_edit)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(QLabel("按主管部门和义务类型建议开具的文书（可取消勾选）："))
        box.addWidget(self.proposal_tree, 1)
        box.addWidget(self.hint_label)
        box.addWidget(self.button_box)
        self._wanted = inspection_id
        self._auto_officers = ""  # the names filled in from the chosen inspection
        self._fill_inspections()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database,
            inspection_id: int | None = None) -> list[NoticeInfo]:
        dialog = cls(db, inspection_id, parent)
        try:
            dialog.exec()
            return dialog.issued
        finally:
            dialog.deleteLater()

    def proposals(self) -> list[ProposedNotice]:
        return list(self._proposals)

    def set_checked(self, index: int, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        item = self.proposal_tree.topLevelItem(index)
        if item is not None:
            item.setCheckState(0, state)

    def set_item_texts(self, notice_index: int, item_index: int, *,
                       problem: str | None = None, requirement: str | None = None) -> None:
        """Edit one finding's 存在问题 / 整改要求 as the user would in the tree."""
        top = self.proposal_tree.topLevelItem(notice_index)
        child = top.child(item_index) if top is not None else None
        if child is None:
            return
        if problem is not None:
            child.setText(0, problem)
        if requirement is not None:
            child.setText(1, requirement)

    def item_texts(self, notice_index: int) -> tuple[dict[int, str], dict[int, str]]:
        """(存在问题, 整改要求) by finding id, as shown (and edited) in the tree."""
        problems: dict[int, str] = {}
        wanted: dict[int, str] = {}
        top = self.proposal_tree.topLevelItem(notice_index)
        for i in range(top.childCount() if top is not None else 0):
            child = top.child(i)  # type: ignore[union-attr]
            fid = int(child.data(0, Qt.ItemDataRole.UserRole))
            problems[fid], wanted[fid] = child.text(0), child.text(1)
        return problems, wanted

    def _fill_inspections(self) -> None:
        with self._db.session() as session:
            rows = candidate_inspections(session, search=self.search_edit.text())
        self.inspection_combo.blockSignals(True)
        self.inspection_combo.clear()
        for c in rows:
            self.inspection_combo.addItem(c.label, c.inspection_id)
        if self._wanted is not None:
            at = self.inspection_combo.findData(self._wanted)
            if at >= 0:
                self.inspection_combo.setCurrentIndex(at)
        self.inspection_combo.blockSignals(False)
        self._propose()

    def _propose(self) -> None:
        self.proposal_tree.clear()
        iid = self.inspection_combo.currentData()
        self._proposals = []
        self.blocker: str | None = None
        if iid is not None:
            try:
                with self._db.session() as session:
                    self.blocker = issue_blocker(session, int(iid))
                    if self.blocker is None:
                        self._proposals = propose_notices(session, int(iid))
                    officers = "、".join(officer_names(session, int(iid)))
            except NoticeError as exc:
                self.blocker = str(exc)
            else:
                # the inspection's officers, unless the user typed other names
                if self.issued_by_edit.text().strip() in ("", self._auto_officers):
                    self.issued_by_edit.setText(officers)
                    self._auto_officers = officers
        for p in self._proposals:
            days = ("立即改正" if p.deadline_mode == "immediate" else "—" if p.deadline_mode
                    == "none" else f"送达后 {p.deadline_days} 个{MODE_LABELS[p.deadline_mode]}")
            kind = ("（移送主管部门处理并反馈）" if p.is_referral
                    else "" if p.is_order else "（建议，不具强制力）")
            top = QTreeWidgetItem([f"{p.title}{kind}", p.department, days])
            top.setToolTip(0, f"主送：{p.addressee}")
            top.setCheckState(0, Qt.CheckState.Checked)
            for item in p.items:
                child = QTreeWidgetItem([item.problem, item.requirement, item.result])
                child.setData(0, Qt.ItemDataRole.UserRole, item.finding_id)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsEditable)
                child.setToolTip(0, f"{item.item_code} {item.question}\n违反：{item.provision}")
                child.setToolTip(1, f"违反：{item.provision}")
                top.addChild(child)
            self.proposal_tree.addTopLevelItem(top)
            top.setExpanded(True)
        if self.blocker:
            self.hint_label.setText(f"<span style='color:#b91c1c'>{self.blocker}</span>")
        elif iid is None:
            self.hint_label.setText("没有已完成且有不符合项的检查记录。")
        elif not self._proposals:
            self.hint_label.setText("这次检查的不符合项都已开具文书。")
        else:
            self.hint_label.setText("本机关职责内的法定义务、规范义务出具责令（指令）类文书；其他部门"
                                    "职责内的问题出具移送函；推荐标准、鼓励性条目只出具建议书。"
                                    "文号从本机预留号段中依次取用。")
        self.issue_button.setEnabled(bool(self._proposals))

    def save(self) -> None:
        iid = self.inspection_combo.currentData()
        chosen = [p for i, p in enumerate(self._proposals)
                  if (top := self.proposal_tree.topLevelItem(i)) is not None
                  and top.checkState(0) == Qt.CheckState.Checked]
        if iid is None or not chosen:
            messages.warning(self, "请至少勾选一份文书。", title="无法开具")
            return
        unverified = [i for p in chosen for i in p.items if i.article_unverified]
        if unverified and not messages.confirm(
                self, f"有 {len(unverified)} 项问题的依据只核实到法规或标准名称，未核实到具体条款："
                + "；".join(i.question.rstrip("？?") for i in unverified[:5])
                + ("等" if len(unverified) > 5 else "")
                + "。文书中将只写法规或标准名称及文号，不写条款。仍要开具吗？",
                title="依据未核实到条款", ok="仍然开具"):
            return
        texts = {p.kind_code + p.department: self.item_texts(i)
                 for i, p in enumerate(self._proposals)}
        try:
            with self._db.session() as session:
                self.issued = [
                    issue_notice(session, inspection_id=int(iid), kind_code=p.kind_code,
                                 finding_ids=p.finding_ids,
                                 issued_on=edit_date(self.issued_on_edit),
                                 issued_by=names(self.issued_by_edit.text()),
                                 item_problems=texts[p.kind_code + p.department][0],
                                 item_requirements=texts[p.kind_code + p.department][1])
                    for p in chosen]
        except (NoticeError, NumberingError) as exc:
            self.issued = []
            messages.warning(self, str(exc), title="无法开具")
            return
        self.accept()
