"""Writing the policy catalog: bundled seeds on first start, imported documents, assigned units.

Every function takes a Session and leaves committing to the caller, so an import is one
transaction: a failure writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.catalog_view import document_short
from checklists.parsing.model import (
    Correction,
    ParsedDocument,
    ParsedMeasure,
    ParsedSection,
    ParsedTarget,
    ParsedUnit,
    document_from_dict,
    document_to_dict,
)
from models.catalog import (
    Department,
    DepartmentAlias,
    Measure,
    MeasureTopic,
    MeasureUnit,
    PolicyDocument,
    Region,
    Section,
    Target,
)
from models.dialect import write_search_rows
from models.system import AuditEntry
from resources import resource_path
from rules.progress import Progress


class DuplicateDocumentError(ValueError):
    """The same document (same normalised text) is already in the catalog."""


@dataclass(frozen=True)
class ImportResult:
    document_id: str
    title: str
    measures: int
    created: bool


def ensure_regions(session: Session) -> None:
    from checklists.regions import load_regions

    known = set(session.scalars(select(Region.code)))
    for r in load_regions():
        if r.code not in known:
            session.add(Region(code=r.code, name=r.name, short=r.short, level=r.level,
                               parent_code=r.parent))
    session.flush()


def bundled_policy_files() -> list[tuple[str, str]]:
    """(file name, text) of the policy documents shipped with the app, in catalog order."""
    folder = resource_path("resources", "policies")
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def ensure_bundled_catalog(session: Session, progress: Progress | None = None) -> int:
    """Parse and store the shipped documents that are not in the catalog yet.

    Returns how many were added. Ids are derived from the texts, so every laptop gets the same.
    """
    import hashlib

    from services.settings import get_setting, set_setting

    ensure_regions(session)
    files = bundled_policy_files()
    fingerprint = hashlib.sha256("\0".join(f"{n}\0{b}" for n, b in files).encode()).hexdigest()
    if get_setting(session, BUNDLED_FINGERPRINT) == fingerprint:
        return 0  # the shipped texts are the ones already parsed: the parser is not loaded
    from checklists.parsing import parse_text

    have = set(session.scalars(select(PolicyDocument.id).where(PolicyDocument.bundled)))
    added = 0
    for i, (name, body) in enumerate(files):
        if progress:
            progress(i, len(files), name)
        doc = parse_text(body, source_name=name)
        if doc.id in have or session.get(PolicyDocument, doc.id) is not None:
            continue
        save_document(session, doc, source_name=name, bundled=True)
        added += 1
    set_setting(session, BUNDLED_FINGERPRINT, fingerprint)
    return added


#: Setting that records which shipped policy texts were parsed, so that an update that ships a
#: changed text is parsed on its first start (the changed text is a new document).
BUNDLED_FINGERPRINT = "bundled_catalog_sha256"


def save_document(
    session: Session, doc: ParsedDocument, *, source_name: str | None = None,
    bundled: bool = False, user: str | None = None,
) -> ImportResult:
    """Store one parsed (and possibly hand-corrected) document with all it contains."""
    if session.get(PolicyDocument, doc.id) is not None:
        raise DuplicateDocumentError(f"该文件已在政策目录中：《{doc.title}》")
    ensure_regions(session)
    from checklists.topics import apply_overrides, classify

    short = document_short(doc)
    row = PolicyDocument(
        id=doc.id, title=doc.title, short=short, region_code=doc.region_code,
        issuers=list(doc.issuers), doc_number=doc.doc_number, date=doc.date,
        flags=list(doc.flags), source_name=source_name, source_text=doc.source_text,
        bundled=bundled, corrections=[asdict(c) for c in doc.corrections],
    )
    session.add(row)
    for pos, sec in enumerate(doc.sections):
        session.add(Section(id=_child_id(doc.id, "s", sec.path), document_id=doc.id,
                            path=sec.path, number=sec.number, title=sec.title,
                            preamble=sec.preamble, position=pos))
    _add_targets(session, doc.id, None, doc.targets)
    from checklists.parsing.ids import measure_id

    for pos, m in enumerate(doc.measures):
        mid = measure_id(doc.id, m.path)
        session.add(Measure(
            id=mid, document_id=doc.id, section_path=m.section_path, section_title=m.section,
            number=m.number, path=m.path, title=m.title, text=m.text,
            source_text=m.source_text, flags=list(m.flags), position=pos,
        ))
        for upos, u in enumerate(m.units):
            dept = None if u.collective else department_for(session, u.name, doc.region_code)
            session.add(MeasureUnit(measure_id=mid, name=u.name, role=u.role,
                                    collective=u.collective,
                                    department_id=dept.id if dept else None, position=upos))
        _add_targets(session, doc.id, mid, m.targets)
        ref = f"{short}:{m.number}"
        for code in apply_overrides(ref, classify(m.title, m.text)):
            session.add(MeasureTopic(measure_id=mid, topic=code, source="keyword"))
    session.flush()
    index_document(session, doc.id)
    session.add(AuditEntry(action="import", table_name="policy_documents", record_id=doc.id,
                           user=user, device_id=session.info.get("device_id"),
                           detail={"title": doc.title, "measures": len(doc.measures),
                                   "source": source_name, "bundled": bundled}))
    return ImportResult(doc.id, doc.title, len(doc.measures), True)


def _add_targets(session: Session, doc_id: str, measure_id: str | None,
                 targets: Iterable[ParsedTarget]) -> None:
    for pos, t in enumerate(targets):
        session.add(Target(document_id=doc_id, measure_id=measure_id, indicator=t.indicator,
                           value=t.value, value_max=t.value_max, unit=t.unit,
                           comparator=t.comparator, deadline=t.deadline, recurrent=t.recurrent,
                           soft=t.soft, source_text=t.source_text, position=pos))


def _child_id(doc_id: str, kind: str, path: str) -> str:
    digest = hashlib.sha256(f"{doc_id}/{kind}/{path}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}"


def department_for(session: Session, name: str, region_code: str | None) -> Department | None:
    """The canonical department a unit name stands for, creating it (and the alias) on first use.

    Names the department lexicon cannot place still get a department of their own, keyed by the
    name as written, so the department view can list them; they carry no kind.
    """
    from checklists.departments import canonical_department

    canon = canonical_department(name, region_code)
    # A body the lexicon places only by its work (县科工贸局: 工业和信息化) keeps its own name;
    # its kind is the mapping, shown beside the name and never in its place.
    dept_name = canon.name if canon and canon.name_supported else name
    dept_id = "dep-" + hashlib.sha256(f"{region_code}/{dept_name}".encode()).hexdigest()[:16]
    dept = session.get(Department, dept_id)
    if dept is None:
        dept = Department(id=dept_id, region_code=region_code, kind=canon.label if canon else None,
                          name=dept_name)
        session.add(dept)
        session.flush()
    if name not in {a.alias for a in dept.aliases}:
        dept.aliases.append(DepartmentAlias(alias=name))
    return dept


def index_document(session: Session, doc_id: str) -> None:
    """(Re)build the full-text rows of one document's measures."""
    ids = list(session.scalars(select(Measure.id).where(Measure.document_id == doc_id)))
    write_search_rows(session, ids, (
        {"measure_id": m.id, "title": m.title, "body": m.text,
         "units": " ".join(u.name for u in m.units)}
        for m in session.scalars(select(Measure).where(Measure.document_id == doc_id))))


def assign_unit(session: Session, measure_id: str, name: str, *, user: str | None = None) -> None:
    """Add a department to a measure by hand. Stored as ``assigned``, apart from the text's own."""
    name = name.strip()
    if not name:
        raise ValueError("请填写单位名称。")
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise ValueError("措施不存在。")
    if any(u.name == name and u.role == "assigned" for u in measure.units):
        return
    dept = department_for(session, name, measure.document.region_code)
    pos = max((u.position for u in measure.units), default=-1) + 1
    measure.units.append(MeasureUnit(name=name, role="assigned",
                                     department_id=dept.id if dept else None, position=pos))
    session.add(AuditEntry(action="assign_unit", table_name="measures", record_id=measure_id,
                           user=user, device_id=session.info.get("device_id"),
                           detail={"unit": name}))
    session.flush()
    index_document(session, measure.document_id)


def unassign_unit(session: Session, measure_id: str, name: str, *, user: str | None = None) -> None:
    """Remove a hand-assigned unit. Units as written in the document cannot be removed."""
    for row in session.scalars(select(MeasureUnit).where(  # ORM deletes leave tombstones
            MeasureUnit.measure_id == measure_id, MeasureUnit.name == name,
            MeasureUnit.role == "assigned")):
        session.delete(row)
    session.add(AuditEntry(action="unassign_unit", table_name="measures", record_id=measure_id,
                           user=user, device_id=session.info.get("device_id"),
                           detail={"unit": name}))
    measure = session.get(Measure, measure_id)
    if measure is not None:
        session.flush()
        index_document(session, measure.document_id)


def set_measure_topics(session: Session, measure_id: str, topics: Iterable[str], *,
                       user: str | None = None) -> None:
    """A person's correction of a measure's topics. Added topics are stored as ``user``;
    removed ones stay as ``excluded`` rows so that re-classifying never brings them back."""
    from checklists.topics import load_topics

    wanted = set(topics)
    known = {t.code for t in load_topics()}
    unknown = wanted - known
    if unknown:
        raise ValueError(f"未知的政策主题：{'、'.join(sorted(unknown))}")
    rows = {t.topic: t for t in session.scalars(
        select(MeasureTopic).where(MeasureTopic.measure_id == measure_id))}
    for code, row in rows.items():
        if code not in wanted and not row.excluded:
            row.excluded, row.source = True, "user"
        elif code in wanted and row.excluded:
            row.excluded, row.source = False, "user"
    for code in wanted - rows.keys():
        session.add(MeasureTopic(measure_id=measure_id, topic=code, source="user"))
    session.add(AuditEntry(action="set_topics", table_name="measures", record_id=measure_id,
                           user=user, device_id=session.info.get("device_id"),
                           detail={"topics": sorted(wanted)}))
    session.flush()


# --------------------------------------------------------------------------- exchange


def document_payload(session: Session, doc_id: str) -> dict[str, Any]:
    """One catalog document as an exchange package carries it: the parsed document (as it was
    stored, with any hand corrections) and where it came from. Units a user assigned after
    import are not in it; they travel as records of their own."""
    doc = session.get(PolicyDocument, doc_id)
    if doc is None:
        raise LookupError(f"政策目录中没有文件 {doc_id}")

    def targets(rows: Iterable[Target]) -> tuple[ParsedTarget, ...]:
        return tuple(ParsedTarget(
            indicator=t.indicator, value=t.value, unit=t.unit, comparator=t.comparator,  # type: ignore[arg-type]
            value_max=t.value_max, deadline=t.deadline, recurrent=t.recurrent, soft=t.soft,
            source_text=t.source_text) for t in sorted(rows, key=lambda t: t.position))

    doc_targets = session.scalars(select(Target).where(
        Target.document_id == doc_id, Target.measure_id.is_(None))).all()
    measures = []
    for m in doc.measures:
        units = [u for u in m.units if u.role != "assigned"]
        measures.append(ParsedMeasure(
            number=m.number, path=m.path, section=m.section_title, section_path=m.section_path,
            title=m.title, text=m.text, source_text=m.source_text,
            lead_units=tuple(u.name for u in units if u.role == "lead"),
            responsible_units=tuple(u.name for u in units if u.role == "responsible"),
            units=tuple(ParsedUnit(u.name, u.role, u.collective) for u in units),  # type: ignore[arg-type]
            targets=targets(m.targets), flags=tuple(m.flags)))
    parsed = ParsedDocument(
        id=doc.id, title=doc.title, region=None, region_code=doc.region_code,
        issuers=tuple(doc.issuers), doc_number=doc.doc_number, date=doc.date,
        sections=tuple(ParsedSection(s.path, s.number, s.title, s.preamble)
                       for s in doc.sections),
        measures=tuple(measures), targets=targets(doc_targets), flags=tuple(doc.flags),
        source_text=doc.source_text,
        corrections=tuple(Correction(**c) for c in doc.corrections or ()))
    return {"id": doc.id, "source_name": doc.source_name, "bundled": doc.bundled,
            "document": document_to_dict(parsed)}


def restore_document(session: Session, payload: dict[str, Any]) -> bool:
    """Store a document from an exchange package unless the catalog has it. True if stored.

    Ids are deterministic, so the stored document and its measures get the ids the sending
    laptop has. ``ValueError`` (Chinese) when the payload is not a document of that id."""
    if session.get(PolicyDocument, payload["id"]) is not None:
        return False
    try:
        doc = document_from_dict(payload["document"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"数据包中的政策文件格式不正确：{exc}") from None
    if doc.id != payload["id"]:
        raise ValueError(f"数据包中的政策文件编号不符：{payload['id']}")
    save_document(session, doc, source_name=payload.get("source_name"),
                  bundled=bool(payload.get("bundled")))
    return True
