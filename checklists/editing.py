"""Corrections a person makes to a parsed document before it is saved to the catalog.

The import dialog shows what the parser found; where it got something wrong (a title cut in
the wrong place, a unit misread, two measures run together or one cut in two), the person
fixes it here. Every function takes a :class:`ParsedDocument` and returns a new one: nothing
is changed in place and nothing touches a database, so the edits are easy to test and undo.
Measures are addressed by their index in ``doc.measures``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from checklists.parsing.assemble import make_title
from checklists.parsing.lexicon import lexicon
from checklists.parsing.model import (
    FLAG_TITLE_CUT,
    ParsedDocument,
    ParsedMeasure,
    ParsedTarget,
    ParsedUnit,
)
from checklists.parsing.structure import MARKERS
from checklists.parsing.text import compact, display, iso_date, join_parts, nfkc
from checklists.regions import region_by_code

_NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")
_DATE_FORMS = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
#: Marker styles that can start a measure's number, with how the number is written.
_NUMBER_FORMS = {"pcn": "({})", "cn": "{}", "pnum": "({})", "num": "{}"}
_TRAILING_NUMBER = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．])\s*$"
)


class EditError(ValueError):
    """An edit that cannot be made. The message is Chinese and says why."""


def split_names(text: str) -> list[str]:
    """Unit names from a list as a person types it: separated by 、，；, slashes or spaces."""
    return [display(part) for part in _NAME_SEPARATORS.split(text.strip()) if part]


# --- document metadata ---------------------------------------------------------------------


def set_title(doc: ParsedDocument, title: str) -> ParsedDocument:
    title = display(title)
    if not title:
        raise EditError("文件标题不能为空。")
    return replace(doc, title=title)


def set_region(doc: ParsedDocument, region_code: str | None) -> ParsedDocument:
    """The region the document applies to, by 行政区划代码; ``None`` when unknown."""
    if region_code is None:
        return replace(doc, region=None, region_code=None)
    region = region_by_code(region_code)
    if region is None:
        raise EditError(f"行政区划代码“{region_code}”不在区划表中。")
    return replace(doc, region=region.name, region_code=region.code)


def set_doc_number(doc: ParsedDocument, doc_number: str) -> ParsedDocument:
    return replace(doc, doc_number=compact(doc_number) or None)


def set_date(doc: ParsedDocument, date: str) -> ParsedDocument:
    """The 落款 date, as 2024-10-29, 2024年10月29日, or a bare year or month (2024, 2024-10)."""
    text = date.strip()
    if not text:
        return replace(doc, date=None)
    if _DATE_FORMS.fullmatch(text):
        return replace(doc, date=text)
    iso = iso_date(text)
    if iso is None:
        raise EditError(f"无法识别日期“{text}”，请写成 2024-10-29 的形式。")
    return replace(doc, date=iso)


def set_issuers(doc: ParsedDocument, issuers: Iterable[str]) -> ParsedDocument:
    return replace(doc, issuers=tuple(_unique(display(i) for i in issuers if i.strip())))


# --- measures ------------------------------------------------------------------------------


def set_measure_title(doc: ParsedDocument, index: int, title: str) -> ParsedDocument:
    """A corrected title; it also clears the parser's 标题待确认 flag."""
    measure = _measure(doc, index)
    title = display(title)
    if not title:
        raise EditError(f"第 {measure.number} 项的标题不能为空。")
    flags = tuple(f for f in measure.flags if f != FLAG_TITLE_CUT)
    return _put(doc, index, replace(measure, title=title, flags=flags))


def set_measure_units(
    doc: ParsedDocument, index: int, lead: Sequence[str], responsible: Sequence[str]
) -> ParsedDocument:
    """Replace a measure's lead and responsible units (names as written).

    Units the document names once for all measures (``inherited``) stay, unless the same name
    is now listed as lead or responsible. A name in both lists is kept as lead.
    """
    measure = _measure(doc, index)
    lead_names = _unique(display(n) for n in lead if n.strip())
    resp_names = [
        n for n in _unique(display(n) for n in responsible if n.strip()) if n not in lead_names
    ]
    lex = lexicon()
    own = [ParsedUnit(n, "lead", lex.is_collective(n)) for n in lead_names]
    own += [ParsedUnit(n, "responsible", lex.is_collective(n)) for n in resp_names]
    named = set(lead_names) | set(resp_names)
    kept = [u for u in measure.units if u.role in ("inherited", "assigned") and u.name not in named]
    return _put(
        doc,
        index,
        replace(
            measure,
            lead_units=tuple(lead_names),
            responsible_units=tuple(resp_names),
            units=tuple(own + kept),
        ),
    )


def merge_measures(doc: ParsedDocument, index: int) -> ParsedDocument:
    """Merge the measure at ``index`` with the one after it (the parser cut one item in two).

    The merged measure keeps the first one's number, path, section and title; texts are joined,
    units and flags combined without duplicates, targets kept in order.
    """
    first = _measure(doc, index)
    if index + 1 >= len(doc.measures):
        raise EditError(f"第 {first.number} 项是最后一项，后面没有可合并的措施。")
    second = doc.measures[index + 1]
    names = {u.name for u in first.units}
    units = first.units + tuple(u for u in second.units if u.name not in names)
    merged = replace(
        first,
        text=join_parts(first.text, second.text),
        source_text=f"{first.source_text}\n{second.source_text}".strip(),
        lead_units=tuple(u.name for u in units if u.role == "lead"),
        responsible_units=tuple(u.name for u in units if u.role == "responsible"),
        units=units,
        targets=first.targets + second.targets,
        flags=tuple(_unique(first.flags + second.flags)),
    )
    measures = (*doc.measures[:index], merged, *doc.measures[index + 2 :])
    return replace(doc, measures=measures)


def split_measure(doc: ParsedDocument, index: int, position: int) -> ParsedDocument:
    """Cut a measure's text at ``position`` into two measures (the parser ran two together).

    When the second part starts with a number such as （四） or 5., that becomes its number;
    otherwise it is numbered after the first as “（三）之一”. Both parts keep the units; each
    target goes with the part whose text holds it.
    """
    measure = _measure(doc, index)
    head, tail = measure.text[:position].strip(), measure.text[position:].strip()
    if not head or not tail or not 0 < position < len(measure.text):
        raise EditError("拆分位置应在正文中间：两部分都要有文字。")
    number, tail = _leading_number(tail)
    if not tail:
        raise EditError("拆分位置之后只有编号，没有措施内容。")
    taken = {m.path for m in doc.measures}
    if number is None:
        number = _next_suffix(measure.number, {m.number for m in doc.measures})
    prefix = measure.path.rsplit("/", 1)[0] + "/" if "/" in measure.path else ""
    path = _unique_path(prefix + number, taken)

    head_title = measure.title if compact(head).startswith(compact(measure.title)) else None
    first = _with_text(measure, head, measure.title if head_title else None)
    second = _with_text(replace(measure, number=number, path=path), tail, None)
    source_first, source_second = _split_source(measure.source_text, tail)
    first_targets, second_targets = _split_targets(measure.targets, tail)
    first = replace(first, source_text=source_first, targets=first_targets)
    second = replace(second, source_text=source_second, targets=second_targets)
    measures = (*doc.measures[:index], first, second, *doc.measures[index + 1 :])
    return replace(doc, measures=measures)


# --- helpers -------------------------------------------------------------------------------


def _measure(doc: ParsedDocument, index: int) -> ParsedMeasure:
    if not 0 <= index < len(doc.measures):
        raise EditError(f"没有第 {index + 1} 项措施。")
    return doc.measures[index]


def _put(doc: ParsedDocument, index: int, measure: ParsedMeasure) -> ParsedDocument:
    return replace(doc, measures=(*doc.measures[:index], measure, *doc.measures[index + 1 :]))


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _leading_number(text: str) -> tuple[str | None, str]:
    """(number, rest) when ``text`` starts with a measure number like （四）、四、(4) or 4."""
    normal = nfkc(text)
    for style, pattern in MARKERS:
        form = _NUMBER_FORMS.get(style)
        if form is None:
            continue
        m = pattern.match(normal)
        if m:
            # NFKC keeps the length of these ASCII-able markers, so the offset carries over.
            return form.format(m.group(1)), text[m.end() :].lstrip(" ,，、.．")
    return None, text


def _next_suffix(number: str, taken: set[str]) -> str:
    k = 1
    while True:
        candidate = f"{number}之{_CN_DIGITS[k] if k < len(_CN_DIGITS) else k}"
        if candidate not in taken:
            return candidate
        k += 1


_CN_DIGITS = "零一二三四五六七八九十"


def _unique_path(path: str, taken: set[str]) -> str:
    candidate, k = path, 1
    while candidate in taken:
        k += 1
        candidate = f"{path}~{k}"
    return candidate


def _with_text(measure: ParsedMeasure, text: str, title: str | None) -> ParsedMeasure:
    flags = [f for f in measure.flags if f != FLAG_TITLE_CUT]
    if title is None:
        title, cut = make_title(text)
        if cut:
            flags.append(FLAG_TITLE_CUT)
    elif FLAG_TITLE_CUT in measure.flags:
        flags.append(FLAG_TITLE_CUT)
    return replace(measure, text=text, title=title, flags=tuple(flags))


def _split_source(source: str, tail: str) -> tuple[str, str]:
    """The verbatim text cut where the second part begins, when that place can be found."""
    anchor = compact(nfkc(tail))[:12]
    squeezed: list[int] = []  # offsets in ``source`` of its non-space characters
    chars: list[str] = []
    for i, ch in enumerate(source):
        if not ch.isspace():
            squeezed.append(i)
            chars.append(nfkc(ch))
    found = "".join(chars).find(anchor) if anchor else -1
    if found <= 0:
        return source, source
    cut = squeezed[found]
    # Take the second part's number along with it when it sits just before the anchor.
    head = source[:cut].rstrip()
    number_start = _TRAILING_NUMBER.search(head)
    if number_start:
        cut = number_start.start()
    return source[:cut].rstrip(), source[cut:].strip()


def _split_targets(
    targets: tuple[ParsedTarget, ...], tail: str
) -> tuple[tuple[ParsedTarget, ...], tuple[ParsedTarget, ...]]:
    body = compact(nfkc(tail))
    second = tuple(t for t in targets if t.source_text and compact(nfkc(t.source_text)) in body)
    first = tuple(t for t in targets if t not in second)
    return first, second
