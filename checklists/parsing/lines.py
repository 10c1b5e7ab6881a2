"""From raw text to clean lines: NFKC, page chrome dropped, duplicated blocks removed."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise

from checklists.parsing.lexicon import lexicon
from checklists.parsing.text import compact, nfkc

#: A repeated passage shorter than this (characters, whitespace removed) is left alone:
#: documents legitimately repeat short phrases; extraction duplicates whole blocks.
MIN_DUPLICATE = 60
_KGRAM = 12


@dataclass(frozen=True)
class Line:
    text: str  # NFKC-normalised, ends stripped (tabs inside kept)
    full: str  # the same before stripping: a table row cut by a line break keeps its spaces
    index: int  # line number in the source text (0-based)
    blank_before: bool  # a blank line (a page or paragraph break) precedes it


def clean_lines(text: str) -> tuple[list[Line], list[str]]:
    """The non-blank, non-chrome lines of ``text`` and the raw source lines."""
    lex = lexicon()
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Line] = []
    chrome_at: list[int] = []  # positions in ``out`` where a footer anchor was dropped
    blank = False
    norms = [nfkc(line).replace("\u200b", "").replace("\ufeff", "") for line in raw]
    if _spaced_out(norms):
        norms = [_SPACED.sub("", line) for line in norms]
    for i, norm in enumerate(norms):
        squeezed = compact(norm)
        if not squeezed and "\t" not in norm:
            blank = True
            continue
        if "\t" not in norm.strip(" ") and any(p.fullmatch(squeezed) for p in lex.chrome_lines):
            if any(anchor in squeezed for anchor in lex.footer_anchors):
                chrome_at.append(len(out))
            continue
        out.append(Line(norm.strip(" \u3000"), norm, i, blank))
        blank = False
    out = _remove_footer(out, chrome_at)
    return _remove_running_titles(_remove_inline_chrome(out)), raw


#: Spaces with no Latin letter on both sides: what OCR puts between Chinese characters.
_SPACED = re.compile(r"(?<![A-Za-z]) +(?![A-Za-z])")
_CJK_GAP = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Share of Chinese characters followed by a space above which a text is read as OCR output.
_SPACED_SHARE = 0.08


def _spaced_out(lines: list[str]) -> bool:
    """Whether the text has spaces between its Chinese characters (OCR, some PDF copies):
    then every such space is dropped, so that names and labels are whole again."""
    text = "\n".join(lines)
    cjk = len(_CJK.findall(text))
    return cjk > 0 and len(_CJK_GAP.findall(text)) > _SPACED_SHARE * cjk


_FOOTER_REACH = 3


def _remove_footer(lines: list[Line], chrome_at: list[int]) -> list[Line]:
    """Drop footer lines (主办单位, 技术支持, …) that stand next to a dropped footer anchor."""
    if not chrome_at:
        return lines
    patterns = lexicon().footer_lines
    near: set[int] = set()
    for at in chrome_at:
        near.update(range(at - _FOOTER_REACH, at + _FOOTER_REACH))
    return [line for k, line in enumerate(lines)
            if k not in near or "\t" in line.full
            or not any(p.fullmatch(compact(line.text)) for p in patterns)]


#: Lines at the top of a text that may be its title; a title repeated further down is a
#: running page header.
_TITLE_LINES = 6
_RUNNING_MIN = 8
_RUNNING_PAGES = 3


def _remove_running_titles(lines: list[Line]) -> list[Line]:
    """Drop later copies of a title-like line from the top of the text (a PDF's running page
    header, a web page's title repeated above its body). Short lines are left alone, and so
    are names (the issuer on a letterhead is named again in the signature)."""
    heads = [compact(line.text) for line in lines[:_TITLE_LINES] if "\t" not in line.full]
    # a title over two lines at the top may run as one line in the page header
    joined = {a + b for a, b in pairwise(heads)}
    suffixes = lexicon().title_suffixes
    top = {t for t in set(heads) | joined
           if len(t) >= _RUNNING_MIN and t.rstrip("》）)").endswith(suffixes)}
    # a running header printed on every page though the title is further down (after a
    # covering notice): a title-like line seen on three pages or more
    counts = Counter(compact(line.text) for line in lines if "\t" not in line.full)
    top |= {t for t, n in counts.items() if n >= _RUNNING_PAGES and len(t) >= _RUNNING_MIN
            and t.rstrip("》）)").endswith(suffixes)}
    if not top:
        return lines
    seen: set[str] = joined - set(heads)  # already shown at the top, over two lines
    out: list[Line] = []
    for line in lines:
        key = compact(line.text)
        if key in top:
            if key in seen:
                continue
            seen.add(key)
        out.append(line)
    return out


def _remove_inline_chrome(lines: list[Line]) -> list[Line]:
    """Remove chrome such as ``文件下载….docx`` even where a line break cut it in two."""
    pattern = lexicon().chrome_inline
    if pattern is None:
        return lines
    index = CompactIndex(lines)
    spans = [(m.start(), m.end()) for m in pattern.finditer(index.text) if m.end() > m.start()]
    return _remove_spans(lines, index, spans)


def remove_duplicate_blocks(lines: list[Line]) -> tuple[list[Line], int]:
    """Drop the second copy of every block that text extraction emitted twice in a row.

    The lines are compared with whitespace removed, so the two copies may be wrapped
    differently. One pass over the text finds every such block. Returns the lines and how
    many blocks were removed.
    """
    index = CompactIndex(lines)
    spans = _tandems(index)
    if not spans:
        return lines, 0
    return _remove_spans(lines, index, spans), len(spans)


class CompactIndex:
    """The text of all lines without whitespace, and where each of its characters stands:
    (line, character in the line), found when asked rather than stored per character."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        parts = ["".join(line.text.split()) for line in lines]
        self.starts: list[int] = []
        total = 0
        for part in parts:
            self.starts.append(total)
            total += len(part)
        self.text = "".join(parts)

    def locate(self, pos: int) -> tuple[int, int]:
        li = bisect_right(self.starts, pos) - 1
        while li + 1 < len(self.starts) and self.starts[li + 1] == self.starts[li] and \
                self.starts[li] == pos:  # skip lines with no characters
            li += 1
        left = pos - self.starts[li]
        for ci, ch in enumerate(self.lines[li].text):
            if not ch.isspace():
                if left == 0:
                    return li, ci
                left -= 1
        raise IndexError(pos)

    def at_line_start(self, pos: int) -> bool:
        """The character at ``pos`` is the first character of its line."""
        return self.locate(pos)[1] == 0


def _tandems(index: CompactIndex) -> list[tuple[int, int]]:
    """(start, end) in the compact text of the second copy of every block ``X X`` with
    len(X) >= MIN_DUPLICATE, in order and without overlap. Each second copy starts at a line
    start where it can."""
    text = index.text
    n = len(text)
    last: dict[str, int] = {}
    # Per distance, where the last run of matching characters ended: a later k-gram inside
    # that run would extend to the same run again, so it is skipped (this keeps the search
    # linear in the text instead of quadratic over long near-repeats).
    reach: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    floor = 0  # a block's first copy starts after the last second copy found
    j = 0
    while j + _KGRAM <= n:
        gram = text[j:j + _KGRAM]
        i = last.get(gram)
        last[gram] = j
        if i is not None and i >= floor and j - i >= MIN_DUPLICATE \
                and reach.get(j - i, -1) < j + _KGRAM:
            d = j - i
            a = i
            while a > floor and text[a - 1] == text[a - 1 + d]:
                a -= 1
            e = i + _KGRAM
            while e + d < n and text[e] == text[e + d]:
                e += 1
            reach[d] = e + d
            if e - a >= d:
                starts = (s for s in range(a, e - d + 1) if index.at_line_start(s + d))
                start = next(starts, a)
                spans.append((start + d, start + 2 * d))
                floor = j = start + 2 * d
                continue
        j += 1
    return spans


def _remove_spans(lines: list[Line], index: CompactIndex,
                  spans: list[tuple[int, int]]) -> list[Line]:
    """Remove the compact-text spans (sorted, not overlapping) from the lines, in one pass."""
    if not spans:
        return lines
    cuts: dict[int, list[tuple[int, int]]] = {}  # line -> [(first char, last char + 1)]
    for start, end in spans:
        first, last = index.locate(start), index.locate(end - 1)
        for li in range(first[0], last[0] + 1):
            lo = first[1] if li == first[0] else 0
            hi = last[1] + 1 if li == last[0] else len(lines[li].text)
            cuts.setdefault(li, []).append((lo, hi))
    out: list[Line] = []
    for li, line in enumerate(lines):
        if li not in cuts:
            out.append(line)
            continue
        kept, pos = [], 0
        for lo, hi in cuts[li]:
            kept.append(line.text[pos:lo])
            pos = max(pos, hi)
        kept.append(line.text[pos:])
        rest = "".join(kept).strip(" ")
        if compact(rest) or "\t" in rest:
            out.append(replace(line, text=rest, full=rest))
    return out
