"""复查意见书: the result of rechecking a rectification document, as PDF and as .docx.

Public API (same conventions as :mod:`reports.notice`)::

    build_recheck_pdf(source, notice_id, out, *, recheck_id=None, progress=None,
                      is_cancelled=None, font=None) -> BuildResult
    build_recheck_docx(source, notice_id, out, *, recheck_id=None, progress=None,
                       is_cancelled=None) -> BuildResult

``source`` is a Session (the latest recheck of ``notice_id``, or ``recheck_id``, is loaded with
:func:`reports.notice_data.load_recheck`) or a ready :class:`~reports.notice_data.RecheckData`.
A notice that has not been rechecked raises :class:`~reports.notice_data.NoticeDataError`.

The 复查意见书 carries its own number (``Recheck.doc_number``; a blank to fill in for rechecks
recorded before it existed), never the notice's. The wording follows the notice's family: a
passed recheck closes the document (销号; a 建议 or 督查反馈 is 办结); a failed one says which
problems are still open (该问题 for a single one) and the next step: for an order, the kind's
verified escalation basis (本机关将依照《…》第…条的规定依法处理) or, without one, 立案调查 or
移送 in general terms; for 督办, 反馈 and 建议, 继续整改 by a date. An order found not put right
before its deadline (the unit reported early) is to be put right by that deadline, which still
runs; consequences follow only if it is not. A 移送函 has no recheck.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reports.files import CANCELLED
from reports.fonts import ReportFont, find_font, font_for_session
from reports.notice import BuildResult, cleaned, receipt_rows
from reports.notice_data import RecheckData, cn_date, load_recheck
from reports.notice_render import FormalDocument, PathLike, TableSpec, render_docx, render_pdf
from reports.notice_wording import ORDERS, NoticeDataError, Wording, load_wording, load_wording_file
from rules.progress import IsCancelled, Progress, Tracker

__all__ = ["build_recheck_docx", "build_recheck_pdf", "compose_recheck"]

TITLE = "复查意见书"
BLANK_NUMBER = "　　　〔　　　　〕第　　号"  # a recheck recorded before it had its own number


def compose_recheck(data: RecheckData) -> FormalDocument:
    notice = data.notice
    if notice.family == "referral":
        raise NoticeDataError(
            f"{notice.title} {notice.number} 由主管部门处理并反馈，不出具复查意见书。")
    if not data.items:
        raise NoticeDataError(f"整改文书 {notice.number} 没有整改事项，不能生成复查意见书。")
    w = load_wording()[notice.family]
    # the date the notice reached the unit (its 送达), else the day it was issued
    served = notice.service.served_on or notice.issued_on
    intro = w.recheck_intro.format(served_on=cn_date(served), title=notice.title,
                                   number=notice.number, rechecked_on=cn_date(data.rechecked_on))
    rows = tuple(
        (str(n), item.problem, item.requirement,
         item.outcome + (f"。{item.note}" if item.note else ""))
        for n, item in enumerate(data.items, start=1))
    table = TableSpec(("序号", "问题", w.requirement_header, "复查情况"), rows,
                      (0.08, 0.36, 0.30, 0.26))
    after: list[str] = []
    verdict = (w.recheck_passed if data.conclusion == "passed"
               else w.recheck_lead + open_sentence(data, w))
    opinion = (data.opinion or "").strip().rstrip("。；;，, ")
    if opinion and not _restates(opinion, verdict):
        after.append(f"复查意见：{opinion}。")
    if not (after and data.conclusion != "passed" and _STILL_OPEN.search(opinion)
            and not _some_open(data)):
        after.append(verdict)  # unless the opinion has just said that every problem remains
    if data.conclusion != "passed":
        after.append(next_step(data, w))
    officers = data.officers or notice.officers
    doc = FormalDocument(
        org=notice.organisation, title=TITLE, number=data.number or BLANK_NUMBER,
        addressee=notice.addressee, before=(intro,), table=table, after=tuple(after),
        signer_role=f"{w.signer}（签名）", officers=officers, seal_org=notice.organisation,
        certified=notice.family not in SUPERVISION_FAMILIES,
        seal_date=data.rechecked_on,
        receipt=_receipt(data), receipt_note="", demo=notice.demo)
    return cleaned(doc, notice.province)


#: 督查 documents go to government departments: their officers show no 执法证号.
SUPERVISION_FAMILIES = ("supervise", "feedback")


#: An opinion that says the problems remain (有关问题依然存在, 仍未整改到位 …).
_STILL_OPEN = re.compile(r"依然存在|仍然存在|仍存在|仍未整改|未整改到位|均未整改|仍未落实")


def _some_open(data: RecheckData) -> bool:
    """Some items put right and some not: the verdict names which remain."""
    outcomes = [item.outcome for item in data.items]
    return "已整改" in outcomes and any(o != "已整改" for o in outcomes)


def _restates(opinion: str, verdict: str) -> bool:
    """The recorded opinion says no more than the verdict printed after it
    (所列问题仍未整改到位 beside 经复查，该问题仍未整改到位)."""
    core = re.sub(r"^(?:所列|上述|该|此)?(?:各项|全部)?(?:问题)?", "", opinion)
    return bool(core) and core in verdict


def open_sentence(data: RecheckData, w: Wording) -> str:
    """该问题仍未整改到位 (one item), 上述N项问题均未… (all of several), 第2、3项问题仍未…"""
    open_numbers = [str(n) for n, item in enumerate(data.items, start=1)
                    if item.outcome != "已整改"]
    if not open_numbers:  # failed as a whole without judging items one by one
        open_numbers = [str(n) for n in range(1, len(data.items) + 1)]
    if len(data.items) == 1:
        return w.recheck_open_one
    if len(open_numbers) == len(data.items):
        return w.recheck_open_all.format(count=len(data.items))
    return w.recheck_open_some.format(numbers="、".join(open_numbers))


def next_step(data: RecheckData, w: Wording) -> str:
    """What follows a failed recheck: for an order, the verified escalation basis of its kind
    or, without one, 立案调查 / 移送 in general terms; for the others, 继续整改 by a date."""
    if data.notice.family in ORDERS:
        wording = load_wording_file()
        if data.within_deadline is not None:  # the period given still runs
            return wording.escalation_within.format(deadline=cn_date(data.within_deadline))
        if data.escalation_basis:
            return wording.escalation_verified.format(basis="、".join(data.escalation_basis))
        return wording.escalation_general
    return w.recheck_next.format(next_deadline=cn_date(data.next_deadline))


def _receipt(data: RecheckData) -> tuple[tuple[str, str, bool], ...]:
    rows = list(receipt_rows(data.notice))
    rows[0] = ("送达文书", f"{TITLE}（{data.number}）", False)
    # The notice's own 送达 does not carry over: the 复查意见书 is served afresh.
    blank = {"送达方式", "送达时间", "受送达人签收", "送达人", "备注"}
    from reports.notice import BLANK_TIME, SERVICE_METHODS

    fresh = {"送达方式": SERVICE_METHODS, "送达时间": BLANK_TIME}
    return tuple((label, fresh.get(label, "") if label in blank else value, signed)
                 for label, value, signed in rows)


def _data(source: Any, notice_id: int | None, recheck_id: int | None) -> RecheckData:
    if isinstance(source, RecheckData):
        return source
    if notice_id is None:
        raise NoticeDataError("没有指定整改文书。")
    return load_recheck(source, notice_id, recheck_id)


def build_recheck_pdf(source: Any, notice_id: int | None, out: PathLike, *,
                      recheck_id: int | None = None, progress: Progress | None = None,
                      is_cancelled: IsCancelled | None = None,
                      font: ReportFont | None = None) -> BuildResult:
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    tracker.report(0, 3, "正在读取复查结果")
    data = _data(source, notice_id, recheck_id)
    if font is None:
        font = find_font() if isinstance(source, RecheckData) else font_for_session(source)
    pages = render_pdf(compose_recheck(data), out, font, tracker)
    return BuildResult(Path(out), pages, font.warning)


def build_recheck_docx(source: Any, notice_id: int | None, out: PathLike, *,
                       recheck_id: int | None = None, progress: Progress | None = None,
                       is_cancelled: IsCancelled | None = None) -> BuildResult:
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    tracker.report(0, 3, "正在读取复查结果")
    render_docx(compose_recheck(_data(source, notice_id, recheck_id)), out, tracker)
    return BuildResult(Path(out), 0)
