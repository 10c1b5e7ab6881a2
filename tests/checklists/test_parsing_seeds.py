"""The five real policy documents: structure, metadata and units as written.

Every expected value here is a fact read off the seed documents themselves.
"""

from __future__ import annotations

from functools import cache

import pytest

from checklists.parsing import parse_text
from checklists.parsing.model import FLAG_TITLE_CUT, FLAG_TO_VERIFY, ParsedDocument, ParsedMeasure
from tests.conftest import seed_text

CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
      "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二"]


@cache
def doc(prefix: str) -> ParsedDocument:
    return parse_text(seed_text(prefix), source_name=f"{prefix}.txt")


def by_number(d: ParsedDocument) -> dict[str, ParsedMeasure]:
    measures = {m.number: m for m in d.measures}
    assert len(measures) == len(d.measures)
    return measures


def own_units(m: ParsedMeasure) -> list[str]:
    return [u.name for u in m.units if u.role != "inherited"]


@pytest.mark.parametrize(
    ("prefix", "numbers"),
    [
        ("000", [str(n) for n in range(1, 14)]),
        ("001", [str(n) for n in range(1, 21)]),
        ("002", [f"({c})" for c in CN[:22]]),
        ("003", [f"({c})" for c in CN[:19]]),
        ("004", [str(n) for n in range(1, 24)] + [f"({c})" for c in CN[:5]]),
    ],
)
def test_seed_has_its_exact_measures_in_document_order(prefix: str, numbers: list[str]) -> None:
    d = doc(prefix)
    assert [m.number for m in d.measures] == numbers
    assert len({m.path for m in d.measures}) == len(numbers)
    for m in d.measures:
        assert m.title and m.text.startswith(m.title)
        assert m.source_text


@pytest.mark.parametrize(
    ("prefix", "title", "region", "doc_number", "date", "issuers"),
    [
        ("000", "中宁县加快完善生育支持政策体系推动建设生育友好型社会重点任务清单", "中宁县",
         None, None, 0),
        ("001", "关于进一步完善和落实积极生育支持政策和配套措施的实施意见", "宝鸡市",
         "宝卫人口发〔2024〕162号", "2024-10-29", 17),
        ("002", "鹿寨县落实积极生育政策实施方案", "鹿寨县", None, None, 0),
        ("003", "内蒙古自治区关于完善和落实积极生育支持的若干措施", "内蒙古自治区",
         "内卫规范〔2022〕4号", "2022-12-20", 16),
        ("004", "白银市关于优化生育政策促进人口长期均衡发展的实施方案", "白银市", None,
         "2024-05-17", 1),
    ],
)
def test_seed_metadata_is_read_and_absent_fields_are_none(
    prefix: str, title: str, region: str, doc_number: str | None, date: str | None, issuers: int
) -> None:
    d = doc(prefix)
    assert (d.title, d.region, d.doc_number, d.date) == (title, region, doc_number, date)
    assert len(d.issuers) == issuers
    assert d.region_code is not None


def test_zhongning_table_rows_carry_lead_and_responsible_units_from_their_columns() -> None:
    m = by_number(doc("000"))
    assert m["1"].lead_units == ("医疗保障局",)
    assert m["1"].responsible_units == ("卫生健康局", "财政局", "人力资源和社会保障局")
    assert [u.role for u in m["1"].units] == ["lead", "responsible", "responsible", "responsible"]
    assert m["7"].responsible_units[-1] == "国家税务局中宁分局"
    for measure in m.values():
        assert not any("<" in name or ">" in name for name in own_units(measure))
        assert "<p>" not in measure.text and "</p>" not in measure.text
        assert len(own_units(measure)) == len(set(own_units(measure)))


def test_zhongning_group_column_is_carried_forward_and_a_repeated_group_is_one_section() -> None:
    d = doc("000")
    assert [(s.number, s.title) for s in d.sections] == [
        ("一", "深化生育服务保障"), ("二", "强化育幼服务供给"), ("三", "细化优育优养支持措施"),
        ("四", "优化生育友好环境")]
    sections = {m.number: m.section_path for m in d.measures}
    assert [sections[str(n)] for n in range(1, 14)] == list("一一一一二二二二三三三四四")
    assert by_number(d)["7"].path == "二/7"


def test_zhongning_title_stops_at_the_first_full_stop_and_ignores_stray_spaces() -> None:
    m = by_number(doc("000"))
    assert m["1"].title == "落实生育医疗费用待遇"
    assert m["5"].title == "强化妇儿医疗服务体系建设"
    assert m["7"].title == "加大普惠托育政策支持"


def test_baoji_paths_join_section_numbers() -> None:
    m = by_number(doc("001"))
    assert m["1"].path == "二/(一)/1"
    assert m["15"].path == "二/(五)/15"
    assert m["17"].path == "三/17"
    assert m["17"].section == "组织保障"


def test_baoji_duplicated_block_survives_once_with_no_orphan_fragment() -> None:
    d = doc("001")
    numbers = [m.number for m in d.measures]
    assert all(numbers.count(n) == 1 for n in ("14", "15", "16"))
    tail_of_14 = "索依托托育服务机构不动产、收费权等发放抵质押贷款"
    everywhere = [m.text for m in d.measures] + [s.title for s in d.sections]
    assert sum(text.count(tail_of_14) for text in everywhere) == 1
    assert tail_of_14 in by_number(d)["14"].text
    assert "探索依托托育服务机构" in by_number(d)["14"].text
    assert [s.title for s in d.sections if s.number == "三"] == ["组织保障"]
    assert by_number(d)["16"].text.endswith("树立科学育儿观念。")


def test_baoji_page_breaks_join_words_and_drop_the_doubled_character() -> None:
    m = by_number(doc("001"))
    assert "《关于在全市医疗卫生机构开展普惠托育服务建设的通知》" in m["4"].text
    assert "提升婚前保健" in m["1"].text
    assert "公益诉讼，维护妇女劳动" in m["11"].text
    assert all("讼讼" not in x.text for x in doc("001").measures)
    assert "降低常见病的发病率" in m["6"].text


def test_baoji_names_no_units_and_its_signatories_are_the_issuers() -> None:
    d = doc("001")
    assert all(m.units == () for m in d.measures)
    assert d.issuers[0] == "宝鸡市卫生健康委员会"
    assert d.issuers[-1] == "宝鸡军分区保障处"
    assert "宝鸡市人民政府国有资产监督管理委员会" in d.issuers
    assert "国家金融监督管理总局宝鸡监管分局" in d.issuers
    assert "中共宝鸡市委宣传部" in d.issuers
    assert not any(ch.isdigit() for name in d.issuers for ch in name)


def test_baoji_general_requirements_are_preamble_not_a_measure() -> None:
    d = doc("001")
    assert [(s.number, s.preamble) for s in d.sections if s.title == "总体要求"] == [("一", True)]
    assert all(not m.path.startswith("一") for m in d.measures)


def test_luzhai_unit_lists_drop_the_label_and_exact_duplicates() -> None:
    m = by_number(doc("002"))
    assert own_units(m["(四)"]).count("县医保局") == 1
    assert own_units(m["(六)"]) == ["县卫健局", "县公安局", "县市场监管局"]
    for measure in m.values():
        names = own_units(measure)
        assert names and len(names) == len(set(names))
        assert all("责任单位" not in n and "：" not in n and ":" not in n for n in names)
        assert "（责任单位" not in measure.text and "(责任单位" not in measure.text


def test_luzhai_township_governments_are_a_collective_unit() -> None:
    m = by_number(doc("002"))
    last = m["(一)"].units[-1]
    assert (last.name, last.role, last.collective) == ("各乡镇人民政府", "responsible", True)
    assert not any(u.collective for u in m["(六)"].units)
    assert m["(一)"].path == "一/(一)"
    assert m["(二十二)"].path == "七/(二十二)"


def test_neimenggu_units_keep_the_shared_prefix_unexpanded_and_strip_the_tail() -> None:
    m = by_number(doc("003"))
    first = m["(一)"].responsible_units
    assert first[:2] == ("自治区发展改革委", "民政厅")
    assert "地方各级人民政府" in first
    assert m["(一)"].lead_units == ()
    assert m["(十四)"].responsible_units == ("自治区住房城乡建设厅", "财政厅", "税务局",
                                              "内蒙古银保监局")
    for measure in m.values():
        assert not any(n.endswith("负责") or n.endswith("落实") for n in own_units(measure))


def test_neimenggu_last_two_measures_name_only_all_relevant_departments() -> None:
    m = by_number(doc("003"))
    for number in ("(十八)", "(十九)"):
        own = [u for u in m[number].units if u.role != "inherited"]
        assert [(u.name, u.role, u.collective) for u in own] == [
            ("各相关部门", "responsible", True)]
    assert "文件下载" not in m["(十九)"].text


def test_neimenggu_local_governments_are_inherited_by_every_later_measure() -> None:
    d = doc("003")
    assert [(u.name, u.role, u.collective) for u in d.inherited_units] == [
        ("地方各级人民政府", "inherited", True)]
    first, *rest = d.measures
    assert not any(u.role == "inherited" for u in first.units)
    for m in rest:
        inherited = [u.name for u in m.units if u.role == "inherited"]
        assert inherited == ["地方各级人民政府"], m.number
        assert "地方各级人民政府" not in m.responsible_units


def test_baiyin_every_unit_label_variant_is_split_correctly() -> None:
    m = by_number(doc("004"))
    assert m["21"].responsible_units == ("市卫生健康委", "市财政局", "市人社局", "市政府金融办",
                                         "市民政局")
    assert m["21"].text.endswith("落实各级财政支出责任")
    assert m["2"].responsible_units[-1] == "市人社局"  # a lone ")" after the list
    assert m["5"].responsible_units[0] == "市卫生健康委"  # (责任单位:…)
    assert "市财政局（市政府国资委）" in m["14"].responsible_units  # […] with a bracket inside
    assert m["16"].responsible_units[-1] == "市教育局"  # "…市教育局等"
    assert m["8"].responsible_units == ("市直各有关部门", "人民银行白银市分行",
                                        "国家金融监督管理总局白银监管分局")
    assert next(u for u in m["8"].units if u.name == "市直各有关部门").collective
    for measure in m.values():
        assert "责任单位" not in measure.text


def test_baiyin_county_committees_are_inherited_from_measure_two_on() -> None:
    d = doc("004")
    assert [u.name for u in d.inherited_units] == ["各县区党委和政府"]
    first = d.measures[0]
    assert "各县区党委和政府" in first.responsible_units
    assert first.responsible_units[:2] == ("市卫生健康委", "市司法局")
    assert len(d.measures[1:]) == 27
    for m in d.measures[1:]:
        assert [u.name for u in m.units if u.role == "inherited"] == ["各县区党委和政府"], m.number
    assert by_number(d)["(二)"].lead_units == by_number(d)["(二)"].responsible_units == ()


def test_baiyin_general_requirements_are_preamble_sections() -> None:
    d = doc("004")
    preamble = [(s.path, s.title) for s in d.sections if s.preamble]
    assert preamble == [("一", "总体要求"), ("一/(一)", "指导思想"), ("一/(二)", "任务目标")]
    assert by_number(d)["(二)"].path == "三/(二)"
    assert by_number(d)["1"].path == "二/(一)/1"


def test_baiyin_lost_characters_are_kept_and_flagged_to_verify() -> None:
    d = doc("004")
    flagged = [m.number for m in d.measures if FLAG_TO_VERIFY in m.flags]
    assert flagged == ["13", "21"]
    m = by_number(d)
    assert "202411日" in m["13"].text
    assert "750根据" in m["21"].text and "〔2019136号" in m["21"].text
    assert FLAG_TO_VERIFY in d.flags  # 甘发〔202213号 in the opening paragraph
    baoji = doc("001")
    assert baoji.flags == () and not any(FLAG_TO_VERIFY in x.flags for x in baoji.measures)


def test_baiyin_title_without_a_full_stop_is_cut_and_flagged() -> None:
    m = by_number(doc("004"))
    assert m["13"].title == "建立育儿补贴制度"
    assert FLAG_TITLE_CUT in m["13"].flags
    assert FLAG_TITLE_CUT in m["18"].flags
    assert m["18"].title.startswith("推进教育优质均衡发展")
    assert FLAG_TITLE_CUT not in m["1"].flags


def test_baiyin_empty_document_number_label_gives_none_not_the_next_label() -> None:
    d = doc("004")
    assert d.doc_number is None
    assert d.issuers == ("白银市人民政府",)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_measure_text_leaves_the_unit_clause_out(prefix: str) -> None:
    for m in doc(prefix).measures:
        for name in own_units(m):
            assert not m.text.endswith(name), (m.number, name)
        assert "按职责分工负责" not in m.text
