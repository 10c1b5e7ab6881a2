"""Reading the policy catalog: plain dataclasses for the GUI, the CLI and the generator."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from checklists.catalog_view import (
    DocumentSummary,
    DocumentView,
    MeasureView,
    TargetView,
    UnitView,
)
from checklists.regions import ancestors
from models.catalog import (
    Department,
    Measure,
    MeasureTopic,
    MeasureUnit,
    PolicyDocument,
    Region,
    Target,
)
from models.dialect import search_index_ids


@dataclass(frozen=True)
class SearchHit:
    measure_id: str
    document_id: str
    document_short: str
    number: str
    title: str
    snippet: str
    spans: tuple[tuple[int, int], ...]  # match positions in ``snippet``
    title_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DepartmentSummary:
    id: str
    name: str
    kind: str | None
    region_code: str | None
    aliases: tuple[str, ...]
    lead: int
    shared: int


@dataclass(frozen=True)
class DepartmentMeasure:
    document_id: str
    document_short: str
    document_title: str
    measure_id: str
    number: str
    title: str
    roles: tuple[str, ...]  # lead / responsible / inherited / assigned
    names_as_written: tuple[str, ...]


@dataclass(frozen=True)
class TopicComparison:
    topics: tuple[tuple[str, str], ...]  # (code, label)
    documents: tuple[tuple[str, str], ...]  # (id, short)
    # (topic, document) -> (measure id, number, title) of each measure in that cell
    cells: dict[tuple[str, str], tuple[tuple[str, str, str], ...]]


def _measure_view(m: Measure, short: str) -> MeasureView:
    units = tuple(
        UnitView(u.name, u.role, u.collective,
                 u.department.kind if u.department else None,
                 u.department.name if u.department else None)
        for u in m.units
    )
    return MeasureView(
        id=m.id, document_id=m.document_id, ref=f"{short}:{m.number}", number=m.number,
        path=m.path, section=m.section_title, title=m.title, text=m.text,
        source_text=m.source_text, units=units,
        targets=tuple(_target_view(t) for t in m.targets),
        topics=tuple(sorted(t.topic for t in m.topics if not t.excluded)),
        flags=tuple(m.flags or ()),
    )


def _target_view(t: Target) -> TargetView:
    return TargetView(t.indicator, t.value, t.value_max, t.unit, t.comparator, t.deadline,
                      t.recurrent, t.soft, t.source_text)


def load_catalog(session: Session,
                 document_ids: list[str] | None = None) -> tuple[DocumentView, ...]:
    """The whole catalog (or the named documents) as plain views, in catalog order."""
    stmt = select(PolicyDocument).order_by(
        PolicyDocument.bundled.desc(), PolicyDocument.imported_at, PolicyDocument.id)
    if document_ids is not None:
        stmt = stmt.where(PolicyDocument.id.in_(document_ids))
    stmt = stmt.options(
        selectinload(PolicyDocument.measures).selectinload(Measure.units)
        .selectinload(MeasureUnit.department),
        selectinload(PolicyDocument.measures).selectinload(Measure.targets),
        selectinload(PolicyDocument.measures).selectinload(Measure.topics),
    )
    docs = []
    for d in session.scalars(stmt):
        doc_targets = session.scalars(
            select(Target).where(Target.document_id == d.id, Target.measure_id.is_(None))
            .order_by(Target.position))
        docs.append(DocumentView(
            id=d.id, title=d.title, short=d.short, region_code=d.region_code,
            issuers=tuple(d.issuers or ()), doc_number=d.doc_number, date=d.date,
            targets=tuple(_target_view(t) for t in doc_targets),
            measures=tuple(_measure_view(m, d.short) for m in d.measures),
            flags=tuple(d.flags or ()),
        ))
    return tuple(docs)


def region_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Region.code, Region.name)).all())


def list_documents(session: Session, jurisdiction: str | None = None) -> list[DocumentSummary]:
    """Documents in catalog order; with a jurisdiction, only those that apply to it: the
    region's own, its province's or city's, and those of the regions below it."""
    names = region_names(session)
    counts = dict(session.execute(
        select(Measure.document_id, func.count()).group_by(Measure.document_id)).all())
    flagged: dict[str, int] = defaultdict(int)
    for doc_id, flags in session.execute(select(Measure.document_id, Measure.flags)):
        if flags:
            flagged[doc_id] += 1
    out = []
    for d in session.scalars(select(PolicyDocument).order_by(
            PolicyDocument.bundled.desc(), PolicyDocument.imported_at, PolicyDocument.id)):
        if jurisdiction and not applies_to_jurisdiction(d.region_code, jurisdiction):
            continue
        out.append(DocumentSummary(
            id=d.id, title=d.title, short=d.short, region_code=d.region_code,
            region_name=names.get(d.region_code or ""), doc_number=d.doc_number, date=d.date,
            issuers=tuple(d.issuers or ()), measures=counts.get(d.id, 0),
            to_verify=flagged.get(d.id, 0), bundled=d.bundled))
    return out


def applies_to_jurisdiction(doc_region: str | None, jurisdiction: str) -> bool:
    if doc_region is None:
        return True  # a document of unknown region is shown rather than hidden
    return doc_region in ancestors(jurisdiction) or jurisdiction in ancestors(doc_region)


def measure_views(session: Session, document_id: str) -> tuple[MeasureView, ...]:
    docs = load_catalog(session, [document_id])
    return docs[0].measures if docs else ()


def measure_view(session: Session, measure_id: str) -> MeasureView | None:
    m = session.get(Measure, measure_id)
    return None if m is None else _measure_view(m, m.document.short)


def _spans(haystack: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    spans = []
    low = haystack.lower()
    for term in terms:
        start = 0
        t = term.lower()
        while t and (pos := low.find(t, start)) >= 0:
            spans.append((pos, pos + len(t)))
            start = pos + len(t)
    return tuple(sorted(spans))


def _snippet(body: str, spans: tuple[tuple[int, int], ...], width: int = 120
             ) -> tuple[str, tuple[tuple[int, int], ...]]:
    if not spans or len(body) <= width:
        return body[:width] + ("…" if len(body) > width else ""), tuple(
            s for s in spans if s[1] <= width)
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(body), start + width)
    prefix = "…" if start > 0 else ""
    shift = len(prefix) - start
    kept = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return prefix + body[start:end] + ("…" if end < len(body) else ""), kept


def search_measures(
    session: Session, query: str = "", *, region: str | None = None,
    department: str | None = None, topic: str | None = None,
    document_ids: list[str] | None = None, limit: int = 500,
) -> list[SearchHit]:
    """Full-text search for Chinese: the trigram index (:func:`models.dialect.search_index_ids`)
    for terms of three characters or more, a case-insensitive LIKE scan for shorter ones
    (托育, 产假). All terms must match. Filters narrow the result:
    ``region`` takes documents of that region and below, ``department`` is a department id
    or a department kind (卫生健康), ``topic`` a topic code."""
    terms = [t for t in query.replace("\u3000", " ").split() if t]
    stmt = select(Measure, PolicyDocument.short).join(PolicyDocument)
    if terms:
        if all(len(t) >= 3 for t in terms):
            stmt = stmt.where(Measure.id.in_(search_index_ids(session, terms)))
        else:
            for t in terms:
                like = f"%{t.replace('%', '').replace('_', '')}%"
                unit_hit = select(MeasureUnit.measure_id).where(MeasureUnit.name.ilike(like))
                stmt = stmt.where(or_(Measure.title.ilike(like), Measure.text.ilike(like),
                                      Measure.id.in_(unit_hit)))
    if region:
        codes = [r for (r,) in session.execute(select(Region.code))
                 if region in ancestors(r)]
        stmt = stmt.where(PolicyDocument.region_code.in_(codes))
    if department:
        dept_ids = select(Department.id).where(or_(Department.id == department,
                                                   Department.kind == department))
        stmt = stmt.where(Measure.id.in_(
            select(MeasureUnit.measure_id).where(MeasureUnit.department_id.in_(dept_ids))))
    if topic:
        stmt = stmt.where(Measure.id.in_(select(MeasureTopic.measure_id).where(
            MeasureTopic.topic == topic, MeasureTopic.excluded.is_(False))))
    if document_ids:
        stmt = stmt.where(Measure.document_id.in_(document_ids))
    stmt = stmt.order_by(PolicyDocument.bundled.desc(), PolicyDocument.imported_at,
                         Measure.document_id, Measure.position).limit(limit)
    hits = []
    for m, short in session.execute(stmt):
        body_spans = _spans(m.text, terms)
        snippet, spans = _snippet(m.text, body_spans)
        hits.append(SearchHit(m.id, m.document_id, short, m.number, m.title, snippet, spans,
                              _spans(m.title, terms)))
    return hits


def list_departments(session: Session) -> list[DepartmentSummary]:
    """Canonical departments with how many measures each leads or shares."""
    lead: dict[str, set[str]] = defaultdict(set)
    shared: dict[str, set[str]] = defaultdict(set)
    for dept_id, measure_id, role in session.execute(
            select(MeasureUnit.department_id, MeasureUnit.measure_id, MeasureUnit.role)
            .where(MeasureUnit.department_id.is_not(None))):
        if dept_id is not None:
            (lead if role == "lead" else shared)[dept_id].add(measure_id)
    out = []
    for d in session.scalars(select(Department).options(selectinload(Department.aliases))
                             .order_by(Department.kind, Department.region_code, Department.name)):
        out.append(DepartmentSummary(d.id, d.name, d.kind, d.region_code,
                                     tuple(sorted(a.alias for a in d.aliases)),
                                     len(lead[d.id]), len(shared[d.id] - lead[d.id])))
    return out


def department_measures(session: Session, department: str) -> list[DepartmentMeasure]:
    """Every measure a department (by id) or a kind of department (卫生健康) leads or shares,
    across all documents, in catalog order."""
    dept_ids = list(session.scalars(select(Department.id).where(
        or_(Department.id == department, Department.kind == department))))
    rows = session.execute(
        select(MeasureUnit.measure_id, MeasureUnit.role, MeasureUnit.name)
        .where(MeasureUnit.department_id.in_(dept_ids))).all()
    roles: dict[str, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for mid, role, name in rows:
        if role not in roles[mid]:
            roles[mid].append(role)
        if name not in names[mid]:
            names[mid].append(name)
    if not roles:
        return []
    out = []
    stmt = (select(Measure, PolicyDocument).join(PolicyDocument)
            .where(Measure.id.in_(list(roles)))
            .order_by(PolicyDocument.bundled.desc(), PolicyDocument.imported_at,
                      PolicyDocument.id, Measure.position))
    for m, d in session.execute(stmt):
        out.append(DepartmentMeasure(d.id, d.short, d.title, m.id, m.number, m.title,
                                     tuple(roles[m.id]), tuple(names[m.id])))
    return out


def topic_comparison(session: Session) -> TopicComparison:
    """Which measures of each document fall under each topic: the comparison grid."""
    from checklists.topics import load_topics

    topics = tuple((t.code, t.label) for t in load_topics())
    docs = tuple(session.execute(select(PolicyDocument.id, PolicyDocument.short).order_by(
        PolicyDocument.bundled.desc(), PolicyDocument.imported_at, PolicyDocument.id)).all())
    cells: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    stmt = (select(MeasureTopic.topic, Measure.document_id, Measure.id, Measure.number,
                   Measure.title)
            .join(Measure).where(MeasureTopic.excluded.is_(False)).order_by(Measure.position))
    for topic, doc_id, mid, number, title in session.execute(stmt):
        cells[(topic, doc_id)].append((mid, number, title))
    return TopicComparison(topics, docs, {k: tuple(v) for k, v in cells.items()})


def _target_json(t: TargetView) -> dict[str, Any]:
    return {"indicator": t.indicator, "value": t.value, "value_max": t.value_max,
            "unit": t.unit, "comparator": t.comparator, "deadline": t.deadline,
            "recurrent": t.recurrent, "soft": t.soft, "source_text": t.source_text}


def document_json(doc: DocumentView, region_name: str | None = None) -> dict[str, Any]:
    """One document as ``catalog --json`` and ``import-policy --json`` print it (DESIGN.md)."""
    return {
        "id": doc.id, "title": doc.title, "region": region_name, "region_code": doc.region_code,
        "short": doc.short, "issuers": list(doc.issuers), "doc_number": doc.doc_number,
        "date": doc.date, "flags": list(doc.flags),
        "targets": [_target_json(t) for t in doc.targets],
        "measures": [{
            "id": m.id, "ref": m.ref, "number": m.number, "path": m.path, "section": m.section,
            "title": m.title, "text": m.text, "source_text": m.source_text,
            "lead_units": list(m.lead_units), "responsible_units": list(m.responsible_units),
            "units": [{"name": u.name, "role": u.role, "collective": u.collective,
                       "department": u.department, "department_kind": u.department_kind}
                      for u in m.units],
            "targets": [_target_json(t) for t in m.targets],
            "topics": list(m.topics), "flags": list(m.flags),
        } for m in doc.measures],
    }


def catalog_json(session: Session) -> dict[str, Any]:
    names = region_names(session)
    return {"documents": [document_json(d, names.get(d.region_code or ""))
                          for d in load_catalog(session)]}
