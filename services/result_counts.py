"""Counts by result and the compliance rate (DESIGN.md: 符合 1, 部分符合 0.5, 不符合 0; 不适用 and
未检查 left out; only the latest signed version of an inspection counts; rates over many
inspections are item-weighted)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from models.base import table_of
from models.inspection import Finding, Inspection, InspectionCounts
from rules.compliance import Counts, compliance_rate
from rules.inspection_status import FAIL, NOT_APPLICABLE, PARTIAL, PASS, SIGNED

_COLUMN = {PASS: "passed", FAIL: "failed", PARTIAL: "partial", NOT_APPLICABLE: "not_applicable"}


def counts_from_row(row: InspectionCounts | None) -> Counts:
    if row is None:
        return Counts()
    return Counts(row.total, row.answered, row.passed, row.failed, row.partial,
                  row.not_applicable)


def counts_of(session: Session, inspection_id: int) -> Counts:
    return counts_from_row(session.get(InspectionCounts, inspection_id))


def apply_change(row: InspectionCounts, old: tuple[str, bool], new: tuple[str, bool]) -> None:
    """Move one finding from its old (result, answered) to its new one in the stored counts."""
    if old == new:
        return
    for (result, answered), sign in ((old, -1), (new, 1)):
        row.answered += sign * int(answered)
        column = _COLUMN.get(result)
        if column is not None:
            setattr(row, column, getattr(row, column) + sign)
    store_rate(row)


def store_rate(row: InspectionCounts) -> None:
    """Keep the stored rate in step with the stored counts."""
    row.rate = compliance_rate(row.passed or 0, row.partial or 0, row.failed or 0)


def superseded_expr(inspection_id: Any) -> Any:
    """True where a later version supersedes the inspection with this id."""
    newer = table_of(Inspection)
    return exists().where(newer.c.supersedes_id == inspection_id)


def refresh_superseded(session: Session) -> None:
    """Set every stored ``superseded`` flag from the versions present (after an import brought
    a newer version or deleted one). One statement; rows already right are not written."""
    table = table_of(InspectionCounts)
    flag = superseded_expr(table.c.inspection_id)
    session.execute(update(table).where(table.c.superseded != flag).values(superseded=flag)
                    .execution_options(synchronize_session=False))


def tally(session: Session, inspection_id: int) -> Counts:
    """The counts computed from the findings themselves."""
    rows = session.execute(
        select(Finding.result, func.count(), func.sum(case((Finding.answered, 1), else_=0)))
        .where(Finding.inspection_id == inspection_id).group_by(Finding.result)).all()
    per = {result: (n, int(answered or 0)) for result, n, answered in rows}
    return Counts(total=sum(n for n, _ in per.values()),
                  answered=sum(a for _, a in per.values()),
                  passed=per.get(PASS, (0, 0))[0], failed=per.get(FAIL, (0, 0))[0],
                  partial=per.get(PARTIAL, (0, 0))[0],
                  not_applicable=per.get(NOT_APPLICABLE, (0, 0))[0])


def recount(session: Session, inspection_id: int) -> Counts:
    """Rebuild the stored counts from the findings (after an import, or to repair)."""
    counts = tally(session, inspection_id)
    row = session.get(InspectionCounts, inspection_id)
    if row is None:
        row = InspectionCounts(inspection_id=inspection_id)
        session.add(row)
    row.total, row.answered = counts.total, counts.answered
    row.passed, row.failed = counts.passed, counts.failed
    row.partial, row.not_applicable = counts.partial, counts.not_applicable
    row.rate = counts.rate
    row.superseded = bool(session.scalar(select(superseded_expr(inspection_id))))
    return counts


def counted_inspections() -> Select[int]:
    """Ids of the inspections that count: per series, the highest signed version."""
    newer = aliased(Inspection)
    later_signed = select(newer.id).where(and_(
        newer.series_uuid == Inspection.series_uuid, newer.status == SIGNED,
        newer.version > Inspection.version)).exists()
    return select(Inspection.id).where(Inspection.status == SIGNED, ~later_signed)


def overall_rate(session: Session, inspection_ids: Iterable[int] | None = None) -> float | None:
    """Item-weighted compliance rate over the counted inspections (optionally a subset)."""
    stmt = select(func.sum(InspectionCounts.passed), func.sum(InspectionCounts.partial),
                  func.sum(InspectionCounts.failed)).where(
        InspectionCounts.inspection_id.in_(counted_inspections()))
    if inspection_ids is not None:
        stmt = stmt.where(InspectionCounts.inspection_id.in_(list(inspection_ids)))
    passed, partial, failed = session.execute(stmt).one()
    return compliance_rate(int(passed or 0), int(partial or 0), int(failed or 0))


def recount_many(session: Session, inspection_ids: Iterable[int]) -> None:
    """Rebuild the stored counts of many inspections in one statement per thousand (after a
    merge brought their findings)."""
    ids = sorted(set(inspection_ids))
    table = table_of(InspectionCounts)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        session.execute(delete(table).where(table.c.inspection_id.in_(chunk)))
        f = Finding
        rows = select(
            Inspection.id, func.count(f.id),
            func.coalesce(func.sum(case((f.answered, 1), else_=0)), 0),
            func.coalesce(func.sum(case((f.result == PASS, 1), else_=0)), 0),
            func.coalesce(func.sum(case((f.result == FAIL, 1), else_=0)), 0),
            func.coalesce(func.sum(case((f.result == PARTIAL, 1), else_=0)), 0),
            func.coalesce(func.sum(case((f.result == NOT_APPLICABLE, 1), else_=0)), 0),
            superseded_expr(Inspection.id),
        ).select_from(Inspection).outerjoin(f, f.inspection_id == Inspection.id).where(
            Inspection.id.in_(chunk)).group_by(Inspection.id)
        session.execute(insert(table).from_select(
            ["inspection_id", "total", "answered", "passed", "failed", "partial",
             "not_applicable", "superseded"], rows))
        rates = [{"iid": i, "r": compliance_rate(p, pa, f)} for i, p, pa, f in session.execute(
            select(table.c.inspection_id, table.c.passed, table.c.partial, table.c.failed)
            .where(table.c.inspection_id.in_(chunk)))]
        if rates:
            session.execute(update(table).where(table.c.inspection_id == bindparam("iid"))
                            .values(rate=bindparam("r"))
                            .execution_options(synchronize_session=False), rates)
