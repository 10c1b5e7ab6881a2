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

from checklists.parsing.assemble import measure_label
from checklists.parsing.lexicon import lexicon
from checklists.parsing.model import (
    FLAG_TITLE_CUT,
    Correction,
    ParsedDocument,
    ParsedMeasure,
    ParsedTarget,
    ParsedUnit,
)
from checklists.parsing.structure import MARKERS
from checklists.parsing.targets import extract_targets
from checklists.parsing.text import compact, display, iso_date, join_parts, nfkc
from checklists.parsing.titles import make_title
from checklists.parsing.units import parse_unit_clause, split_unit_clause, unit_objects
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
    return _noted(doc, replace(doc, title=title), "title", "", f"文件标题改为“{title}”")


def set_region(doc: ParsedDocument, region_code: str | None) -> ParsedDocument:
    """The region the document applies to, by 行政区划代码; ``None`` when unknown."""
    if region_code is None:
        return _noted(doc, replace(doc, region=None, region_code=None), "region", "",
                      "地区改为未识别")
    region = region_by_code(region_code)
    if region is None:
        raise EditError(f"行政区划代码“{region_code}”不在区划表中。")
    return _noted(doc, replace(doc, region=region.name, region_code=region.code), "region", "",
                  f"地区改为{region.name}")


def set_doc_number(doc: ParsedDocument, doc_number: str) -> ParsedDocument:
    value = compact(doc_number) or None
    return _noted(doc, replace(doc, doc_number=value), "doc_number", "",
                  f"文号改为“{value}”" if value else "删去文号")


def set_date(doc: ParsedDocument, date: str) -> ParsedDocument:
    """The 落款 date, as 2024-10-29, 2024年10月29日, or a bare year or month (2024, 2024-10)."""
    text = date.strip()
    if not text:
        return _noted(doc, replace(doc, date=None), "date", "", "删去成文日期")
    value = text if _DATE_FORMS.fullmatch(text) else iso_date(text)
    if value is None:
        raise EditError(f"无法识别日期“{text}”，请写成 2024-10-29 的形式。")
    return _noted(doc, replace(doc, date=value), "date", "", f"成文日期改为 {value}")


def set_issuers(doc: ParsedDocument, issuers: Iterable[str]) -> ParsedDocument:
    names = tuple(_unique(display(i) for i in issuers if i.strip()))
    return _noted(doc, replace(doc, issuers=names), "issuers", "",
                  "发文单位改为" + ("、".join(names) or "（无）"))


# --- measures ------------------------------------------------------------------------------


def set_measure_title(doc: ParsedDocument, index: int, title: str) -> ParsedDocument:
    """A corrected title; it also clears the parser's 标题待确认 flag."""
    measure = _measure(doc, index)
    title = display(title)
    if not title:
        raise EditError(f"{measure_label(measure.number)}的标题不能为空。")
    flags = tuple(f for f in measure.flags if f != FLAG_TITLE_CUT)
    return _noted(doc, _put(doc, index, replace(measure, title=title, flags=flags)),
                  "measure_title", measure.path,
                  f"{measure_label(measure.number)}标题改为“{title}”")


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
    after = _put(doc, index, replace(measure, lead_units=tuple(lead_names),
                                     responsible_units=tuple(resp_names),
                                     units=tuple(own + kept)))
    return _noted(doc, after, "units", measure.path,
                  f"{measure_label(measure.number)}单位改为："
                  f"牵头 {'、'.join(lead_names) or '（无）'}；"
                  f"责任 {'、'.join(resp_names) or '（无）'}")


def merge_measures(doc: ParsedDocument, index: int) -> ParsedDocument:
    """Merge the measure at ``index`` with the one after it (the parser cut one item in two).

    The merged measure keeps the first one's number, path, section and title; texts are joined,
    units and flags combined without duplicates, targets kept in order.
    """
    first = _measure(doc, index)
    if index + 1 >= len(doc.measures):
        raise EditError(f"{measure_label(first.number)}是最后一项，后面没有可合并的措施。")
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
    return _noted(doc, replace(doc, measures=measures), "merge", first.path,
                  f"{measure_label(first.number)}与{measure_label(second.number)}合并为一项")


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
    return _noted(doc, replace(doc, measures=measures), "split", measure.path,
                  f"{measure_label(measure.number)}拆为{measure_label(measure.number)}和{measure_label(number)}")


def delete_measure(doc: ParsedDocument, index: int) -> ParsedDocument:
    """Drop a measure the parser found where the document has none (a notice's instruction,
    a heading read as a measure)."""
    measure = _measure(doc, index)
    measures = (*doc.measures[:index], *doc.measures[index + 1 :])
    return _noted(doc, replace(doc, measures=measures), "delete", measure.path,
                  f"{measure_label(measure.number)}“{measure.title}”不是措施，已删除")


def source_lines(doc: ParsedDocument) -> list[str]:
    """The document's text as it was imported, line by line (what the review shows)."""
    return doc.source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def measure_lines(doc: ParsedDocument, index: int) -> tuple[int, int] | None:
    """(first, last) line of ``source_lines`` that a measure was read from, when found."""
    return _line_span(doc.source_text, _measure(doc, index).source_text)


def mark_measure(doc: ParsedDocument, first: int, last: int) -> ParsedDocument:
    """Make lines ``first``..``last`` of the source a measure the parser missed: its number
    (when the text starts with one), title, text, units and targets are read from them, and
    it takes its place among the measures in the order of the text."""
    lines = source_lines(doc)
    if not 0 <= first <= last < len(lines):
        raise EditError("请先在原文中选中要标为措施的行。")
    raw = "\n".join(lines[first:last + 1]).strip()
    joined = "".join(nfkc(line).strip() for line in lines[first:last + 1])
    number, rest = _leading_number(joined)
    if not compact(rest):
        raise EditError("选中的行没有文字，不能标为措施。")
    body, clause = split_unit_clause(rest)
    units = unit_objects(parse_unit_clause(clause).units) if clause else []
    text = display(body)
    title, cut = make_title(body)
    position = sum(1 for k in range(len(doc.measures))
                   if (span := measure_lines(doc, k)) is not None and span[0] < first)
    before = doc.measures[position - 1] if position else None
    taken_numbers = {m.number for m in doc.measures}
    if number is None or number in taken_numbers:
        number = _next_suffix(before.number if before else "补", taken_numbers)
    prefix = before.section_path + "/" if before and before.section_path else ""
    path = _unique_path(prefix + number, {m.path for m in doc.measures})
    measure = ParsedMeasure(
        number=number, path=path, section=before.section if before else None,
        section_path=before.section_path if before else None, title=title, text=text,
        source_text=raw, lead_units=tuple(u.name for u in units if u.role == "lead"),
        responsible_units=tuple(u.name for u in units if u.role == "responsible"),
        units=tuple(units), targets=extract_targets(text),
        flags=(FLAG_TITLE_CUT,) if cut else ())
    measures = (*doc.measures[:position], measure, *doc.measures[position:])
    return _noted(doc, replace(doc, measures=measures), "mark_measure", path,
                  f"原文第 {first + 1}–{last + 1} 行标为措施（{measure_label(number)}）")


def mark_heading(doc: ParsedDocument, line: int) -> ParsedDocument:
    """Make a source line the heading of the measures after it: a measure read from that line
    is dropped, and the measures that follow, up to the next change of section, take the
    line as their section."""
    lines = source_lines(doc)
    if not 0 <= line < len(lines) or not compact(lines[line]):
        raise EditError("请先在原文中选中作为标题的那一行。")
    _, words = _leading_number(nfkc(lines[line]).strip())
    heading = display(words).strip(" :：。")
    if not heading:
        raise EditError("这一行没有标题文字。")
    spans = [measure_lines(doc, k) for k in range(len(doc.measures))]
    kept = [k for k, span in enumerate(spans) if span is None or span[0] != line]
    measures = [doc.measures[k] for k in kept]
    after = [i for i, k in enumerate(kept) if (span := spans[k]) is not None and span[0] > line]
    if after:
        old = measures[after[0]].section
        for i in after:
            if measures[i].section != old:
                break
            measures[i] = replace(measures[i], section=heading)
    return _noted(doc, replace(doc, measures=tuple(measures)), "mark_heading", str(line),
                  f"原文第 {line + 1} 行“{heading}”标为标题")


# --- helpers -------------------------------------------------------------------------------


def _noted(before: ParsedDocument, after: ParsedDocument, op: str, target: str,
           detail: str) -> ParsedDocument:
    """``after`` with the correction recorded; a later edit of the same field replaces the
    earlier record, so typing a title letter by letter leaves one."""
    if after == before:
        return before
    kept = tuple(c for c in before.corrections
                 if (c.op, c.target) != (op, target) or op in _STRUCTURAL)
    return replace(after, corrections=(*kept, Correction(op, target, detail)))


_STRUCTURAL = {"merge", "split", "delete", "mark_measure"}


def _line_span(source: str, piece: str) -> tuple[int, int] | None:
    """Lines of ``source`` that ``piece`` (a verbatim excerpt) covers."""
    piece = piece.strip()
    if not piece:
        return None
    at = source.find(piece)
    if at < 0:
        first_line = piece.split("\n", 1)[0].strip()
        at = source.find(first_line) if first_line else -1
        if at < 0:
            return None
        piece = first_line
    start = source.count("\n", 0, at)
    return start, start + piece.count("\n")



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
