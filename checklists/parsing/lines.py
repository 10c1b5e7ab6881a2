"""From raw text to clean lines: NFKC, page chrome dropped, duplicated blocks removed."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    blank = False
    for i, line in enumerate(raw):
        norm = nfkc(line).replace("\u200b", "").replace("\ufeff", "")
        squeezed = compact(norm)
        if not squeezed and "\t" not in norm:
            blank = True
            continue
        if "\t" not in norm.strip(" ") and any(p.fullmatch(squeezed) for p in lex.chrome_lines):
            continue
        out.append(Line(norm.strip(" \u3000"), norm, i, blank))
        blank = False
    return _remove_inline_chrome(out), raw


def _remove_inline_chrome(lines: list[Line]) -> list[Line]:
    """Remove chrome such as ``文件下载….docx`` even where a line break cut it in two."""
    pattern = lexicon().chrome_inline
    if pattern is None:
        return lines
    text, where = _compact_index(lines)
    spans = [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
    for start, end in reversed(spans):
        lines = _remove(lines, where[start], where[end - 1])
    return lines


def remove_duplicate_blocks(lines: list[Line]) -> tuple[list[Line], int]:
    """Drop the second copy of every block that text extraction emitted twice in a row.

    The lines are compared with whitespace removed, so the two copies may be wrapped
    differently. Returns the lines and how many blocks were removed.
    """
    removed = 0
    while True:
        found = _find_tandem(lines)
        if found is None:
            return lines, removed
        lines = _cut(lines, *found)
        removed += 1


def _compact_index(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """The compact text of all lines and, per compact character, (line, char) in the line."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for li, line in enumerate(lines):
        for ci, ch in enumerate(line.text):
            if not ch.isspace():
                chars.append(ch)
                where.append((li, ci))
    return "".join(chars), where


def _find_tandem(lines: list[Line]) -> tuple[int, int, list[tuple[int, int]]] | None:
    """(start, period, index) of a block ``X X`` with len(X) >= MIN_DUPLICATE, or None.

    ``start`` is chosen so that the second copy starts at a line start when it can.
    """
    text, where = _compact_index(lines)
    n = len(text)
    last: dict[str, int] = {}
    j = 0
    while j + _KGRAM <= n:
        gram = text[j:j + _KGRAM]
        i = last.get(gram)
        last[gram] = j
        if i is not None and j - i >= MIN_DUPLICATE:
            d = j - i
            a = i
            while a > 0 and text[a - 1] == text[a - 1 + d]:
                a -= 1
            e = i + _KGRAM
            while e + d < n and text[e] == text[e + d]:
                e += 1
            if e - a >= d:
                starts = [s for s in range(a, e - d + 1) if where[s + d][1] == 0]
                return (starts[0] if starts else a), d, where
        j += 1
    return None


def _cut(lines: list[Line], start: int, period: int, where: list[tuple[int, int]]) -> list[Line]:
    """Remove compact characters [start + period, start + 2 * period) from the lines."""
    return _remove(lines, where[start + period], where[start + 2 * period - 1])


def _remove(lines: list[Line], first: tuple[int, int], last: tuple[int, int]) -> list[Line]:
    """Remove the text from (line, char) ``first`` to ``last`` inclusive."""
    out: list[Line] = []
    for li, line in enumerate(lines):
        if li < first[0] or li > last[0]:
            out.append(line)
            continue
        lo = first[1] if li == first[0] else 0
        hi = last[1] + 1 if li == last[0] else len(line.text)
        rest = (line.text[:lo] + line.text[hi:]).strip(" ")
        if compact(rest) or "\t" in rest:
            out.append(replace(line, text=rest, full=rest))
    return out
