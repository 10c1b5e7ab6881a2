"""The XLSForm export converts with pyxform, and the form asks what the checklist asks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import Checklist, Selection
from checklists.export_xlsform import field_name, write_xlsform
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.templates import load_themes
from services.catalog_store import bundled_policy_files

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"
NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def checklist(catalog: tuple[DocumentView, ...]) -> Checklist:
    return generate(Selection(themes=("fx_muying", "fx_xiaofang", "ducha"),
                              departments=("卫生健康", "消防救援")),
                    catalog, load_themes(GOOD) + load_themes(), as_of=date(2025, 6, 1))


@pytest.fixture(scope="module")
def xform(tmp_path_factory: pytest.TempPathFactory, checklist: Checklist) -> ET.Element:
    path = write_xlsform(checklist, tmp_path_factory.mktemp("xlsform") / "form.xlsx")
    result = convert(xlsform=str(path))
    assert not [w for w in result.warnings if "max-pixels" not in w], result.warnings
    return ET.fromstring(result.xform)


def _binds(xform: ET.Element) -> dict[str, dict[str, str]]:
    return {b.attrib["nodeset"].rsplit("/", 1)[-1]: b.attrib
            for b in xform.iter("{http://www.w3.org/2002/xforms}bind")}


def test_the_form_converts_and_has_survey_choices_and_settings(
        tmp_path: Path, checklist: Checklist) -> None:
    path = write_xlsform(checklist, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    settings = list(wb["settings"].iter_rows(values_only=True))
    assert settings[0][:3] == ("form_title", "form_id", "version")
    assert settings[1][1] == f"checklist_{checklist.content_hash[:12]}"
    choices = {(r[0], r[2]) for r in wb["choices"].iter_rows(min_row=2, values_only=True)}
    assert {("compliance", "符合"), ("compliance", "不符合"), ("compliance", "部分符合"),
            ("compliance", "不适用"), ("progress", "滞后")} <= choices


def test_every_item_is_a_required_select_one_inside_its_section_group(
        xform: ET.Element, checklist: Checklist) -> None:
    binds = _binds(xform)
    for item in checklist.items:
        name = field_name(item.code)
        assert binds[name]["required"] == "true()", item.code
        assert binds[name]["type"] == "string"  # select_one
        assert f"{name}_note" in binds and binds[f"{name}_photo"]["type"] == "binary"
    groups = [g for g in xform.iter("{http://www.w3.org/2002/xforms}group")]
    labels = {"".join(g.find("x:label", NS).itertext()) for g in groups  # type: ignore[union-attr]
              if g.find("x:label", NS) is not None}
    assert any("选址与建筑" in label for label in labels)


def test_measure_items_take_a_decimal_and_refuse_compliance_below_the_threshold(
        xform: ET.Element, checklist: Checklist) -> None:
    binds = _binds(xform)
    measure = next(i for i in checklist.items if i.code == "FXM-A02")
    name = field_name(measure.code)
    assert binds[f"{name}_value"]["type"] == "decimal"
    assert binds[f"{name}_value"]["constraint"] == ". >= 0"
    message = next(v for k, v in binds[name].items() if k.endswith("constraintMsg"))
    assert "≥10㎡" in message and "不能判定为符合" in message
    assert "< 10" in binds[name]["constraint"] and "'fuhe'" in binds[name]["constraint"]


def test_note_and_photo_become_required_on_failure_as_the_item_says(
        xform: ET.Element, checklist: Checklist) -> None:
    binds = _binds(xform)
    photo_item = field_name("FXM-A02")  # require_on_fail: photo
    default_item = field_name("FXM-B01")  # note_or_photo
    required = " ".join(binds[f"{photo_item}_photo"]["required"].split())
    assert required == f"/data/{_path(xform, photo_item)} = 'bufuhe'"
    assert "_photo" in binds[f"{default_item}_note"]["required"]
    assert "'bufuhe'" in binds[f"{default_item}_note"]["required"]
    progress = next(i for i in checklist.items if i.answer.type == "progress")
    assert "'zhihou'" in binds[f"{field_name(progress.code)}_note"]["required"]


def _path(xform: ET.Element, name: str) -> str:
    bind = next(b for b in xform.iter("{http://www.w3.org/2002/xforms}bind")
                if b.attrib["nodeset"].endswith("/" + name))
    return bind.attrib["nodeset"].removeprefix("/data/")


def test_field_names_are_valid_xml_names_derived_from_codes() -> None:
    assert field_name("FXM-A01") == "i_FXM_A01"
    assert field_name("DC-48F342DD5B-T1") == "i_DC_48F342DD5B_T1"


@pytest.mark.parametrize("theme", [t.code for t in load_themes()])
def test_every_shipped_theme_converts_to_a_valid_form(
        tmp_path: Path, catalog: tuple[DocumentView, ...], theme: str) -> None:
    departments = ("卫生健康",) if theme == "ducha" else ()
    checklist = generate(Selection(themes=(theme,), departments=departments), catalog,
                         load_themes(), as_of=date(2025, 6, 1))
    assert checklist.items
    result = convert(xlsform=str(write_xlsform(checklist, tmp_path / f"{theme}.xlsx")))
    assert not [w for w in result.warnings if "max-pixels" not in w], result.warnings
    binds = _binds(ET.fromstring(result.xform))
    assert all(field_name(i.code) in binds for i in checklist.items)
