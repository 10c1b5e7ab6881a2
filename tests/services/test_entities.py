"""The register of units and the inspector roster: validation, duplicates, conflicts, audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from models.db import Database
from models.registry import Entity
from models.system import AuditEntry
from services.entities import (
    EntityError,
    create_entity,
    duplicate_groups,
    get_entity,
    list_entities,
    update_entity,
)
from services.roster import (
    RosterError,
    add_inspector,
    conflicts_for_entity,
    declare_conflict,
    list_inspectors,
    update_inspector,
)
from tests.services.inspection_fixtures import VALID_CODES, assert_integrity


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


def test_a_unit_is_saved_with_typed_facts_and_audited(db: Database) -> None:
    with db.session() as s:
        made = create_entity(s, name=" 某某商业广场 ", type_code="商业中心",
                             facts={"building_area_m2": "12,000", "frequent_mother_infant": "是"},
                             credit_code="91350100m000100y43", region_code="中宁县",
                             contact_phone="0955-1234567")
    with db.session() as s:
        got = get_entity(s, made.id)
        assert got.name == "某某商业广场"
        assert got.type_code == "commercial_center"
        assert got.facts == {"building_area_m2": 12000, "frequent_mother_infant": True}
        assert got.credit_code == "91350100M000100Y43"
        assert got.region_code == "640521"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.record_id == got.uuid)).all()
        assert [e.action for e in entries] == ["create"]


@pytest.mark.parametrize(("facts", "reason"), [
    ({"capacity": 30}, "不适用于"),  # a childcare fact on a shopping centre
    ({"no_such_fact": 1}, "未知的单位情况"),
    ({"building_area_m2": "很大"}, "应为数字"),
    ({"frequent_mother_infant": "也许"}, "应为是或否"),
])
def test_facts_are_checked_against_the_vocabulary(db: Database, facts: dict[str, object],
                                                   reason: str) -> None:
    with pytest.raises(EntityError, match=reason), db.session() as s:
        create_entity(s, name="某单位", type_code="commercial_center", facts=facts)
    with db.session() as s:
        assert s.scalars(select(Entity)).all() == []


def test_an_invalid_credit_code_is_refused(db: Database) -> None:
    with pytest.raises(EntityError, match="校验位"), db.session() as s:
        create_entity(s, name="某单位", type_code="enterprise", credit_code="91350100M000100Y44")


def test_a_second_unit_with_the_same_credit_code_is_refused_in_chinese(db: Database) -> None:
    with db.session() as s:
        create_entity(s, name="甲公司", type_code="enterprise", credit_code=VALID_CODES[1])
    with pytest.raises(EntityError, match="已登记为“甲公司”"), db.session() as s:
        create_entity(s, name="甲公司（分号）", type_code="enterprise",
                      credit_code=VALID_CODES[1].lower())
    with db.session() as s:
        assert len(list_entities(s)) == 1


def test_duplicate_groups_list_units_sharing_a_code(db: Database) -> None:
    """Two laptops may register the same unit offline; the service finds them for a merge."""
    with db.session() as s:
        create_entity(s, name="甲公司", type_code="enterprise", credit_code=VALID_CODES[2])
        create_entity(s, name="乙公司", type_code="enterprise", credit_code=VALID_CODES[3])
        create_entity(s, name="无代码单位", type_code="enterprise")
        s.add(Entity(name="甲公司（另一台电脑）", type_code="enterprise",
                     credit_code=VALID_CODES[2]))  # as an import would bring it
    with db.session() as s:
        groups = duplicate_groups(s)
    assert [g.credit_code for g in groups] == [VALID_CODES[2]]
    assert sorted(e.name for e in groups[0].entities) == ["甲公司", "甲公司（另一台电脑）"]


def test_changing_the_type_rechecks_the_facts(db: Database) -> None:
    with db.session() as s:
        unit = create_entity(s, name="某单位", type_code="enterprise", facts={"employees": 80})
    with pytest.raises(EntityError, match="不适用于"), db.session() as s:
        update_entity(s, unit.id, type_code="childcare_center")
    with db.session() as s:
        update_entity(s, unit.id, facts={"employees": 90, "night_shift": "否"}, address="新址")
        got = get_entity(s, unit.id)
        assert got.facts == {"employees": 90, "night_shift": False}
        assert got.address == "新址"


def test_search_finds_units_by_name_code_or_address(db: Database) -> None:
    with db.session() as s:
        create_entity(s, name="宁安托育园", type_code="childcare_center", address="宁安镇")
        create_entity(s, name="某医院", type_code="midwifery_institution",
                      credit_code=VALID_CODES[4])
    with db.session() as s:
        assert [e.name for e in list_entities(s, search="托育")] == ["宁安托育园"]
        assert [e.name for e in list_entities(s, search="558521")] == ["某医院"]
        assert [e.name for e in list_entities(s, type_code="childcare_center")] == ["宁安托育园"]


def test_roster_keeps_departments_and_refuses_a_shared_cert_number(db: Database) -> None:
    with db.session() as s:
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-001")
        add_inspector(s, name="李四", department="消防救援", cert_no="ZF-002")
    with pytest.raises(RosterError, match="已属于 张三"), db.session() as s:
        add_inspector(s, name="王五", department="卫生健康", cert_no="ZF-001")
    with pytest.raises(RosterError, match="没有这个部门类别"), db.session() as s:
        add_inspector(s, name="王五", department="卫生局")
    with db.session() as s:
        update_inspector(s, a.id, active=False)
        assert [i.name for i in list_inspectors(s, active_only=True)] == ["李四"]
        assert [i.name for i in list_inspectors(s, department="卫生健康")] == ["张三"]


def test_a_declared_conflict_is_kept_once_with_its_reason(db: Database) -> None:
    with db.session() as s:
        inspector = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-001")
        unit = create_entity(s, name="某单位", type_code="enterprise")
        declare_conflict(s, inspector_id=inspector.id, entity_id=unit.id, reason="配偶在该单位任职")
    with pytest.raises(RosterError, match="已登记"), db.session() as s:
        declare_conflict(s, inspector_id=inspector.id, entity_id=unit.id, reason="再次登记")
    with pytest.raises(RosterError, match="回避事由"), db.session() as s:
        declare_conflict(s, inspector_id=inspector.id, entity_id=unit.id, reason="  ")
    with db.session() as s:
        (conflict,) = conflicts_for_entity(s, unit.id)
        assert (conflict.inspector_name, conflict.reason) == ("张三", "配偶在该单位任职")
