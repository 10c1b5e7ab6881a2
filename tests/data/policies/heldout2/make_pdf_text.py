"""Build 08_luxi_pdf_page_numbers.txt from src/08_luxi_source.txt the way a PDF-to-text copy
looks: paragraphs hard-wrapped at 27 characters (no line starts with closing or ends with opening punctuation),
'#' lines kept as they are, page numbers '- N -' between blank lines every 26 lines and at
the explicit @PAGE marks."""
from pathlib import Path

HERE = Path(__file__).parent
WIDTH, PAGE = 27, 26
NO_START = "，。；：、）》”！？"
NO_END = "（《“"
def wrap(p):
    lines, cur = [], ""
    for ch in p:
        if len(cur) >= WIDTH and ch not in NO_START:
            carry = ""
            while cur and cur[-1] in NO_END:
                carry = cur[-1] + carry; cur = cur[:-1]
            lines.append(cur); cur = carry
        cur += ch
    if cur: lines.append(cur)
    return lines
out, page, count = [], 1, 0
def page_break():
    global page, count
    out.extend(["", f"                         - {page} -", ""]); page += 1; count = 0
for raw in (HERE / "src" / "08_luxi_source.txt").read_text(encoding="utf-8").splitlines():
    if raw == "#@PAGE":
        page_break(); continue
    lines = [raw[1:]] if raw.startswith("#") else wrap(raw)
    for ln in lines:
        out.append(ln); count += 1
        if count >= PAGE:
            page_break()
page_break()
(HERE / "08_luxi_pdf_page_numbers.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
