"""Amending a signed inspection (更正): a new version row that supersedes the old one.

The signed version is never touched (the database refuses it). The new version is a draft with
the same unit, checklist, record fields, officers, findings and evidence, ``version`` + 1, the
same ``series_uuid``, and the reason for the amendment; it is completed and signed again. Only
the latest signed version of a series counts in rates and reports.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import Evidence, Finding, Inspection, InspectionCounts, InspectionOfficer
from rules.inspection_status import DRAFT, SIGNED
from rules.limits import NOTE_MAX
from rules.text_check import check_text
from services.audit import audit
from services.entities import clean
from services.inspection_access import InspectionError, load
from services.inspection_lifecycle import InspectionSummary, get_summary

_COPIED = ("entity_id", "kind", "demo", "themes", "checklist_hash", "snapshot_id", "place",
           "started_at", "ended_at", "recorder", "party_name", "party_position", "party_phone",
           "credentials_shown", "recusal_notice_given", "recusal_requested", "recusal_note",
           "party_statement")
_FINDING = ("item_code", "position", "theme", "answer_type", "department", "text_hash", "answer",
            "require_on_fail", "result", "value_number", "value_text", "note", "answered",
            "answered_at", "carried_from")
_EVIDENCE = ("kind", "sha256", "ext", "original_name", "mime", "size_bytes", "width", "height",
             "captured_at", "captured_source", "photographer", "caption", "added_at")


def amend_inspection(session: Session, inspection_id: int, *, reason: str,
                     user: str | None = None) -> InspectionSummary:
    """A new draft version of a signed inspection, for correcting it; the old one stays."""
    old = load(session, inspection_id)
    why = check_text(clean(reason), label="更正理由", limit=NOTE_MAX, error=InspectionError)
    if why is None:
        raise InspectionError("请填写更正理由")
    if old.status != SIGNED:
        raise InspectionError("只有已签名的检查记录需要更正；未签名的记录可以直接修改")
    newer = session.scalars(select(Inspection).where(Inspection.supersedes_id == old.id)).first()
    if newer is not None:
        raise InspectionError(f"该记录已有更正版本（第{newer.version}版），请在最新版本上更正")
    new = Inspection(series_uuid=old.series_uuid, version=old.version + 1, supersedes_id=old.id,
                     amendment_reason=why, status=DRAFT, created_by=user,
                     **{k: getattr(old, k) for k in _COPIED})
    session.add(new)
    session.flush()
    for officer in session.scalars(select(InspectionOfficer).where(
            InspectionOfficer.inspection_id == old.id).order_by(InspectionOfficer.position)):
        session.add(InspectionOfficer(
            inspection_id=new.id, inspector_id=officer.inspector_id, name=officer.name,
            department=officer.department, cert_no=officer.cert_no, position=officer.position))
    finding_ids: dict[int, int] = {}
    for finding in session.scalars(select(Finding).where(Finding.inspection_id == old.id)):
        copy = Finding(inspection_id=new.id, **{k: getattr(finding, k) for k in _FINDING})
        session.add(copy)
        session.flush()
        finding_ids[finding.id] = copy.id
    for ev in session.scalars(select(Evidence).where(Evidence.inspection_id == old.id)):
        session.add(Evidence(inspection_id=new.id,
                             finding_id=finding_ids.get(ev.finding_id) if ev.finding_id else None,
                             **{k: getattr(ev, k) for k in _EVIDENCE}))
    counts = session.get(InspectionCounts, old.id)
    assert counts is not None
    session.add(InspectionCounts(
        inspection_id=new.id, total=counts.total, answered=counts.answered,
        passed=counts.passed, failed=counts.failed, partial=counts.partial,
        not_applicable=counts.not_applicable, rate=counts.rate))
    counts.superseded = True  # the list leaves the old version out from now on
    session.flush()
    audit(session, "amend", "inspections", new.uuid,
          {"supersedes": old.uuid, "version": new.version, "reason": why}, user=user)
    return get_summary(session, new.id)


def versions(session: Session, series_uuid: str) -> list[InspectionSummary]:
    """Every version of one inspection, oldest first."""
    ids = session.scalars(select(Inspection.id).where(Inspection.series_uuid == series_uuid)
                          .order_by(Inspection.version)).all()
    return [get_summary(session, i) for i in ids]
