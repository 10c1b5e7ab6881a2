"""Theme templates: every shipped theme loads; invalid files name the file, item and field;
measure references are checked against the catalog of the five seed documents."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklists.catalog_view import DocumentView, from_parsed
from checklists.datafiles import DataFileError
from checklists.parsing import parse_text
from checklists.templates import (
    TemplateError,
    find_theme,
    load_theme,
    load_themes,
    resolve_refs,
    unresolved_refs,
)
from services.catalog_store import bundled_policy_files

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "themes"
GOOD = FIXTURES / "good"


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


def _raw(name: str = "fx_muying") -> dict[str, Any]:
    data = yaml.safe_load((GOOD / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, raw: dict[str, Any], stem: str = "fx_muying") -> Path:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_shipped_theme_loads_without_error() -> None:
    themes = load_themes()
    assert themes, "no theme shipped"
    codes = [t.code for t in themes]
    assert len(codes) == len(set(codes))
    assert "ducha" in codes
    for theme in themes:
        assert theme.source == f"{theme.code}.yaml"
        assert theme.kind == "supervision" or theme.items


def test_shipped_item_codes_are_unique_across_themes() -> None:
    codes = [i.code for t in load_themes() for i in t.items]
    assert len(codes) == len(set(codes))


def test_fixture_themes_load_with_sections_in_order_and_defaults_filled() -> None:
    themes = load_themes(GOOD)
    muying = find_theme(themes, "母婴设施（测试）")
    assert muying is not None and find_theme(themes, "fx_muying") is muying
    assert [i.section for i in muying.items] == sorted(i.section for i in muying.items)
    item = muying.item("FXM-B01")
    assert item is not None
    assert (item.jurisdiction, item.require_on_fail, item.enabled) == ("000000", "note_or_photo",
                                                                       True)
    area = muying.item("FXM-A02")
    assert area is not None and area.answer.threshold_text() == "≥10㎡"


def test_malformed_fixture_names_the_file_the_item_and_the_field() -> None:
    with pytest.raises(TemplateError) as info:
        load_theme(FIXTURES / "bad" / "fx_broken.yaml")
    message = str(info.value)
    assert "fx_broken.yaml" in message and "FXB-A02" in message and "obligation" in message
    assert (info.value.file, info.value.item, info.value.field) == ("fx_broken.yaml", "FXB-A02",
                                                                    "obligation")
    assert isinstance(info.value, DataFileError)


def _item(raw: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in raw["items"] if i["code"] == code)


Mutation = Callable[[dict[str, Any]], None]
CASES: list[tuple[str, Mutation, str, str]] = [
    ("unverified basis", lambda r: _item(r, "FXM-A01")["legal_basis"][0].update(
        verified="UNVERIFIED"), "legal_basis[0].verified", "UNVERIFIED"),
    ("unknown section", lambda r: _item(r, "FXM-A01").update(section="Z"), "section", "分节"),
    ("bad how_to_check", lambda r: _item(r, "FXM-A01").update(how_to_check=["目测"]),
     "how_to_check", "目测"),
    ("unknown entity type", lambda r: _item(r, "FXM-A01")["applies_to"].update(
        entity_types=["spaceport"]), "applies_to.entity_types", "spaceport"),
    ("type outside theme", lambda r: _item(r, "FXM-A01")["applies_to"].update(
        entity_types=["childcare"]), "applies_to.entity_types", "entity_types"),
    ("unknown fact", lambda r: _item(r, "FXM-A01")["applies_to"]["when"]["any"][0].update(
        fact="moon_phase"), "applies_to.when.any[0].fact", "moon_phase"),
    ("fact not listed by theme", lambda r: r["theme"].update(facts=["building_area_m2",
                                                                   "daily_visitors"]),
     "applies_to.when", "frequent_mother_infant"),
    ("malformed measure ref", lambda r: _item(r, "FXM-A01").update(measures=["宝鸡10"]),
     "measures", "宝鸡10"),
    ("bad obligation", lambda r: _item(r, "FXM-B01").update(obligation="必须"), "obligation",
     "必须"),
    ("unknown department", lambda r: _item(r, "FXM-B01").update(competent_department="卫健局"),
     "competent_department", "卫健局"),
    ("measure answer without threshold", lambda r: _item(r, "FXM-A02")["answer"].pop(
        "threshold"), "answer.threshold", "threshold"),
    ("threshold on a compliance answer", lambda r: _item(r, "FXM-B01")["answer"].update(
        threshold=3), "answer.threshold", "compliance"),
    ("range without its top", lambda r: _item(r, "FXM-A02")["answer"].update(comparator="range"),
     "answer.threshold_max", "range"),
    ("bad severity", lambda r: _item(r, "FXM-B01").update(severity="特别严重"), "severity",
     "特别严重"),
    ("unknown field", lambda r: _item(r, "FXM-B01").update(remarks="x"), "remarks", "未知字段"),
    ("title without book marks", lambda r: _item(r, "FXM-B01")["legal_basis"][0].update(
        document="关于加快推进母婴设施建设的指导意见"), "legal_basis[0].document", "《》"),
    ("unknown jurisdiction", lambda r: _item(r, "FXM-B01").update(jurisdiction="999999"),
     "jurisdiction", "999999"),
    ("missing question", lambda r: _item(r, "FXM-B01").pop("question"), "question", "必填"),
    ("bad require_on_fail", lambda r: _item(r, "FXM-B01").update(require_on_fail="video"),
     "require_on_fail", "video"),
]


@pytest.mark.parametrize(("mutate", "field", "fragment"),
                         [pytest.param(m, f, s, id=name) for name, m, f, s in CASES])
def test_invalid_item_is_refused_naming_file_item_and_field(
        tmp_path: Path, mutate: Mutation, field: str, fragment: str) -> None:
    raw = copy.deepcopy(_raw())
    mutate(raw)
    with pytest.raises(TemplateError) as info:
        load_theme(_write(tmp_path, raw))
    assert info.value.file == "fx_muying.yaml"
    assert info.value.field == field
    assert fragment in str(info.value)
    assert str(info.value).startswith("fx_muying.yaml 检查项 FXM-")


def test_duplicate_item_code_in_a_theme_is_refused(tmp_path: Path) -> None:
    raw = _raw()
    raw["items"].append(copy.deepcopy(_item(raw, "FXM-B01")))
    with pytest.raises(TemplateError, match=r"FXM-B01.*重复"):
        load_theme(_write(tmp_path, raw))


def test_theme_code_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"other\.yaml.*theme\.code"):
        load_theme(_write(tmp_path, _raw(), stem="other"))


def test_item_codes_shared_by_two_themes_are_refused(tmp_path: Path) -> None:
    a, b = _raw("fx_muying"), _raw("fx_xiaofang")
    b["items"][0]["code"] = "FXM-B01"
    _write(tmp_path, a, "fx_muying")
    _write(tmp_path, b, "fx_xiaofang")
    with pytest.raises(TemplateError, match="FXM-B01"):
        load_themes(tmp_path)


def test_references_resolve_against_the_seed_catalog(catalog: tuple[DocumentView, ...]) -> None:
    themes = load_themes(GOOD)
    assert unresolved_refs(themes, catalog) == ()
    found = resolve_refs(["内蒙古:(十五)", "宝鸡:10"], catalog)
    assert [m.ref for m in found] == ["内蒙古:(十五)", "宝鸡:10"]
    assert "家庭友好" in found[0].title


def test_unresolvable_references_are_reported_with_a_reason(
        tmp_path: Path, catalog: tuple[DocumentView, ...]) -> None:
    raw = _raw()
    _item(raw, "FXM-B01")["measures"] = ["宝鸡:99", "上海:1", "鹿寨:(十五)"]
    theme = load_theme(_write(tmp_path, raw))
    bad = unresolved_refs([theme], catalog)
    assert {(u.item, u.ref) for u in bad} == {("FXM-B01", "宝鸡:99"), ("FXM-B01", "上海:1")}
    reasons = {u.ref: u.reason for u in bad}
    assert "第 99 条" in reasons["宝鸡:99"] and "上海" in reasons["上海:1"]


def test_shipped_theme_references_resolve_against_the_seeds(
        catalog: tuple[DocumentView, ...]) -> None:
    bad = unresolved_refs(load_themes(), catalog)
    assert bad == (), [f"{u.theme}/{u.item}: {u.ref} {u.reason}" for u in bad]
