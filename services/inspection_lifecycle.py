"""Inspections (检查/督查/自查): creation from a unit and a generated checklist, the record
fields of the 现场检查笔录, listing, and the draft → completed → signed workflow.

Findings are in :mod:`services.findings`, signatures in :mod:`services.signatures`, evidence in
:mod:`services.evidence`, amendments and 回头看 in :mod:`services.amendments` and
:mod:`services.lookback`. Services take a Session and neither open nor commit it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from models.base import utcnow
from models.inspection import Finding, Inspection, InspectionCounts, InspectionOfficer, Signature
from models.registry import Entity
from models.utc import to_utc
from rules.compliance import Counts
from rules.inspection_status import (
    COMPLETED,
    DEFAULT_STATEMENT,
    DRAFT,
    ENFORCEMENT,
    KINDS,
    SIGNED,
    STATUS_LABELS,
)
from rules.limits import NAME_MAX, NOTE_MAX, SHORT_TEXT_MAX
from rules.text_check import check_text
from services.audit import audit
from services.checklist_snapshot import (
    SnapshotError,
    checklist_info,
    inspection_checklist,
    read_snapshot,
    store_snapshot,
)
from services.findings import missing_on_fail
from services.inspection_access import InspectionError, UncheckedItems, load, require_status
from services.officers import OfficerInput, check_officers, officer_rows

RECORD_FIELDS = ("place", "started_at", "ended_at", "recorder", "party_name", "party_position",
                 "party_phone", "credentials_shown", "recusal_notice_given", "recusal_requested",
                 "recusal_note", "party_statement")

__all__ = ["InspectionError", "InspectionSummary", "OfficerInput", "complete_inspection",
           "create_inspection", "get_summary", "list_inspections", "reopen_inspection",
           "set_officers", "sign_inspection", "update_record"]


@dataclass(frozen=True)
class InspectionSummary:
    """One row of the inspections list: no findings are read to make it."""

    id: int
    uuid: str
    series_uuid: str
    version: int
    supersedes_uuid: str | None
    superseded: bool  # a later version exists
    entity_id: int
    entity_uuid: str
    entity_name: str
    kind: str
    status: str  # draft | completed | signed
    themes: tuple[str, ...]
    started_at: datetime
    ended_at: datetime | None
    demo: bool
    counts: Counts

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def create_inspection(session: Session, *, entity_id: int, checklist_snapshot: dict[str, Any],
                      kind: str, officers: Sequence[OfficerInput | int],
                      started_at: datetime | None = None, place: str | None = None,
                      recorder: str | None = None, user: str | None = None) -> InspectionSummary:
    """A draft inspection of one unit with one checklist; one 未检查 finding per item.

    ``officers`` are roster inspector ids or typed-in officers. A 执法检查 needs at least two
    officers with a 执法证号; an officer with a declared conflict with the unit is refused.
    """
    if kind not in KINDS:
        raise InspectionError(f"检查类型应为{'、'.join(KINDS)}之一，而不是“{kind}”")
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise InspectionError(f"找不到被检查单位（编号 {entity_id}）")
    try:
        snap = read_snapshot(checklist_snapshot)
    except SnapshotError as exc:
        raise InspectionError(str(exc)) from None
    people = check_officers(session, kind, entity, officers)
    row = Inspection(entity_id=entity.id, kind=kind, status=DRAFT, demo=entity.demo,
                     themes=list(snap.themes), checklist_hash=snap.content_hash,
                     snapshot_id=store_snapshot(session, checklist_snapshot),
                     started_at=started_at or utcnow(),
                     place=place or entity.address, recorder=recorder,
                     party_statement=DEFAULT_STATEMENT, created_by=user)
    session.add(row)
    session.flush()
    session.add_all(officer_rows(row.id, people))
    session.add_all(
        Finding(inspection_id=row.id, item_code=item.code, position=i, theme=item.theme,
                answer_type=item.answer.type, department=item.competent_department,
                text_hash=item.text_hash, answer=item.answer.to_dict(),
                require_on_fail=item.require_on_fail)
        for i, item in enumerate(snap.items))
    session.add(InspectionCounts(inspection_id=row.id, total=len(snap.items), answered=0,
                                 passed=0, failed=0, partial=0, not_applicable=0))
    session.flush()
    audit(session, "create", "inspections", row.uuid,
          {"entity": entity.uuid, "kind": kind, "themes": list(snap.themes),
           "items": len(snap.items), "officers": [p.name for p in people]}, user=user)
    return get_summary(session, row.id)


def set_officers(session: Session, inspection_id: int, officers: Sequence[OfficerInput | int],
                 *, user: str | None = None) -> None:
    """Replace the officers of a draft inspection (same rules as at creation)."""
    row = load(session, inspection_id)
    require_status(row, (DRAFT,), "更换检查人员")
    entity = session.get(Entity, row.entity_id)
    assert entity is not None
    people = check_officers(session, row.kind, entity, officers)
    for old in session.scalars(select(InspectionOfficer)
                               .where(InspectionOfficer.inspection_id == row.id)):
        session.delete(old)
    session.flush()
    session.add_all(officer_rows(row.id, people))
    audit(session, "set_officers", "inspections", row.uuid,
          {"officers": [p.name for p in people]}, user=user)


def update_record(session: Session, inspection_id: int, *, user: str | None = None,
                  **fields: Any) -> InspectionSummary:
    """Set 笔录 fields: place, started_at, ended_at, recorder, party_name, party_position,
    party_phone, credentials_shown, recusal_notice_given, recusal_requested, recusal_note,
    party_statement. Allowed while draft or completed."""
    row = load(session, inspection_id)
    require_status(row, (DRAFT, COMPLETED), "修改检查笔录")
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise InspectionError(f"检查笔录没有这些栏目：{'、'.join(sorted(unknown))}")
    if row.status == COMPLETED and session.scalar(
            select(Signature.id).where(Signature.inspection_id == row.id).limit(1)) is not None:
        raise InspectionError("已有人在笔录上签名，不能再修改；如需修改，请先退回草稿。")
    changed: dict[str, list[Any]] = {}
    for key, value in fields.items():
        if isinstance(value, str):
            label, limit = _RECORD_TEXT.get(key, (key, SHORT_TEXT_MAX))
            value = check_text(value, label=label, limit=limit, multiline=limit >= NOTE_MAX,
                               error=InspectionError)
        if key == "party_statement" and value is None:
            value = DEFAULT_STATEMENT
        if key in ("credentials_shown", "recusal_notice_given", "recusal_requested"):
            value = bool(value)
        if key == "started_at" and value is None:
            raise InspectionError("检查开始时间不能为空")
        old = getattr(row, key)
        if old != value:
            changed[key] = [_jsonable(old), _jsonable(value)]
            setattr(row, key, value)
    start, end = row.started_at, row.ended_at
    if start is not None and end is not None and to_utc(end) < to_utc(start):
        raise InspectionError("检查结束时间不能早于开始时间")
    if changed:
        session.flush()
        audit(session, "update", "inspections", row.uuid, {"changed": changed}, user=user)
    return get_summary(session, row.id)


#: The 笔录's text fields: how a message names each, and how long it may be.
_RECORD_TEXT = {
    "place": ("检查地点", SHORT_TEXT_MAX), "recorder": ("记录人", NAME_MAX),
    "party_name": ("被检查单位在场人员", NAME_MAX), "party_position": ("职务", NAME_MAX),
    "party_phone": ("联系电话", NAME_MAX), "recusal_note": ("回避情况", NOTE_MAX),
    "party_statement": ("当事人陈述", NOTE_MAX),
}

#: What an item left unchecked at completion carries in its note, before the reason.
UNCHECKED_NOTE = "未检查原因："


def complete_inspection(session: Session, inspection_id: int, *, ended_at: datetime | None = None,
                        user: str | None = None,
                        unchecked_reason: str | None = None) -> InspectionSummary:
    """draft → completed, once everything the record needs is there; otherwise a Chinese error
    listing what is missing (failed items without note/photo, and for a 执法检查 the notices,
    the recorder and the person present).

    Items still unanswered stop it (:class:`UncheckedItems`) unless ``unchecked_reason`` says
    why they were not checked: each such item then keeps 未检查 with the reason in its note (so
    the 笔录 prints it), and the audit entry lists them with the reason."""
    row = load(session, inspection_id)
    require_status(row, (DRAFT,), "再次完成")
    unanswered = list(session.scalars(select(Finding).where(
        Finding.inspection_id == row.id, Finding.answered.is_(False)).order_by(Finding.position)))
    reason = check_text(unchecked_reason, label="未检查的原因", limit=NOTE_MAX,
                        error=InspectionError) or ""
    if unanswered and not reason:
        raise UncheckedItems([(f.item_code, _questions(session, row).get(f.item_code, ""))
                              for f in unanswered])
    problems = missing_on_fail(session, row.id)
    if row.kind == ENFORCEMENT:
        problems.extend(_enforcement_gaps(session, row))
    if problems:
        raise InspectionError("还不能完成检查：\n" + "\n".join(f"- {p}" for p in problems))
    for f in unanswered:
        said = f"{UNCHECKED_NOTE}{reason}"
        written = (f.note or "").strip()
        f.note = f"{written}；{said}" if written else said
    row.status = COMPLETED
    row.completed_at = utcnow()
    if ended_at is not None or row.ended_at is None:
        row.ended_at = ended_at or row.completed_at
    session.flush()
    change: dict[str, Any] = {"from": DRAFT, "to": COMPLETED}
    if unanswered:
        change |= {"unchecked": [f.item_code for f in unanswered], "reason": reason}
    audit(session, "status", "inspections", row.uuid, change, user=user)
    return get_summary(session, row.id)


def _questions(session: Session, row: Inspection) -> dict[str, str]:
    try:
        return {i.code: i.question
                for i in checklist_info(inspection_checklist(session, row.id)).items}
    except SnapshotError:
        return {}


def reopen_inspection(session: Session, inspection_id: int, *, reason: str | None = None,
                      user: str | None = None) -> InspectionSummary:
    """completed → draft. Signatures already taken no longer match the record and are removed;
    the audit entry lists them."""
    row = load(session, inspection_id)
    require_status(row, (COMPLETED,), "退回草稿")
    removed = []
    for sig in session.scalars(select(Signature).where(Signature.inspection_id == row.id)):
        removed.append({"uuid": sig.uuid, "role": sig.role, "name": sig.name,
                        "image": sig.image_sha256, "refused": sig.refused})
        session.delete(sig)
    row.status = DRAFT
    row.completed_at = None
    session.flush()
    audit(session, "status", "inspections", row.uuid,
          {"from": COMPLETED, "to": DRAFT, "reason": reason, "removed_signatures": removed},
          user=user)
    return get_summary(session, row.id)


def sign_inspection(session: Session, inspection_id: int, *,
                    user: str | None = None) -> InspectionSummary:
    """completed → signed (locked). Every officer must have signed; for a 执法检查 or 督查 the
    unit's person must have signed or refused before a witness."""
    from services.signatures import signing_gaps

    row = load(session, inspection_id)
    require_status(row, (COMPLETED,), "签名确认")
    gaps = signing_gaps(session, row)
    if gaps:
        raise InspectionError("还不能签名确认：\n" + "\n".join(f"- {g}" for g in gaps))
    row.status = SIGNED
    row.signed_at = utcnow()
    session.flush()
    audit(session, "status", "inspections", row.uuid, {"from": COMPLETED, "to": SIGNED},
          user=user)
    return get_summary(session, row.id)


def get_summary(session: Session, inspection_id: int) -> InspectionSummary:
    found = list_inspections(session, ids=[inspection_id])
    if not found:
        raise InspectionError(f"找不到检查记录（编号 {inspection_id}）")
    return found[0]


def list_inspections(session: Session, *, status: str | None = None,
                     entity_id: int | None = None, current_only: bool = False,
                     ids: Sequence[int] | None = None,
                     include_demo: bool = True) -> list[InspectionSummary]:
    """Newest first. ``current_only`` leaves out versions that a later version supersedes."""
    older = aliased(Inspection)
    # the stored flag (kept by amendments and imports), not a subquery per row
    superseded = func.coalesce(InspectionCounts.superseded, False)
    c = InspectionCounts
    stmt = (select(Inspection.id, Inspection.uuid, Inspection.series_uuid, Inspection.version,
                   older.uuid, superseded, Entity.id, Entity.uuid, Entity.name, Inspection.kind,
                   Inspection.status, Inspection.themes, Inspection.started_at,
                   Inspection.ended_at, Inspection.demo, c.inspection_id, c.total, c.answered,
                   c.passed, c.failed, c.partial, c.not_applicable)
            .join(Entity, Inspection.entity_id == Entity.id)
            .outerjoin(older, Inspection.supersedes_id == older.id)
            .outerjoin(InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
            .order_by(Inspection.started_at.desc(), Inspection.id.desc()))
    if status:
        stmt = stmt.where(Inspection.status == status)
    if entity_id is not None:
        stmt = stmt.where(Inspection.entity_id == entity_id)
    if current_only:
        stmt = stmt.where(superseded == False)  # noqa: E712
    if ids is not None:
        stmt = stmt.where(Inspection.id.in_(list(ids)))
    if not include_demo:
        stmt = stmt.where(Inspection.demo.is_(False))
    out = []
    # plain rows through the connection: no ORM entities are asked for, and the ORM's result
    # handling costs more than the query over thousands of rows
    for r in session.connection().execute(stmt):
        out.append(InspectionSummary(
            id=r[0], uuid=r[1], series_uuid=r[2], version=r[3], supersedes_uuid=r[4],
            superseded=bool(r[5]), entity_id=r[6], entity_uuid=r[7], entity_name=r[8],
            kind=r[9], status=r[10], themes=tuple(r[11] or ()), started_at=r[12],
            ended_at=r[13], demo=bool(r[14]),
            counts=Counts() if r[15] is None else Counts(r[16], r[17], r[18], r[19], r[20],
                                                          r[21])))
    return out


def _enforcement_gaps(session: Session, row: Inspection) -> list[str]:
    gaps = []
    if not row.credentials_shown:
        gaps.append("未记录已出示执法证件")
    if not row.recusal_notice_given:
        gaps.append("未记录已告知当事人申请回避的权利")
    if not row.recorder:
        gaps.append("未填写记录人")
    if not row.party_name:
        gaps.append("未填写被检查单位负责人或在场人员姓名")
    with_cert = session.scalars(select(InspectionOfficer).where(
        InspectionOfficer.inspection_id == row.id,
        InspectionOfficer.cert_no.is_not(None))).all()
    if len(with_cert) < 2:
        gaps.append("执法检查须有两名以上持执法证件的检查人员")
    return gaps


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
