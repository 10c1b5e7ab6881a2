"""Who inspects: officers picked from the roster or typed in, and the rules they must meet.

A 执法检查 needs at least two officers holding a 执法证号 (《行政处罚法》第四十二条、第五十五条);
a 督查 or 自查 needs at least one person. Each officer has a department kind, so one visit can
be a joint inspection by several departments; each finding is attributed to its item's
competent department. An officer who declared a conflict with the unit (回避) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import InspectionOfficer
from models.registry import Entity, Inspector
from rules.inspection_status import ENFORCEMENT
from services.entities import clean
from services.inspection_access import InspectionError
from services.roster import RosterError, check_department, conflicting_inspector_ids, find_by_cert


@dataclass(frozen=True)
class OfficerInput:
    name: str
    department: str  # department kind label: 卫生健康, 消防救援, …
    cert_no: str | None = None  # 执法证号
    inspector_id: int | None = None  # roster id, when picked from the roster


def check_officers(session: Session, kind: str, entity: Entity,
                   officers: Sequence[OfficerInput | int]) -> list[OfficerInput]:
    """The officers, resolved against the roster and checked; a Chinese error otherwise."""
    people = [_resolve(session, o) for o in officers]
    if not people:
        raise InspectionError("请至少选择一名检查人员")
    seen: set[tuple[str, str | None]] = set()
    for p in people:
        key = (p.name, p.cert_no)
        if key in seen:
            raise InspectionError(f"检查人员 {p.name} 重复")
        seen.add(key)
    if kind == ENFORCEMENT:
        certified = [p for p in people if p.cert_no]
        if len(certified) < 2:
            lacking = "、".join(p.name for p in people if not p.cert_no)
            extra = f"（{lacking} 未填写执法证号）" if lacking else ""
            raise InspectionError("执法检查须由两名以上持有执法证件的检查人员进行，"
                                  f"目前只有{len(certified)}名{extra}")
    conflicts = conflicting_inspector_ids(session, entity.id)
    for p in people:
        if p.inspector_id is not None and p.inspector_id in conflicts:
            raise InspectionError(f"检查人员 {p.name} 已登记与“{entity.name}”存在回避事由"
                                  f"（{conflicts[p.inspector_id]}），不能参加本次检查")
    return people


def officer_rows(inspection_id: int, people: Sequence[OfficerInput]) -> list[InspectionOfficer]:
    return [InspectionOfficer(inspection_id=inspection_id, inspector_id=p.inspector_id,
                              name=p.name, department=p.department, cert_no=p.cert_no,
                              position=i) for i, p in enumerate(people)]


def _resolve(session: Session, officer: OfficerInput | int) -> OfficerInput:
    if isinstance(officer, int):
        row = session.get(Inspector, officer)
        if row is None:
            raise InspectionError(f"找不到检查人员（编号 {officer}）")
        if not row.active:
            raise InspectionError(f"检查人员 {row.name} 已停用，不能参加检查")
        return OfficerInput(row.name, row.department, row.cert_no, row.id)
    name = clean(officer.name)
    if name is None:
        raise InspectionError("请填写检查人员姓名")
    try:
        department = check_department(officer.department)
    except RosterError as exc:
        raise InspectionError(f"检查人员 {name}：{exc}") from None
    cert = clean(officer.cert_no)
    inspector_id = officer.inspector_id
    if inspector_id is None and cert is not None:
        known = find_by_cert(session, cert)  # typed in, but on the roster: keep the link
        inspector_id = known.id if known is not None else None
    return OfficerInput(name, department, cert, inspector_id)


def officer_names(session: Session, inspection_id: int) -> list[str]:
    """The names of an inspection's officers, in their order."""
    return list(session.scalars(select(InspectionOfficer.name).where(
        InspectionOfficer.inspection_id == inspection_id).order_by(InspectionOfficer.position)))
