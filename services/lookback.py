"""回头看: what earlier inspections of a unit found, and carrying answers forward.

An answer is carried forward only to an item with the same code AND the same text hash (the
question, how to check, the answer spec and the legal basis are unchanged) — as STIG Manager
does with the SHA-256 of a rule's check text. A carried answer is marked with the finding it
came from (``carried_from``) until the inspector changes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.snapshot import SnapshotError
from models.base import utcnow
from models.inspection import Finding, Inspection, InspectionCounts
from rules.inspection_status import COMPLETED, FAIL, NOT_CHECKED, PARTIAL, SIGNED
from services.audit import audit
from services.checklist_snapshot import inspection_checklist
from services.findings import FindingInfo, finding_info, result_order
from services.inspection_access import InspectionError, editable, load
from services.inspection_lifecycle import InspectionSummary, list_inspections
from services.result_counts import apply_change


@dataclass(frozen=True)
class PastInspection:
    summary: InspectionSummary
    findings: tuple[FindingInfo, ...]  # non-compliant first, then in checklist order
    #: what each item asked, by its code, as the inspection's own checklist put it
    questions: Mapping[str, str] = field(default_factory=dict)
    #: the unit of each measured item's value (㎡, 天, 个), by its code
    units: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenItem:
    """An item whose latest judged result at this unit is 不符合 or 部分符合."""

    item_code: str
    result: str
    note: str | None
    found_at: datetime  # start of the inspection that found it
    inspection_uuid: str
    finding_uuid: str
    question: str = ""  # as the checklist of the inspection that found it asked it


@dataclass(frozen=True)
class EntityHistory:
    entity_id: int
    inspections: tuple[PastInspection, ...]  # newest first
    open_items: tuple[OpenItem, ...]


@dataclass(frozen=True)
class CarryReport:
    copied: tuple[str, ...]  # item codes whose answers were carried
    changed: tuple[str, ...]  # same code but the item's text changed: not carried
    kept: tuple[str, ...]  # already answered in this inspection: left alone


def history_for_entity(session: Session, entity_id: int, *,
                       exclude_inspection_id: int | None = None) -> EntityHistory:
    """Completed and signed inspections of a unit (current versions only), with their findings,
    and the items still open (not found compliant or not applicable since). With
    ``exclude_inspection_id``, as that inspection looks back: only the inspections started
    before it (an earlier inspection opened again does not see the later ones as 以往)."""
    past = [s for s in list_inspections(session, entity_id=entity_id, current_only=True)
            if s.status in (COMPLETED, SIGNED) and s.id != exclude_inspection_id]
    if exclude_inspection_id is not None:
        this = session.get(Inspection, exclude_inspection_id)
        if this is not None:
            mark = (this.started_at, this.id)
            past = [s for s in past if (s.started_at, s.id) < mark]
    out = []
    latest: dict[str, tuple[FindingInfo, InspectionSummary]] = {}
    asked: dict[str, str] = {}  # the latest wording of each item code
    for summary in sorted(past, key=lambda s: (s.started_at, s.id)):  # oldest first
        rows = [finding_info(r) for r in session.scalars(
            select(Finding).where(Finding.inspection_id == summary.id))]
        questions, units = _questions(session, summary.id)
        for f in rows:
            if f.result != NOT_CHECKED:
                latest[f.item_code] = (f, summary)
                if f.item_code in questions:
                    asked[f.item_code] = questions[f.item_code]
        rows.sort(key=lambda f: (result_order(f.result), f.position))
        out.append(PastInspection(summary, tuple(rows), questions, units))
    open_items = [OpenItem(f.item_code, f.result, f.note, s.started_at, s.uuid, f.uuid,
                           asked.get(f.item_code, ""))
                  for f, s in latest.values() if f.result in (FAIL, PARTIAL)]
    open_items.sort(key=lambda o: (result_order(o.result), o.item_code))
    return EntityHistory(entity_id, tuple(reversed(out)), tuple(open_items))


def _questions(session: Session, inspection_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """What an inspection's own checklist asked, and the units of its measured values, by item
    code (empty when its snapshot cannot be read: the items then show their codes)."""
    try:
        checklist = inspection_checklist(session, inspection_id)
    except (SnapshotError, LookupError):
        return {}, {}
    return ({i.code: i.question for i in checklist.items},
            {i.code: i.answer.unit for i in checklist.items if i.answer.unit})


def carry_forward(session: Session, inspection_id: int, from_inspection_id: int, *,
                  user: str | None = None) -> CarryReport:
    """Copy the earlier inspection's answers into this draft where the item is unchanged and
    not yet answered here. Both must be inspections of the same unit."""
    target = editable(session, inspection_id, "带入上次检查结果")
    source = load(session, from_inspection_id)
    if source.id == target.id:
        raise InspectionError("不能从本次检查带入结果")
    if source.entity_id != target.entity_id:
        raise InspectionError("只能带入同一被检查单位以往检查的结果")
    theirs = {f.item_code: f for f in session.scalars(
        select(Finding).where(Finding.inspection_id == source.id, Finding.answered.is_(True)))}
    counts = session.get(InspectionCounts, target.id)
    assert counts is not None
    copied, changed, kept = [], [], []
    for mine in session.scalars(select(Finding).where(Finding.inspection_id == target.id)
                                .order_by(Finding.position)):
        old = theirs.get(mine.item_code)
        if old is None:
            continue
        if old.text_hash != mine.text_hash:
            changed.append(mine.item_code)
            continue
        if mine.answered:
            kept.append(mine.item_code)
            continue
        before = (mine.result, bool(mine.answered))
        mine.result, mine.value_number, mine.value_text = old.result, old.value_number, \
            old.value_text
        mine.note = old.note
        mine.answered = True
        mine.answered_at = utcnow()
        mine.carried_from = old.uuid
        apply_change(counts, before, (mine.result, True))
        copied.append(mine.item_code)
    session.flush()
    audit(session, "carry_forward", "inspections", target.uuid,
          {"from": source.uuid, "copied": copied, "changed": changed, "kept": kept}, user=user)
    return CarryReport(tuple(copied), tuple(changed), tuple(kept))
