"""The generator on the five real seed documents: structure, citations, exclusions with
reasons, facts, jurisdiction, departments and determinism."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import PENDING_NOTE, Checklist, Selection
from checklists.generator import SelectionError, generate
from checklists.parsing import parse_text
from checklists.snapshot import checklist_json
from checklists.template_model import Theme
from checklists.templates import find_theme, load_themes
from services.catalog_store import bundled_policy_files

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"
AS_OF = date(2026, 1, 15)
HEADLINE = ("母婴设施", "托育机构消防安全", "女职工劳动保护")
FIXTURE_HEADLINE = ("母婴设施（测试）", "托育机构消防安全（测试）", "女职工劳动保护（测试）")
SEEDS = ("中宁", "宝鸡", "鹿寨", "内蒙古", "白银")


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def themes() -> tuple[Theme, ...]:
    return load_themes(GOOD) + load_themes()


def _doc(catalog: tuple[DocumentView, ...], short: str) -> str:
    return next(d.id for d in catalog if d.short == short)


def _theme(themes: tuple[Theme, ...], name: str) -> Theme:
    theme = find_theme(themes, name)
    if theme is None:
        pytest.skip(f"主题“{name}”尚未随软件提供")
    return theme


def _gen(catalog: tuple[DocumentView, ...], pool: tuple[Theme, ...], /, **kw: object) -> Checklist:
    return generate(Selection(**kw), catalog, pool, as_of=AS_OF)  # type: ignore[arg-type]


THEME_NAMES = [pytest.param(n, id=n) for n in FIXTURE_HEADLINE + HEADLINE]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", THEME_NAMES)
def test_headline_theme_on_each_seed_is_well_formed(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...], name: str, seed: str) -> None:
    theme = _theme(themes, name)
    doc_id = _doc(catalog, seed)
    checklist = _gen(catalog, themes, themes=(theme.code,), documents=(doc_id,))
    assert checklist.items, f"{name} × {seed} is empty"
    codes = [i.code for i in checklist.items]
    assert len(codes) == len(set(codes)), "duplicate item codes"
    # sections follow the theme's order, items follow the template's order inside them
    order = [s.code for s in theme.sections]
    listed = [s.code for s in checklist.sections]
    assert listed == sorted(listed, key=order.index)
    assert [c for s in checklist.sections for c in s.items] == codes
    template_order = [i.code for i in theme.items]
    assert codes == sorted(codes, key=template_order.index)
    # citations only from the selected document; every item has a legal basis and a hash
    for item in checklist.items:
        assert all(m.document_id == doc_id for m in item.measures)
        assert item.legal_basis and len(item.text_hash) == 64
        grounded = any(b.verified in ("原文", "转载") for b in item.legal_basis)
        assert item.order_kind == ("order" if item.obligation in ("法定义务", "规范义务")
                                   and grounded else "recommendation")
    # nothing vanishes: every template item is either in the list or excluded with a reason
    excluded = {e.code: e.reason for e in checklist.excluded}
    assert set(codes) | set(excluded) == {i.code for i in theme.items}
    assert all(excluded.values())
    assert checklist.jurisdiction == next(d.region_code for d in catalog if d.id == doc_id)


@pytest.mark.parametrize("name", THEME_NAMES)
def test_generating_twice_gives_identical_json(catalog: tuple[DocumentView, ...],
                                               themes: tuple[Theme, ...], name: str) -> None:
    theme = _theme(themes, name)
    docs = tuple(_doc(catalog, s) for s in SEEDS)
    first = json.dumps(checklist_json(_gen(catalog, themes, themes=(theme.code,), documents=docs)),
                       ensure_ascii=False)
    second = json.dumps(checklist_json(_gen(catalog, themes, themes=(theme.code,),
                                            documents=docs)), ensure_ascii=False)
    assert first == second


@pytest.mark.parametrize("name", THEME_NAMES)
def test_an_item_implementing_measures_of_two_selected_documents_appears_once_citing_both(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...], name: str) -> None:
    theme = _theme(themes, name)
    short_of = {d.short: d.id for d in catalog}
    item = next((i for i in theme.items
                 if len({r.split(":")[0] for r in i.measures} & set(short_of)) >= 2), None)
    if item is None:
        pytest.skip(f"“{name}”没有引用两份文件措施的检查项")
    shorts = sorted({r.split(":")[0] for r in item.measures} & set(short_of))[:2]
    docs = tuple(short_of[s] for s in shorts)
    checklist = _gen(catalog, themes, themes=(theme.code,), documents=docs)
    hits = [i for i in checklist.items if i.code == item.code]
    if not hits:
        pytest.skip(f"{item.code} 不适用于这两份文件的地区")
    (got,) = hits
    assert {m.document_id for m in got.measures} == set(docs)
    assert {m.ref for m in got.measures} == {r for r in item.measures if r.split(":")[0] in shorts}
    assert all(m.title for m in got.measures)


def test_selecting_documents_narrows_the_citations(catalog: tuple[DocumentView, ...],
                                                    themes: tuple[Theme, ...]) -> None:
    everything = _gen(catalog, themes, themes=("fx_muying",))
    only_baoji = _gen(catalog, themes, themes=("fx_muying",), documents=(_doc(catalog, "宝鸡"),))
    all_refs = {m.ref for m in everything.item("FXM-A03").measures}  # type: ignore[union-attr]
    assert all_refs == {"宝鸡:10", "中宁:11", "鹿寨:(四)", "白银:5"}
    assert [m.ref for m in only_baoji.item("FXM-A03").measures] == ["宝鸡:10"]  # type: ignore[union-attr]


def test_a_small_public_place_without_mothers_and_infants_gets_no_independent_room_item(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    small = {"building_area_m2": 800, "daily_visitors": 300, "frequent_mother_infant": False}
    checklist = _gen(catalog, themes, themes=("fx_muying",), entity_type="commercial_center",
                     facts=small)
    assert checklist.item("FXM-A01") is None
    reason = next(e.reason for e in checklist.excluded if e.code == "FXM-A01")
    assert reason.startswith("适用条件不满足") and "经常有母婴逗留" in reason and "800" in reason
    busy = _gen(catalog, themes, themes=("fx_muying",), entity_type="commercial_center",
                facts={**small, "daily_visitors": 15000})
    assert busy.item("FXM-A01") is not None and not busy.item("FXM-A01").pending  # type: ignore[union-attr]


def test_shipped_muying_excludes_the_independent_room_for_a_small_quiet_place(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    theme = _theme(themes, "母婴设施")
    small = {"building_area_m2": 800, "daily_visitors": 300, "frequent_mother_infant": False}
    quiet = _gen(catalog, themes, themes=(theme.code,), entity_type="commercial_center",
                 facts=small)
    unknown = _gen(catalog, themes, themes=(theme.code,), entity_type="commercial_center")
    dropped = [e for e in quiet.excluded if e.reason.startswith("适用条件不满足")
               and "经常有母婴逗留" in e.reason]
    assert dropped, "no item depends on 经常有母婴逗留"
    for e in dropped:
        kept = unknown.item(e.code)
        assert kept is not None and kept.pending and PENDING_NOTE in (kept.note or "")


def test_unknown_facts_keep_the_item_marked_for_on_site_confirmation(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    checklist = _gen(catalog, themes, themes=("fx_muying",), entity_type="commercial_center",
                     facts={"building_area_m2": 800})
    item = checklist.item("FXM-A01")
    assert item is not None and item.pending
    assert item.note is not None and item.note.startswith(PENDING_NOTE)
    assert not checklist.item("FXM-B01").pending  # type: ignore[union-attr]


def test_items_for_other_entity_types_are_excluded_with_the_type_named(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    checklist = _gen(catalog, themes, themes=("fx_muying",), entity_type="enterprise",
                     facts={"many_female_employees": True})
    assert checklist.item("FXM-A03") is not None
    reasons = {e.code: e.reason for e in checklist.excluded}
    assert "企业" in reasons["FXM-A01"] and "交通枢纽" in reasons["FXM-A01"]


def test_a_provincial_item_applies_only_where_a_selected_document_or_the_entity_lies(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    nmg, baoji = _doc(catalog, "内蒙古"), _doc(catalog, "宝鸡")
    assert _gen(catalog, themes, themes=("fx_nvzhigong",), documents=(nmg,)).item("FXN-A03")
    outside = _gen(catalog, themes, themes=("fx_nvzhigong",), documents=(baoji,))
    assert outside.item("FXN-A03") is None
    assert "内蒙古自治区" in next(e.reason for e in outside.excluded if e.code == "FXN-A03")
    by_region = _gen(catalog, themes, themes=("fx_nvzhigong",), jurisdiction="150000")
    assert by_region.item("FXN-A03") is not None
    assert _gen(catalog, themes, themes=("fx_nvzhigong",)).item("FXN-A03") is None


def test_departments_keep_only_items_within_their_competence(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    fire = _gen(catalog, themes, themes=("fx_xiaofang",), departments=("消防救援",))
    assert {i.competent_department for i in fire.items} == {"消防救援"}
    reason = next(e.reason for e in fire.excluded if e.code == "FXX-B02")
    assert "卫生健康" in reason and "消防救援" in reason
    joint = _gen(catalog, themes, themes=("fx_xiaofang",), departments=("消防救援", "卫生健康"))
    assert len(joint.items) == 3


def test_several_themes_follow_the_selected_order_with_no_duplicates(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    checklist = _gen(catalog, themes, themes=("fx_nvzhigong", "母婴设施（测试）", "fx_nvzhigong"),
                     entity_type="enterprise")
    assert [t.code for t in checklist.themes] == ["fx_nvzhigong", "fx_muying"]
    assert [s.theme for s in checklist.sections] == ["fx_nvzhigong", "fx_muying", "fx_muying"]
    assert checklist.selection.themes == ("fx_nvzhigong", "fx_muying")


def test_text_hash_follows_what_an_answer_depends_on(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...]) -> None:
    theme = next(t for t in themes if t.code == "fx_muying")
    base = _gen(catalog, themes, themes=("fx_muying",)).item("FXM-A02")
    assert base is not None

    def with_item(**changes: object) -> str:
        item = dataclasses.replace(theme.item("FXM-A02"), **changes)  # type: ignore[arg-type]
        patched = dataclasses.replace(theme, items=tuple(
            item if i.code == "FXM-A02" else i for i in theme.items))
        got = generate(Selection(themes=("fx_muying",)), catalog, [patched], as_of=AS_OF)
        return got.item("FXM-A02").text_hash  # type: ignore[union-attr]

    answer = dataclasses.replace(base.answer, threshold=12)
    assert with_item(answer=answer) != base.text_hash
    assert with_item(question=base.question + "（含）") != base.text_hash
    assert with_item(severity="严重") == base.text_hash
    assert with_item(measures=("宝鸡:10",)) == base.text_hash


def test_a_disabled_item_is_excluded_with_a_reason(catalog: tuple[DocumentView, ...],
                                                    themes: tuple[Theme, ...]) -> None:
    theme = next(t for t in themes if t.code == "fx_xiaofang")
    off = dataclasses.replace(theme, items=tuple(
        dataclasses.replace(i, enabled=i.code != "FXX-A01") for i in theme.items))
    checklist = generate(Selection(themes=("fx_xiaofang",)), catalog, [off], as_of=AS_OF)
    assert checklist.item("FXX-A01") is None
    assert [e.reason for e in checklist.excluded] == ["该检查项已停用"]


def test_jurisdiction_is_derived_from_the_documents(catalog: tuple[DocumentView, ...],
                                                   themes: tuple[Theme, ...]) -> None:
    both = _gen(catalog, themes, themes=("fx_xiaofang",),
                documents=(_doc(catalog, "中宁"), _doc(catalog, "白银")))
    assert both.jurisdiction == "000000"
    given = _gen(catalog, themes, themes=("fx_xiaofang",), documents=(_doc(catalog, "中宁"),),
                 jurisdiction="640500")
    assert given.jurisdiction == "640500"


@pytest.mark.parametrize(("selection", "message"), [
    ({"themes": ("没有的主题",)}, "没有这个检查主题"),
    ({"themes": ()}, "至少选择一个"),
    ({"themes": ("fx_muying",), "documents": ("doc-0000",)}, "没有这份文件"),
    ({"themes": ("fx_muying",), "entity_type": "spaceport"}, "没有这个被检查单位类型"),
    ({"themes": ("fx_muying",), "facts": {"moon": 1}}, "未知的单位情况"),
    ({"themes": ("fx_muying",), "facts": {"building_area_m2": "大"}}, "应为数字"),
    ({"themes": ("fx_muying",), "departments": ("卫健局",)}, "没有这个部门类别"),
    ({"themes": ("fx_muying",), "jurisdiction": "999999"}, "行政区划"),
])
def test_a_selection_naming_something_unknown_is_refused_in_chinese(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...],
        selection: dict[str, object], message: str) -> None:
    with pytest.raises(SelectionError, match=message):
        _gen(catalog, themes, **selection)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_unit_is_held_to_its_own_regions_documents_and_the_countrys(
        catalog: tuple[DocumentView, ...], seed: str) -> None:
    from checklists.checklist_model import answer_hash
    from checklists.regions import ancestors, detect_region

    themes = load_themes()
    doc = next(d for d in catalog if d.short == seed)
    assert doc.region_code
    chain = set(ancestors(doc.region_code))
    onsite = tuple(t.code for t in themes if t.kind == "onsite")
    checklist = _gen(catalog, themes, themes=onsite, documents=(doc.id,))
    plain = {i.code: i for t in themes for i in t.items}
    foreign_kept = 0
    for item in checklist.items:
        regions = [detect_region(b.document) for b in item.legal_basis]
        foreign = [r for r in regions if r is not None and r.code not in chain]
        if foreign:  # only where every basis of the template is another region's
            foreign_kept += 1
            assert all(r is not None and r.code not in chain for r in regions), item.code
        assert len(item.legal_basis) <= len(plain[item.code].legal_basis) + 1  # + a 条例
        assert item.text_hash == answer_hash(item.question, item.how_to_check,
                                             item.check_detail, item.answer, item.legal_basis)
    leave = checklist.item("NZ-C07")
    assert leave is not None
    others = {"鹿寨", "白银"} - {seed}
    assert not any(o in b.document for o in others for b in leave.legal_basis)
    assert foreign_kept <= 3


def test_an_item_cited_only_from_another_region_rests_on_the_units_own_measure(
        catalog: tuple[DocumentView, ...]) -> None:
    themes = load_themes()
    zhongning = next(d for d in catalog if d.short == "中宁")
    checklist = _gen(catalog, themes, themes=("女职工劳动保护",), documents=(zhongning.id,),
                     entity_type="enterprise")
    # NZ-G03 (弹性上下班) is cited from 内蒙古's plan only; in 中宁 it rests on 中宁's measure
    item = checklist.item("NZ-G03")
    assert item is not None
    assert [b.document for b in item.legal_basis] == [f"《{zhongning.title}》"]
    assert item.legal_basis[0].verified == "推论"  # the plan tasks the government
    assert item.order_kind == "recommendation"
    assert any(m.document_id == zhongning.id for m in item.measures)
    # NZ-G02 cites 宝鸡's plan by its 文号 (宝卫人口发…), whose title names no place
    g02 = checklist.item("NZ-G02")
    assert g02 is not None
    assert all("宝卫" not in (b.doc_number or "") for b in g02.legal_basis)


@pytest.mark.parametrize("order", [("女职工劳动保护", "生育保险经办"),
                                   ("生育保险经办", "女职工劳动保护")])
def test_two_themes_that_ask_the_same_requirement_ask_it_once_in_either_order(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...],
        order: tuple[str, str]) -> None:
    pool = tuple(_theme(themes, name) for name in order)
    both = _gen(catalog, pool, themes=order, entity_type="enterprise")
    codes = {i.code for i in both.items}
    reasons = {e.code: e.reason for e in both.excluded}
    if order[0] == "女职工劳动保护":  # NZ-C10 asks first, and covers the two 生育保险 items
        assert "NZ-C10" in codes and not codes & {"SB-A01", "SB-A02"}
        assert "已由 NZ-C10 一并检查" in reasons["SB-A01"]
        assert "已由 NZ-C10 一并检查" in reasons["SB-A02"]
    else:  # the two come first: NZ-C10 is left out
        assert {"SB-A01", "SB-A02"} <= codes and "NZ-C10" not in codes
        assert "已由 SB-A01、SB-A02 检查" in reasons["NZ-C10"]
    alone = _gen(catalog, pool[1:], themes=order[1:], entity_type="enterprise")
    assert not any("已由" in e.reason for e in alone.excluded)  # one theme: nothing left out


@pytest.mark.parametrize("order", [("女职工劳动保护", "母婴设施"), ("母婴设施", "女职工劳动保护")])
def test_the_female_facilities_of_article_ten_are_asked_once_with_both_themes(
        catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...],
        order: tuple[str, str]) -> None:
    """NZ-F04 asks 《女职工劳动保护特别规定》第十条 in one question, MY-C02–C04 one facility each:
    whichever theme comes first asks it; MY-C01 (人口与计划生育法 第二十九条) is another rule."""
    pool = tuple(_theme(themes, name) for name in order)
    both = _gen(catalog, pool, themes=order, entity_type="enterprise",
                facts={"many_female_employees": True})
    codes = {i.code for i in both.items}
    reasons = {e.code: e.reason for e in both.excluded}
    parts = {"MY-C02", "MY-C03", "MY-C04"}
    assert "MY-C01" in codes
    if order[0] == "女职工劳动保护":
        assert "NZ-F04" in codes and not codes & parts
        assert all("已由 NZ-F04 一并检查" in reasons[c] for c in parts)
    else:
        assert parts <= codes and "NZ-F04" not in codes
        assert "已由 MY-C02、MY-C03、MY-C04 检查" in reasons["NZ-F04"]
