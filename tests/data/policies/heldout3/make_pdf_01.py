"""Makes 01_anshan_pdf_page_break.pdf from src/01_anshan_source.txt (reportlab, WenQuanYi font).

Lines: '#C ' centred, '#R ' right, '#N ' flush left, '#L ' flush left unwrapped, '#B' blank line,
'#P' new page; other lines are body paragraphs (2-character indent, wrapped at 28 characters with
a simple CJK rule: closing punctuation never starts a line). '<PB>' in a paragraph: the page ends
after the line holding that point. Page numbers '— N —' at the foot of every page.
"""
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent
pdfmetrics.registerFont(TTFont("wqy", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))
W, H = A4
SIZE = 15
LEAD = 28
PER_LINE = 28
LINES = 22
TOP = H - 90
LEFT = 75
NO_START = "，。、；：）》」』！？％”’"


def wrap(text, width, indent):
    lines, cur, cap = [], "", width - indent
    pb_at = None
    clean = ""
    for ch in text.split("<PB>")[0]:
        clean += ch
    if "<PB>" in text:
        pb_at = len(clean)
        clean += text.split("<PB>")[1]
    pos = 0
    line_ends = []
    for ch in clean:
        if len(cur) >= cap and ch not in NO_START:
            lines.append(cur)
            line_ends.append(pos)
            cur, cap = "", width
        cur += ch
        pos += 1
    lines.append(cur)
    line_ends.append(pos)
    brk = None
    if pb_at is not None:
        brk = next(i for i, e in enumerate(line_ends) if e >= pb_at)
    return lines, brk


def build(src, out):
    items = []  # (kind, text, indent, pagebreak_after)
    for raw in src.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#P"):
            items.append(("page", "", 0, False))
        elif raw.startswith("#B"):
            items.append(("left", "", 0, False))
        elif raw[:3] in ("#C ", "#R ", "#N ", "#L "):
            kind = {"#C ": "centre", "#R ": "right", "#N ": "left", "#L ": "left"}[raw[:3]]
            text = raw[3:]
            if raw[:3] == "#N ":
                lines, _ = wrap(text, PER_LINE, 0)
                for ln in lines:
                    items.append(("left", ln, 0, False))
            else:
                items.append((kind, text, 0, False))
        else:
            lines, brk = wrap(raw, PER_LINE, 2)
            for k, ln in enumerate(lines):
                items.append(("left", ln, 2 if k == 0 else 0, k == brk))
    c = canvas.Canvas(str(out), pagesize=A4)
    c.setTitle("")
    page, row = 1, 0

    def finish():
        nonlocal page, row
        c.setFont("wqy", 12)
        c.drawCentredString(W / 2, 50, f"— {page} —")
        c.showPage()
        page += 1
        row = 0

    for kind, text, indent, brk in items:
        if kind == "page":
            finish()
            continue
        if row >= LINES:
            finish()
        c.setFont("wqy", SIZE)
        y = TOP - row * LEAD
        if kind == "centre":
            c.drawCentredString(W / 2, y, text)
        elif kind == "right":
            c.drawRightString(W - LEFT - 2 * SIZE, y, text)
        else:
            c.drawString(LEFT + indent * SIZE, y, text)
        row += 1
        if brk:
            finish()
    finish()
    c.save()


if __name__ == "__main__":
    build(HERE / "src" / "01_anshan_source.txt", HERE / "01_anshan_pdf_page_break.pdf")
