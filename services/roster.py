"""The inspector roster and declared conflicts of interest (回避).

An inspector belongs to one department kind (卫生健康, 消防救援, …) and may hold a 执法证号; a
declared conflict keeps an inspector off every inspection of that unit
(:func:`services.inspection_lifecycle.create_inspection` refuses it, and so should the random draw).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.departments import department_kinds
from models.registry import Conflict, Entity, Inspector
from rules.limits import NAME_MAX
from rules.text_check import check_text
from services.audit import audit
from services.entities import clean


class RosterError(ValueError):
    """A roster change cannot be made. The message is Chinese."""


@dataclass(frozen=True)
class InspectorInfo:
    id: int
    uuid: str
    name: str
    department: str
    cert_no: str | None
    active: bool


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    uuid: str
    inspector_id: int
    inspector_name: str
    entity_id: int
    entity_name: str
    reason: str
    declared_at: datetime


def check_department(label: str) -> str:
    text = (label or "").strip()
    labels = [k.label for k in department_kinds()]
    if text not in labels:
        raise RosterError(f"没有这个部门类别：{text or '（空）'}（例如 {'、'.join(labels[:4])}）")
    return text


def add_inspector(session: Session, *, name: str, department: str, cert_no: str | None = None,
                  active: bool = True, user: str | None = None) -> InspectorInfo:
    row = Inspector(name=_name(name), department=check_department(department),
                    cert_no=_cert(session, cert_no, None), active=active)
    session.add(row)
    session.flush()
    audit(session, "create", "inspectors", row.uuid, {"name": row.name}, user=user)
    return _info(row)


def update_inspector(session: Session, inspector_id: int, *, name: str | None = None,
                     department: str | None = None, cert_no: str | None = None,
                     active: bool | None = None, user: str | None = None) -> InspectorInfo:
    """Change the given fields (``cert_no=""`` clears the 执法证号)."""
    row = _row(session, inspector_id)
    before = {"name": row.name, "department": row.department, "cert_no": row.cert_no,
              "active": row.active}
    if name is not None:
        row.name = _name(name)
    if department is not None:
        row.department = check_department(department)
    if cert_no is not None:
        row.cert_no = _cert(session, cert_no, row.id)
    if active is not None:
        row.active = active
    after = {"name": row.name, "department": row.department, "cert_no": row.cert_no,
             "active": row.active}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit(session, "update", "inspectors", row.uuid, {"changed": changed}, user=user)
    return _info(row)


def list_inspectors(session: Session, *, active_only: bool = False,
                    department: str | None = None) -> list[InspectorInfo]:
    stmt = select(Inspector).order_by(Inspector.department, Inspector.name, Inspector.id)
    if active_only:
        stmt = stmt.where(Inspector.active.is_(True))
    if department:
        stmt = stmt.where(Inspector.department == department)
    return [_info(r) for r in session.scalars(stmt)]


def get_inspector(session: Session, inspector_id: int) -> InspectorInfo:
    return _info(_row(session, inspector_id))


def declare_conflict(session: Session, *, inspector_id: int, entity_id: int, reason: str,
                     user: str | None = None) -> ConflictInfo:
    inspector = _row(session, inspector_id)
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise RosterError(f"找不到被检查单位（编号 {entity_id}）")
    why = clean(reason)
    if why is None:
        raise RosterError("请填写回避事由")
    existing = session.scalars(select(Conflict).where(
        Conflict.inspector_id == inspector_id, Conflict.entity_id == entity_id)).first()
    if existing is not None:
        raise RosterError(f"{inspector.name}与“{entity.name}”的回避事由已登记：{existing.reason}")
    row = Conflict(inspector_id=inspector_id, entity_id=entity_id, reason=why)
    session.add(row)
    session.flush()
    audit(session, "create", "inspector_conflicts", row.uuid,
          {"inspector": inspector.uuid, "entity": entity.uuid, "reason": why}, user=user)
    return _conflict_info(row, inspector, entity)


def withdraw_conflict(session: Session, conflict_id: int, *, user: str | None = None) -> None:
    row = session.get(Conflict, conflict_id)
    if row is None:
        raise RosterError(f"找不到回避登记（编号 {conflict_id}）")
    audit(session, "delete", "inspector_conflicts", row.uuid, {"reason": row.reason}, user=user)
    session.delete(row)


def conflicts_for_entity(session: Session, entity_id: int) -> list[ConflictInfo]:
    rows = session.execute(
        select(Conflict, Inspector, Entity).join(Inspector, Conflict.inspector_id == Inspector.id)
        .join(Entity, Conflict.entity_id == Entity.id).where(Conflict.entity_id == entity_id)
        .order_by(Inspector.name)).all()
    return [_conflict_info(c, i, e) for c, i, e in rows]


def conflicting_inspector_ids(session: Session, entity_id: int) -> dict[int, str]:
    """Inspector id -> reason, for every declared conflict with this unit."""
    rows = session.execute(select(Conflict.inspector_id, Conflict.reason)
                           .where(Conflict.entity_id == entity_id)).all()
    return {i: r for i, r in rows}


def find_by_cert(session: Session, cert_no: str) -> InspectorInfo | None:
    row = session.scalars(select(Inspector).where(Inspector.cert_no == cert_no.strip())).first()
    return _info(row) if row is not None else None


def _name(name: str) -> str:
    text = check_text(clean(name), label="检查人员姓名", limit=NAME_MAX, multiline=False,
                      required=True, error=RosterError)
    assert text is not None
    return text


def _cert(session: Session, cert_no: str | None, own_id: int | None) -> str | None:
    text = check_text(clean(cert_no), label="执法证号", limit=NAME_MAX, multiline=False,
                      error=RosterError)
    if text is None:
        return None
    other = session.scalars(select(Inspector).where(Inspector.cert_no == text)).first()
    if other is not None and other.id != own_id:
        raise RosterError(f"执法证号 {text} 已属于 {other.name}")
    return text


def _row(session: Session, inspector_id: int) -> Inspector:
    row = session.get(Inspector, inspector_id)
    if row is None:
        raise RosterError(f"找不到检查人员（编号 {inspector_id}）")
    return row


def _info(row: Inspector) -> InspectorInfo:
    return InspectorInfo(row.id, row.uuid, row.name, row.department, row.cert_no, bool(row.active))


def _conflict_info(row: Conflict, inspector: Inspector, entity: Entity) -> ConflictInfo:
    return ConflictInfo(row.id, row.uuid, inspector.id, inspector.name, entity.id, entity.name,
                        row.reason, row.declared_at)
