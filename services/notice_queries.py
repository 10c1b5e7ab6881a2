"""Reading rectification notices: plain dataclasses for the board, the CLI and reports.

The board's filter includes 逾期, which is not a stored status: a notice is overdue on a day
when it has been served, no 整改报告 has come in and its deadline has passed, or when its
recheck failed and no further order, 立案 or 移送 has followed yet (逾期待处理, counted from the
failed recheck). A recheck is late when it has not happened within the set number of working
days after the deadline (:func:`recheck_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from checklists.notice_types import notice_types
from models.held import get_held
from models.rectification import (
    Notice,
    NoticeAttachment,
    NoticeExtension,
    NoticeItem,
    Recheck,
    RectificationReport,
)
from rules.china_time import today as china_today
from rules.notice_status import (
    ANSWERED,
    CLOSED,
    FAILED,
    ISSUED,
    OPEN_STATUSES,
    PASSED,
    REFERRAL_STATUS_LABELS,
    REFERRED,
    REORDERED,
    REPORTED,
    SERVED,
    STATUS_LABELS,
    is_overdue,
)
from rules.workdays import add_working_days
from services import notice_counts as counts
from services.settings import get_setting

RECHECK_WINDOW = "recheck_window_workdays"  # setting: working days after the deadline
OVERDUE = "overdue"  # board filter only
#: A reported order whose recheck is past its time limit: the office's step, not the unit's.
RECHECK_LATE = "复查超期"
FILTERS = {
    "all": "全部", ISSUED: "待送达", SERVED: "整改中", OVERDUE: "逾期", REPORTED: "待复查",
    PASSED: "复查合格待销号", "failed": "复查未通过", CLOSED: "已销号", REFERRED: "移送立案",
    REORDERED: "已再次责令", ANSWERED: "移送已反馈",
    # every notice still being followed (advice and 移送函 too); the 督查通报's 未办结 counts
    # orders only, so the board does not use that word
    "open": "待跟进",
    "recheck_late": RECHECK_LATE,
}
AWAITING_ACTION = "逾期待处理"  # failed recheck, no further order / 立案 / 移送 yet


class NoticeError(ValueError):
    """A rectification step is not allowed as asked. The message is Chinese."""


@dataclass(frozen=True)
class NoticeInfo:
    id: int
    uuid: str
    doc_number: str
    kind_code: str
    title: str
    is_order: bool
    department: str
    entity_id: int
    addressee: str
    inspection_id: int | None
    parent_id: int | None
    status: str
    issued_on: date
    issued_by: tuple[str, ...]
    served_on: date | None
    service_method: str | None
    deadline_mode: str
    deadline_days: int
    deadline: date | None
    deadline_note: str | None
    escalation: str | None
    closed_on: date | None
    item_count: int
    demo: bool
    unit_name: str = ""  # the inspected unit (``addressee`` is the department for a 移送函)
    is_referral: bool = False
    failed_on: date | None = None  # latest failed recheck, while 复查未通过
    feedback_on: date | None = None
    legal_basis_verified: bool = False
    #: the last day the office's recheck is on time, for an order awaiting it (None when not
    #: known: no deadline, or read without the recheck window)
    recheck_due: date | None = None

    @property
    def status_label(self) -> str:
        if self.is_referral and self.status in REFERRAL_STATUS_LABELS:
            return REFERRAL_STATUS_LABELS[self.status]
        return STATUS_LABELS.get(self.status, self.status)

    def is_overdue(self, as_of: date) -> bool:
        """An order past the deadline without a report, or whose recheck failed and awaits
        action (rules.notice_status.is_overdue: advice and 移送函 never are)."""
        return is_overdue(self.status, self.deadline, as_of,
                          is_order=self.is_order and not self.is_referral)

    def awaiting_action_days(self, as_of: date) -> int | None:
        """Days since the failed recheck while nothing has followed it; None otherwise."""
        if self.status != FAILED or self.failed_on is None:
            return None
        return max(0, (as_of - self.failed_on).days)

    def recheck_days_late(self, as_of: date) -> int | None:
        """Days the office's recheck of a reported order is past its time limit (复查超期): the
        unit has reported, the recheck is the office's to make. None when not late."""
        if self.status != REPORTED or self.recheck_due is None or self.recheck_due >= as_of:
            return None
        return (as_of - self.recheck_due).days

    def days_left(self, as_of: date) -> int | None:
        """Calendar days to the deadline (negative when overdue); None without one."""
        if self.deadline is None or self.status != SERVED:
            return None
        return (self.deadline - as_of).days

    def board_label(self, as_of: date) -> str:
        if self.status == FAILED:
            # advice (建议书, 督查反馈意见) binds no one: nothing is overdue, it awaits a decision
            from checklists.notice_types import notice_types

            kind = notice_types().kinds.get(self.kind_code)
            return "复查未通过" if kind is not None and kind.klass == "advice" else AWAITING_ACTION
        if self.recheck_days_late(as_of) is not None:
            return RECHECK_LATE
        return "逾期" if self.is_overdue(as_of) else self.status_label


@dataclass(frozen=True)
class ItemInfo:
    id: int
    uuid: str
    finding_id: int | None
    item_code: str
    question: str
    result: str
    obligation: str
    provision: str
    requirement: str
    note: str | None
    recheck_result: str | None
    problem: str = ""  # 存在问题


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    requested_on: date
    reason: str
    requested_deadline: date | None
    decision: str
    decided_on: date | None
    decided_by: str | None
    old_deadline: date | None
    new_deadline: date | None


@dataclass(frozen=True)
class ReportInfo:
    id: int
    received_on: date
    summary: str
    submitted_by: str | None
    files: tuple[str, ...]  # original names


@dataclass(frozen=True)
class RecheckInfo:
    id: int
    checked_on: date
    inspectors: tuple[str, ...]
    passed: bool
    note: str | None
    late: bool
    doc_number: str | None = None  # the 复查意见书's number


@dataclass(frozen=True)
class HistoryStep:
    """One recorded step of a notice (开具, 送达, 延期, 整改报告, 复查, 销号, 移送, 反馈 …)."""

    day: date
    step: str  # 开具 送达 延期申请 延期决定 整改报告 复查 销号 立案 移送 再次责令 反馈
    text: str


@dataclass(frozen=True)
class NoticeDetail:
    notice: NoticeInfo
    legal_basis: tuple[str, ...]
    requirement: str | None
    items: tuple[ItemInfo, ...]
    extensions: tuple[ExtensionInfo, ...]
    reports: tuple[ReportInfo, ...]
    rechecks: tuple[RecheckInfo, ...]
    recheck_due: date | None
    escalation_note: str | None
    history: tuple[HistoryStep, ...] = ()
    legal_basis_verified: bool = False
    org_name: str = ""
    service_refused: bool = False
    service_refusal: str | None = None
    service_witnesses: tuple[str, ...] = ()
    feedback_text: str | None = None


@dataclass(frozen=True)
class OverdueInfo:
    notice: NoticeInfo
    reason: str  # 整改逾期 | 整改逾期、复查超期 | 复查超期 | 逾期待处理 (failed recheck)
    due: date
    days_over: int


def recheck_window(session: Session) -> int:
    value = get_setting(session, RECHECK_WINDOW)
    return int(value) if value else notice_types().recheck_window_workdays


def recheck_due(deadline: date | None, window: int) -> date | None:
    """The last day a recheck is on time: ``window`` working days after the deadline."""
    return None if deadline is None else add_working_days(deadline, window)


def _referral_codes() -> set[str]:
    return {k.code for k in notice_types().kinds.values() if k.is_referral}


def notice_info(row: Notice, item_count: int, failed_on: date | None = None,
                window: int | None = None) -> NoticeInfo:
    """The notice as the board and reports read it; with the recheck ``window`` (working
    days), the recheck's time limit of an order awaiting it."""
    referral = row.kind_code in _referral_codes()
    due = (recheck_due(row.deadline, window)
           if window is not None and row.is_order and not referral
           and row.status in (SERVED, REPORTED) else None)
    return NoticeInfo(
        row.id, row.uuid, row.doc_number, row.kind_code, row.title, bool(row.is_order),
        row.department, row.entity_id, row.addressee, row.inspection_id, row.parent_id,
        row.status, row.issued_on, tuple(row.issued_by or ()), row.served_on,
        row.service_method, row.deadline_mode, row.deadline_days, row.deadline,
        row.deadline_note, row.escalation, row.closed_on, item_count, bool(row.demo),
        row.unit_name or row.addressee, referral,
        failed_on if row.status == FAILED else None, row.feedback_on,
        bool(row.legal_basis_verified), due)


def get_notice(session: Session, notice_id: int) -> NoticeInfo:
    row = load_notice(session, notice_id)
    failed = _failed_on(session, [row.id]) if row.status == FAILED else {}
    return notice_info(row, _item_count(session, notice_id), failed.get(row.id),
                       recheck_window(session))


def _failed_on(session: Session, ids: list[int]) -> dict[int, date]:
    """The day of the latest failed recheck of each notice."""
    if not ids:
        return {}
    rows = session.execute(select(Recheck.notice_id, func.max(Recheck.checked_on))
                           .where(Recheck.notice_id.in_(ids), Recheck.passed.is_(False))
                           .group_by(Recheck.notice_id))
    return {int(n): d for n, d in rows if d is not None}


def load_notice(session: Session, notice_id: int) -> Notice:
    row = get_held(session, Notice, notice_id)
    if row is None:
        raise NoticeError(f"找不到整改文书（编号 {notice_id}）")
    return row


def late_recheck_cutoff(as_of: date, window: int) -> date:
    """The last deadline whose recheck is late on ``as_of``: the recheck's time limit
    (``window`` working days after the deadline) grows with the deadline, so a reported order
    is 复查超期 exactly when its deadline is on or before this day."""
    day = as_of - timedelta(days=1)
    for _ in range(400):  # a window of working days spans far fewer calendar days
        due = recheck_due(day, window)
        if due is not None and due < as_of:
            return day
        day -= timedelta(days=1)
    return day


def late_recheck_clause(as_of: date, window: int) -> ColumnElement[bool]:
    """A reported order whose recheck is past its time limit on ``as_of`` (复查超期)."""
    return and_(counts.order(), Notice.status == REPORTED,
                Notice.deadline <= late_recheck_cutoff(as_of, window))


def _filtered(query: Select[Any], status: str | None, as_of: date,
              entity_id: int | None, inspection_id: int | None,
              search: str | None, window: int | None = None) -> Select[Any]:
    if status in (None, "", "all"):
        pass
    elif status == OVERDUE:
        query = query.where(_overdue_clause(as_of))
    elif status == "recheck_late":
        query = query.where(late_recheck_clause(as_of, window if window is not None else
                                                notice_types().recheck_window_workdays))
    elif status == "open":
        query = query.where(Notice.status.in_(OPEN_STATUSES))
    elif status == SERVED:
        query = query.where(Notice.status == SERVED, ~_overdue_clause(as_of))
    elif status in STATUS_LABELS:
        query = query.where(Notice.status == status)
    else:
        raise NoticeError(f"未知的文书状态：{status}")
    if entity_id is not None:
        query = query.where(Notice.entity_id == entity_id)
    if inspection_id is not None:
        query = query.where(Notice.inspection_id == inspection_id)
    if search:
        like = f"%{search.strip()}%"
        # the unit inspected as well as the addressee (a 移送函 is addressed to a department)
        query = query.where(Notice.addressee.ilike(like) | Notice.unit_name.ilike(like)
                            | Notice.doc_number.ilike(like))
    return query


def _overdue_clause(as_of: date) -> ColumnElement[bool]:
    return counts.overdue(as_of)


def count_notices(session: Session, *, status: str | None = None, as_of: date | None = None,
                  entity_id: int | None = None, inspection_id: int | None = None,
                  search: str | None = None) -> int:
    query = _filtered(select(Notice), status, as_of or china_today(), entity_id, inspection_id,
                      search, recheck_window(session))
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def list_notices(session: Session, *, status: str | None = None, as_of: date | None = None,
                 entity_id: int | None = None, inspection_id: int | None = None,
                 search: str | None = None, offset: int = 0,
                 limit: int | None = None) -> list[NoticeInfo]:
    """Notices, open ones by deadline first, then the rest newest first.

    ``status`` is a stored status, or ``overdue`` / ``open`` / ``all`` (see ``FILTERS``);
    ``served`` then means served and not overdue on ``as_of``.
    """
    query = _filtered(select(Notice), status, as_of or china_today(), entity_id, inspection_id,
                      search, recheck_window(session))
    is_open = Notice.status.in_(OPEN_STATUSES)
    query = query.order_by(is_open.desc(), Notice.deadline.is_(None), Notice.deadline,
                           Notice.issued_on.desc(), Notice.id.desc())
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows: list[Notice] = list(session.scalars(query))
    counts = _item_counts(session, [r.id for r in rows])
    failed = _failed_on(session, [r.id for r in rows if r.status == FAILED])
    window = recheck_window(session)
    return [notice_info(r, counts.get(r.id, 0), failed.get(r.id), window) for r in rows]


def overdue_notices(session: Session, as_of: date) -> list[OverdueInfo]:
    """Served notices past their deadline without a report (整改逾期); notices whose
    recheck is late: report in or deadline passed, and the recheck window over (复查超期);
    and notices whose recheck failed with nothing after it yet (逾期待处理, ``due`` is the
    failed recheck's day and ``days_over`` the days since)."""
    window = recheck_window(session)
    out: list[OverdueInfo] = []
    rows = session.scalars(select(Notice).where(Notice.status.in_((SERVED, REPORTED)),
                                                Notice.deadline.is_not(None),
                                                Notice.deadline < as_of)
                           .order_by(Notice.deadline, Notice.id))
    rows_list = list(rows)
    counts = _item_counts(session, [r.id for r in rows_list])
    for row in rows_list:
        info = notice_info(row, counts.get(row.id, 0), window=window)
        assert row.deadline is not None
        due = recheck_due(row.deadline, window)
        assert due is not None
        if row.status == SERVED:  # no report by the deadline
            reason = "整改逾期、复查超期" if due < as_of else "整改逾期"
            out.append(OverdueInfo(info, reason, row.deadline, (as_of - row.deadline).days))
        elif due < as_of:
            out.append(OverdueInfo(info, "复查超期", due, (as_of - due).days))
    failed_rows = list(session.scalars(select(Notice).where(Notice.status == FAILED)
                                       .order_by(Notice.id)))
    ids = [r.id for r in failed_rows]
    failed_on, counts = _failed_on(session, ids), _item_counts(session, ids)
    for row in failed_rows:
        day = failed_on.get(row.id) or row.issued_on
        out.append(OverdueInfo(notice_info(row, counts.get(row.id, 0), day), AWAITING_ACTION,
                               day, max(0, (as_of - day).days)))
    return out


def notice_detail(session: Session, notice_id: int) -> NoticeDetail:
    row = load_notice(session, notice_id)
    items = tuple(ItemInfo(i.id, i.uuid, i.finding_id, i.item_code, i.question, i.result,
                           i.obligation, i.provision, i.requirement, i.note, i.recheck_result,
                           i.problem or i.note or "")
                  for i in session.scalars(select(NoticeItem).where(NoticeItem.notice_id
                                                                    == notice_id)
                                           .order_by(NoticeItem.position)))
    exts = tuple(ExtensionInfo(e.id, e.requested_on, e.reason, e.requested_deadline, e.decision,
                               e.decided_on, e.decided_by, e.old_deadline, e.new_deadline)
                 for e in session.scalars(select(NoticeExtension)
                                          .where(NoticeExtension.notice_id == notice_id)
                                          .order_by(NoticeExtension.id)))
    reports = []
    for r in session.scalars(select(RectificationReport)
                             .where(RectificationReport.notice_id == notice_id)
                             .order_by(RectificationReport.id)):
        files = tuple(session.scalars(select(NoticeAttachment.original_name)
                                      .where(NoticeAttachment.report_id == r.id)
                                      .order_by(NoticeAttachment.id)))
        reports.append(ReportInfo(r.id, r.received_on, r.summary, r.submitted_by, files))
    checks = tuple(RecheckInfo(c.id, c.checked_on, tuple(c.inspectors or ()), bool(c.passed),
                               c.note, bool(c.late), c.doc_number)
                   for c in session.scalars(select(Recheck).where(Recheck.notice_id == notice_id)
                                            .order_by(Recheck.id)))
    failed = next((c.checked_on for c in reversed(checks) if not c.passed), None)
    children = list(session.execute(select(Notice.issued_on, Notice.doc_number)
                                    .where(Notice.parent_id == notice_id).order_by(Notice.id)))
    history = _history(row, exts, tuple(reports), checks,
                       [(d, str(n)) for d, n in children])
    window = recheck_window(session)
    return NoticeDetail(notice_info(row, len(items), failed, window),
                        tuple(row.legal_basis or ()),
                        row.requirement, items, exts, tuple(reports), checks,
                        recheck_due(row.deadline, window),
                        row.escalation_note, history, bool(row.legal_basis_verified),
                        row.org_name, bool(row.service_refused), row.service_refusal,
                        tuple(row.service_witnesses or ()), row.feedback_text)


def _history(row: Notice, exts: tuple[ExtensionInfo, ...], reports: tuple[ReportInfo, ...],
             checks: tuple[RecheckInfo, ...],
             children: list[tuple[date, str]]) -> tuple[HistoryStep, ...]:
    """Every recorded step, oldest first (same-day steps in the order they happen)."""
    steps: list[HistoryStep] = []
    who = "、".join(row.issued_by or ())
    issued = f"《{row.title}》{row.doc_number}" + (f"（{who}）" if who else "")
    steps.append(HistoryStep(row.issued_on, "开具", issued))
    if row.served_on is not None:
        text = f"{row.service_method or '送达'}"
        if row.service_recipient:
            text += f"，受送达人 {row.service_recipient}"
        if row.service_refused:
            text += f"，拒收（{row.service_refusal or '拒绝签收'}）"
            if row.service_witnesses:
                text += f"，见证人 {'、'.join(row.service_witnesses)}"
        steps.append(HistoryStep(row.served_on, "送达", text))
    for x in exts:
        steps.append(HistoryStep(x.requested_on, "延期申请", x.reason))
        if x.decided_on is not None:
            until = f"，延至 {x.new_deadline:%Y-%m-%d}" if x.new_deadline else ""
            steps.append(HistoryStep(x.decided_on, "延期决定", f"{x.decision}{until}"))
    for r in reports:
        files = f"（附件 {len(r.files)} 个）" if r.files else ""
        steps.append(HistoryStep(r.received_on, "整改报告", f"{r.summary}{files}"))
    for c in checks:
        text = f"{'合格' if c.passed else '未通过'}（{'、'.join(c.inspectors)}）"
        if c.doc_number:
            text += f"，复查意见书 {c.doc_number}"
        if c.late:
            text += "，超过复查时限"
        steps.append(HistoryStep(c.checked_on, "复查", text))
    for day, number in children:
        steps.append(HistoryStep(day, "再次责令", number))
    if row.escalation and row.escalated_on is not None:
        steps.append(HistoryStep(row.escalated_on, row.escalation,
                                 f"决定{row.escalation}" + (f"：{row.escalation_note}"
                                                           if row.escalation_note else "")))
    if row.feedback_on is not None:
        steps.append(HistoryStep(row.feedback_on, "反馈",
                                 f"{row.addressee}反馈：{row.feedback_text or ''}"))
    if row.closed_on is not None:
        steps.append(HistoryStep(row.closed_on, "销号", row.closed_by or ""))
    ranked = sorted(enumerate(steps), key=lambda pair: (pair[1].day, pair[0]))
    return tuple(step for _i, step in ranked)


def open_notices_for_entity(session: Session, entity_id: int) -> list[NoticeInfo]:
    """Open notices of one unit (for 回头看)."""
    return list_notices(session, status="open", entity_id=entity_id)


def _item_count(session: Session, notice_id: int) -> int:
    return int(session.scalar(select(func.count(NoticeItem.id))
                              .where(NoticeItem.notice_id == notice_id)) or 0)


def _item_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(NoticeItem.notice_id, func.count(NoticeItem.id))
                           .where(NoticeItem.notice_id.in_(ids))
                           .group_by(NoticeItem.notice_id))
    return {int(n): int(c) for n, c in rows}


def as_json(n: NoticeInfo, as_of: date) -> dict[str, object]:
    """A notice for ``notices --json``."""
    def d(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "id": n.uuid, "doc_number": n.doc_number, "kind": n.kind_code, "title": n.title,
        "is_order": n.is_order, "department": n.department, "addressee": n.addressee,
        "status": n.status, "status_label": n.board_label(as_of), "issued_on": d(n.issued_on),
        "served_on": d(n.served_on), "service_method": n.service_method,
        "deadline_mode": n.deadline_mode, "deadline_days": n.deadline_days,
        "deadline": d(n.deadline), "deadline_note": n.deadline_note,
        "days_left": n.days_left(as_of), "overdue": n.is_overdue(as_of),
        "escalation": n.escalation, "closed_on": d(n.closed_on), "items": n.item_count,
        "parent_id": n.parent_id, "demo": n.demo, "unit": n.unit_name,
        "referral": n.is_referral, "feedback_on": d(n.feedback_on),
        "awaiting_action_days": n.awaiting_action_days(as_of),
        "recheck_due": d(n.recheck_due), "recheck_days_late": n.recheck_days_late(as_of),
    }
