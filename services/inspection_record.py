"""The whole 现场检查笔录 of one inspection as plain data, for the report builder and the GUI.

Everything the legal record prints: the unit, each officer with department and 执法证号, the
times, the recorder, the person present, the notices given (证件出示, 回避权利) and whether
回避 was requested, the party's statement, the findings, the evidence, the signatures or a
refusal with its witness, the amendment it supersedes, and the checklist snapshot it was made
from (which the report reads for questions and legal basis).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import InspectionOfficer
from models.utc import from_db
from services.checklist_snapshot import inspection_snapshot
from services.entities import EntityInfo, get_entity
from services.evidence import EvidenceInfo, list_evidence
from services.findings import FindingInfo, list_findings
from services.inspection_access import load
from services.inspection_lifecycle import InspectionSummary, get_summary
from services.signatures import SignatureInfo, list_signatures


@dataclass(frozen=True)
class OfficerInfo:
    name: str
    department: str
    cert_no: str | None
    inspector_id: int | None


@dataclass(frozen=True)
class InspectionRecord:
    summary: InspectionSummary
    entity: EntityInfo
    officers: tuple[OfficerInfo, ...]
    place: str | None
    started_at: datetime
    ended_at: datetime | None
    recorder: str | None
    party_name: str | None
    party_position: str | None
    party_phone: str | None
    credentials_shown: bool
    recusal_notice_given: bool
    recusal_requested: bool
    recusal_note: str | None
    party_statement: str
    amendment_reason: str | None
    completed_at: datetime | None
    signed_at: datetime | None
    findings: tuple[FindingInfo, ...]
    evidence: tuple[EvidenceInfo, ...]
    signatures: tuple[SignatureInfo, ...]
    checklist: dict[str, Any]  # the snapshot (checklists.snapshot.from_snapshot reads it)

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments taking part, in officer order (a joint inspection has several)."""
        return tuple(dict.fromkeys(o.department for o in self.officers))


def get_record(session: Session, inspection_id: int) -> InspectionRecord:
    row = load(session, inspection_id)
    officers = tuple(
        OfficerInfo(o.name, o.department, o.cert_no, o.inspector_id)
        for o in session.scalars(select(InspectionOfficer).where(
            InspectionOfficer.inspection_id == row.id).order_by(InspectionOfficer.position)))
    started = from_db(row.started_at)
    assert started is not None
    return InspectionRecord(
        summary=get_summary(session, row.id), entity=get_entity(session, row.entity_id),
        officers=officers, place=row.place, started_at=started, ended_at=from_db(row.ended_at),
        recorder=row.recorder, party_name=row.party_name, party_position=row.party_position,
        party_phone=row.party_phone, credentials_shown=bool(row.credentials_shown),
        recusal_notice_given=bool(row.recusal_notice_given),
        recusal_requested=bool(row.recusal_requested), recusal_note=row.recusal_note,
        party_statement=row.party_statement, amendment_reason=row.amendment_reason,
        completed_at=from_db(row.completed_at), signed_at=from_db(row.signed_at),
        findings=tuple(list_findings(session, row.id)),
        evidence=tuple(list_evidence(session, row.id)),
        signatures=tuple(list_signatures(session, row.id)),
        checklist=inspection_snapshot(session, row.id))
