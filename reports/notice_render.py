"""One formal document (整改文书, 复查意见书) laid out twice: as a PDF and as an editable .docx.

:mod:`reports.notice` and :mod:`reports.recheck` compose a :class:`FormalDocument` (all the
text, in order); :func:`render_pdf` and :func:`render_docx` lay the same text out, so the Word
file an office finishes in WPS says exactly what the PDF says.

The PDF uses the shared page of :mod:`reports.layout` (A4, 第 X 页 共 Y 页, the embedded CJK
font of :mod:`reports.fonts`). The .docx uses the margins of GB/T 9704 (top 37 mm, bottom
35 mm, left 28 mm, right 26 mm), 仿宋 for the text and bold 宋体 for the title (the usual
stand-in for 方正小标宋, which few machines have), with every run's East Asian font set so Word
and WPS do not fall back to a Western font; its footer carries PAGE / NUMPAGES fields.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from reports.fonts import ReportFont

if TYPE_CHECKING:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
from reports.files import CANCELLED
from reports.layout import (
    CONTENT_WIDTH,
    GRID,
    HEAD_FILL,
    PageSpec,
    SealPlaceholder,
    Styles,
    data_table,
    field_grid,
    keep,
    make_styles,
    para,
    title_para,
)
from reports.notice_data import Officer, cn_date
from rules.progress import Tracker

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class TableSpec:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the text width, summing to 1
    centred: tuple[int, ...] = (0,)  # columns whose cells are centred


@dataclass(frozen=True)
class FormalDocument:
    """Everything a formal document prints, in reading order."""

    org: str  # 机关名称, above the title
    title: str
    number: str  # 文书编号
    addressee: str | None  # printed as “某某单位：”
    before: tuple[str, ...]  # paragraphs before the table
    table: TableSpec | None
    after: tuple[str, ...]  # paragraphs after the table
    signer_role: str  # e.g. 检查人员（签名）
    officers: tuple[Officer, ...]
    seal_org: str
    seal_date: date | None
    # 送达回证 rows (label, value, signed): a signed row leaves room to sign and date it
    receipt: tuple[tuple[str, str, bool], ...] = ()
    receipt_note: str = ""
    demo: bool = False
    layout: str = "enforcement"  # enforcement (执法文书) | GONGWEN_LAYOUT (公文, GB/T 9704)
    certified: bool = True  # the officers sign with their 执法证号 (not in a 督查)
    attachments: tuple[str, ...] = ()  # 附件说明 of a 公文

    @property
    def all_text(self) -> str:
        """Every text the document prints (tests and searches use it)."""
        parts = [self.org, self.title, self.number, self.addressee or "", *self.before,
                 *self.after, self.seal_org]
        if self.table is not None:
            parts += [*self.table.header, *(c for r in self.table.rows for c in r)]
        parts += [f"{a}{b}" for a, b, _ in self.receipt]
        parts += list(self.attachments)
        return "\n".join(parts)


RECEIPT_TITLE = "送达回证"
DEMO_MARK = "【演示数据】"
SIGN_LINE = "签名（盖章）："
DATE_LINE = "年　　月　　日"
KEEP_LINES = 2  # body paragraphs kept on the page of the 落款 (no signature page without text)
GONGWEN_LAYOUT = "gongwen"  # 督办通知, 督查反馈意见, 移送函: letter style, no signatures
RED = "#D40000"  # 发文机关标志 and the separating line of a 公文


def attachment_lines(doc: FormalDocument) -> list[str]:
    """附件：1．… as GB/T 9704 prints the 附件说明 (one attachment: no number)."""
    if not doc.attachments:
        return []
    if len(doc.attachments) == 1:
        return [f"附件：{doc.attachments[0]}"]
    return [f"附件：1．{doc.attachments[0]}",
            *(f"　　　{n}．{a}" for n, a in enumerate(doc.attachments[1:], start=2))]


def _officers(doc: FormalDocument) -> tuple[Officer, ...]:
    return doc.officers or (Officer(""), Officer(""))


def _credential(doc: FormalDocument, officer: Officer) -> str:
    """执法证号 of an enforcement officer; the body of one on a 督查."""
    if doc.certified:
        return f"执法证号：{officer.cert_no or ''}"
    return f"单位：{doc.seal_org}"


def _signature_table(doc: FormalDocument, s: Styles) -> Flowable:
    """One row per officer: role, printed name, 执法证号, and room to sign."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table, TableStyle

    rows = [[para(doc.signer_role, s.cell_head), para(o.name, s.cell),
             para(_credential(doc, o), s.cell), para(SIGN_LINE, s.cell)]
            for o in _officers(doc)]
    # the role on one line (劳动保障监察员（签名）), taken from the 执法证号 column's spare room
    role = stringWidth(doc.signer_role, s.cell_head.fontName, s.cell_head.fontSize) + 6 * mm
    grow = min(max(0.0, role - 34 * mm), 12 * mm)
    t = Table(rows, colWidths=[34 * mm + grow, 28 * mm, 50 * mm - grow,
                               CONTENT_WIDTH - 112 * mm],
              minRowHeights=[12 * mm] * len(rows), hAlign="LEFT")
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID),
                           # the table's own font: otherwise ReportLab names Helvetica, which
                           # is not embedded, for the filled cells
                           ("FONT", (0, 0), (-1, -1), s.font.body, 9),
                           ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


# -- PDF -----------------------------------------------------------------------------------------


def render_pdf(doc: FormalDocument, out: PathLike, font: ReportFont,
               tracker: Tracker | None = None) -> int:
    """Write ``doc`` as a PDF; returns the page count."""
    from reports.layout import build_pdf

    tracker = tracker or Tracker(cancel_message=CANCELLED)
    s = make_styles(font)
    body = ParagraphStyle("notice_body", parent=s.body, fontSize=12, leading=21,
                          firstLineIndent=24, alignment=TA_LEFT)
    plain = ParagraphStyle("notice_plain", parent=body, firstLineIndent=0)
    number = ParagraphStyle("notice_number", parent=s.doc_number, fontSize=12, leading=18,
                            spaceAfter=12)
    title = ParagraphStyle("notice_title", parent=s.title, fontSize=20, leading=30,
                           spaceBefore=4, spaceAfter=6)
    right = ParagraphStyle("notice_right", parent=s.cell, alignment=TA_RIGHT)
    story: list[Flowable] = []
    if doc.demo:
        story.append(para(DEMO_MARK, s.small))
    if doc.layout == GONGWEN_LAYOUT:
        story += _gongwen_head(doc, s, title, right)
    else:
        story.append(para(doc.org, s.org))
        story.append(title_para(doc.title, title))
        story.append(para(doc.number, number))
    if doc.addressee:
        story.append(para(f"{doc.addressee}：", plain))
    story += [para(text, body) for text in doc.before]
    tracker.report(1, 3, "正在排列整改事项")
    if doc.table is not None:
        story.append(Spacer(1, 4))
        widths = [w * CONTENT_WIDTH for w in doc.table.widths]
        align = ["C" if i in doc.table.centred else "L" for i in range(len(widths))]
        story.append(data_table(s, doc.table.header, doc.table.rows, widths, align=align))
        story.append(Spacer(1, 6))
    # The 落款 (signatures, seal, date) never starts a page alone: the last lines of the body
    # go with it (GB/T 9704 would otherwise need 此页无正文).
    tail = [para(text, body) for text in doc.after]
    held = tail[-KEEP_LINES:] if tail else []
    story += tail[:len(tail) - len(held)]
    closing: list[Flowable] = list(held)
    if doc.attachments:
        closing.append(Spacer(1, 10))
        closing += [para(line, plain) for line in attachment_lines(doc)]
    closing.append(Spacer(1, 8))
    if doc.layout != GONGWEN_LAYOUT:
        closing += [_signature_table(doc, s), Spacer(1, 4)]
    closing.append(SealPlaceholder(s, doc.seal_org, doc.seal_date))
    story.append(keep(*closing))
    if doc.receipt:
        story.append(PageBreak())
        story.append(para(doc.org, s.org))
        story.append(para(RECEIPT_TITLE, title))
        story.append(Spacer(1, 8))
        rows = []
        for label, value, signed in doc.receipt:
            rows.append([(label, _sign_cell(value, s, right) if signed else value)])
        story.append(field_grid(s, rows, label_width=38 * mm))
        if doc.receipt_note:
            story.append(Spacer(1, 6))
            story.append(para(doc.receipt_note, s.small))
    story.append(CondPageBreak(0))
    tracker.report(2, 3, "正在排版")
    spec = PageSpec(header=f"{doc.title}  {doc.number}", pdf_title=f"{doc.title} {doc.number}",
                    pdf_subject=doc.addressee or "", pdf_author=doc.org)
    pages = build_pdf(out, story, s, spec=spec, tracker=tracker)
    tracker.report(3, 3, "完成")
    return pages


def _gongwen_head(doc: FormalDocument, s: Styles, title: ParagraphStyle,
                  right: ParagraphStyle) -> list[Flowable]:
    """发文机关标志 in red, the red line, the 文号 at the right, and the title (信函格式)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.platypus.flowables import HRFlowable

    red = colors.HexColor(RED)
    mark = ParagraphStyle("gongwen_mark", parent=s.title, fontSize=26, leading=34,
                          alignment=TA_CENTER, textColor=red, spaceAfter=4)
    number = ParagraphStyle("gongwen_number", parent=right, fontSize=12, leading=18)
    return [para(doc.org, mark),
            HRFlowable(width="100%", thickness=2, color=red, spaceBefore=2, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.6, color=red, spaceBefore=0, spaceAfter=4),
            para(doc.number, number), Spacer(1, 10), title_para(doc.title, title),
            Spacer(1, 6)]


def _sign_cell(name: str, s: Styles, right: ParagraphStyle) -> Flowable:
    """A signature cell: the printed name if known, room to sign, and the date line."""
    from reportlab.platypus import Table, TableStyle

    t = Table([[para(name, s.cell)], [para(SIGN_LINE, s.cell)], [para(DATE_LINE, right)]],
              colWidths=[CONTENT_WIDTH - 44 * mm], rowHeights=[6 * mm, 12 * mm, 6 * mm])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("FONT", (0, 0), (-1, -1), s.font.body, 9),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return t


# -- Word ----------------------------------------------------------------------------------------

TEXT_WIDTH_MM = 210 - 28 - 26  # A4 less the GB/T 9704 side margins
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def render_docx(doc: FormalDocument, out: PathLike, tracker: Tracker | None = None) -> None:
    """Write ``doc`` as an editable Word file with the same text as the PDF."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    tracker = tracker or Tracker(cancel_message=CANCELLED)
    d = Document()
    props = d.core_properties  # not python-docx's defaults: the document's own
    props.author = props.last_modified_by = doc.seal_org or doc.org
    props.title = f"{doc.title}（{doc.number}）" if doc.number else doc.title
    props.subject, props.comments, props.keywords = doc.title, "", "整改文书"
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.start_type = WD_SECTION.NEW_PAGE
    normal = d.styles["Normal"]
    normal.font.size = Pt(14)
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(26)
    _footer_page_numbers(section.footer.paragraphs[0])

    def paragraph(text: str, *, size: float = 14, font: str = BODY_FONT, bold: bool = False,
                  align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
                  after: float = 0) -> None:
        p = d.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.space_after = Pt(after)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            _font(run, font, size, bold)
            if i < len(lines) - 1:
                run.add_break()

    if doc.demo:
        paragraph(DEMO_MARK, size=10.5)
    if doc.layout == GONGWEN_LAYOUT:
        paragraph(doc.org, size=26, font=TITLE_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _red(d.paragraphs[-1])
        paragraph(doc.number, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, after=12)
        paragraph(doc.title, size=22, font=TITLE_FONT, bold=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    else:
        paragraph(doc.org, size=16, font=HEAD_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc.title, size=22, font=TITLE_FONT, bold=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc.number, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    if doc.addressee:
        paragraph(f"{doc.addressee}：")
    for text in doc.before:
        paragraph(text, indent=True)
    tracker.report(1, 3, "正在排列整改事项")
    if doc.table is not None:
        spec = doc.table
        table = d.add_table(rows=1, cols=len(spec.header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, spec.header, strict=True):
            _cell(cell, text, HEAD_FONT, WD_ALIGN_PARAGRAPH.CENTER)
        for row in spec.rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
                _cell(cell, text, BODY_FONT,
                      WD_ALIGN_PARAGRAPH.CENTER if i in spec.centred else None)
        _widths(table, [TEXT_WIDTH_MM * w for w in spec.widths])
        paragraph("")
    # The last lines of the body stay on the page of the 落款 (keep_with_next down to the date).
    for n, text in enumerate(doc.after):
        paragraph(text, indent=True)
        if n >= len(doc.after) - KEEP_LINES:
            d.paragraphs[-1].paragraph_format.keep_with_next = True
    if doc.attachments:
        paragraph("")
        d.paragraphs[-1].paragraph_format.keep_with_next = True
        for line in attachment_lines(doc):
            paragraph(line)
            d.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph("")
    d.paragraphs[-1].paragraph_format.keep_with_next = True
    if doc.layout != GONGWEN_LAYOUT:
        signers = d.add_table(rows=0, cols=4)
        signers.style = "Table Grid"
        for o in _officers(doc):
            cells = signers.add_row().cells
            for cell, text in zip(cells, (doc.signer_role, o.name,
                                          _credential(doc, o), SIGN_LINE),
                                  strict=True):
                _cell(cell, text, BODY_FONT, None)
        _widths(signers, [34, 28, 50, TEXT_WIDTH_MM - 112], keep=True)
        for row in signers.rows:
            row.height = Mm(12)  # room to sign
    for text, size in (("", 14), ("（盖章处）", 10.5), (doc.seal_org, 14)):
        paragraph(text, size=size, align=WD_ALIGN_PARAGRAPH.RIGHT)
        d.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph(cn_date(doc.seal_date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    tracker.report(2, 3, "正在写入送达回证")
    if doc.receipt:
        brk = d.add_paragraph().add_run()
        brk.add_break(WD_BREAK.PAGE)
        paragraph(doc.org, size=16, font=HEAD_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(RECEIPT_TITLE, size=22, font=TITLE_FONT, bold=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
        table = d.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value, signed in doc.receipt:
            cells = table.add_row().cells
            _cell(cells[0], label, HEAD_FONT, WD_ALIGN_PARAGRAPH.CENTER)
            if signed:
                _cell(cells[1], f"{value}\n{SIGN_LINE}\n", BODY_FONT, None)
                _cell(cells[1], DATE_LINE, BODY_FONT, WD_ALIGN_PARAGRAPH.RIGHT, new=True)
            else:
                _cell(cells[1], value, BODY_FONT, None)
        _widths(table, [38, TEXT_WIDTH_MM - 38])
        if doc.receipt_note:
            paragraph(doc.receipt_note, size=10.5)
    _save_atomic(d, Path(out), tracker)
    tracker.report(3, 3, "完成")


def _red(p: object) -> None:
    """The 发文机关标志 in red over a red rule (the paragraph's bottom border)."""
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    for run in p.runs:  # type: ignore[attr-defined]
        run.font.color.rgb = RGBColor.from_string(RED.lstrip("#"))
    ppr = p._p.get_or_add_pPr()  # type: ignore[attr-defined]
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(qn("w:bottom"), {qn("w:val"): "thinThickSmallGap",
                                                 qn("w:sz"): "24", qn("w:space"): "6",
                                                 qn("w:color"): RED.lstrip("#")})
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                              "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc")


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    from docx.shared import Pt

    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run.font.name = LATIN_FONT  # type: ignore[attr-defined]
    _east_asian(run._element, name)  # type: ignore[attr-defined]


def _east_asian(element: object, name: str) -> None:
    """Set w:rFonts/@w:eastAsia (python-docx's font.name sets only the Latin slots)."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    if fonts.get(qn("w:ascii")) is None:
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _cell(cell: object, text: str, font: str, align: WD_ALIGN_PARAGRAPH | None,
          new: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER  # type: ignore[attr-defined]
    p = cell.add_paragraph() if new else cell.paragraphs[0]  # type: ignore[attr-defined]
    p.paragraph_format.line_spacing = 1.15
    if align is not None:
        p.alignment = align
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        _font(run, font, 10.5)
        if i < len(lines) - 1:
            run.add_break()


def _widths(table: object, widths_mm: Sequence[float], keep: bool = False) -> None:
    """Fixed column widths that Word, WPS and LibreOffice all honour (grid and cells), rows
    that do not split across pages, and with ``keep`` the whole table kept with what follows."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False  # type: ignore[attr-defined]
    tbl = table._tbl  # type: ignore[attr-defined]
    layout = tbl.tblPr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl.tblPr.append(layout)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(width * 1440 / 25.4)))
    for row in table.rows:  # type: ignore[attr-defined]
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            if keep:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def _repeat_header(row: object) -> None:
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(el)


def _footer_page_numbers(p: object) -> None:
    """第 X 页 共 Y 页 with PAGE and NUMPAGES fields, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    p.alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]

    def text(value: str) -> None:
        _font(p.add_run(value), BODY_FONT, 10.5)  # type: ignore[attr-defined]

    def field(code: str) -> None:
        for kind, instr in (("begin", None), (None, code), ("separate", None),
                            (None, "1"), ("end", None)):
            run = p.add_run()  # type: ignore[attr-defined]
            _font(run, BODY_FONT, 10.5)
            if kind is not None:
                el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
                run._element.append(el)
            elif instr == code:
                el = run._element.makeelement(qn("w:instrText"), {})
                el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                el.text = f" {code} "
                run._element.append(el)
            else:
                run.text = instr or ""

    text("第 ")
    field("PAGE")
    text(" 页 共 ")
    field("NUMPAGES")
    text(" 页")


def _save_atomic(document: object, target: Path, tracker: Tracker) -> None:
    tracker.check()
    target.parent.mkdir(parents=True, exist_ok=True)
    # A plain new file (not mkstemp, whose 0600 mode would stick to the saved document).
    tmp = target.with_name(f".{target.stem}-{uuid.uuid4().hex[:8]}.docx")
    try:
        document.save(tmp)  # type: ignore[attr-defined]
        tracker.check()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def join(values: Sequence[str], blank: str = "—") -> str:
    return "\n".join(v for v in values if v) or blank
