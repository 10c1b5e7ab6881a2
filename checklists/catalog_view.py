"""Read-only, plain views of the policy catalog that the generator, the CLI and the GUI share.

They are built either from the database (``services.catalog``) or straight from parsed
documents (``from_parsed``), so the generator can be used and tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is loaded only when a document is parsed, not at start-up
    from checklists.parsing.model import ParsedDocument, ParsedTarget


@dataclass(frozen=True)
class UnitView:
    name: str  # as written
    role: str  # lead | responsible | inherited | assigned
    collective: bool
    department_kind: str | None  # canonical kind label (卫生健康, …) when known
    department: str | None  # canonical department name (中宁县卫生健康局) when known


@dataclass(frozen=True)
class TargetView:
    indicator: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    deadline: str | None
    recurrent: str | None
    soft: bool
    source_text: str

    @classmethod
    def from_parsed(cls, t: ParsedTarget) -> TargetView:
        return cls(t.indicator, t.value, t.value_max, t.unit, t.comparator, t.deadline,
                   t.recurrent, t.soft, t.source_text)


@dataclass(frozen=True)
class MeasureView:
    id: str
    document_id: str
    ref: str  # "<region short>:<number>", the stable human reference used by templates
    number: str
    path: str
    section: str | None
    title: str
    text: str
    source_text: str
    units: tuple[UnitView, ...]
    targets: tuple[TargetView, ...]
    topics: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def lead_units(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if u.role == "lead")

    @property
    def responsible_units(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if u.role == "responsible")


@dataclass(frozen=True)
class DocumentView:
    id: str
    title: str
    short: str  # region short name used in measure refs (中宁, 宝鸡, …) or a title cut
    region_code: str | None
    issuers: tuple[str, ...]
    doc_number: str | None
    date: str | None
    targets: tuple[TargetView, ...]
    measures: tuple[MeasureView, ...]
    flags: tuple[str, ...] = ()

    def measure_by_ref(self, ref: str) -> MeasureView | None:
        return next((m for m in self.measures if m.ref == ref), None)


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the catalog's document list."""

    id: str
    title: str
    short: str
    region_code: str | None
    region_name: str | None
    doc_number: str | None
    date: str | None
    issuers: tuple[str, ...]
    measures: int
    to_verify: int  # measures flagged 待核 or with a title to confirm
    bundled: bool


def document_short(doc: ParsedDocument) -> str:
    from checklists.regions import region_by_code

    region = region_by_code(doc.region_code)
    return region.short if region else doc.title[:6]


def from_parsed(docs: Iterable[ParsedDocument]) -> tuple[DocumentView, ...]:
    """Catalog views of freshly parsed documents, with canonical departments and topics."""
    from checklists.departments import canonical_department
    from checklists.topics import apply_overrides, classify

    out: list[DocumentView] = []
    for doc in docs:
        short = document_short(doc)
        measures = []
        for m in doc.measures:
            units = []
            for u in m.units:
                canon = None if u.collective else canonical_department(u.name, doc.region_code)
                units.append(UnitView(u.name, u.role, u.collective,
                                      canon.label if canon else None,
                                      canon.name if canon else None))
            ref = f"{short}:{m.number}"
            measures.append(MeasureView(
                id=_measure_id(doc.id, m.path), document_id=doc.id, ref=ref, number=m.number,
                path=m.path, section=m.section, title=m.title, text=m.text,
                source_text=m.source_text, units=tuple(units),
                targets=tuple(TargetView.from_parsed(t) for t in m.targets),
                topics=apply_overrides(ref, classify(m.title, m.text)), flags=m.flags))
        out.append(DocumentView(
            id=doc.id, title=doc.title, short=short, region_code=doc.region_code,
            issuers=doc.issuers, doc_number=doc.doc_number, date=doc.date,
            targets=tuple(TargetView.from_parsed(t) for t in doc.targets),
            measures=tuple(measures), flags=doc.flags))
    return tuple(out)


def _measure_id(doc_id: str, path: str) -> str:
    from checklists.parsing.ids import measure_id

    return measure_id(doc_id, path)
