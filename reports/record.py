"""现场检查笔录 (执法检查) / 现场检查记录 (督查, 自查): the printed record of one inspection.

It prints everything :class:`services.inspection_record.InspectionRecord` holds that the law asks
of a usable record: the unit, the officers with their 执法证号, the times, the 记录人 and the
person present, the 告知事项 (证件出示, 回避权利) and any 回避 request, each checklist item with
its result, the measured value against its threshold, the note and the legal basis, photo
thumbnails beside their item (caption and time), the party's statement (以上记录属实), the
signatures or a refusal before a 见证人, and an appendix with every photo. The party and the
officers sign each page of a 笔录, so their signatures are repeated in every page footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from checklists.checklist_model import ChecklistItem
from checklists.regions import region_by_code
from checklists.snapshot import from_snapshot
from checklists.template_model import served_basis
from models.evidence_store import object_path, report_copy_path, thumbnail_path
from reports.files import CANCELLED
from reports.fonts import ReportFont, font_for_session
from reports.layout import (
    CONTENT_WIDTH,
    GRID,
    MUTED,
    Out,
    PageSpec,
    SignatureStrip,
    Signer,
    StripSlot,
    Styles,
    build_pdf,
    data_table,
    field_grid,
    fitted_image,
    fmt_datetime,
    make_styles,
    para,
    signature_block,
    title_block,
)
from reports.notice_wording import without_task_pointer
from rules.compliance import shown_result
from rules.inspection_status import (
    ENFORCEMENT,
    FAIL,
    PARTIAL,
    ROLE_OFFICER,
    ROLE_PARTY,
    ROLE_WITNESS,
)
from rules.progress import IsCancelled, Progress, Tracker
from services.evidence import EvidenceInfo
from services.inspection_record import InspectionRecord, get_record
from services.issuing_body import own_department, referral_addressee
from services.settings import JURISDICTION, ORGANISATION, get_setting
from services.signatures import SignatureInfo

THUMB_W, THUMB_H = 24 * mm, 18 * mm  # a thumbnail beside its item
APPENDIX_W, APPENDIX_H = 78 * mm, 62 * mm
MAX_ROWS = 30  # rows per table, see _items_table
ALERT = colors.HexColor("#B00000")
SECTION_FILL = colors.HexColor("#F3F3F3")
COLUMNS = (("序号", 9 * mm, "C"), ("检查内容及依据", 60 * mm, "L"), ("结果", 16 * mm, "C"),
           ("测得值／标准", 23 * mm, "C"), ("情况说明", 30 * mm, "L"), ("现场照片", 27 * mm, "C"))


@dataclass(frozen=True)
class ReportResult:
    """What a builder wrote: the page count and a Chinese warning for the user (font), if any."""

    pages: int
    warning: str | None = None
    doc_number: str | None = None  # the 文号 taken for it, if one was


def record_title(kind: str) -> str:
    """现场检查笔录 for a 执法检查; 现场检查记录 for a 督查 or 自查."""
    return "现场检查笔录" if kind == ENFORCEMENT else "现场检查记录"


def build_record_pdf(session: Session, inspection_id: int, out: Out, *, store_root: Path,
                     font: ReportFont | None = None, progress: Progress | None = None,
                     is_cancelled: IsCancelled | None = None) -> ReportResult:
    """Write the record of one inspection as PDF; ``store_root`` is the evidence folder."""
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    tracker.report(0, 1, "正在读取检查记录")
    record = get_record(session, inspection_id)
    font = font or font_for_session(session)
    org = inspecting_bodies(session, record)
    return render_record(record, out, store_root=store_root, font=font, org=org,
                         tracker=tracker)


def render_record(record: InspectionRecord, out: Out, *, store_root: Path, font: ReportFont,
                  org: str | None = None, tracker: Tracker | None = None) -> ReportResult:
    """``org`` names the inspecting bodies (several, for a joint inspection)."""
    """Lay out an already loaded record (the benchmark calls this directly)."""
    tracker = tracker or Tracker(cancel_message=CANCELLED)
    styles = make_styles(font)
    title = record_title(record.summary.kind)
    if record.summary.version > 1:
        title += f"（第{record.summary.version}版，更正）"
    story: list[Flowable] = [*title_block(styles, title, org=org)]
    story.append(_header(styles, record))
    story.append(Spacer(1, 4))
    story += _notices(styles, record)
    story.append(para("检查情况", styles.heading))
    story += _items_table(styles, record, store_root, tracker)
    story.append(Spacer(1, 3))
    story.append(para(_counts_line(record), styles.body))
    story += _closing(styles, record, store_root)
    photos = [e for e in record.evidence if e.kind == "photo"]
    if photos:
        story += _appendix(styles, record, photos, store_root, tracker)
    marks = (["演示数据"] if record.summary.demo else []) + (
        ["草稿"] if record.summary.status != "signed" else [])
    spec = PageSpec(header=f"{title}　{record.entity.name}", strip=_strip(record, store_root),
                    pdf_title=f"{title}－{record.entity.name}", pdf_subject=title,
                    pdf_author=org or "、".join(o.name for o in record.officers),
                    watermark="　".join(marks) or None)
    pages = build_pdf(out, story, styles, spec=spec, tracker=tracker, total_hint=len(story))
    return ReportResult(pages, font.warning)


def inspecting_bodies(session: Session, record: InspectionRecord) -> str | None:
    """The bodies that inspected: this office for its own department's officers, and for a
    department of another kind (消防救援 officers on a 卫生健康 laptop) that department's body
    in the office's region; joint inspections name each."""
    org: str | None = get_setting(session, ORGANISATION)
    own = own_department(session)
    departments = [d for d in record.departments if d]
    if not departments or own is None or set(departments) == {own}:
        return org
    region = get_setting(session, JURISDICTION) or record.entity.region_code
    names = [org if d == own and org else referral_addressee(d, region) for d in departments]
    return "、".join(dict.fromkeys(n for n in names if n))


# ---------------------------------------------------------------- parts


def _header(styles: Styles, r: InspectionRecord) -> Table:
    e = r.entity
    region = region_by_code(e.region_code) if e.region_code else None
    enforcement = r.summary.kind == ENFORCEMENT
    officers = "；".join(
        f"{o.name}（{o.department}，执法证号：{o.cert_no or '—'}）" if enforcement
        else f"{o.name}（{o.department}）" for o in r.officers)
    span = fmt_datetime(r.started_at) + " 至 " + (
        fmt_datetime(r.ended_at) if r.ended_at else "    时  分")
    party = r.party_name or ""
    if r.party_position:
        party += f"（{r.party_position}）"
    return field_grid(styles, [
        [("被检查单位", e.name), ("统一社会信用代码", e.credit_code or "—")],
        [("地址", e.address or "—")],
        [("单位类型", e.type_label), ("所在地区", region.name if region else "—")],
        [("检查地点", r.place or e.address or "—")],
        [("检查时间", span)],
        [("检查类别", r.summary.kind), ("检查主题", "、".join(r.summary.themes) or "—")],
        [("检查人员", officers or "—")],
        [("记录人", r.recorder or "—")],
        [("负责人或在场人", party or "—"), ("联系电话", r.party_phone or "—")],
    ])


def _notices(styles: Styles, r: InspectionRecord) -> list[Flowable]:
    if r.summary.kind != ENFORCEMENT:
        # a 督查 or 自查 is no enforcement: no 执法证件, no 陈述申辩 or 回避 rights to tell
        text = "检查人员已表明身份并说明来意，被检查单位负责人或在场人陪同检查。"
        return [para("说明", styles.heading), para(text, styles.indent)]
    shown = ("检查人员已出示执法证件，表明身份并说明来意。" if r.credentials_shown
             else "（未记录出示执法证件。）")
    told = ("已告知被检查单位依法享有陈述、申辩和申请检查人员回避的权利，以及如实回答询问、"
            "协助检查的义务。" if r.recusal_notice_given else "（未记录告知申请回避的权利。）")
    asked = "申请回避" if r.recusal_requested else "不申请回避"
    text = f"{shown}{told}当事人表示：{asked}"
    if r.recusal_note:
        text += f"（{r.recusal_note}）"
    text += "。"
    out: list[Flowable] = [para("告知事项", styles.heading), para(text, styles.indent)]
    if r.amendment_reason:
        out.append(para(f"更正说明：{r.amendment_reason}", styles.indent))
    return out


def _item_cell(styles: Styles, item: ChecklistItem | None, code: str,
               basis_style: ParagraphStyle) -> list[Flowable]:
    if item is None:
        return [para(code, styles.cell)]
    basis = served_basis(item.legal_basis)
    # the item's internal code is not printed: the 序号 column numbers the rows
    question = para(without_task_pointer(item.question), styles.cell)
    return [question, para(f"依据：{basis}", basis_style)] if basis else [question]


def _value_cell(item: ChecklistItem | None, finding: Any) -> str:
    value = finding.value
    spec = item.answer if item is not None else None
    if spec is not None and spec.type == "measure":
        shown = "—" if value is None else f"{_num(value)}{spec.unit or ''}"
        limit = spec.threshold_text()
        return f"{shown}\n（标准{limit}）" if limit else shown
    return "" if value in (None, "") else str(value)


def _items_table(styles: Styles, r: InspectionRecord, store_root: Path,
                 tracker: Tracker) -> list[Flowable]:
    """One table per checklist section, each starting with the column header and the section
    title, both repeated when the section runs onto the next page (short tables also keep
    ReportLab from re-measuring hundreds of rows at every page break)."""
    checklist = from_snapshot(r.checklist)
    items = {i.code: i for i in checklist.items}
    section_of = {code: s for s in checklist.sections for code in s.items}
    by_item: dict[str, list[EvidenceInfo]] = {}
    for ev in r.evidence:
        if ev.kind == "photo" and ev.item_code:
            by_item.setdefault(ev.item_code, []).append(ev)
    photo_no = _photo_numbers(r)
    basis_style = ParagraphStyle("basis", parent=styles.cell, fontSize=7.5, leading=10,
                                 textColor=MUTED)
    alert = ParagraphStyle("alert", parent=styles.cell_center, textColor=ALERT)
    groups: list[tuple[str | None, list[list[Any]]]] = []
    current: object = object()
    total = len(r.findings)
    for n, f in enumerate(sorted(r.findings, key=lambda x: x.position), start=1):
        if n % 50 == 0:
            tracker.report(n, total, "正在整理检查项目")
        section = section_of.get(f.item_code)
        key = section.key if section is not None else None
        if key != current or len(groups[-1][1]) >= MAX_ROWS:
            current = key
            groups.append((section.title if section is not None else None, []))
        item = items.get(f.item_code)
        result: Any = (para(f.result, alert) if f.result in (FAIL, PARTIAL)
                       else shown_result(f.result, f.answered))
        photos: list[Flowable] = []
        for ev in by_item.get(f.item_code, ()):
            photos.append(fitted_image(thumbnail_path(store_root, ev.sha256), THUMB_W, THUMB_H,
                                       (ev.width or 4, ev.height or 3)))
            photos.append(para(_caption(ev, photo_no[ev.id], short=True), styles.caption))
        groups[-1][1].append([n, _item_cell(styles, item, f.item_code, basis_style), result,
                              _value_cell(item, f), f.note or "", photos or ""])
    tracker.check()
    tables: list[Flowable] = []
    header = [c[0] for c in COLUMNS]
    widths = [c[1] for c in COLUMNS]
    align = [c[2] for c in COLUMNS]
    for title, rows in groups:
        if title is None:
            tables.append(data_table(styles, header, rows, widths, align=align))
            continue
        band = [para(title, styles.cell_head), "", "", "", "", ""]
        tables.append(data_table(styles, header, [band, *rows], widths, align=align,
                                 repeat_rows=2, extra_style=[
                                     ("SPAN", (0, 1), (-1, 1)),
                                     ("BACKGROUND", (0, 1), (-1, 1), SECTION_FILL)]))
    return tables


def _counts_line(r: InspectionRecord) -> str:
    c = r.summary.counts
    rate = c.rate
    line = (f"本次共检查 {c.total} 项：符合 {c.passed} 项，不符合 {c.failed} 项，"
            f"部分符合 {c.partial} 项，不适用 {c.not_applicable} 项，"
            + (f"记录事项 {c.recorded} 项，" if c.recorded else "")
            + f"未检查 {c.not_checked} 项")
    if rate is not None:
        line += f"；符合率 {rate * 100:.1f}%"
    return line + "。"


def _closing(styles: Styles, r: InspectionRecord, store_root: Path) -> list[Flowable]:
    statement = (r.party_statement or "").strip()
    if statement and not statement.endswith(("。", "！")):
        statement += "。"
    # nothing is written for the party: an opinion not given is a line to write it on
    opinion = statement or "_" * 36
    out: list[Flowable] = [
        para("被检查单位意见", styles.heading),
        para(f"被检查单位负责人或在场人对本记录的意见：{opinion}", styles.indent),
        Spacer(1, 4), para("签名", styles.heading),
        signature_block(styles, _signers(r, store_root)),
    ]
    return out


def _signers(r: InspectionRecord, store_root: Path) -> list[Signer]:
    by_role: dict[str, list[SignatureInfo]] = {}
    for s in r.signatures:
        by_role.setdefault(s.role, []).append(s)
    signers: list[Signer] = []
    signed_officers = {s.name: s for s in by_role.get(ROLE_OFFICER, [])}
    for o in r.officers:
        mine = signed_officers.get(o.name)
        signers.append(Signer(ROLE_OFFICER, o.name, _sig_path(store_root, mine),
                              mine.signed_at if mine else None))
    if r.recorder and r.recorder not in signed_officers:
        signers.append(Signer("记录人", r.recorder))
    parties = by_role.get(ROLE_PARTY, [])
    if not parties:
        signers.append(Signer(ROLE_PARTY, r.party_name or ""))
    for s in parties:
        signers.append(Signer(ROLE_PARTY, s.name, _sig_path(store_root, s), s.signed_at,
                              refused=s.refused, refusal_reason=s.refusal_reason,
                              witness_name=s.witness_name, witness_id=s.witness_id))
    for s in by_role.get(ROLE_WITNESS, []):
        signers.append(Signer(ROLE_WITNESS, s.name, _sig_path(store_root, s), s.signed_at))
    return signers


def _sig_path(store_root: Path, s: SignatureInfo | None) -> str | None:
    if s is None or not s.image_sha256:
        return None
    path = object_path(store_root, s.image_sha256, ".png")
    return str(path) if path.is_file() else None


def _strip(r: InspectionRecord, store_root: Path) -> SignatureStrip:
    party = next((s for s in r.signatures if s.role == ROLE_PARTY), None)
    if party is not None and party.refused:
        slot = StripSlot("被检查单位负责人（签名）：",
                         text=f"拒绝签名（见证人：{party.witness_name or ''}）")
    else:
        img = _sig_path(store_root, party)
        slot = StripSlot("被检查单位负责人（签名）：", (img,) if img else ())
    officers = tuple(p for p in (_sig_path(store_root, s) for s in r.signatures
                                 if s.role == ROLE_OFFICER) if p)
    return SignatureStrip((slot, StripSlot("检查人员（签名）：", officers)))


def _photo_numbers(r: InspectionRecord) -> dict[int, int]:
    return {e.id: n for n, e in enumerate((e for e in r.evidence if e.kind == "photo"), 1)}


def _caption(ev: EvidenceInfo, number: int, *, short: bool = False,
             item_no: int | None = None) -> str:
    when = fmt_datetime(ev.captured_at, blank="时间不详")
    if short:
        return f"图{number} {when[-6:] if ev.captured_at else ''}".strip()
    parts = [f"图{number}"]
    if item_no:
        parts.append(f"（检查第{item_no}项）")
    if ev.caption:
        parts.append(ev.caption)
    parts.append(f"拍摄时间：{when}")
    if ev.photographer:
        parts.append(f"拍摄人：{ev.photographer}")
    return "　".join(parts)


def _appendix(styles: Styles, r: InspectionRecord, photos: list[EvidenceInfo],
              store_root: Path, tracker: Tracker) -> list[Flowable]:
    numbers = _photo_numbers(r)
    rows_of = {f.item_code: n for n, f in enumerate(sorted(r.findings, key=lambda x: x.position),
                                                    start=1)}
    cells: list[list[Flowable]] = []
    for k, ev in enumerate(photos, start=1):
        if k % 10 == 0:
            tracker.report(k, len(photos), "正在排版现场照片")
        path = report_copy_path(store_root, ev.sha256)
        cells.append([fitted_image(path, APPENDIX_W, APPENDIX_H, (ev.width or 4, ev.height or 3)),
                      para(_caption(ev, numbers[ev.id], item_no=rows_of.get(ev.item_code or "")),
                           styles.caption)])
    rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else [])
            for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font.body, 9),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID), ("INNERGRID", (0, 0), (-1, -1), 0.3, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [PageBreak(), para(f"附件：现场照片（共 {len(photos)} 张）", styles.heading),
            Spacer(1, 2), table]


def _esc(text: Any) -> str:
    from reports.layout import esc

    return esc(text)


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
