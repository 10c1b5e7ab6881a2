"""Rectification documents (整改文书) as PDF and as editable Word files.

Public API (used by ``cli/report.py`` and the 报告 page)::

    build_notice_pdf(source, notice_id, out, *, progress=None, is_cancelled=None, font=None)
        -> BuildResult
    build_notice_docx(source, notice_id, out, *, progress=None, is_cancelled=None)
        -> BuildResult

``source`` is either a SQLAlchemy ``Session`` (the notice ``notice_id`` is loaded with
:func:`reports.notice_data.load_notice`) or a ready :class:`~reports.notice_data.NoticeData`
(then ``notice_id`` is ignored and may be None). ``out`` is a path; the file is written under a
temporary name and renamed, so a cancelled build (``rules.progress.Cancelled``) or a failed
one leaves nothing behind. ``progress(done, total, label)`` and ``is_cancelled()`` have the
shapes ``gui.workers.run_task`` passes. ``font`` overrides the font search (default: the
database's ``report_font`` setting, then :func:`reports.fonts.find_font`). A notice that
cannot be printed raises :class:`~reports.notice_data.NoticeDataError` (Chinese message).

Which document is printed, and its title, were decided when the notice was issued (the notice
kinds in ``checklists/data/notice_types.yaml``): 劳动保障监察限期改正指令书 (人社), 卫生监督意见书
(卫健), 责令立即改正 / 责令限期改正通知书 (消防 and the others), 督办通知 or 督查反馈意见 (a
government department under 督查), and 建议 for 推荐标准 / 鼓励 items, whose wording orders
nothing, and 移送函 (a 公文 to the competent department for problems outside the issuing
body's powers). 督办, 反馈意见 and 移送函 are 公文 (:func:`compose_gongwen`, GB/T 9704 layout,
no 执法证号 and no 送达回证); the others are 执法文书 with a 送达回证. The wording of each
family is data (``reports/notice_wording.yaml``); every printed text goes through
:func:`reports.notice_data.official_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reports.files import CANCELLED
from reports.fonts import ReportFont, find_font, font_for_session
from reports.notice_data import NoticeData, cn_date, load_notice
from reports.notice_render import (
    GONGWEN_LAYOUT,
    FormalDocument,
    PathLike,
    TableSpec,
    join,
    render_docx,
    render_pdf,
)
from reports.notice_wording import GONGWEN, NoticeDataError, load_wording, official_text
from rules.progress import IsCancelled, Progress, Tracker

__all__ = ["BuildResult", "NoticeDataError", "build_notice_docx", "build_notice_pdf",
           "compose_gongwen", "compose_notice", "compose_referral", "receipt_rows"]

BLANK_TIME = "　　　　年　　月　　日　　时　　分"
SERVICE_METHODS = "□直接送达  □留置送达  □邮寄送达  □委托送达"
RECEIPT_NOTE = ("受送达人拒绝签收的，送达人应在备注栏注明拒收事由和日期，由送达人、见证人签名，"
                "将文书留在受送达人处，即视为送达。")


@dataclass(frozen=True)
class BuildResult:
    path: Path
    pages: int  # 0 for a .docx (Word paginates it)
    warning: str | None = None  # e.g. the font could not be embedded


def compose_notice(data: NoticeData) -> FormalDocument:
    """The text of a rectification document, in order, from its data and its family's wording."""
    if not data.items:
        raise NoticeDataError(f"整改文书 {data.number} 没有列出任何问题，不能生成。")
    if data.family in GONGWEN:
        return compose_gongwen(data)
    w = load_wording()[data.family]
    fill = {"addressee": data.addressee, "organisation": data.organisation,
            "inspected_on": cn_date(data.inspected_on or data.issued_on),
            "deadline": cn_date(data.deadline), "recheck_on": cn_date(data.recheck_on)}
    rows = tuple((str(n), item.problem, join(item.provisions), item.requirement)
                 for n, item in enumerate(data.items, start=1))
    table = TableSpec(("序号", w.problem_header, w.provision_header, w.requirement_header),
                      rows, (0.08, 0.34, 0.29, 0.29))
    after: list[str] = []
    if data.requirement:
        after.append(f"整改要求：{data.requirement}")
    if data.legal_basis:
        after.append(f"本文书依据：{'；'.join(data.legal_basis)}。")
    if data.immediate:
        after.append(w.immediate)
    elif data.deadline is not None:
        after.append(w.deadline)
    else:
        after.append(w.no_deadline)
    if data.recheck_on is not None:
        after.append(w.recheck)
    elif w.recheck_after and not data.immediate:
        after.append(w.recheck_after)
    after += [(w.closing_immediate or w.closing) if data.immediate else w.closing, w.remedy]
    if data.contact:
        after.append(f"联系人及电话：{data.contact}")
    doc = FormalDocument(
        org=data.organisation, title=data.title, number=data.number, addressee=data.addressee,
        before=(w.intro.format(**fill),), table=table,
        after=tuple(t.format(**fill) for t in after if t),
        signer_role=f"{w.signer}（签名）", officers=data.officers,
        seal_org=data.organisation, seal_date=data.issued_on,
        receipt=receipt_rows(data), receipt_note=RECEIPT_NOTE, demo=data.demo)
    return cleaned(doc, data.province)


def compose_gongwen(data: NoticeData) -> FormalDocument:
    """A 公文 between government bodies (督办通知, 督查反馈意见, 移送函), in the GB/T 9704 letter
    layout: 发文机关标志, 文号 without 第, a 关于……的 title, the 主送机关, the problems as numbered
    statements with the measure or document they concern (and for 督办 and 反馈 the requested
    action and reply date), and the 落款 at the seal. No 执法证号 table, no 送达回证.

    The 移送函 goes to the competent department and names the unit; 督办 and 反馈 go to the
    inspected department itself."""
    w = load_wording()[data.family]
    fill = {"unit": data.unit_name, "address": data.addressee_address or "不详",
            "addressee": data.addressee, "organisation": data.organisation,
            "inspected_on": cn_date(data.inspected_on or data.issued_on),
            "deadline": cn_date(data.deadline), "recheck_on": cn_date(data.recheck_on)}
    problems = []
    for n, item in enumerate(data.items, start=1):
        basis = "、".join(item.provisions)
        line = f"{n}．{item.problem.rstrip('。')}"
        if basis:
            line += f"（{w.provision_header}：{basis}）"
        line += "。"
        if w.requirement_header and item.requirement:
            line += f"{w.requirement_header}：{item.requirement.rstrip('。')}。"
        problems.append(line)
    after: list[str] = []
    if data.requirement:
        after.append(f"整改要求：{data.requirement}")
    if data.legal_basis:
        after.append(f"本文书依据：{'；'.join(data.legal_basis)}。")
    if data.family != "referral":
        if data.immediate:
            after.append(w.immediate)
        elif data.deadline is not None:
            after.append(w.deadline)
        else:
            after.append(w.no_deadline)
        if data.recheck_on is not None:
            after.append(w.recheck)
        elif not data.immediate:
            after.append(w.recheck_after)
    after.append((w.closing_immediate or w.closing) if data.immediate else w.closing)
    if data.contact:
        after.append(f"联系人及电话：{data.contact}")
    doc = FormalDocument(
        org=data.organisation, title=(w.doc_title or data.title).format(**fill),
        number=data.number, addressee=data.addressee,
        before=(w.intro.format(**fill), *problems), table=None,
        after=tuple(t.format(**fill) for t in after if t),
        signer_role="", officers=(), seal_org=data.organisation, seal_date=data.issued_on,
        demo=data.demo, layout=GONGWEN_LAYOUT, attachments=data.attachments)
    return cleaned(doc, data.province)


def compose_referral(data: NoticeData) -> FormalDocument:
    """移送函: a 公文 to the competent department naming the unit, its address, the problems and
    their basis, asking it to act within its powers and reply. It orders the unit nothing."""
    return compose_gongwen(replace(data, family="referral"))


def cleaned(doc: FormalDocument, province: str | None) -> FormalDocument:
    """Every printed text of ``doc`` through :func:`official_text`."""
    def c(text: str) -> str:
        return official_text(text, province)

    table = doc.table
    if table is not None:
        table = replace(table, rows=tuple(tuple(c(x) for x in r) for r in table.rows))
    return replace(doc, title=c(doc.title), addressee=c(doc.addressee or "") or None,
                   before=tuple(c(t) for t in doc.before), after=tuple(c(t) for t in doc.after),
                   table=table, attachments=tuple(c(t) for t in doc.attachments),
                   receipt=tuple((a, c(b), s) for a, b, s in doc.receipt))


def receipt_rows(data: NoticeData) -> tuple[tuple[str, str, bool], ...]:
    """The 送达回证: what is served, on whom, where, how, and the signatures.

    Signature cells are never pre-filled with a name. For 留置送达 the 受送达人签收 stays empty
    and 备注 records the refusal, its date and the 见证人."""
    s = data.service
    note = s.note or ""
    if s.method == "留置送达" or s.refused:
        witnesses = "、".join(s.witnesses) or "　　　　"
        reason = f"（{s.refusal.rstrip('。')}）" if s.refusal else ""
        refusal = (f"受送达人拒绝签收{reason}，已于{cn_date(s.served_on)}留置送达，"
                   f"见证人：{witnesses}。")
        note = refusal + (note if note and note not in refusal else "")
    return (
        ("送达文书", f"{data.title}（{data.number}）", False),
        ("受送达人", data.addressee, False),
        ("送达地点", s.place or data.addressee_address or "", False),
        ("送达方式", s.method or SERVICE_METHODS, False),
        ("送达时间", cn_date(s.served_on, BLANK_TIME), False),
        ("受送达人签收", "", True),
        ("送达人", "", True),
        ("见证人", "", True),
        ("备注", note, False),
    )


def _data(source: Any, notice_id: int | None) -> NoticeData:
    if isinstance(source, NoticeData):
        return source
    if notice_id is None:
        raise NoticeDataError("没有指定整改文书。")
    return load_notice(source, notice_id)


def _font(source: Any, font: ReportFont | None) -> ReportFont:
    if font is not None:
        return font
    if isinstance(source, NoticeData):
        return find_font()
    return font_for_session(source)


def build_notice_pdf(source: Any, notice_id: int | None, out: PathLike, *,
                     progress: Progress | None = None, is_cancelled: IsCancelled | None = None,
                     font: ReportFont | None = None) -> BuildResult:
    """Write the notice as a PDF (see the module docstring)."""
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    tracker.report(0, 3, "正在读取整改文书")
    data = _data(source, notice_id)
    chosen = _font(source, font)
    pages = render_pdf(compose_notice(data), out, chosen, tracker)
    return BuildResult(Path(out), pages, chosen.warning)


def build_notice_docx(source: Any, notice_id: int | None, out: PathLike, *,
                      progress: Progress | None = None,
                      is_cancelled: IsCancelled | None = None) -> BuildResult:
    """Write the notice as an editable .docx with the same text as the PDF."""
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    tracker.report(0, 3, "正在读取整改文书")
    render_docx(compose_notice(_data(source, notice_id)), out, tracker)
    return BuildResult(Path(out), 0)
