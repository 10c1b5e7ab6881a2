"""Who issues a rectification document and to whom: the user's own department, the department
that receives a 移送函, and whether a unit lies in the user's jurisdiction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from checklists.departments import canonical_department, department_kinds
from checklists.regions import ancestors, region_by_code
from models.registry import Entity
from services.settings import JURISDICTION, ORG_DEPARTMENT, ORGANISATION, get_setting


def infer_department(org_name: str | None, region_code: str | None = None) -> str | None:
    """The department kind label a 机关名称 names (中宁县卫生健康局 → 卫生健康), or None when
    it cannot be told unambiguously."""
    if not org_name or not org_name.strip():
        return None
    found = canonical_department(org_name.strip(), region_code)
    return found.label if found is not None else None


def own_department(session: Session) -> str | None:
    """The issuing body's own department kind label: the setting 本机关部门类别, else the one
    its 机关名称 names unambiguously, else None."""
    value = (get_setting(session, ORG_DEPARTMENT) or "").strip()
    if value:
        return str(value)
    return infer_department(get_setting(session, ORGANISATION),
                            get_setting(session, JURISDICTION) or None)


def referral_addressee(department: str, region_code: str | None) -> str:
    """The competent department's standard name in the user's region (中宁县人力资源和社会保障局),
    else ``<region><label>主管部门``."""
    region = region_by_code(region_code)
    kind = next((k for k in department_kinds() if k.label == department), None)
    if kind is not None and region is not None:
        for alias in kind.aliases[:1]:
            found = canonical_department(alias, region.code)
            if found is not None and found.label == department:
                return found.name
    return f"{region.name if region else ''}{department}主管部门"


def jurisdiction_problem(session: Session, entity: Entity) -> str | None:
    """Why this body may not issue to the unit (Chinese), or None when it may.

    The unit's region must lie within the user's jurisdiction (setting 管辖区域); a unit with
    no recorded region cannot be shown to lie within it.
    """
    own = get_setting(session, JURISDICTION) or None
    if not own:
        return None
    area = region_by_code(own)
    area_name = area.name if area else own
    if not entity.region_code:
        return (f"被检查单位“{entity.name}”未登记所在地区，无法确认属于本机关管辖（{area_name}）。"
                "请先在“被检查单位”中补填地区。")
    if own not in ancestors(entity.region_code):
        where = region_by_code(entity.region_code)
        return (f"被检查单位“{entity.name}”位于{where.name if where else entity.region_code}，"
                f"不在本机关管辖区域（{area_name}）内，不能以本机关名义开具文书。"
                "请移交当地主管部门处理。")
    return None
