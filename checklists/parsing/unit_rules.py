"""Rules a document states once for many measures' units, and doubts about unit names.

A division of labour (第2-3项由X牵头，Y配合), units named after a section's last measure
（以上措施由…）, statements that hand units down to every later measure (…为以下各项任务的
落实主体…不再逐项列出), a document's own first-unit-leads rule, a 完成时限 field after the
units, and names that read like sentences.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checklists.parsing.draft import Draft
from checklists.parsing.lexicon import lexicon
from checklists.parsing.model import ParsedMeasure, ParsedUnit, UnitRole
from checklists.parsing.text import compact, display, nfkc
from checklists.parsing.units import parse_unit_clause, split_unit_clause, unit_objects

#: A unit name longer than this, or holding sentence punctuation, is probably a sentence.
_UNIT_NAME_MAX = 24
_SENTENCE_MARKS = re.compile("[，。；;！？]")
#: A name longer than this that does not end like a body (局, 委, 中心, 公司 …) is doubtful.
_UNIT_PLAIN_MAX = 10


def inheritance_statements(raw: list[str]) -> list[tuple[int, list[str]]]:
    """(line, names) of statements outside any unit clause that name units for every measure
    after them: 各县（区）人民政府为以下各项任务的落实主体，…不再逐项列出."""
    out: list[tuple[int, list[str]]] = []
    for k, line in enumerate(raw):
        text = compact(nfkc(line))
        if "不再" not in text:
            continue
        for pattern in lexicon().inherited:
            m = pattern.search(text)
            if m:
                names = [display(n) for n in parse_unit_clause(m.group("units")).names()]
                if names:
                    out.append((k, names))
                break
    return out


def unit_doubts(units: list[ParsedUnit]) -> list[str]:
    """Notes on unit names that look like sentences rather than names of bodies."""
    suffixes = lexicon().org_suffixes
    return [f"单位“{u.name}”像是一句话而不是单位名称" for u in units
            if len(u.name) > _UNIT_NAME_MAX or _SENTENCE_MARKS.search(u.name)
            or (len(u.name) > _UNIT_PLAIN_MAX and not u.collective
                and not u.name.rstrip(")）").endswith(suffixes))]


_RANGE = re.compile(r"(\d{1,3})\s?[-—–~～至到]\s?(\d{1,3})")


def _numbers(text: str) -> set[int]:
    """第2-3项 / 第4—7项 / 第9、10项: the measure numbers a division names."""
    out: set[int] = set()
    for part in re.split("[、,，]", text):
        span = _RANGE.fullmatch(part.strip())
        if span:
            lo, hi = int(span.group(1)), int(span.group(2))
            if 0 < hi - lo < 200:
                out.update(range(lo, hi + 1))
        elif part.strip().isdigit():
            out.add(int(part.strip()))
    return out


def division_of_labour(measures: list[ParsedMeasure], text: str,
                        warnings: list[str]) -> list[ParsedMeasure]:
    """Measures that name no units get them from a division of labour stated once for them
    (第2-3项由市医疗保障局牵头，市财政局配合；…), matched by their numbers."""
    by_number: dict[int, list[tuple[str, UnitRole]]] = {}
    lex = lexicon()
    for pattern in lex.division:
        groups: list[tuple[set[int], list[tuple[str, UnitRole]]]] = []
        for m in pattern.finditer(text):
            units = parse_unit_clause(m.group("clause")).units
            if units and all(_org_like_name(n) for n, _ in units):
                groups.append((_numbers(m.group("numbers")), units))
        # 第1—5项由X牵头，第6—9项由Y牵头，县直各有关单位配合: the bodies named after the last
        # group for no number of their own (a collective that assists) assist in every group
        shared = [u for u in groups[-1][1] if u[1] == "responsible" and lex.is_collective(u[0])
                  ] if len(groups) > 1 else []
        for numbers, units in groups:
            units = units + [u for u in shared if u not in units]
            for number in numbers:
                by_number.setdefault(number, units)
    if not by_number:
        return measures
    out: list[ParsedMeasure] = []
    given = 0
    for measure in measures:
        named = by_number.get(int(measure.number)) if measure.number.isdigit() else None
        if measure.units or not named:
            out.append(measure)
            continue
        own = unit_objects(named)
        out.append(replace(measure, units=tuple(own),
                           lead_units=tuple(u.name for u in own if u.role == "lead"),
                           responsible_units=tuple(u.name for u in own
                                                   if u.role == "responsible")))
        given += 1
    if given:
        warnings.append("文件的任务分工（第…项由…负责）"
                        f"已对应到 {given} 项措施的责任单位，请核对。")
    return out


def _org_like_name(name: str) -> bool:
    lex = lexicon()
    return lex.is_collective(name) or name.rstrip(")）").endswith(lex.org_suffixes)


def first_unit_leads(measures: list[ParsedMeasure],
                      warnings: list[str]) -> list[ParsedMeasure]:
    """The document says the first unit named leads: a measure without a 牵头单位 gets its
    first 责任单位 as the lead."""
    out: list[ParsedMeasure] = []
    changed = 0
    for m in measures:
        own = [u for u in m.units if u.role in ("lead", "responsible")]
        if m.lead_units or not own:
            out.append(m)
            continue
        first = own[0]
        units = tuple(replace(u, role="lead") if u is first else u for u in m.units)
        out.append(replace(m, units=units, lead_units=(first.name,),
                           responsible_units=tuple(n for n in m.responsible_units
                                                   if n != first.name)))
        changed += 1
    if changed:
        warnings.append("文件注明排在第一位的单位为牵头单位："
                        f"已据此标出 {changed} 项措施的牵头单位。")
    return out


_CLOSING = re.compile(r"^[(（]?\s?以上(?:各项|所有)?(?:措施|任务|工作|事项)?")


def section_closings(draft: Draft) -> dict[int, list[tuple[str, UnitRole]]]:
    """Units a section names after its last measure for all of them: （以上措施由X牵头，Y配合）."""
    out: dict[int, list[tuple[str, UnitRole]]] = {}
    for dm in draft.measures:
        if dm.section is None:
            continue
        _body, clause = split_unit_clause(split_deadline(dm.body)[0])
        if clause is not None and _CLOSING.match(clause.strip()):
            out[id(dm.section)] = parse_unit_clause(clause).units
    return out


def split_deadline(body: str) -> tuple[str, str | None]:
    """(the measure without a trailing 完成时限：… field, the deadline) — the field may follow
    the unit clause on a line of its own."""
    found = list(lexicon().deadline_re.finditer(body))
    if not found:
        return body, None
    m = found[-1]
    value = body[m.end():].strip(" 。.;；")
    if not value or "。" in value.rstrip("。") or len(value) > 40:
        return body, None
    return body[:m.start()].rstrip(" ;；,，"), value
