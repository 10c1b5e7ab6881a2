"""Conditions on entity facts: parsing against the vocabulary and three-valued evaluation."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.conditions import (
    ConditionError,
    condition_from_dict,
    condition_to_dict,
    describe,
    evaluate,
    facts_used,
    parse_condition,
)
from checklists.vocabulary import load_vocabulary

BIG_PLACE = {"any": [
    {"fact": "frequent_mother_infant", "op": "=", "value": True},
    {"fact": "building_area_m2", "op": ">", "value": 10000},
    {"fact": "daily_visitors", "op": ">", "value": 10000},
]}


def _eval(raw: dict[str, Any], facts: dict[str, Any],
          entity_type: str | None = None) -> bool | None:
    vocab = load_vocabulary()
    return evaluate(parse_condition(raw, vocab), facts, vocab, entity_type)


@pytest.mark.parametrize(("facts", "expected"), [
    ({}, None),
    ({"building_area_m2": 12000}, True),
    ({"building_area_m2": 10000}, None),  # 超过 excludes the number; the rest still unknown
    ({"building_area_m2": 5000, "daily_visitors": 200, "frequent_mother_infant": False}, False),
    ({"building_area_m2": 5000, "frequent_mother_infant": True}, True),
])
def test_any_is_true_once_one_part_holds_and_unknown_while_a_part_is_unknown(
        facts: dict[str, Any], expected: bool | None) -> None:
    assert _eval(BIG_PLACE, facts) is expected


def test_all_is_false_as_soon_as_one_part_fails_even_with_unknowns() -> None:
    cond = {"all": [{"fact": "pregnant_or_nursing_employees", "op": "=", "value": True},
                    {"fact": "night_shift", "op": "=", "value": True}]}
    assert _eval(cond, {"night_shift": False}) is False
    assert _eval(cond, {"night_shift": True}) is None
    assert _eval(cond, {"night_shift": True, "pregnant_or_nursing_employees": True}) is True


def test_a_fact_that_cannot_apply_to_the_entity_type_reads_as_false() -> None:
    cond = {"fact": "daily_visitors", "op": ">", "value": 10000}
    assert _eval(cond, {}, "enterprise") is False
    assert _eval(cond, {}, "commercial_center") is None


def test_comparators_follow_the_civil_code_inclusive_and_exclusive_reading() -> None:
    at_least = {"fact": "employees", "op": ">=", "value": 100}
    above = {"fact": "employees", "op": ">", "value": 100}
    assert _eval(at_least, {"employees": 100}) is True
    assert _eval(above, {"employees": 100}) is False


def test_choice_facts_compare_by_membership() -> None:
    cond = {"fact": "department_kind", "op": "in", "value": ["卫生健康", "消防救援"]}
    assert _eval(cond, {"department_kind": "消防救援"}) is True
    assert _eval(cond, {"department_kind": "财政"}) is False


def test_describe_reads_the_condition_in_chinese_with_units() -> None:
    text = describe(parse_condition(BIG_PLACE, load_vocabulary()), load_vocabulary())
    assert text == "经常有母婴逗留，或建筑面积大于10000㎡，或日客流量大于10000人次"


def test_conditions_round_trip_through_their_dict_form_without_a_vocabulary() -> None:
    cond = parse_condition(BIG_PLACE, load_vocabulary())
    assert condition_from_dict(condition_to_dict(cond)) == cond
    assert facts_used(cond) == ("frequent_mother_infant", "building_area_m2", "daily_visitors")


@pytest.mark.parametrize(("raw", "field", "message"), [
    ({"fact": "no_such", "op": "=", "value": True}, "when.fact", "没有这个"),
    ({"fact": "employees", "op": "~", "value": 1}, "when.op", "比较符"),
    ({"fact": "employees", "op": ">", "value": "很多"}, "when.value", "数值"),
    ({"fact": "night_shift", "op": ">", "value": True}, "when.value", "是否判断"),
    ({"fact": "department_kind", "op": "=", "value": "不存在"}, "when.value", "没有这个选项"),
    ({"any": []}, "when.any", "非空"),
    ({"any": [{"fact": "employees", "op": ">", "value": 1}], "all": []}, "when", "单独成项"),
    ({"all": [{"fact": "employees", "op": ">", "value": 1}, {"fact": "x"}]}, "when.all[1].fact",
     "没有这个"),
])
def test_malformed_conditions_say_where_and_what(raw: dict[str, Any], field: str,
                                                 message: str) -> None:
    with pytest.raises(ConditionError, match=message) as info:
        parse_condition(raw, load_vocabulary())
    assert info.value.field == field
