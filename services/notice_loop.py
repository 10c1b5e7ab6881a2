"""The rectification loop after issue: 送达, 延期, 整改报告, 复查, 销号, and escalation.

    待送达 ─serve─▶ 整改中 ─report─▶ 待复查 ─recheck(pass)─▶ 复查合格待销号 ─close─▶ 已销号
    整改中 (after the deadline) or 待复查 ─recheck(fail)─▶ 复查未通过
    待复查 ─recheck(fail) before the deadline─▶ 整改中 (an order's period still runs)
    复查未通过 ─issue_further_order─▶ 已再次责令 (a new notice) | ─escalate─▶ 移送立案 (立案/移送)
    移送函: 待送达 ─serve─▶ 待反馈 ─record_feedback─▶ 已反馈 (never rechecked, never 销号)

Every step validates the current status and says in Chinese why it cannot happen, changes the
rows in the caller's transaction, and appends to the audit log. Services never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.notice_types import notice_types
from models.evidence_store import StoreError, put_file
from models.rectification import (
    Notice,
    NoticeAttachment,
    NoticeExtension,
    NoticeItem,
    Recheck,
    RectificationReport,
)
from rules.china_time import chinese_date
from rules.limits import LONG_TEXT_MAX
from rules.notice_status import (
    ANSWERED,
    CLOSED,
    FAILED,
    ISSUED,
    PASSED,
    REFERRED,
    REPORTED,
    SERVED,
    STATUS_LABELS,
    failed_within_period,
)
from rules.text_check import check_text
from rules.workdays import count_deadline
from services.audit import audit
from services.evidence import DEFAULT_MAX_BYTES, MAX_BYTES_SETTING
from services.notice_queries import (
    ExtensionInfo,
    NoticeError,
    NoticeInfo,
    RecheckInfo,
    ReportInfo,
    get_notice,
    load_notice,
    notice_info,
    recheck_due,
    recheck_window,
)
from services.numbering import take_number
from services.settings import get_setting

PASS_RESULT, FAIL_RESULT = "符合", "不符合"
ESCALATIONS = ("立案", "移送")
PENDING, GRANTED, REFUSED = "pending", "准予", "不予"


def _require(row: Notice, allowed: tuple[str, ...], action: str) -> None:
    if row.status not in allowed:
        now = STATUS_LABELS.get(row.status, row.status)
        need = "、".join(STATUS_LABELS[s] for s in allowed)
        raise NoticeError(f"文书 {row.doc_number} 当前为“{now}”，不能{action}（须为“{need}”）。")


REFUSAL_METHOD = "留置送达"


def _is_referral(row: Notice) -> bool:
    kind = notice_types().kinds.get(row.kind_code)
    return kind is not None and kind.is_referral


def serve_notice(session: Session, notice_id: int, *, served_on: date, method: str,
                 recipient: str | None = None, note: str | None = None,
                 user: str | None = None, refused: bool = False,
                 refusal: str | None = None,
                 witnesses: Sequence[str] = ()) -> NoticeInfo:
    """Record 送达 (date and method) and fix the deadline, which runs from this day.

    ``method`` is one of ``service_methods`` in notice_types.yaml (直接送达, 留置送达, 邮寄送达,
    电子送达, …). The deadline is counted in the notice's mode (calendar or working days via
    ``holidays.China``); a note is stored when a year's 调休 schedule is not yet known.
    Only a notice 待送达 can be served; the date may not precede the date of issue.

    留置送达 (``method="留置送达"``) records that the recipient refused (``refused`` is implied),
    what happened (``refusal``, 拒收事由) and at least one 见证人 (``witnesses``); the refusal
    date is ``served_on``. They are stored for the 送达回证.
    """
    row = load_notice(session, notice_id)
    _require(row, (ISSUED,), "登记送达")
    methods = notice_types().service_methods
    if method not in methods:
        raise NoticeError(f"送达方式应为{'、'.join(methods)}之一。")
    if served_on < row.issued_on:
        raise NoticeError("送达日期不能早于开具日期。")
    names = [n.strip() for n in witnesses if n and n.strip()]
    if method == REFUSAL_METHOD:
        refused = True
        if not names:
            raise NoticeError("留置送达须有见证人：请填写见证人姓名（受送达人拒收时到场的"
                              "基层组织或所在单位代表）。")
        if not (refusal or "").strip():
            raise NoticeError("留置送达须记明拒收事由（如“受送达人拒绝签收”）。")
    elif refused:
        raise NoticeError("受送达人拒收的，应以“留置送达”方式送达。")
    deadline = count_deadline(served_on, row.deadline_mode, row.deadline_days)
    row.served_on, row.service_method = served_on, method
    row.service_recipient = (recipient or "").strip() or None
    row.service_note = (note or "").strip() or None
    row.service_refused = bool(refused)
    row.service_refusal = (refusal or "").strip() or None if refused else None
    row.service_witnesses = names if refused else []
    row.deadline, row.deadline_note = deadline.due, deadline.note
    row.status = SERVED
    session.flush()
    audit(session, "serve_notice", "notices", row.uuid,
          {"served_on": served_on.isoformat(), "method": method,
           "refused": bool(refused), "witnesses": row.service_witnesses,
           "deadline": deadline.due.isoformat() if deadline.due else None,
           "deadline_note": deadline.note}, user=user)
    return get_notice(session, notice_id)


def request_extension(session: Session, notice_id: int, *, requested_on: date, reason: str,
                      requested_deadline: date | None = None,
                      user: str | None = None) -> ExtensionInfo:
    """The unit's 延期申请, made while the notice runs and before its deadline."""
    row = load_notice(session, notice_id)
    _require(row, (SERVED,), "申请延期")
    if row.deadline is None:
        raise NoticeError("这份文书没有整改期限，不需要延期。")
    if not (reason or "").strip():
        raise NoticeError("请填写延期理由。")
    if requested_on < (row.served_on or row.issued_on):
        raise NoticeError("申请日期不能早于送达日期。")
    if requested_on > row.deadline:
        raise NoticeError(f"整改期限已于 {chinese_date(row.deadline)} 届满，不能再申请延期。")
    if requested_deadline is not None and requested_deadline <= row.deadline:
        raise NoticeError("申请延至的日期应晚于现有期限。")
    if session.scalars(select(NoticeExtension).where(NoticeExtension.notice_id == notice_id,
                                                     NoticeExtension.decision == PENDING)).first():
        raise NoticeError("已有一份延期申请尚未决定。")
    ext = NoticeExtension(notice_id=notice_id, requested_on=requested_on, reason=reason.strip(),
                          requested_deadline=requested_deadline, decision=PENDING,
                          old_deadline=row.deadline)
    session.add(ext)
    session.flush()
    audit(session, "request_extension", "notice_extensions", ext.uuid,
          {"notice": row.uuid, "reason": ext.reason,
           "requested_deadline": requested_deadline.isoformat() if requested_deadline else None},
          user=user)
    return _ext_info(ext)


def decide_extension(session: Session, extension_id: int, *, granted: bool, decided_on: date,
                     decided_by: str, new_deadline: date | None = None,
                     note: str | None = None, user: str | None = None) -> ExtensionInfo:
    """准予 (with the new deadline, later than the old one) or 不予 a pending 延期申请."""
    ext = session.get(NoticeExtension, extension_id)
    if ext is None:
        raise NoticeError(f"找不到延期申请（编号 {extension_id}）")
    if ext.decision != PENDING:
        raise NoticeError("这份延期申请已经决定过了。")
    row = load_notice(session, ext.notice_id)
    _require(row, (SERVED,), "决定延期")
    if not (decided_by or "").strip():
        raise NoticeError("请填写决定人。")
    if decided_on < ext.requested_on:
        raise NoticeError("决定日期不能早于申请日期。")
    if granted:
        target = new_deadline or ext.requested_deadline
        if target is None or row.deadline is None or target <= row.deadline:
            raise NoticeError("准予延期时，新的整改期限应晚于现有期限。")
        row.deadline = target
        row.deadline_note = f"经延期申请准予，期限延至{chinese_date(target)}"
        ext.new_deadline = target
    ext.decision = GRANTED if granted else REFUSED
    ext.decided_on, ext.decided_by = decided_on, decided_by.strip()
    ext.decision_note = (note or "").strip() or None
    session.flush()
    audit(session, "decide_extension", "notice_extensions", ext.uuid,
          {"notice": row.uuid, "decision": ext.decision,
           "new_deadline": ext.new_deadline.isoformat() if ext.new_deadline else None},
          user=user)
    return _ext_info(ext)


def submit_report(session: Session, notice_id: int, *, received_on: date, summary: str,
                  submitted_by: str | None = None, files: Sequence[Path] = (),
                  store_root: Path | None = None, captions: Mapping[str, str] | None = None,
                  user: str | None = None) -> ReportInfo:
    """The unit's 整改报告, with its evidence files (stored by content hash, like photos).

    The files are written to the evidence store before their rows are added; the caller
    commits after. Moves the notice to 待复查.
    """
    row = load_notice(session, notice_id)
    if _is_referral(row):
        raise NoticeError("移送函不要求被检查单位报送整改报告；请登记接收部门的反馈。")
    _require(row, (SERVED,), "登记整改报告")
    summary = check_text(summary, label="整改情况", limit=LONG_TEXT_MAX, error=NoticeError) or ""
    if not summary:
        raise NoticeError("请填写整改情况。")
    if row.served_on is not None and received_on < row.served_on:
        raise NoticeError("收到整改报告的日期不能早于送达日期。")
    last = session.scalar(select(func.max(Recheck.checked_on))
                          .where(Recheck.notice_id == notice_id))
    if last is not None and received_on < last:  # after a recheck that found it not done
        raise NoticeError(f"收到整改报告的日期不能早于上次复查日期（{chinese_date(last)}）。")
    if files and store_root is None:
        raise NoticeError("没有证据存放目录，不能保存附件。")
    report = RectificationReport(notice_id=notice_id, received_on=received_on,
                                 summary=summary.strip(),
                                 submitted_by=(submitted_by or "").strip() or None)
    session.add(report)
    session.flush()
    limit = int(get_setting(session, MAX_BYTES_SETTING, DEFAULT_MAX_BYTES))
    names = []
    for path in files:
        path = Path(path)
        try:
            sha, size = put_file(Path(store_root or "."), path, path.suffix.lower()[:16], limit)
        except StoreError as exc:
            raise NoticeError(f"{path.name}：{exc}") from None
        except OSError as exc:
            raise NoticeError(f"无法保存 {path.name}：{exc.strerror or exc}") from None
        session.add(NoticeAttachment(notice_id=notice_id, report_id=report.id, purpose="整改报告",
                                     sha256=sha, ext=path.suffix.lower()[:16],
                                     original_name=path.name[:255], size_bytes=size,
                                     caption=(captions or {}).get(path.name)))
        names.append(path.name)
    row.status = REPORTED
    session.flush()
    audit(session, "submit_report", "rectification_reports", report.uuid,
          {"notice": row.uuid, "received_on": received_on.isoformat(), "files": names},
          user=user)
    return ReportInfo(report.id, report.received_on, report.summary, report.submitted_by,
                      tuple(names))


def record_recheck(session: Session, notice_id: int, *, checked_on: date,
                   inspectors: Sequence[str], passed: bool, note: str | None = None,
                   item_results: Mapping[int, str] | None = None,
                   user: str | None = None) -> RecheckInfo:
    """复查: the result, date and inspectors (at least two for an order, one otherwise).

    Allowed once the 整改报告 is in, or once the deadline has passed without one. A recheck
    later than the set number of working days after the deadline is recorded and marked late.
    ``item_results`` maps notice item ids to 符合/不符合; a pass needs every judged item 符合.
    Passed → 复查合格待销号 (then :func:`close_notice`); failed → 复查未通过 (then a further
    order, :func:`services.notice_issue.issue_further_order`, or :func:`escalate`). An order
    whose recheck fails before its deadline (the unit reported early) goes back to 整改中: its
    period still runs, and the next report, or the deadline passing, brings the next recheck
    (:func:`rules.notice_status.failed_within_period`).

    The recheck takes its 复查意见书 number from this device's block for the ``recheck``
    suffix of notice_types.yaml (复查; reserved like any other), stored on the recheck;
    :class:`services.numbering.NumberingError` when none is left. A 移送函 is never rechecked.
    """
    row = load_notice(session, notice_id)
    if _is_referral(row):
        raise NoticeError("移送函由接收部门依职责处理，本机关不复查、不销号；请登记其反馈。")
    _require(row, (SERVED, REPORTED), "登记复查")
    names = [n.strip() for n in inspectors if n and n.strip()]
    kind = notice_types().kinds.get(row.kind_code)
    need = 2 if kind is not None and kind.klass == "order" else 1  # 执法: two officers
    if len(names) < need:
        raise NoticeError(f"复查应由至少 {need} 名检查人员进行。")
    if row.served_on is not None and checked_on < row.served_on:
        raise NoticeError("复查日期不能早于送达日期。")
    if row.status == SERVED and row.deadline is not None and checked_on <= row.deadline:
        raise NoticeError("尚未收到整改报告，整改期限也未届满，现在不能复查。")
    results = dict(item_results or {})
    items = {i.id: i for i in session.scalars(select(NoticeItem)
                                              .where(NoticeItem.notice_id == notice_id))}
    for item_id, result in results.items():
        if item_id not in items:
            raise NoticeError(f"检查项（编号 {item_id}）不在这份文书中。")
        if result not in (PASS_RESULT, FAIL_RESULT):
            raise NoticeError("逐项复查结果应为“符合”或“不符合”。")
    if passed and any(r == FAIL_RESULT for r in results.values()):
        raise NoticeError("仍有检查项不符合，复查不能判为通过。")
    for item_id, item in items.items():
        item.recheck_result = results.get(item_id, PASS_RESULT if passed else None)
    due = recheck_due(row.deadline, recheck_window(session))
    late = due is not None and checked_on > due
    number = take_number(session, suffix=notice_types().recheck_suffix, year=checked_on.year)
    check = Recheck(notice_id=notice_id, checked_on=checked_on, inspectors=names,
                    passed=passed, note=(note or "").strip() or None,
                    item_results={items[k].uuid: v for k, v in results.items()}, late=late,
                    doc_word=number.doc_word, doc_year=number.year, doc_seq=number.seq,
                    doc_number=number.text, issued_device=number.device)
    session.add(check)
    within = kind is not None and failed_within_period(
        passed, checked_on, row.deadline, is_order=kind.is_order and not kind.is_referral)
    # failed before the deadline: the period still runs (整改中), nothing follows it yet
    row.status = PASSED if passed else SERVED if within else FAILED
    session.flush()
    audit(session, "recheck", "rechecks", check.uuid,
          {"notice": row.uuid, "checked_on": checked_on.isoformat(), "passed": passed,
           "late": late, "inspectors": names, "doc_number": check.doc_number}, user=user)
    return RecheckInfo(check.id, checked_on, tuple(names), passed, check.note, late,
                       check.doc_number)


def close_notice(session: Session, notice_id: int, *, closed_on: date, closed_by: str,
                 user: str | None = None) -> NoticeInfo:
    """销号: only a notice whose latest recheck passed can be closed."""
    row = load_notice(session, notice_id)
    if _is_referral(row):
        raise NoticeError("移送函不销号：登记接收部门的反馈即办结。")
    if row.status in (SERVED, REPORTED, ISSUED):
        raise NoticeError(f"文书 {row.doc_number} 尚未复查合格，不能销号。")
    _require(row, (PASSED,), "销号")
    if not (closed_by or "").strip():
        raise NoticeError("请填写销号人。")
    last = session.scalars(select(Recheck).where(Recheck.notice_id == notice_id)
                           .order_by(Recheck.id.desc())).first()
    if last is None or not last.passed:
        raise NoticeError("最近一次复查未通过，不能销号。")
    if closed_on < last.checked_on:
        raise NoticeError("销号日期不能早于复查日期。")
    row.status, row.closed_on, row.closed_by = CLOSED, closed_on, closed_by.strip()
    session.flush()
    audit(session, "close_notice", "notices", row.uuid,
          {"closed_on": closed_on.isoformat(), "recheck": last.uuid}, user=user)
    return get_notice(session, notice_id)


def escalate(session: Session, notice_id: int, *, action: str, decided_on: date,
             note: str | None = None, user: str | None = None) -> NoticeInfo:
    """After a failed recheck of an order: mark it for 立案 (a case) or 移送 (hand-over to the
    body with powers). Advice cannot be escalated."""
    row = load_notice(session, notice_id)
    _require(row, (FAILED,), "移送或立案")
    if action not in ESCALATIONS:
        raise NoticeError("处理方式应为“立案”或“移送”。")
    if not row.is_order:
        raise NoticeError(f"《{row.title}》是建议类文书，不能据此立案或移送。")
    basis = notice_types().kinds.get(row.kind_code)
    cited = "；".join(c.text for c in basis.escalation_basis) if basis else ""
    row.status, row.escalation, row.escalated_on = REFERRED, action, decided_on
    row.escalation_note = "；".join(x for x in ((note or "").strip(), cited and f"依据：{cited}")
                                   if x) or None
    session.flush()
    audit(session, "escalate_notice", "notices", row.uuid,
          {"action": action, "decided_on": decided_on.isoformat(), "note": row.escalation_note},
          user=user)
    return notice_info(row, len(list(session.scalars(
        select(NoticeItem.id).where(NoticeItem.notice_id == notice_id)))))


def record_feedback(session: Session, notice_id: int, *, received_on: date, text: str,
                    user: str | None = None) -> NoticeInfo:
    """The receiving department's 反馈 on a served 移送函 (date and what it did); this ends
    the 移送函 (已反馈). Only a 移送函 has feedback; it is never rechecked or 销号'd."""
    row = load_notice(session, notice_id)
    if not _is_referral(row):
        raise NoticeError(f"《{row.title}》不是移送函，没有接收部门的反馈。")
    if row.status == ISSUED:
        raise NoticeError(f"移送函 {row.doc_number} 尚未送达，请先登记送达。")
    _require(row, (SERVED,), "登记反馈")
    text = check_text(text, label="反馈内容", limit=LONG_TEXT_MAX, error=NoticeError) or ""
    if not text:
        raise NoticeError("请填写接收部门的反馈内容。")
    if row.served_on is not None and received_on < row.served_on:
        raise NoticeError("反馈日期不能早于送达日期。")
    row.feedback_on, row.feedback_text = received_on, text.strip()
    row.status = ANSWERED
    session.flush()
    audit(session, "referral_feedback", "notices", row.uuid,
          {"received_on": received_on.isoformat(), "text": row.feedback_text}, user=user)
    return get_notice(session, notice_id)


def _ext_info(e: NoticeExtension) -> ExtensionInfo:
    return ExtensionInfo(e.id, e.requested_on, e.reason, e.requested_deadline, e.decision,
                         e.decided_on, e.decided_by, e.old_deadline, e.new_deadline)
