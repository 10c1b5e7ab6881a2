"""What follows a 双随机 draw: the rows laid out for 公示, and the draft inspections.

:func:`publication` hands the report builders plain dataclasses (the PDF or xlsx itself is
theirs). :func:`create_draw_inspections` turns each drawn unit still 待检查 into a draft
inspection with the draw's theme and inspectors, its checklist generated for that unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.catalog_view import DocumentView
from checklists.checklist_model import Selection
from checklists.generator import SelectionError, generate
from checklists.regions import region_by_code
from checklists.snapshot import to_snapshot
from checklists.template_model import Theme
from models.draw import DrawResult
from models.registry import Entity
from rules.random_draw import PENDING, VOID
from services.draw_records import DrawError, _draw, get_draw
from services.inspection_access import InspectionError


@dataclass(frozen=True)
class PublicationRow:
    position: int  # 序号
    entity_name: str  # 被检查单位
    credit_code: str  # 统一社会信用代码 ("" when the unit has none)
    region: str  # 所在地区
    inspectors: str  # 检查人员, 、-separated
    outcome: str  # 抽查结果 label
    note: str  # 说明


@dataclass(frozen=True)
class DrawPublication:
    """One draw as published: header facts first, then one row per drawn unit."""

    title: str
    theme: str
    kind: str
    status: str  # 有效 | 作废
    discard_reason: str | None
    drawn_at: str  # ISO 8601, UTC
    witness_name: str
    witness_input: str
    entity_pool_size: int
    inspector_pool_size: int
    entity_pool_hash: str
    inspector_pool_hash: str
    conflicts_hash: str
    algorithm: str
    seed: str
    rows: tuple[PublicationRow, ...]


def publication(session: Session, draw_id: int) -> DrawPublication:
    info = get_draw(session, draw_id)
    ids = [r.entity_id for r in info.results if r.entity_id is not None]
    units = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_(ids)))}
    rows = []
    for r in info.results:
        unit = units.get(r.entity_id) if r.entity_id is not None else None
        region = region_by_code(unit.region_code) if unit is not None else None
        rows.append(PublicationRow(
            r.position, r.entity_name, (unit.credit_code if unit else None) or "",
            region.name if region else ((unit.region_code if unit else None) or ""),
            "、".join(r.inspector_names), r.outcome_label, r.outcome_note or ""))
    return DrawPublication(
        info.title, info.theme, info.kind, info.status_label, info.discard_reason, info.drawn_at,
        info.witness_name, info.witness_input, info.entity_pool_size, info.inspector_pool_size,
        info.entity_pool_hash, info.inspector_pool_hash, info.conflicts_hash, info.algorithm,
        info.seed, tuple(rows))


def create_draw_inspections(session: Session, draw_id: int, *,
                            catalog: Sequence[DocumentView], themes: Sequence[Theme],
                            as_of: date, user: str | None = None) -> list[int]:
    """Draft inspections for the drawn units still 待检查 and without one; their ids.

    Each checklist is generated for the unit (type, facts, region) with the draw's theme, and
    the officers are the drawn inspectors, checked again against the roster (a conflict
    declared after the draw is refused here)."""
    from services.inspection_lifecycle import create_inspection

    row = _draw(session, draw_id)
    if row.status == VOID:
        raise DrawError("该次抽取已作废，不能据此建立检查")
    made = []
    todo = session.scalars(select(DrawResult).where(
        DrawResult.draw_id == row.id, DrawResult.outcome == PENDING,
        DrawResult.inspection_id.is_(None)).order_by(DrawResult.position)).all()
    for result in todo:
        unit = session.get(Entity, result.entity_id) if result.entity_id is not None else None
        if unit is None:
            raise DrawError(f"“{result.entity_name}”已不在被检查单位名录中")
        try:
            checklist = generate(Selection(themes=(row.theme,), entity_type=unit.type_code,
                                           facts=dict(unit.facts or {}),
                                           jurisdiction=_known_region(unit.region_code)),
                                 catalog, themes, as_of=as_of)
            summary = create_inspection(
                session, entity_id=unit.id, checklist_snapshot=to_snapshot(checklist),
                kind=row.kind, officers=[int(i) for i in result.inspector_ids], user=user)
        except (SelectionError, InspectionError) as exc:
            raise DrawError(f"“{unit.name}”：{exc}") from None
        result.inspection_id = summary.id
        made.append(summary.id)
    session.flush()
    return made


def _known_region(code: str | None) -> str | None:
    return code if code is not None and region_by_code(code) is not None else None
