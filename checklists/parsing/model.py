"""Plain results of parsing one policy document.

The parser produces these; the catalog store writes them to the database and the import
dialog lets a person correct them first. Nothing here touches a database or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

UnitRole = Literal["lead", "responsible", "inherited", "assigned"]
Comparator = Literal[">=", ">", "<=", "<", "=", "range"]

#: Flag put on a measure or a document whose text lost characters in extraction.
FLAG_TO_VERIFY = "待核"
#: Flag put on a measure whose title had to be cut because no 。 or ； ended it.
FLAG_TITLE_CUT = "标题待确认"


@dataclass(frozen=True)
class ParsedUnit:
    """One department named for a measure, exactly as the document writes it."""

    name: str
    role: UnitRole
    collective: bool = False  # 各乡镇人民政府, 各有关部门, ...


@dataclass(frozen=True)
class ParsedTarget:
    """A quantitative goal found in a measure or in the document's preamble.

    ``comparator`` follows 《民法典》第一千二百五十九条: 以上/以下/以内 include the number
    (>=, <=), 超过/不满 exclude it (>, <). ``range`` means value..value_max.
    ``deadline`` is an ISO date or year (``2025``, ``2025-12-31``); ``recurrent`` holds a
    repeating deadline as written (``每年12月25日前``).
    """

    indicator: str
    value: float
    unit: str
    comparator: Comparator
    value_max: float | None = None
    deadline: str | None = None
    recurrent: str | None = None
    soft: bool = False  # 力争, 争取, 努力
    source_text: str = ""


@dataclass(frozen=True)
class ParsedMeasure:
    number: str  # as written, normalised: "7", "(十五)"
    path: str  # section path plus number, e.g. "二/(一)/3" or "三/(二)"
    section: str | None  # title of the enclosing group (举措), if any
    section_path: str | None  # path of the enclosing group, e.g. "二/(一)"
    title: str  # leading phrase up to the first 。 or ；
    text: str  # body without the unit clause
    source_text: str  # verbatim text as it stood in the document
    lead_units: tuple[str, ...] = ()
    responsible_units: tuple[str, ...] = ()
    units: tuple[ParsedUnit, ...] = ()  # lead + responsible + inherited, in document order
    targets: tuple[ParsedTarget, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedSection:
    path: str  # "一", "二/(一)"
    number: str
    title: str
    preamble: bool = False  # 总体要求 / 指导思想 / 任务目标


@dataclass(frozen=True)
class Correction:
    """One correction a person made to the parse before saving, kept with the document."""

    op: str  # title, region, doc_number, date, issuers, measure_title, units, merge, split,
    #          mark_measure, mark_heading, delete
    target: str  # the measure's path, or "" for the document
    detail: str  # what was done, in Chinese


@dataclass(frozen=True)
class ParsedDocument:
    id: str  # deterministic, from the normalised text
    title: str
    region: str | None  # region name as detected (中宁县, 宝鸡市, ...)
    region_code: str | None  # 行政区划代码, when the region is known
    issuers: tuple[str, ...]
    doc_number: str | None  # 文号
    date: str | None  # ISO date, the 落款 date where there are several
    sections: tuple[ParsedSection, ...]
    measures: tuple[ParsedMeasure, ...]
    targets: tuple[ParsedTarget, ...] = ()  # document-level targets (from the preamble)
    inherited_units: tuple[ParsedUnit, ...] = ()  # units named once for all measures
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # human-readable, in Chinese
    source_text: str = field(default="", repr=False)
    corrections: tuple[Correction, ...] = ()  # a person's corrections, in the order made


def document_to_dict(doc: ParsedDocument) -> dict[str, object]:
    """A parsed document as plain JSON data (what an exchange package carries)."""
    from dataclasses import asdict

    return asdict(doc)


def document_from_dict(data: dict[str, object]) -> ParsedDocument:
    """The inverse of :func:`document_to_dict`. Raises ``KeyError``/``TypeError``/``ValueError``
    on data of another shape."""
    raw: dict[str, Any] = dict(data)

    def target(t: dict[str, Any]) -> ParsedTarget:
        return ParsedTarget(**t)

    def unit(u: dict[str, Any]) -> ParsedUnit:
        return ParsedUnit(**u)

    measures = tuple(
        ParsedMeasure(**{**m, "lead_units": tuple(m.get("lead_units") or ()),
                         "responsible_units": tuple(m.get("responsible_units") or ()),
                         "units": tuple(unit(u) for u in m.get("units") or ()),
                         "targets": tuple(target(t) for t in m.get("targets") or ()),
                         "flags": tuple(m.get("flags") or ())})
        for m in raw.pop("measures"))
    sections = tuple(ParsedSection(**s) for s in raw.pop("sections"))
    return ParsedDocument(
        **{**raw, "issuers": tuple(raw.get("issuers") or ()), "sections": sections,
           "measures": measures, "targets": tuple(target(t) for t in raw.get("targets") or ()),
           "inherited_units": tuple(unit(u) for u in raw.get("inherited_units") or ()),
           "flags": tuple(raw.get("flags") or ()), "warnings": tuple(raw.get("warnings") or ()),
           "corrections": tuple(Correction(**c) for c in raw.get("corrections") or ())})
