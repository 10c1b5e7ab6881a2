"""Numbered items of running text: markers, their nesting, and the text each one covers.

A marker counts only at the start of a line, and only when its number continues the
sequence of its style (or starts one), so a wrapped line that happens to begin with "3." is
not taken for an item. Lines are joined into one stream first, so a marker or a label that a
line break cut in two is still found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from checklists.parsing.lines import Line
from checklists.parsing.text import cn_to_int, int_to_cn, is_cjk, join_parts

_CN = "一二三四五六七八九十百零〇"
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("zhang", re.compile(rf"第([{_CN}]+)章")),
    ("tiao", re.compile(rf"第([{_CN}]+)条")),
    ("pcn", re.compile(r"\(\s?([一二三四五六七八九十]+)\s?\)")),
    ("cn", re.compile(r"([一二三四五六七八九十]+)\s?[、.](?![\d、])")),
    ("di", re.compile(r"第([一二三四五六七八九十]+)\s?[,、](?!\s?第)")),  # 第一，… 第二，…
    ("pnum", re.compile(r"\(\s?(\d{1,3})\s?\)")),
    ("num", re.compile(r"(\d{1,3})\s?[.、)）](?![\d.])")),  # 1. 1、 1)
    ("circ", re.compile("([\u2460-\u2473])")),
)
#: A line this long before a page break is a full text line, where a doubled character is
#: an extraction artefact rather than a word.
_FULL_LINE = 18


@dataclass
class Marker:
    style: str
    value: int
    number: str  # normalised as shown: 一, (一), 1, (1), 第一条, ①
    start: int  # stream offset of the marker
    body_start: int  # stream offset just after it
    line: int  # index into the lines list


@dataclass
class Item:
    marker: Marker
    parent: Item | None
    end: int = 0  # stream offset where its own span ends (next marker or end of body)
    children: list[Item] = field(default_factory=list)
    title: str = ""
    preamble: bool = False

    @property
    def number(self) -> str:
        return self.marker.number

    def path(self) -> str:
        parts: list[str] = []
        node: Item | None = self
        while node is not None:
            parts.append(node.number)
            node = node.parent
        return "/".join(reversed(parts))


@dataclass
class Stream:
    text: str
    starts: list[int]  # stream offset of each line
    lines: list[Line]
    doubled: list[str]  # fragments where a doubled character at a page break was dropped
    # (offset, number as written, number expected) of a line that starts like the next item of
    # a run but skips a number: a measure may be missing, or the line is no new item
    gaps: list[tuple[int, str, str]] = field(default_factory=list)

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def line_end(self, line: int) -> int:
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)


def match_marker(text: str, pos: int) -> tuple[str, int, str, int] | None:
    """(style, value, normalised number, end offset) of a marker at ``pos``, or None."""
    for style, pattern in MARKERS:
        m = pattern.match(text, pos)
        if not m:
            continue
        raw = m.group(1)
        if style in ("num", "pnum"):
            value = int(raw)
        elif style == "circ":
            value = ord(raw) - 0x2460 + 1
        else:
            parsed = cn_to_int(raw)
            if parsed is None:
                continue
            value = parsed
        number = {"pcn": f"({raw})", "pnum": f"({value})", "tiao": f"第{raw}条", "di": f"第{raw}",
                  "zhang": f"第{raw}章", "num": str(value)}.get(style, raw)
        return style, value, number, m.end()
    return None


def build_stream(lines: list[Line], mend_from: int = 0) -> Stream:
    """Join the lines into one text; record where each starts.

    Chinese fragments are joined without a separator. Where a page break (a blank line)
    falls inside a word and the extraction doubled the character at the break, the copy is
    dropped (from line ``mend_from`` on: the head before the first item is left alone).
    """
    parts: list[str] = []
    starts: list[int] = []
    doubled: list[str] = []
    length = 0
    prev = ""
    for k, line in enumerate(lines):
        text = line.text
        if (k >= mend_from and prev and line.blank_before and len(prev) >= _FULL_LINE
                and len(text) > 1 and text[0] == prev[-1] and is_cjk(text[0])
                and match_marker(text, 0) is None):
            doubled.append(f"“{prev[-6:]}”后的“{text[0]}”")
            text = text[1:]
        joined = join_parts(prev[-1:] if prev else "", text[:1])
        sep = " " if len(joined) == 3 and joined[1] == " " else ""
        length += len(sep)
        starts.append(length)
        parts.append(sep + text)
        length += len(text)
        prev = text
    return Stream("".join(parts), starts, lines, doubled)


#: How many markers must follow, each one more than the last, for a run of a style to start
#: at a number other than 1 (an excerpt that starts at item 80, numbering that runs on).
RUN_CONFIRM = 1


def find_items(stream: Stream) -> list[Item]:
    """The top-level items of the stream, with their children, in document order."""
    roots: list[Item] = []
    stack: list[Item] = []
    last_value: dict[str, int] = {}
    all_items: list[Item] = []
    found_all = [(li, offset, match_marker(stream.text, offset))
                 for li, offset in enumerate(stream.starts)]
    candidates = [(li, f[0], f[1]) for li, _o, f in found_all if f is not None]
    position = {li: k for k, (li, _s, _v) in enumerate(candidates)}
    for li, offset, found in found_all:
        if found is None:
            continue
        style, value, number, end = found
        styles = [it.marker.style for it in stack]
        if style in styles:
            depth = styles.index(style)
            previous = stack[depth].marker
            if value != previous.value + 1:
                if not previous.value + 1 < value <= previous.value + _GAP_MAX:
                    continue
                stream.gaps.append((offset, _shown(style, number),
                                    _shown(style, _renumber(previous, previous.value + 1))))
                if not _run_follows(candidates, position[li] + 1, style, value):
                    continue  # a number that skips and that nothing follows is text
            del stack[depth:]
        elif value != 1 and value != last_value.get(style, 0) + 1 and not (
                style not in last_value
                and _run_follows(candidates, position[li] + 1, style, value)):
            continue
        parent = stack[-1] if stack else None
        item = Item(Marker(style, value, number, offset, end, li), parent)
        (parent.children if parent else roots).append(item)
        stack.append(item)
        all_items.append(item)
        last_value[style] = value
    for here, nxt in pairwise(all_items):
        here.end = nxt.marker.start
    if all_items:
        all_items[-1].end = len(stream.text)
    return roots


#: A marker at most this far past the expected number is reported as a gap.
_GAP_MAX = 3


def _shown(style: str, number: str) -> str:
    """A normalised number as a reader would write it at the start of a line: 4. 五、 (四)."""
    return f"{number}." if style == "num" else f"{number}、" if style == "cn" else number


def _renumber(marker: Marker, value: int) -> str:
    """``marker``'s number written with ``value``: (三) → (四), 3 → 4, 第三条 → 第四条."""
    if marker.style in ("num", "pnum"):
        return f"({value})" if marker.style == "pnum" else str(value)
    if marker.style == "circ":
        return chr(0x2460 + value - 1) if value <= 20 else str(value)
    cn = int_to_cn(value)
    return {"pcn": f"({cn})", "tiao": f"第{cn}条", "zhang": f"第{cn}章",
            "di": f"第{cn}"}.get(marker.style, cn)


def _run_follows(candidates: list[tuple[int, str, int]], first: int, style: str,
                 value: int) -> bool:
    """Markers of ``style`` from ``candidates[first]`` on go on ``value + 1``, ``value + 2``,
    … for :data:`RUN_CONFIRM` steps before the style starts again at 1 (looking a bounded
    way ahead, so that the search stays linear)."""
    want = value + 1
    for _li, s, v in candidates[first:first + 400]:
        if s != style:
            continue
        if v == 1:
            return False
        if v == want:
            want += 1
            if want > value + RUN_CONFIRM:
                return True
    return False


def walk(items: list[Item]) -> list[Item]:
    """Every item, depth first, in document order."""
    out: list[Item] = []
    for item in items:
        out.append(item)
        out.extend(walk(item.children))
    return out
