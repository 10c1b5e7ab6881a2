"""Provincial leave rules: the data file validates, and the leave items of 女职工劳动保护 name
the unit's own province's 条例, its day counts and article, marked 待核 while unconfirmed."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import Checklist, Selection
from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.generator import generate
from checklists.leave_rules import (
    KINDS,
    NOT_RECORDED,
    LeaveRule,
    load_leave_rules,
    localise,
    parse_leave_rules,
)
from checklists.parsing import parse_text
from checklists.template_model import Theme
from checklists.templates import load_themes
from services.catalog_store import bundled_policy_files

AS_OF = date(2026, 1, 15)
SEED_PROVINCES = {"中宁": "640000", "宝鸡": "610000", "鹿寨": "450000", "内蒙古": "150000",
                  "白银": "620000"}
LEAVE_ITEMS = ("NZ-C04", "NZ-C05", "NZ-C06", "NZ-C07")


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def themes() -> tuple[Theme, ...]:
    return load_themes()


def _checklist(catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...], *,
               short: str | None = None, jurisdiction: str | None = None) -> Checklist:
    docs = tuple(d.id for d in catalog if d.short == short) if short else ()
    return generate(Selection(themes=("女职工劳动保护",), documents=docs,
                              entity_type="enterprise", jurisdiction=jurisdiction),
                    catalog, themes, as_of=AS_OF)


def _raw() -> dict[str, Any]:
    return copy.deepcopy(load_yaml(data_path("leave_rules.yaml")))


def test_shipped_file_covers_every_seed_province_and_every_leave_item(
        themes: tuple[Theme, ...]) -> None:
    data = load_leave_rules()
    assert {p.region for p in data.provinces} >= set(SEED_PROVINCES.values())
    codes = {i.code for t in themes for i in t.items}
    assert set(data.items) == set(LEAVE_ITEMS) and set(data.items) <= codes
    for province in data.provinces:
        for rule in province.rules:
            assert rule.source and rule.source != "同上"
            assert rule.regulation.startswith("《") and rule.regulation.endswith("》")


@pytest.mark.parametrize("short", list(SEED_PROVINCES))
def test_each_seed_province_gets_its_own_regulation_and_figures(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...], short: str) -> None:
    province = load_leave_rules().province(SEED_PROVINCES[short])
    assert province is not None
    checklist = _checklist(catalog, themes, short=short)
    for code in LEAVE_ITEMS:
        item = checklist.item(code)
        assert item is not None
        first = item.legal_basis[0]
        rule = province.rule(load_leave_rules().items[code])
        assert first.document == (rule.regulation if rule else province.regulation)
        assert "以本省条例为准" not in item.question
        assert (rule.regulation if rule else province.regulation) in (item.check_detail or "")
        if rule is not None and rule.days_text():
            for n in re.findall(r"\d+", rule.days_text()):
                assert n in item.question
        if rule is None or not rule.confirmed:
            assert "待核" in item.question and item.note and "待核" in item.note
            # an unconfirmed article never reaches a served document, nor does the note
            served = first.served_citation()
            assert "待核" not in served and "二手" not in served
            assert not first.article_verified or first.verified != "二手"
        assert item.obligation == (rule.obligation if rule else "法定义务")


def test_items_name_the_article_where_the_data_has_one(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    item = _checklist(catalog, themes, short="内蒙古").item("NZ-C04")
    assert item is not None
    assert item.legal_basis[0].clause.startswith("第三十九条")
    assert "60天" in item.question
    baoji = _checklist(catalog, themes, short="宝鸡").item("NZ-C04")
    assert baoji is not None and baoji.legal_basis[0].clause.startswith("第四十五条")


def test_a_province_not_in_the_data_keeps_the_national_wording_with_a_note(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    checklist = _checklist(catalog, themes, jurisdiction="110000")
    plain = {i.code: i for t in themes for i in t.items}
    # 哺乳假 is cited from two counties' plans only: nothing of 北京's own grounds it
    reason = next(e.reason for e in checklist.excluded if e.code == "NZ-C07")
    assert "依据均为其他地区的文件" in reason and "鹿寨县" in reason
    for code in ("NZ-C04", "NZ-C05", "NZ-C06"):
        item = checklist.item(code)
        assert item is not None
        assert item.question == plain[code].question
        assert item.note is not None and NOT_RECORDED in item.note
        assert item.legal_basis == plain[code].legal_basis
        assert (item.check_detail or "").startswith("对照本省（自治区）现行人口与计划生育条例")


def test_other_items_are_untouched(catalog: tuple[DocumentView, ...],
                                   themes: tuple[Theme, ...]) -> None:
    plain = {i.code: i for t in themes for i in t.items}
    for item in _checklist(catalog, themes, short="中宁").items:
        if item.code not in LEAVE_ITEMS:
            assert item.question == plain[item.code].question


def test_a_confirmed_rule_is_asked_as_a_requirement(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    raw = _raw()
    nmg = next(p for p in raw["provinces"] if p["region"] == "150000")
    nmg["leaves"] = [{"kind": "maternity_extension", "by_child": {1: 60, 2: 60, 3: 90},
                      "article": "第三十九条", "source": "条例原文", "verified": "原文",
                      "obligation": "法定义务"}]
    data = parse_leave_rules(raw)
    base = _checklist(catalog, themes, jurisdiction="000000").item("NZ-C04")
    assert base is not None
    item = localise(base, "150000", data)
    assert "待核" not in item.question
    assert "待核" not in (item.note or "")
    assert "三孩90天" in item.question
    assert item.legal_basis[0].clause == "第三十九条"
    assert item.legal_basis[0].served_citation().endswith("第三十九条")
    assert item.text_hash != base.text_hash


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r["provinces"][0].update(region="640500"), "省级"),
    (lambda r: r["provinces"][0].update(colour="red"), "未知字段"),
    (lambda r: r["provinces"][0]["leaves"][0].update(days=-3), "正整数"),
    (lambda r: r["provinces"][0]["leaves"][0].update(by_child={1: 60}), "只能写一个"),
    (lambda r: r["provinces"][0]["leaves"][0].update(verified="UNVERIFIED"), "verified"),
    (lambda r: r["provinces"][0]["leaves"][0].update(source="同上"), "同上"),
    (lambda r: r["provinces"][0]["leaves"].append(dict(r["provinces"][0]["leaves"][0])),
     "两次"),
    (lambda r: r["provinces"].append(dict(r["provinces"][0])), "重复"),
    (lambda r: r["items"].update({"NZ-C04": "sick_leave"}), "假期种类"),
    (lambda r: r["provinces"][0].update(version=None, version_verified=True), "version"),
    (lambda r: r["provinces"][0].update(regulation="宁夏条例"), "书名号"),
])
def test_a_malformed_file_is_refused_with_a_chinese_message(mutate: Any, message: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(DataFileError, match=message):
        parse_leave_rules(raw)


@given(st.dictionaries(st.integers(1, 4), st.integers(1, 400), min_size=1, max_size=4))
def test_days_text_states_every_birth_order(by_child: dict[int, int]) -> None:
    rule = LeaveRule("maternity_extension", "《某省人口与计划生育条例》", None, None,
                     tuple(sorted(by_child.items())), None, None, None, None, "x", "二手",
                     "法定义务", False)
    text = rule.days_text()
    for days in by_child.values():
        assert f"{days}天" in text
    assert text.count("天") == len(by_child)
    assert KINDS[rule.kind] in (rule.basis().excerpt or "")


def _assert_firm(item: Any, rule: LeaveRule) -> None:
    """A confirmed leave is asked as a requirement: its days and article, nothing 待核."""
    assert "待核" not in item.question
    assert "待核" not in (item.note or "")
    for n in re.findall(r"\d+", rule.days_text()):
        assert n in item.question
    first = item.legal_basis[0]
    assert rule.article and first.clause == rule.article
    assert first.article_verified
    assert first.served_citation().endswith(rule.article)
    assert rule.article in (item.check_detail or "")


def _promoted() -> dict[str, Any]:
    """The shipped file with every seed province's figures as if read in the current text."""
    raw = _raw()
    for entry in raw["provinces"]:
        if entry["region"] not in SEED_PROVINCES.values():
            continue
        entry["version"] = entry["version"] or "现行版本"
        entry["version_verified"] = True
        for n, leave in enumerate(entry["leaves"], start=1):
            leave.pop("article_note", None)
            leave.pop("regulation", None)
            leave["article"] = leave.get("article") or f"第{'一二三四五'[n - 1]}十条"
            leave["verified"] = "原文"
    return raw


def test_seed_provinces_once_verified_are_stated_with_days_and_article(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import checklists.leave_rules as leave_rules

    data = parse_leave_rules(_promoted())
    monkeypatch.setattr(leave_rules, "load_leave_rules", lambda: data)
    checked = 0
    for short, region in SEED_PROVINCES.items():
        province = data.province(region)
        assert province is not None
        checklist = _checklist(catalog, themes, short=short)
        for code in LEAVE_ITEMS:
            rule = province.rule(data.items[code])
            item = checklist.item(code)
            assert item is not None
            if rule is None:
                assert "待核" in item.question  # no figure at all stays to be checked
                continue
            assert rule.confirmed
            _assert_firm(item, rule)
            checked += 1
    assert checked >= 8
