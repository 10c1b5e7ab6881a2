"""The shared look of every PDF report: styles, the A4 page, titles, tables and signatures.

A builder makes its story from the helpers here and hands it to :func:`build_pdf`, which lays
it out on A4 with 第 X 页 共 Y 页 at the foot of every page (one pass: :class:`_NumberedCanvas`
keeps the pages and stamps the total when the document is saved). A builder may add a
:class:`SignatureStrip`, drawn in the footer of every page, for documents that the party and
the officers sign page by page (现场检查笔录). Progress and cancellation go through
:class:`rules.progress.Tracker`; a cancelled build raises ``Cancelled`` and writes nothing.

The API here is used by several builders (record, notices, recheck, summary); keep it stable.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepTogether

from reports import cjk_wrap
from reports.files import CANCELLED, publish
from reports.fonts import ReportFont
from rules.china_time import beijing
from rules.progress import Tracker

cjk_wrap.install()  # Chinese line-breaking rules for every wordWrap='CJK' paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 25 * mm  # binding side
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm  # page number only; a signature strip adds STRIP_HEIGHT
STRIP_HEIGHT = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
CELL_SIZE = 9  # pt, table text
LONG_CELL = 600  # characters: a cell this long lets its table split inside rows
GRID = colors.HexColor("#404040")
HEAD_FILL = colors.HexColor("#E8E8E8")
MUTED = colors.HexColor("#555555")

Out = str | os.PathLike[str] | BinaryIO

# Image streams in binary rather than ASCII85: a quarter smaller, and without ReportLab's C
# accelerator the pure-Python ASCII85 encoder dominates the time of a report with photos.
rl_config.useA85 = 0


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of the reports, all wrapping Chinese with ``wordWrap='CJK'``.

    title 小二 heading font centred; org 机关名称 above the title; doc_number centred (文号);
    heading section titles; body 五号 running text; indent body with a two-character first-line
    indent; cell / cell_center / cell_head table text; caption photo captions; small notes.
    """

    font: ReportFont
    title: ParagraphStyle
    org: ParagraphStyle
    doc_number: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    indent: ParagraphStyle
    right: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    small: ParagraphStyle


def make_styles(font: ReportFont) -> Styles:
    def style(name: str, size: float, leading: float, *, heading: bool = False,
              align: int = TA_LEFT, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font.heading if heading else font.body,
                              fontSize=size, leading=leading, alignment=align,
                              wordWrap="CJK", **extra)

    return Styles(
        font=font,
        title=style("title", 18, 26, heading=True, align=TA_CENTER, spaceAfter=4),
        org=style("org", 15, 22, heading=True, align=TA_CENTER, spaceAfter=2),
        doc_number=style("doc_number", 10.5, 16, align=TA_CENTER, spaceAfter=8),
        heading=style("heading", 12, 18, heading=True, spaceBefore=8, spaceAfter=4),
        body=style("body", 10.5, 17),
        indent=style("indent", 10.5, 17, firstLineIndent=21),
        right=style("right", 10.5, 17, align=TA_RIGHT),
        cell=style("cell", CELL_SIZE, 12.5),
        cell_center=style("cell_center", 9, 12.5, align=TA_CENTER),
        cell_head=style("cell_head", 9, 12.5, heading=True, align=TA_CENTER),
        caption=style("caption", 7.5, 10, align=TA_CENTER, textColor=MUTED),
        small=style("small", 8, 11, textColor=MUTED),
    )


def esc(text: Any) -> str:
    """Text made safe for a Paragraph (which reads a small XML markup); None becomes ''."""
    if text is None:
        return ""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br/>"))


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (escaped)."""
    return Paragraph(esc(text), style)


# ---------------------------------------------------------------- dates


def local(value: datetime) -> datetime:
    """A stored (UTC) time in 北京时间, as printed on documents whatever the computer's zone."""
    return beijing(value)


def fmt_date(value: date | datetime | None, blank: str = "    年  月  日") -> str:
    """2026年11月26日, or a blank to fill in by hand."""
    if value is None:
        return blank
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def fmt_datetime(value: datetime | None, blank: str = "    年  月  日  时  分") -> str:
    """2026年11月26日 14时05分."""
    if value is None:
        return blank
    value = local(value)
    return f"{value.year}年{value.month}月{value.day}日 {value.hour:02d}时{value.minute:02d}分"


# ---------------------------------------------------------------- blocks


#: Places a long title may be broken (GB/T 9704: a title's lines keep words whole): after
#: 的, a closing book-title mark, a list mark or a body's name; before a verb or a noun that
#: starts a phrase.
_TITLE_BREAK_AFTER = set("的》、和及与")
_TITLE_BREAK_AFTER_WORDS = ("委员会", "联合会", "人民政府", "办公室", "局", "厅", "委")
_TITLE_BREAK_BEFORE = ("关于", "落实", "开展", "推进", "加强", "贯彻", "督查", "检查", "整改",
                       "工作", "情况", "有关", "积极", "进一步")


def _title_break(text: str, k: int) -> bool:
    if text[k] in cjk_wrap.CANNOT_START or text[k - 1] in cjk_wrap.CANNOT_END:
        return False
    return (text[k - 1] in _TITLE_BREAK_AFTER or text[:k].endswith(_TITLE_BREAK_AFTER_WORDS)
            or text[k:].startswith(_TITLE_BREAK_BEFORE))


def title_para(text: str, style: ParagraphStyle, width: float = 0.0) -> Paragraph:
    """A title that fits one line as is; a longer one broken where its words allow (after
    的, 》, a body's name; before 落实, 督查, 情况 …), the lines as even as such a break makes
    them. Without such a place,
    or when three lines are needed, the usual wrapping."""
    width = width or CONTENT_WIDTH
    size = style.fontSize

    def fits(part: str) -> bool:
        return bool(stringWidth(part, style.fontName, size) <= width - 2)

    if fits(text):
        return para(text, style)
    best: tuple[float, int] | None = None
    for k in range(2, len(text) - 2):
        if not _title_break(text, k):
            continue
        first, second = text[:k], text[k:]
        if fits(first) and fits(second):
            score = abs(len(first) - len(second))
            if best is None or score < best[0]:
                best = (score, k)
    if best is None:
        return para(text, style)
    k = best[1]
    return Paragraph(f"{esc(text[:k])}<br/>{esc(text[k:])}", style)


class Shrinkable(Flowable):  # type: ignore[misc]
    """A chart that, rather than leave much of a page empty by moving to the next, is drawn
    smaller where at least ``least`` of its height is left on the page."""

    def __init__(self, content: Flowable, least: float = 0.75) -> None:
        super().__init__()
        self.content = content
        self.least = least
        self.scale = 1.0
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self.content.wrap(avail_width, avail_height)
        self.scale = 1.0
        if height > avail_height >= height * self.least:
            self.scale = avail_height / height
        return width * self.scale, height * self.scale

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        self.content.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


def title_block(styles: Styles, title: str, *, org: str | None = None,
                doc_number: str | None = None) -> list[Flowable]:
    """机关名称 (optional), the centred 文书 title, and the 文号 line (optional)."""
    story: list[Flowable] = []
    if org:
        story.append(para(org, styles.org))
    story.append(title_para(title, styles.title))
    if doc_number:
        story.append(para(doc_number, styles.doc_number))
    else:
        story.append(Spacer(1, 6))
    return story


def field_grid(styles: Styles, rows: Sequence[Sequence[tuple[str, Any]]],
               width: float = CONTENT_WIDTH, label_width: float | None = None) -> Table:
    """The boxed header of a 文书: each row holds one or two (label, value) pairs.

    A row with one pair spans the full width; values wrap, so nothing is clipped. The label
    column fits the longest label (up to 34 mm) unless ``label_width`` is given.
    """
    pairs = max(len(r) for r in rows)
    if label_width is None:
        longest = max(stringWidth(label, styles.cell_head.fontName, styles.cell_head.fontSize)
                      for row in rows for label, _ in row)
        label_width = min(34 * mm, max(18 * mm, longest + 14))
    value_width = (width - pairs * label_width) / pairs
    widths = [label_width, value_width] * pairs
    data: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    for r, row in enumerate(rows):
        cells: list[Any] = []
        for label, value in row:
            spans.append(("BACKGROUND", (len(cells), r), (len(cells), r), HEAD_FILL))
            cells += [para(label, styles.cell_head),
                      value if isinstance(value, Flowable) else para(value, styles.cell)]
        if len(row) < pairs:
            spans.append(("SPAN", (len(cells) - 1, r), (2 * pairs - 1, r)))
            cells += [""] * (2 * pairs - len(cells))
        data.append(cells)
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("FONT", (0, 0), (-1, -1), styles.font.body, 9),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans,
    ]))
    return table


def data_table(styles: Styles, header: Sequence[str], rows: Sequence[Sequence[Any]],
               col_widths: Sequence[float], *, align: Sequence[str] | None = None,
               extra_style: Sequence[tuple[Any, ...]] = (), repeat_rows: int = 1) -> Table:
    """A ruled table whose header row repeats on every page; cells wrap and rows may split.

    ``rows`` hold plain values (wrapped into Paragraphs here) or ready Flowables. ``align``
    gives per column "L" or "C". A row that may be taller than a page is split inside, so no
    cell is ever clipped (rows otherwise move whole). ``repeat_rows`` > 1 also repeats the
    first data rows (e.g. a section title) on a continuation page.

    ReportLab re-measures every remaining row each time a table splits, so a very long list
    is best given as several consecutive tables (one per section, say) of a few dozen rows.
    """
    align = align or ["L"] * len(header)
    data: list[list[Any]] = [[para(h, styles.cell_head) for h in header]]
    room = [w - 6 for w in col_widths]  # the cell paddings below are 3 + 3
    for row in rows:
        data.append([_cell(styles, cell, a, width) for cell, a, width in
                     zip(row, align, room, strict=True)])
    # Rows move whole to the next page; only a table with a very long cell (which could be
    # taller than a page, and would otherwise fail to lay out) may split inside a row.
    tall = any(len(c) > LONG_CELL if isinstance(c, str) else
               isinstance(c, list) and len(c) > 8 for row in rows for c in row)
    table = Table(data, colWidths=list(col_widths), repeatRows=repeat_rows, splitByRow=1,
                  splitInRow=1 if tall else 0, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("FONT", (0, 0), (-1, -1), styles.font.body, CELL_SIZE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *[("ALIGN", (i, 1), (i, -1), "CENTER") for i, a in enumerate(align) if a == "C"],
        *extra_style,
    ]))
    return table


def _cell(styles: Styles, value: Any, align: str, room: float) -> Any:
    """A table cell: Flowables as given; blanks empty; a short one-line text in a centred
    column as a plain string (drawn directly, which is much cheaper than a Paragraph) when it
    fits; anything else a wrapping Paragraph."""
    if isinstance(value, Flowable | list):
        return value
    if value is None or value == "":
        return ""
    text = str(value)
    if align == "C" and "\n" not in text and len(text) <= 12 and stringWidth(
            text, styles.font.body, CELL_SIZE) <= room:
        return text
    return para(text, styles.cell_center if align == "C" else styles.cell)


def fitted_image(path: str | os.PathLike[str], max_width: float, max_height: float,
                 size: tuple[int, int] | None = None) -> Image:
    """An image scaled to fit the box with its aspect ratio kept (never stretched).

    ``size`` (pixel width, height) saves opening the file when the caller knows it.
    """
    if size is None or not size[0] or not size[1]:
        with PILImage.open(path) as im:
            size = im.size
    w, h = size
    scale = min(max_width / w, max_height / h)
    return Image(str(path), width=w * scale, height=h * scale)


@dataclass(frozen=True)
class Signer:
    """One line of a signature block: a signature image, a blank to sign, or a refusal."""

    role: str
    name: str = ""
    image: str | None = None  # path of the signature PNG
    signed_at: datetime | None = None
    refused: bool = False
    refusal_reason: str | None = None
    witness_name: str | None = None
    witness_id: str | None = None


def signature_block(styles: Styles, signers: Sequence[Signer],
                    width: float = CONTENT_WIDTH) -> Table:
    """Role, name, the signature (or 拒绝签名 with the 见证人) and the date, one row each."""
    rows: list[list[Any]] = []
    for s in signers:
        if s.refused:
            text = "拒绝签名"
            if s.refusal_reason:
                text += f"（{s.refusal_reason}）"
            if s.witness_name:
                text += f"。见证人：{s.witness_name}"
                if s.witness_id:
                    text += f"（{s.witness_id}）"
            sig: Any = para(text, styles.cell)
        elif s.image:
            sig = fitted_image(s.image, 40 * mm, 11 * mm)
        else:
            sig = ""
        rows.append([para(s.role, styles.cell_head), para(s.name, styles.cell), sig,
                     para(fmt_date(s.signed_at), styles.cell_center)])
    table = Table(rows, colWidths=[32 * mm, 30 * mm, width - 100 * mm, 38 * mm],
                  rowHeights=None, hAlign="LEFT", minRowHeights=[14 * mm] * len(rows))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), styles.font.body, 9),
        ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
    ]))
    return table


class SealPlaceholder(Flowable):  # type: ignore[misc]
    """The place for the seal: 机关名称 and date at the right, over a dashed circle (盖章处)."""

    def __init__(self, styles: Styles, org: str | None, when: date | datetime | None,
                 width: float = CONTENT_WIDTH) -> None:
        super().__init__()
        self.styles, self.org, self.when = styles, org, when
        self.width, self.height = width, 42 * mm

    def draw(self) -> None:
        c = self.canv
        cx, cy, r = self.width - 32 * mm, 22 * mm, 20 * mm
        c.saveState()
        c.setStrokeColor(colors.HexColor("#B0B0B0"))
        c.setDash(3, 3)
        c.circle(cx, cy, r)
        c.setFillColor(colors.HexColor("#A0A0A0"))
        c.setFont(self.styles.font.body, 8)
        c.drawCentredString(cx, cy + r - 6 * mm, "（盖章处）")
        c.setFillColor(colors.black)
        c.setFont(self.styles.font.body, 10.5)
        if self.org:
            c.drawCentredString(cx, cy + 1 * mm, self.org)
        c.drawCentredString(cx, cy - 7 * mm, fmt_date(self.when))
        c.restoreState()


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class StripSlot:
    """One signer's place in the per-page signature strip: label, and images when signed."""

    label: str  # e.g. 被检查单位负责人（签名）
    images: tuple[str, ...] = ()  # signature PNG paths, drawn side by side
    text: str | None = None  # printed instead, e.g. 拒绝签名（见证人：王五）


@dataclass(frozen=True)
class SignatureStrip:
    """Signatures drawn at the foot of every page (each page of a 笔录 is signed)."""

    slots: tuple[StripSlot, ...]


@dataclass(frozen=True)
class PageSpec:
    """Per-document page decoration: a small running header and an optional strip."""

    header: str | None = None  # e.g. the document title, printed top right from page 2
    strip: SignatureStrip | None = None
    pdf_title: str = ""
    pdf_subject: str = ""
    pdf_author: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # across every page, pale: 草稿 on an unsigned record, 演示数据 on anything from demo data
    watermark: str | None = None


def _decorate(c: rl_canvas.Canvas, page: int, total: int, spec: PageSpec,
              styles: Styles, readers: dict[str, ImageReader]) -> None:
    c.saveState()
    if spec.watermark:
        _draw_watermark(c, spec.watermark, styles)
    c.setFont(styles.font.body, 9)
    c.setFillColor(colors.black)
    c.drawCentredString(PAGE_WIDTH / 2, 10 * mm, f"第 {page} 页 共 {total} 页")
    if spec.header and page > 1:
        c.setFillColor(MUTED)
        c.setFont(styles.font.body, 8)
        c.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, PAGE_HEIGHT - 12 * mm, spec.header)
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setLineWidth(0.4)
        c.line(MARGIN_LEFT, PAGE_HEIGHT - 13.5 * mm, PAGE_WIDTH - MARGIN_RIGHT,
               PAGE_HEIGHT - 13.5 * mm)
    if spec.strip is not None:
        # the same strip on every page: drawn once as a form, placed on each page
        if not c.hasForm(STRIP_FORM):
            c.beginForm(STRIP_FORM)
            _draw_strip(c, spec.strip, styles, readers)
            c.endForm()
        c.doForm(STRIP_FORM)
    c.restoreState()


STRIP_FORM = "signature_strip"


WATERMARK = colors.Color(0.75, 0.1, 0.1, alpha=0.16)


def _draw_watermark(c: rl_canvas.Canvas, text: str, styles: Styles) -> None:
    """Large pale text across the page, under nothing the eye needs: 草稿, 演示数据."""
    c.saveState()
    c.setFillColor(WATERMARK)
    size = 96 if len(text) <= 2 else 64
    c.setFont(styles.font.heading, size)
    c.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    c.rotate(35)
    c.drawCentredString(0, -size / 3, text)
    c.restoreState()


def _draw_strip(c: rl_canvas.Canvas, strip: SignatureStrip, styles: Styles,
                readers: dict[str, ImageReader]) -> None:
    top = MARGIN_BOTTOM + STRIP_HEIGHT - 2 * mm
    c.setStrokeColor(GRID)
    c.setLineWidth(0.5)
    c.line(MARGIN_LEFT, top, PAGE_WIDTH - MARGIN_RIGHT, top)
    n = max(1, len(strip.slots))
    slot_w = CONTENT_WIDTH / n
    base = MARGIN_BOTTOM + 1 * mm
    for i, slot in enumerate(strip.slots):
        x = MARGIN_LEFT + i * slot_w
        c.setFillColor(colors.black)
        c.setFont(styles.font.body, 8.5)
        c.drawString(x, top - 4 * mm, slot.label)
        if slot.text:
            c.setFont(styles.font.body, 8)
            c.drawString(x, base + 2 * mm, slot.text[:40])
            continue
        ix = x
        for img in slot.images:
            reader = readers.get(img)
            if reader is None:
                reader = readers[img] = ImageReader(img)
            iw, ih = reader.getSize()
            h = 8.5 * mm
            w = min(iw * h / ih, (slot_w - 2 * mm) / max(1, len(slot.images)))
            h = ih * w / iw
            c.drawImage(reader, ix, base, width=w, height=h, mask="auto")
            ix += w + 1 * mm
        if not slot.images:
            c.setStrokeColor(colors.HexColor("#888888"))
            c.line(x, base + 1 * mm, x + slot_w - 6 * mm, base + 1 * mm)


def _numbered_canvas(spec: PageSpec, styles: Styles) -> type[rl_canvas.Canvas]:
    readers: dict[str, ImageReader] = {}  # signature images, decoded once per document

    class _NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        """Holds each page until save() so every footer can print the page total."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = styles.font.body  # no stray Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, number, total, spec, styles, readers)
                super().showPage()
            super().save()

    return _NumberedCanvas


def build_pdf(out: Out, story: list[Flowable], styles: Styles, *, spec: PageSpec | None = None,
              tracker: Tracker | None = None, total_hint: int = 0) -> int:
    """Lay out ``story`` on A4 pages and write the PDF; returns the page count.

    ``out`` is a path (written to a temporary file and renamed, so a cancelled or failed build
    leaves nothing behind) or a binary stream. ``tracker`` gets a report per page laid out and
    may cancel (done/total count the story's flowables). ``total_hint`` is accepted for
    compatibility and ignored: ReportLab reports the real count.
    """
    spec = spec or PageSpec()
    tracker = tracker or Tracker(cancel_message=CANCELLED)
    bottom = MARGIN_BOTTOM + (STRIP_HEIGHT if spec.strip else 0)
    frame = Frame(MARGIN_LEFT, bottom, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT,
                          rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=bottom,
                          title=spec.pdf_title, subject=spec.pdf_subject,
                          author=spec.pdf_author, creator="积极生育支持措施落实检查工具",
                          pageTemplates=[PageTemplate(id="page", frames=[frame])])
    state = {"total": len(story) or 1, "done": 0, "page": 0}

    def on_progress(kind: str, value: int) -> None:
        # SIZE_EST: flowables to lay out; PROGRESS: flowables done; PAGE: a page begins.
        if kind == "SIZE_EST":
            state["total"] = max(1, value)
        elif kind == "PROGRESS":
            state["done"] = value
            tracker.check()
        elif kind == "PAGE":
            state["page"] = value
            tracker.report(min(state["done"], state["total"]), state["total"],
                           f"正在排版第 {value} 页")

    doc.setProgressCallBack(on_progress)
    doc.build(_headings_kept_on_page(story), canvasmaker=_numbered_canvas(spec, styles))
    tracker.check()
    data = buffer.getvalue()
    _write(out, data)
    return state["page"] or 1


#: A heading starts a new page only when less than this is left below it, so a heading never
#: ends a page, yet a long table after it still starts on the same page and splits.
HEADING_ROOM = 40 * mm


def _headings_kept_on_page(story: list[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, Paragraph) and flowable.style.name == "heading":
            out.append(CondPageBreak(HEADING_ROOM))
        out.append(flowable)
    return out


def _write(out: Out, data: bytes) -> None:
    if hasattr(out, "write"):
        out.write(data)
        return
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        publish(Path(tmp), target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


