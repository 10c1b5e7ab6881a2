"""总览: the figures a supervisor looks at first, over the merged data.

Inspections count as the 督查通报 counts them (the latest signed version of each, item-weighted
compliance rate); they are grouped by county, by theme and by month, each group with the
selection that lists it, so every figure is a click away from the list behind it. Notices are
counted as the 整改跟踪 board counts them (open, and overdue on ``as_of``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.regions import ancestors, region_by_code
from models.inspection import Inspection, InspectionCounts
from models.registry import Entity
from rules.china_time import beijing
from rules.china_time import today as china_today
from rules.compliance import compliance_rate
from services.notice_queries import count_notices
from services.result_counts import counted_inspections


@dataclass(frozen=True)
class Group:
    label: str
    inspections: int
    passed: int
    partial: int
    failed: int
    preset: dict[str, Any] = field(default_factory=dict)  # the list's filter for this group

    @property
    def rate(self) -> float | None:
        return compliance_rate(self.passed, self.partial, self.failed)


@dataclass(frozen=True)
class Dashboard:
    inspections: int  # counted: the latest signed version of each
    drafts_and_unsigned: int
    rate: float | None
    open_notices: int
    overdue_notices: int
    by_region: tuple[Group, ...]
    by_theme: tuple[Group, ...]
    by_month: tuple[Group, ...]
    as_of: date
    #: reported orders whose recheck is past its time limit (复查超期: the office's step)
    late_rechecks: int = 0


def _county(code: str | None) -> tuple[str, str]:
    """(code, name) of the county (or the coarsest known level below the province)."""
    if not code:
        return "", "未登记地区"
    chain = ancestors(code)
    for level in ("county", "city", "province"):
        for c in chain:
            region = region_by_code(c)
            if region is not None and region.level == level:
                return region.code, region.name
    region = region_by_code(code)
    return code, region.name if region else code


def dashboard(session: Session, *, as_of: date | None = None, months: int = 12) -> Dashboard:
    as_of = as_of or china_today()
    counted = counted_inspections().subquery()
    rows = session.execute(
        select(Inspection.id, Inspection.started_at, Inspection.themes, Entity.region_code,
               InspectionCounts.passed, InspectionCounts.partial, InspectionCounts.failed)
        .join(Entity, Entity.id == Inspection.entity_id)
        .outerjoin(InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
        .where(Inspection.id.in_(select(counted.c.id)))).all()
    all_current = int(session.scalar(select(func.count()).select_from(Inspection)) or 0)
    regions: dict[str, list[int]] = {}
    region_names: dict[str, str] = {}
    themes: dict[str, list[int]] = {}
    month_keys = _months(as_of, months)
    by_month: dict[str, list[int]] = {m: [0, 0, 0, 0] for m in month_keys}
    total = [0, 0, 0]
    for _id, started, names, region, passed, partial, failed in rows:
        sums = (int(passed or 0), int(partial or 0), int(failed or 0))
        for i in range(3):
            total[i] += sums[i]
        code, name = _county(region)
        region_names[code] = name
        _add(regions.setdefault(code, [0, 0, 0, 0]), sums)
        for theme in names or ():
            _add(themes.setdefault(str(theme), [0, 0, 0, 0]), sums)
        local = beijing(started) if isinstance(started, datetime) else None
        if local is not None:
            key = f"{local.year:04d}-{local.month:02d}"
            if key in by_month:
                _add(by_month[key], sums)
    region_groups = tuple(sorted(
        (Group(region_names[c], v[0], v[1], v[2], v[3],
               {"region": c, "status": "signed"} if c else {"status": "signed"})
         for c, v in regions.items()), key=lambda g: (-g.inspections, g.label)))
    theme_groups = tuple(sorted(
        (Group(t, v[0], v[1], v[2], v[3], {"theme": t, "status": "signed"})
         for t, v in themes.items()),
        key=lambda g: (-g.inspections, g.label)))
    month_groups = tuple(Group(f"{int(m[5:])}月" if m[:4] == str(as_of.year) else
                               f"{m[:4]}年{int(m[5:])}月", v[0], v[1], v[2], v[3],
                               _month_preset(m)) for m, v in by_month.items())
    return Dashboard(
        inspections=len(rows), drafts_and_unsigned=all_current - len(rows),
        rate=compliance_rate(*total), open_notices=count_notices(session, status="open",
                                                                 as_of=as_of),
        overdue_notices=count_notices(session, status="overdue", as_of=as_of),
        by_region=region_groups, by_theme=theme_groups, by_month=month_groups, as_of=as_of,
        late_rechecks=count_notices(session, status="recheck_late", as_of=as_of))


def _add(acc: list[int], sums: tuple[int, int, int]) -> None:
    acc[0] += 1
    acc[1] += sums[0]
    acc[2] += sums[1]
    acc[3] += sums[2]


def _months(as_of: date, n: int) -> list[str]:
    out = []
    year, month = as_of.year, as_of.month
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _month_preset(key: str) -> dict[str, Any]:
    year, month = int(key[:4]), int(key[5:])
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return {"date_from": first, "date_to": date.fromordinal(last), "status": "signed"}
