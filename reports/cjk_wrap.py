"""Chinese line breaking for ReportLab paragraphs.

ReportLab's ``wordWrap='CJK'`` breaks between any two characters and only keeps a few closing
marks off the start of a line (、。」 but not ，；：？！》”). Official documents follow the
Chinese rules (GB/T 15834 and common typesetting practice): no line begins with closing
punctuation, none ends with opening punctuation, and a number is never cut from the unit or
the 号 that follows it (a 文号 such as 〔2026〕第13号 stays whole). :func:`install` replaces
ReportLab's splitter with :func:`cjk_frag_split`, which moves the break back over such
characters (a few at most) and, where it cannot, lets one closing mark hang in the margin.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.textsplit import getCharWidths
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.rl_config import _FUZZ

#: Characters that may not start a line.
CANNOT_START = set("，。、；：？！）》」』】〕〉”’…—·%％℃）]}>,.;:?!")
#: Characters that may not end a line.
CANNOT_END = set("（《「『【〔〈“‘([{<")
#: Characters kept with a digit before them: 13号, 第5条, 2026年, 80%.
AFTER_DIGIT = set("号条款项年月日时分秒个元%％㎡人次倍")
#: Characters kept with a digit after them: 第1号, 〔2026〕第1号, 2026年4月24日, 09时01分.
BEFORE_DIGIT = set("第〕年月时")
#: Characters inside a code or number: GB 50016-2014, WS/T 870-2025, 9.5.
JOINERS = set("-/.．")
#: How far back a break may move to satisfy the rules (characters).
_MAX_BACK = 14


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def breakable(before: str, after: str, *, strict: bool = True) -> bool:
    """Whether a line may end after ``before`` and the next begin with ``after``. Not
    ``strict``: only the punctuation rules and the digits with their unit (a narrow cell
    cannot keep a whole date or code on one line)."""
    if not before or not after:
        return True
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before.isdigit() and (after.isdigit() or after in AFTER_DIGIT or after in ".．"):
        return False
    if strict and ((after.isdigit() and before in BEFORE_DIGIT)
                   or (before == "〕" and after == "第") or after == "〔"
                   or (before in JOINERS and _is_alnum(after))
                   or (after in JOINERS and _is_alnum(before))
                   or (after == " " and before.isascii() and before.isupper())
                   or (before == " " and after.isascii() and after.isdigit())):
        return False  # 中卫消限改〔2026〕第1号, 2026年4月24日, GB 50016-2014, 第9.5条: whole
    return not (_is_alnum(before) and _is_alnum(after))


def _back_to_break(units: Any, overflow: int, line_start: int, *, strict: bool,
                   locked: frozenset[int] = frozenset()) -> int | None:
    """The nearest place at or before ``overflow`` (a few characters back at most) where the
    line may break, or None. ``locked``: places inside a 文号 (strict only)."""
    lowest = max(line_start + 1, overflow - _MAX_BACK)
    for cut in range(overflow, lowest - 1, -1):
        if strict and cut in locked:
            continue
        if breakable(str(units[cut - 1]), str(units[cut]), strict=strict):
            return cut
    return None


#: A 文号 with its 代字 (中卫消限改〔2026〕第1号): kept on one line where a line can hold it.
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,6}〔\d{4}〕第?\d{1,5}号")


def _locked(text: str) -> frozenset[int]:
    return frozenset(k for m in _DOC_NUMBER.finditer(text)
                     for k in range(m.start() + 1, m.end()))


def cjk_frag_split(frags: Any, maxWidths: Any, calcBounds: Any,
                   encoding: str = "utf8") -> Any:
    """ReportLab's ``cjkFragSplit`` with Chinese line-breaking rules (same arguments)."""
    units: list[Any] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            units.extend(rl_paragraph.cjkU(t, f, encoding) for t in text)
        else:
            units.append(rl_paragraph.cjkU(text, f, encoding))
    lines = []
    i = width_used = line_start = 0
    max_width = maxWidths[0]
    count = len(units)
    while i < count:
        u = units[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        width_used += w
        line_break = hasattr(u.frag, "lineBreak")
        if (width_used > max_width + _FUZZ and width_used > 0) or line_break:
            extra = max_width - width_used
            if not line_break:
                # the character that overflowed goes to the next line: find a break before it
                # that the rules allow, moving back a few characters at most
                cut = _back_to_break(units, i - 1, line_start, strict=True)
                if cut is None:  # a narrow cell: keep only the punctuation rules
                    cut = _back_to_break(units, i - 1, line_start, strict=False)
                if cut is not None:
                    extra += sum(_width(units[k], max_width) for k in range(cut, i))
                    i = cut
                elif str(u) not in CANNOT_START and i > line_start + 1:
                    i -= 1  # no allowed break nearby: plain break, as ReportLab does
                    extra += w
                # else: a closing mark hangs in the margin
            lines.append(rl_paragraph.makeCJKParaLine(units[line_start:i], max_width,
                                                      max_width - extra, extra, line_break,
                                                      calcBounds))
            try:
                max_width = maxWidths[len(lines)]
            except IndexError:
                max_width = maxWidths[-1]
            line_start = i
            width_used = 0
    if width_used > 0:
        lines.append(rl_paragraph.makeCJKParaLine(units[line_start:], max_width, width_used,
                                                  max_width - width_used, False, calcBounds))
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def _width(unit: Any, max_width: float) -> float:
    w = unit.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        return float(w.normalizedValue(max_width))
    return float(w)


def word_split(word: Any, maxWidths: Any, fontName: str, fontSize: float,
               encoding: str = "utf8") -> list[list[Any]]:
    """ReportLab's ``wordSplit`` (a paragraph in one font) with the same rules: a list of
    [unused width, line text]."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    widths = _char_widths(text, fontName, fontSize)
    locked = _locked(text) if "〔" in text else frozenset()
    lines: list[list[Any]] = []
    i = start = 0
    used = 0.0
    max_width = maxWidths[0]
    while i < len(text):
        w = widths[i]
        used += w
        i += 1
        if used > max_width + _FUZZ and used > 0:
            cut = _back_to_break(text, i - 1, start, strict=True, locked=locked)
            if cut is None and locked:  # a narrow line: the 代字 may go on the line above
                cut = _back_to_break(text, i - 1, start, strict=True)
            if cut is None:
                cut = _back_to_break(text, i - 1, start, strict=False)
            if cut is not None:
                i = cut
            elif text[i - 1] not in CANNOT_START and i > start + 1:
                i -= 1
            lines.append([max_width - sum(widths[start:i]), text[start:i].strip()])
            try:
                max_width = maxWidths[len(lines)]
            except IndexError:
                max_width = maxWidths[-1]
            start = i
            used = 0
    if used > 0:
        lines.append([max_width - used, text[start:]])
    return lines


#: Width of each character per (font, size): measuring one character through a TrueType
#: font costs far more than a dictionary lookup, and tables re-measure their cells often.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(text: str, font_name: str, size: float) -> list[float]:
    known = _WIDTHS.setdefault((font_name, size), {})
    missing = set(text).difference(known)
    if missing:
        chars = "".join(missing)
        known.update(zip(chars, getCharWidths(chars, font_name, size), strict=True))
    return [known[ch] for ch in text]


#: ReportLab's own splitters, as they were before :func:`install` (the benchmarks measure
#: plain ReportLab against them).
REPORTLAB_SPLITTERS = (rl_paragraph.cjkFragSplit, rl_paragraph.wordSplit)


def install() -> None:
    """Make every ``wordWrap='CJK'`` paragraph break by these rules (idempotent)."""
    rl_paragraph.cjkFragSplit = cjk_frag_split
    rl_paragraph.wordSplit = word_split
