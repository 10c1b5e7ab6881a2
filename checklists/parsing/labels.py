"""Labelled metadata (``发文字号 X``, ``成文日期 X``, ``发布机构 X``) in the head of a document.

The head's lines are read as one text with whitespace removed, so a label or a value that a
line break cut in two is still whole. A value runs to the next label; a label directly
followed by another label has no value (``文号: 关键字:`` gives no 文号).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from checklists.parsing.lexicon import lexicon
from checklists.parsing.lines import Line
from checklists.parsing.text import compact, iso_date

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,16}[〔\[【(]\d{4}[〕\]】)]第?\d{1,5}号")
_DATE_START = re.compile(r"(?:19|20)\d{2}(?:年|-|/|\.)\d{1,2}(?:月|-|/|\.)\d{1,2}日?")


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = sorted(lexicon().all_metadata_labels(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, labels)))


class Joined:
    """Lines joined without whitespace, remembering where each line started and ended."""

    def __init__(self, lines: list[Line]) -> None:
        parts: list[str] = []
        self.starts: set[int] = set()
        self.ends: list[int] = []
        pos = 0
        for line in lines:
            text = compact(line.text)
            if not text:
                continue
            self.starts.add(pos)
            parts.append(text)
            pos += len(text)
            self.ends.append(pos)
        self.text = "".join(parts)
        self.labels = [(m.group(), m.start(), m.end())
                       for m in _label_pattern().finditer(self.text)]

    def values(self, wanted: tuple[str, ...]) -> Iterator[tuple[int, str]]:
        """(offset, text up to the next label) after each occurrence of a wanted label."""
        for k, (label, _, end) in enumerate(self.labels):
            if label not in wanted:
                continue
            stop = self.labels[k + 1][1] if k + 1 < len(self.labels) else len(self.text)
            start = end
            while start < stop and self.text[start] in ":：":
                start += 1
            yield start, self.text[start:stop]

    def first_line_prefix(self, start: int, value: str, ok: Callable[[str], bool]) -> str | None:
        """The shortest run of whole lines from ``start`` within ``value`` that ``ok`` accepts."""
        for end in self.ends:
            if start < end <= start + len(value):
                prefix = self.text[start:end]
                if ok(prefix):
                    return prefix
        return None


def doc_number(joined: Joined) -> str | None:
    """文号 after its label, or alone on its line(s)."""
    for _, value in joined.values(lexicon().metadata_labels["doc_number"]):
        m = DOC_NUMBER.match(value)
        if m:
            return m.group()
    ends = set(joined.ends)
    found: dict[int, str] = {}  # end offset -> the shortest match ending there
    text = joined.text
    for start in sorted(joined.starts):
        m = DOC_NUMBER.match(text, start)
        if m and m.end() in ends:
            found[m.end()] = m.group()
        elif start < len(text) and text[start] in "（(":  # （宝政办发〔2025〕7号） under a title
            bracket = bracket_line(joined, start)
            if bracket:  # （2025年4月16日　铜政办〔2025〕14号） too
                dated = _DATE_START.match(bracket)
                rest = bracket[dated.end():] if dated else bracket
                m = DOC_NUMBER.fullmatch(rest)
                if m:
                    found[start + len(bracket) + 2] = m.group()
    return found[min(found)] if found else None


def bracket_line(joined: Joined, start: int) -> str | None:
    """The inside of a line that is one bracket from ``start`` to its end, or None."""
    text = joined.text
    end = next((e for e in joined.ends if e > start), None)
    if end is None or text[start] not in "（(" or text[end - 1] not in "）)":
        return None
    inner = text[start + 1:end - 1]
    return None if any(ch in inner for ch in "（）()") and inner.count("〔") == 0 else inner


def bracketed_date(joined: Joined) -> str | None:
    """The date in a bracket under a title: （2025年4月16日　铜政办〔2025〕14号）, （2025年4月16日
    市人民政府第12次常务会议通过）."""
    for start in sorted(joined.starts):
        inner = bracket_line(joined, start)
        if inner:
            m = _DATE_START.match(inner)
            if m:
                return iso_date(m.group())
    return None


def labelled_date(joined: Joined, key: str) -> str | None:
    for _, value in joined.values(lexicon().metadata_labels[key]):
        m = _DATE_START.match(value)
        if m:
            return iso_date(m.group())
    return None


def labelled_org(joined: Joined, key: str, is_org: Callable[[str], bool]) -> str | None:
    for start, value in joined.values(lexicon().metadata_labels[key]):
        if not value:
            continue
        if is_org(value):
            return value
        found = joined.first_line_prefix(start, value, is_org)
        if found:
            return found
    return None
