"""Reading rectification notices: plain dataclasses for the board, the CLI and reports.

The board's filter includes 逾期, which is not a stored status: a notice is overdue on a day
when it has been served, no 整改报告 has come in and its deadline has passed. A recheck is late
when it has not happened within the set number of working days after the deadline
(:func:`recheck_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from checklists.notice_types import notice_types
from models.rectification import (
    CLOSED,
    ISSUED,
    OPEN_STATUSES,
    PASSED,
    REFERRED,
    REORDERED,
    REPORTED,
    SERVED,
    STATUS_LABELS,
    Notice,
    NoticeAttachment,
    NoticeExtension,
    NoticeItem,
    Recheck,
    RectificationReport,
)
from models.settings import get_setting
from models.workdays import add_working_days

RECHECK_WINDOW = "recheck_window_workdays"  # setting: working days after the deadline
OVERDUE = "overdue"  # board filter only
FILTERS = {
    "all": "全部", ISSUED: "待送达", SERVED: "整改中", OVERDUE: "逾期", REPORTED: "待复查",
    PASSED: "复查合格待销号", "failed": "复查未通过", CLOSED: "已销号", REFERRED: "移送立案",
    REORDERED: "已再次责令", "open": "未办结",
}


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

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def is_overdue(self, as_of: date) -> bool:
        return self.status == SERVED and self.deadline is not None and self.deadline < as_of

    def days_left(self, as_of: date) -> int | None:
        """Calendar days to the deadline (negative when overdue); None without one."""
        if self.deadline is None or self.status != SERVED:
            return None
        return (self.deadline - as_of).days

    def board_label(self, as_of: date) -> str:
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


@dataclass(frozen=True)
class OverdueInfo:
    notice: NoticeInfo
    reason: str  # 整改逾期 | 整改逾期、复查超期 | 复查超期
    due: date
    days_over: int


def recheck_window(session: Session) -> int:
    value = get_setting(session, RECHECK_WINDOW)
    return int(value) if value else notice_types().recheck_window_workdays


def recheck_due(deadline: date | None, window: int) -> date | None:
    """The last day a recheck is on time: ``window`` working days after the deadline."""
    return None if deadline is None else add_working_days(deadline, window)


def notice_info(row: Notice, item_count: int) -> NoticeInfo:
    return NoticeInfo(
        row.id, row.uuid, row.doc_number, row.kind_code, row.title, bool(row.is_order),
        row.department, row.entity_id, row.addressee, row.inspection_id, row.parent_id,
        row.status, row.issued_on, tuple(row.issued_by or ()), row.served_on,
        row.service_method, row.deadline_mode, row.deadline_days, row.deadline,
        row.deadline_note, row.escalation, row.closed_on, item_count, bool(row.demo))


def get_notice(session: Session, notice_id: int) -> NoticeInfo:
    return notice_info(load_notice(session, notice_id), _item_count(session, notice_id))


def load_notice(session: Session, notice_id: int) -> Notice:
    row = session.get(Notice, notice_id)
    if row is None:
        raise NoticeError(f"找不到整改文书（编号 {notice_id}）")
    return row


def _filtered(query: Select[Any], status: str | None, as_of: date,
              entity_id: int | None, inspection_id: int | None,
              search: str | None) -> Select[Any]:
    if status in (None, "", "all"):
        pass
    elif status == OVERDUE:
        query = query.where(_overdue_clause(as_of))
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
        query = query.where(Notice.addressee.like(like) | Notice.doc_number.like(like))
    return query


def _overdue_clause(as_of: date) -> ColumnElement[bool]:
    return and_(Notice.status == SERVED, Notice.deadline.is_not(None), Notice.deadline < as_of)


def count_notices(session: Session, *, status: str | None = None, as_of: date | None = None,
                  entity_id: int | None = None, inspection_id: int | None = None,
                  search: str | None = None) -> int:
    query = _filtered(select(Notice), status, as_of or date.today(), entity_id, inspection_id,
                      search)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def list_notices(session: Session, *, status: str | None = None, as_of: date | None = None,
                 entity_id: int | None = None, inspection_id: int | None = None,
                 search: str | None = None, offset: int = 0,
                 limit: int | None = None) -> list[NoticeInfo]:
    """Notices, open ones by deadline first, then the rest newest first.

    ``status`` is a stored status, or ``overdue`` / ``open`` / ``all`` (see ``FILTERS``);
    ``served`` then means served and not overdue on ``as_of``.
    """
    query = _filtered(select(Notice), status, as_of or date.today(), entity_id, inspection_id,
                      search)
    is_open = Notice.status.in_(OPEN_STATUSES)
    query = query.order_by(is_open.desc(), Notice.deadline.is_(None), Notice.deadline,
                           Notice.issued_on.desc(), Notice.id.desc())
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows: list[Notice] = list(session.scalars(query))
    counts = _item_counts(session, [r.id for r in rows])
    return [notice_info(r, counts.get(r.id, 0)) for r in rows]


def overdue_notices(session: Session, as_of: date) -> list[OverdueInfo]:
    """Served notices past their deadline without a report (整改逾期), and notices whose
    recheck is late: report in or deadline passed, and the recheck window over (复查超期)."""
    window = recheck_window(session)
    out: list[OverdueInfo] = []
    rows = session.scalars(select(Notice).where(Notice.status.in_((SERVED, REPORTED)),
                                                Notice.deadline.is_not(None),
                                                Notice.deadline < as_of)
                           .order_by(Notice.deadline, Notice.id))
    rows_list = list(rows)
    counts = _item_counts(session, [r.id for r in rows_list])
    for row in rows_list:
        info = notice_info(row, counts.get(row.id, 0))
        assert row.deadline is not None
        due = recheck_due(row.deadline, window)
        assert due is not None
        if row.status == SERVED:  # no report by the deadline
            reason = "整改逾期、复查超期" if due < as_of else "整改逾期"
            out.append(OverdueInfo(info, reason, row.deadline, (as_of - row.deadline).days))
        elif due < as_of:
            out.append(OverdueInfo(info, "复查超期", due, (as_of - due).days))
    return out


def notice_detail(session: Session, notice_id: int) -> NoticeDetail:
    row = load_notice(session, notice_id)
    items = tuple(ItemInfo(i.id, i.uuid, i.finding_id, i.item_code, i.question, i.result,
                           i.obligation, i.provision, i.requirement, i.note, i.recheck_result)
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
                               c.note, bool(c.late))
                   for c in session.scalars(select(Recheck).where(Recheck.notice_id == notice_id)
                                            .order_by(Recheck.id)))
    return NoticeDetail(notice_info(row, len(items)), tuple(row.legal_basis or ()),
                        row.requirement, items, exts, tuple(reports), checks,
                        recheck_due(row.deadline, recheck_window(session)),
                        row.escalation_note)


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
        "parent_id": n.parent_id, "demo": n.demo,
    }
