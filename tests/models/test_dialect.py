"""The few constructs that differ between the engines give the same answers on both (each test
runs on SQLite and, with the test server, on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select, true

from models.db import Database
from models.dialect import advance_sequences, json_array_elements
from models.inspection import Inspection, InspectionOfficer
from models.registry import Entity
from services.selection import has_theme
from tests.services.inspection_fixtures import new_inspection, officers


def test_a_json_array_reads_as_rows_and_themes_are_found_by_name_or_prefix(
        db: Database) -> None:
    with db.session() as s:
        made = new_inspection(s, people=officers(3))
        inspection = s.get(Inspection, made.id)
        assert inspection is not None
        themes = list(inspection.themes)
        assert len(themes) == 2
        each = json_array_elements(Inspection.themes).table_valued("value")
        rows = s.execute(select(each.c.value).select_from(Inspection).join(each, true())
                         .where(Inspection.id == made.id)).scalars().all()
        assert sorted(rows) == sorted(themes)
        assert s.scalars(select(Inspection.id).where(has_theme(themes[0]))).all() == [made.id]
        assert s.scalars(select(Inspection.id).where(has_theme(themes[0][:2]))).all() == [
            made.id]
        assert s.scalars(select(Inspection.id).where(has_theme("托育机构消防安全"))).all() == []


def test_names_are_joined_with_the_separator_asked_for(db: Database) -> None:
    with db.session() as s:
        made = new_inspection(s, people=officers(3))
        joined = s.scalar(select(func.aggregate_strings(InspectionOfficer.name, "、"))
                          .where(InspectionOfficer.inspection_id == made.id))
    assert joined is not None
    assert sorted(joined.split("、")) == ["检查员1", "检查员2", "检查员3"]


def test_after_rows_arrive_with_their_ids_a_new_row_takes_the_next_free_one(
        db: Database) -> None:
    with db.session() as s:
        s.execute(Entity.__table__.insert(), [
            {"id": 500, "uuid": "e-500", "sync_rev": 1, "name": "甲单位",
             "type_code": "employer", "facts": {}, "demo": False}])
        advance_sequences(s)
    with db.session() as s:
        added = Entity(name="乙单位", type_code="employer")
        s.add(added)
        s.flush()
        assert added.id == 501
