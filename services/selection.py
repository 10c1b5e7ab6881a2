"""Which inspections and notices a list, a report or an export is about: one implementation of
each selection filter, so that every view of the same selection counts the same records.

- **Dates** are the user's calendar days: an inspection counts on the day it started (local
  time), a notice on the day it was issued; both ends are inclusive.
- **Region** is a region and everything below it: the region tree, and for a province or a city
  also any unit whose 行政区划代码 starts with its prefix (a township the tree does not list).
- **Theme** is a theme name as written, its prefix, or a theme code.
- **Department**: an officer of that department took part (inspections), or the notice's
  competent department (notices).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, exists, literal_column, or_, select

from checklists.regions import Region, load_regions
from models.dialect import json_array_elements
from models.inspection import Finding, Inspection, InspectionOfficer
from models.rectification import Notice
from models.registry import Entity
from models.utc import to_utc


class SelectionError(ValueError):
    """The selection names something that does not exist. The message is Chinese."""


def resolve_region(text: str) -> Region:
    """A region by 行政区划代码, full name or short name; unknown raises SelectionError."""
    text = text.strip()
    regions = load_regions()
    for r in regions:
        if text in (r.code, r.name, r.short):
            return r
    matches = [r for r in regions if text in r.name]
    if len(matches) == 1:
        return matches[0]
    raise SelectionError(f"找不到行政区划“{text}”" if not matches else
                         f"行政区划“{text}”不唯一：{'、'.join(r.name for r in matches[:5])}")


def region_codes(region: Region) -> list[str]:
    """The region and every region below it in the region tree."""
    children: dict[str, list[str]] = {}
    for r in load_regions():
        if r.parent:
            children.setdefault(r.parent, []).append(r.code)
    out, todo = [], [region.code]
    while todo:
        code = todo.pop()
        out.append(code)
        todo += children.get(code, [])
    return out


def in_region(region: str) -> ColumnElement[bool]:
    """The unit (``Entity``, joined) lies in ``region`` (a code or a name) or below it."""
    found = resolve_region(region)
    cond: ColumnElement[bool] = Entity.region_code.in_(sorted(region_codes(found)))
    prefix = {"province": found.code[:2], "city": found.code[:4]}.get(found.level)
    if prefix:
        cond = or_(cond, Entity.region_code.like(f"{prefix}%"))
    return cond


def day_start(day: date) -> datetime:
    """The first instant of a calendar day in China, as an aware UTC time."""
    return to_utc(datetime.combine(day, time.min))


def started_between(date_from: date | None, date_to: date | None) -> list[ColumnElement[bool]]:
    """Terms on ``Inspection.started_at`` for local days ``date_from`` … ``date_to``."""
    terms: list[ColumnElement[bool]] = []
    if date_from:
        terms.append(Inspection.started_at >= day_start(date_from))
    if date_to:
        terms.append(Inspection.started_at < day_start(date_to + timedelta(days=1)))
    return terms


def has_theme(theme: str) -> ColumnElement[bool]:
    """The inspection covers the theme: by name, by a name's prefix, or by theme code."""
    t = theme.strip()
    each = json_array_elements(Inspection.themes).table_valued("value")
    return or_(
        exists(select(literal_column("1")).select_from(each).where(
            or_(each.c.value == t, each.c.value.like(f"{t}%")))),
        exists(select(Finding.id).where(Finding.inspection_id == Inspection.id,
                                        Finding.theme == t)))


def with_department(department: str) -> ColumnElement[bool]:
    """An officer of the department took part in the inspection."""
    return exists(select(InspectionOfficer.id).where(
        InspectionOfficer.inspection_id == Inspection.id,
        InspectionOfficer.department == department.strip()))


def inspection_terms(*, date_from: date | None = None, date_to: date | None = None,
                     region: str | None = None, theme: str | None = None,
                     department: str | None = None) -> list[ColumnElement[bool]]:
    """WHERE terms on ``Inspection`` (joined to ``Entity``) for a selection."""
    terms = started_between(date_from, date_to)
    if region:
        terms.append(in_region(region))
    if theme:
        terms.append(has_theme(theme))
    if department:
        terms.append(with_department(department))
    return terms


def notice_terms(*, date_from: date | None = None, date_to: date | None = None,
                 region: str | None = None, theme: str | None = None,
                 department: str | None = None) -> list[ColumnElement[bool]]:
    """WHERE terms on ``Notice`` (joined to ``Entity``) for a selection."""
    terms: list[ColumnElement[bool]] = []
    if date_from:
        terms.append(Notice.issued_on >= date_from)
    if date_to:
        terms.append(Notice.issued_on <= date_to)
    if region:
        terms.append(in_region(region))
    if department:
        terms.append(Notice.department == department.strip())
    if theme:
        themed = (select(Inspection.id).join(Entity, Entity.id == Inspection.entity_id)
                  .where(has_theme(theme)))
        terms.append(Notice.inspection_id.in_(themed))
    return terms
