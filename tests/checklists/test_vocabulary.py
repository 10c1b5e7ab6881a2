"""The vocabulary: the entity type tree, typed facts, and validation of the data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.datafiles import DataFileError
from checklists.vocabulary import is_a, load_vocabulary


def test_child_type_is_a_parent_and_itself_but_not_a_sibling_or_child() -> None:
    assert is_a("commercial_center", "public_place")
    assert is_a("public_place", "public_place")
    assert not is_a("public_place", "commercial_center")
    assert not is_a("enterprise", "public_place")
    assert not is_a("unknown_type", "public_place")


def test_every_bundled_entity_type_has_a_label_and_known_parent() -> None:
    vocab = load_vocabulary()
    codes = {t.code for t in vocab.entity_types}
    assert {"public_place", "employer", "childcare", "medical", "government"} <= codes
    for t in vocab.entity_types:
        assert t.label
        assert t.parent is None or t.parent in codes


def test_facts_carry_type_unit_and_the_types_they_apply_to() -> None:
    vocab = load_vocabulary()
    area = vocab.fact("building_area_m2")
    assert area is not None
    assert (area.type, area.unit) == ("number", "㎡")
    assert vocab.fact_applies(area, "commercial_center")
    assert not vocab.fact_applies(area, "childcare_center")
    kind = vocab.fact("department_kind")
    assert kind is not None and "卫生健康" in kind.choices


@pytest.mark.parametrize(("code", "raw", "expected"), [
    ("building_area_m2", "12000", 12000),
    ("building_area_m2", "1,200.5", 1200.5),
    ("frequent_mother_infant", "是", True),
    ("frequent_mother_infant", "false", False),
    ("department_kind", "卫生健康", "卫生健康"),
    ("daily_visitors", None, None),
])
def test_fact_values_are_typed_as_the_vocabulary_says(code: str, raw: object,
                                                      expected: object) -> None:
    assert load_vocabulary().parse_fact_value(code, raw) == expected


@pytest.mark.parametrize(("code", "raw", "message"), [
    ("building_area_m2", "很大", "应为数字"),
    ("frequent_mother_infant", "也许", "应为是或否"),
    ("department_kind", "不存在的部门", "应为以下之一"),
    ("no_such_fact", "1", "未知的单位情况"),
])
def test_bad_fact_values_are_refused_in_chinese(code: str, raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_vocabulary().parse_fact_value(code, raw)


def test_a_fact_naming_an_unknown_entity_type_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "vocab_bad.yaml"
    path.write_text(
        "entity_types:\n  - {code: employer, label: 用人单位}\n"
        "facts:\n  - {code: employees, label: 职工人数, type: number, for: [nowhere]}\n",
        encoding="utf-8")
    with pytest.raises(DataFileError, match=r"vocab_bad\.yaml.*employees.*nowhere"):
        load_vocabulary(path)


def test_a_duplicate_entity_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vocab_dup.yaml"
    path.write_text(
        "entity_types:\n  - code: employer\n    label: 用人单位\n    children:\n"
        "      - {code: employer, label: 又一个}\nfacts: []\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="重复"):
        load_vocabulary(path)
