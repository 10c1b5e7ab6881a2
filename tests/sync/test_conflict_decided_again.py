"""A decision on a conflict, seen afterwards and changed: which side each field was taken
from is shown, a wrong decision can be taken again while the record is as it left it, and the
new decision travels like the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models.registry import Entity
from sync.conflicts import (
    INCOMING,
    LOCAL,
    ConflictError,
    conflict_detail,
    list_conflicts,
    resolve_conflict,
)
from sync.merge import UPDATED
from tests.reports.report_fixtures import full_inspection
from tests.sync.helpers import Laptop, laptop
from tests.sync.test_convergence import _edit, _entity_id, _entity_of, _entity_uuid


def _two_laptops_in_conflict(tmp_path: Path, catalog_template: Path
                             ) -> tuple[Laptop, Laptop, str]:
    """A and the supervisor S hold one unit edited on both since S last heard from A."""
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
    sup.import_(a.export("start.sypkg").paths[0])
    unit = _entity_uuid(a, _entity_of(a, made))
    _edit(a, _entity_id(a, unit), address="中宁县宁安镇新华街8号", contact_name="张三")
    _edit(sup, _entity_id(sup, unit), address="中宁县宁安镇新华东街8号",
          contact_phone="13900000000")
    sup.import_(a.export("a.sypkg").paths[0])
    return a, sup, unit


def _unit(lap: Laptop, uuid: str) -> tuple[str, str | None, str | None]:
    with lap.db.session() as s:
        row = s.scalar(select(Entity).where(Entity.uuid == uuid))
        return row.address, row.contact_name, row.contact_phone


def test_a_merge_is_shown_field_by_field_and_can_be_taken_again(
        tmp_path: Path, catalog_template: Path) -> None:
    a, sup, unit = _two_laptops_in_conflict(tmp_path, catalog_template)
    try:
        with sup.db.session() as s:
            (c,) = list_conflicts(s)
            assert conflict_detail(s, c.id).taken is None  # open: nothing decided yet
            # by mistake: the supervisor's own address, A's contact
            resolve_conflict(s, c.id, "merged", fields={"contact_name": INCOMING})
        with sup.db.session() as s:
            d = conflict_detail(s, c.id)
            assert d.info.status == "resolved" and d.can_decide_again
            assert d.taken is not None
            assert d.taken["contact_name"] == INCOMING and d.taken["address"] == LOCAL
            assert d.taken["contact_phone"] == LOCAL
            with pytest.raises(ConflictError, match="重新处理"):
                resolve_conflict(s, c.id, INCOMING)  # not without saying it is a new decision
        assert _unit(sup, unit) == ("中宁县宁安镇新华东街8号", "张三", "13900000000")
        with sup.db.session() as s:  # taken again: A's address too
            resolve_conflict(s, c.id, "merged", again=True,
                             fields={"contact_name": INCOMING, "address": INCOMING})
        assert _unit(sup, unit) == ("中宁县宁安镇新华街8号", "张三", "13900000000")
        with sup.db.session() as s:
            d = conflict_detail(s, c.id)
            assert d.taken is not None and d.taken["address"] == INCOMING
        # the second decision is what travels: A takes it as an update and ends the same
        report = a.import_(sup.export("resolved.sypkg").paths[0])
        assert report.counts["entities"].get(UPDATED) == 1
        assert _unit(a, unit) == _unit(sup, unit)
        assert a.hashes() == sup.hashes()
        with a.db.session() as s:
            assert list_conflicts(s) == []
    finally:
        a.close()
        sup.close()


def test_a_decision_cannot_be_taken_again_once_the_record_changed_after_it(
        tmp_path: Path, catalog_template: Path) -> None:
    a, sup, unit = _two_laptops_in_conflict(tmp_path, catalog_template)
    try:
        with sup.db.session() as s:
            (c,) = list_conflicts(s)
            resolve_conflict(s, c.id, LOCAL)
        with sup.db.session() as s:
            d = conflict_detail(s, c.id)
            assert d.taken is not None and set(d.taken.values()) == {LOCAL}
        _edit(sup, _entity_id(sup, unit), address="中宁县宁安镇长滩街1号")  # a later edit
        with sup.db.session() as s:
            d = conflict_detail(s, c.id)
            assert not d.can_decide_again and d.final_because is not None
            with pytest.raises(ConflictError, match="又被修改过"):
                resolve_conflict(s, c.id, INCOMING, again=True)
        assert _unit(sup, unit)[0] == "中宁县宁安镇长滩街1号"  # the later edit is kept
    finally:
        a.close()
        sup.close()


def test_a_conflict_resolved_on_another_computer_is_not_decided_again_here(
        tmp_path: Path, catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        start = a.export("start.sypkg")
        b.import_(start.paths[0])
        sup.import_(start.paths[0])
        unit = _entity_uuid(a, _entity_of(a, made))
        _edit(a, _entity_id(a, unit), address="中宁县宁安镇新华街8号")
        _edit(b, _entity_id(b, unit), address="中宁县宁安镇新华东街8号")
        pa, pb = a.export("a.sypkg"), b.export("b.sypkg")
        a.import_(pb.paths[0])  # the conflict on A
        sup.import_(pa.paths[0])
        sup.import_(pb.paths[0])  # and on the supervisor's computer, who decides it
        with sup.db.session() as s:
            (c,) = list_conflicts(s)
            resolve_conflict(s, c.id, INCOMING)
        a.import_(sup.export("resolved.sypkg").paths[0])
        with a.db.session() as s:
            (closed,) = list_conflicts(s, status="resolved")
            assert closed.resolution == "elsewhere"
            d = conflict_detail(s, closed.id)
            assert d.taken is None and not d.can_decide_again
            with pytest.raises(ConflictError, match="另一台电脑"):
                resolve_conflict(s, closed.id, LOCAL, again=True)
    finally:
        for lap in (a, b, sup):
            lap.close()
