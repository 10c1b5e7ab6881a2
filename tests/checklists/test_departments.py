"""Canonical departments from unit names as written (checklists.departments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.datafiles import DataFileError
from checklists.departments import (
    canonical_department,
    department_kinds,
    is_collective,
    load_departments,
)

ZHONGNING, BAOJI, LUZHAI, NEIMENGGU, BAIYIN = "640521", "610300", "450223", "150000", "620400"


def _name(unit: str, region: str | None) -> str:
    canon = canonical_department(unit, region)
    assert canon is not None, unit
    return canon.name


@pytest.mark.parametrize(
    ("a", "b", "region"),
    [
        ("国家税务局中宁县分局", "国家税务局中宁分局", ZHONGNING),
        ("县自然资源和规划局", "县自然资源规划局", LUZHAI),
        ("县委组织部", "县组织部", LUZHAI),
        ("县卫健局", "县卫生健康局", LUZHAI),
        ("卫生健康局", "县卫健局", ZHONGNING),
        ("市卫生健康委", "卫健委", BAIYIN),
        ("卫生健康委", "自治区卫生健康委员会", NEIMENGGU),
        ("人力资源和社会保障局", "县人社局", ZHONGNING),
        ("人力资源社会保障厅", "自治区人力资源社会保障厅", NEIMENGGU),
        ("医疗保障局", "医保局", ZHONGNING),
        ("发展和改革局", "县发改局", ZHONGNING),
        ("发展改革委", "自治区发展改革委", NEIMENGGU),
        ("教育体育局", "县教育局", ZHONGNING),
        ("团县委", "共青团中宁县委员会", ZHONGNING),
        ("妇联", "妇女联合会", ZHONGNING),
        ("县总工会", "总工会", ZHONGNING),
        ("宝鸡市税务局", "国家税务总局宝鸡市税务局", BAOJI),
        ("中共宝鸡市委 宣传部", "市委宣传部", BAOJI),
    ],
)
def test_aliases_give_the_same_canonical_department(a: str, b: str, region: str) -> None:
    assert _name(a, region) == _name(b, region)


@pytest.mark.parametrize(
    ("unit", "region", "expected"),
    [
        ("卫生健康局", ZHONGNING, "中宁县卫生健康局"),
        ("市卫生健康委", BAOJI, "宝鸡市卫生健康委员会"),
        ("自治区卫生健康委", NEIMENGGU, "内蒙古自治区卫生健康委员会"),
        ("县人社局", LUZHAI, "鹿寨县人力资源和社会保障局"),
        ("人力资源社会保障厅", NEIMENGGU, "内蒙古自治区人力资源和社会保障厅"),
        ("发展改革委", NEIMENGGU, "内蒙古自治区发展和改革委员会"),
        ("县发改局", LUZHAI, "鹿寨县发展和改革局"),
        ("县税务局", LUZHAI, "国家税务总局鹿寨县税务局"),
        ("柳州银保监分局鹿寨监管组", LUZHAI, "国家金融监督管理总局柳州监管分局鹿寨监管支局"),
        ("内蒙古银保监局", NEIMENGGU, "国家金融监督管理总局内蒙古监管局"),
        ("白银消防救援支队", BAIYIN, "白银市消防救援支队"),
        ("县消防救援大队", LUZHAI, "鹿寨县消防救援大队"),
    ],
)
def test_canonical_name_follows_the_level_of_the_region(
    unit: str, region: str, expected: str
) -> None:
    canon = canonical_department(unit, region)
    assert canon is not None and canon.name == expected and canon.region_code == region


def test_local_name_replaces_the_standard_one_where_the_body_is_named_differently() -> None:
    canon = canonical_department("教育体育局", ZHONGNING)
    assert canon is not None and (canon.name, canon.label) == ("中宁县教育体育局", "教育")


def test_shared_prefix_list_item_is_expanded_to_the_documents_region() -> None:
    # 内蒙古 writes "自治区发展改革委、民政厅、…": the bare items belong to the same region
    assert _name("民政厅", NEIMENGGU) == "内蒙古自治区民政厅"
    assert _name("医保局", NEIMENGGU) == "内蒙古自治区医疗保障局"


def test_level_prefix_above_the_document_moves_the_department_up() -> None:
    canon = canonical_department("自治区卫生健康委", LUZHAI)
    assert canon is not None
    assert (canon.name, canon.region_code) == ("广西壮族自治区卫生健康委员会", "450000")
    assert _name("市卫生健康委", LUZHAI) == "柳州市卫生健康委员会"


def test_level_prefix_below_the_document_names_many_bodies() -> None:
    assert canonical_department("县卫健局", BAIYIN) is None


def test_body_named_first_wins_over_a_bracketed_second_name() -> None:
    assert _name("市财政局(市政府国资委)", BAIYIN) == "白银市财政局"


@pytest.mark.parametrize(
    "unit",
    [
        "各有关部门",
        "各乡镇人民政府",
        "地方各级人民政府",
        "各县区党委和政府",
        "市直各有关部门",
        "各相关部门",
    ],
)
def test_collectives_are_not_departments(unit: str) -> None:
    assert is_collective(unit)
    assert canonical_department(unit, BAIYIN) is None


@pytest.mark.parametrize("unit", ["中国银行中宁分行", "某某文化传媒有限公司", "", "   "])
def test_unknown_names_are_left_unmapped(unit: str) -> None:
    assert canonical_department(unit, ZHONGNING) is None


def test_keyword_fallback_only_when_one_kind_matches() -> None:
    canon = canonical_department("县卫生健康综合监督执法局", LUZHAI)
    assert canon is not None and canon.kind == "health"
    assert canonical_department("县卫生健康和民政联合办公室", LUZHAI) is None


def test_without_a_region_the_kind_is_still_known() -> None:
    canon = canonical_department("县卫健局", None)
    assert canon is not None and canon.label == "卫生健康" and canon.region_code is None
    named = canonical_department("宝鸡市卫生健康委员会", None)
    assert named is not None and (named.name, named.region_code) == ("宝鸡市卫生健康委员会", BAOJI)


# Every non-collective unit the five seeds name, with the kind it must map to.
SEED_UNITS = {
    ZHONGNING: {
        "医疗保障局": "healthcare_security",
        "卫生健康局": "health",
        "财政局": "finance",
        "人力资源和社会保障局": "hrss",
        "县总工会": "trade_union",
        "国家税务局中宁县分局": "taxation",
        "国家税务局中宁分局": "taxation",
        "发展和改革局": "development_reform",
        "教育体育局": "education",
        "团县委": "youth_league",
        "妇联": "women_federation",
        "市场监督管理局": "market_regulation",
        "民政局": "civil_affairs",
        "自然资源局": "natural_resources",
        "住房和城乡建设局": "housing",
        "商务和投资促进局": "commerce",
        "中卫市住房公积金管理中心中宁分中心": "housing_fund",
        "县委宣传部": "publicity",
        "融媒体中心": "media_center",
        "农业农村局": "agriculture",
    },
    BAOJI: {
        "宝鸡市卫生健康委员会": "health",
        "宝鸡市发展和改革委员会": "development_reform",
        "中共宝鸡市委 宣传部": "publicity",
        "宝鸡市教育局": "education",
        "宝鸡市民政局": "civil_affairs",
        "宝鸡市财政局": "finance",
        "宝鸡市人力资源和社会保障局": "hrss",
        "宝鸡市住房和城乡建设局": "housing",
        "中国人民银行宝鸡市分行": "pboc",
        "宝鸡市人民政府国有资产\n监督管理委员会": "sasac",
        "宝鸡市税务局": "taxation",
        "宝鸡市医疗保障局": "healthcare_security",
        "国家金融监督管理总局\n宝鸡监管分局": "financial_regulation",
        "宝鸡市总工会": "trade_union",
        "共青团宝鸡市委": "youth_league",
        "宝鸡市妇女联合会": "women_federation",
        "宝鸡军分区保障处": "military",
    },
    LUZHAI: {
        "县卫健局": "health",
        "县纪委监委": "discipline",
        "县委组织部": "organization",
        "县组织部": "organization",
        "县发改局": "development_reform",
        "县教育局": "education",
        "县公安局": "public_security",
        "县司法局": "justice",
        "县财政局": "finance",
        "县人社局": "hrss",
        "县人民法院": "court",
        "县民政局": "civil_affairs",
        "县住建局": "housing",
        "县医保局": "healthcare_security",
        "县行政审批局": "administrative_approval",
        "县残联": "disabled_federation",
        "县统计局": "statistics",
        "县科工贸局": "industry_it",
        "县交通局": "transport",
        "县文体广旅局": "culture_tourism",
        "县总工会": "trade_union",
        "县妇联": "women_federation",
        "团县委": "youth_league",
        "县市场监管局": "market_regulation",
        "县自然资源和规划局": "natural_resources",
        "县自然资源规划局": "natural_resources",
        "县乡村振兴局": "rural_revitalization",
        "县机关后勤服务中心": "offices_administration",
        "县应急管理局": "emergency",
        "县政府督查室": "government_office",
        "县税务局": "taxation",
        "柳州银保监分局鹿寨监管组": "financial_regulation",
        "县编办": "establishment",
        "县消防救援大队": "fire_rescue",
        "县住房公积金管理中心": "housing_fund",
        "县委宣传部": "publicity",
    },
    NEIMENGGU: {
        "自治区发展改革委": "development_reform",
        "民政厅": "civil_affairs",
        "人力资源社会保障厅": "hrss",
        "教育厅": "education",
        "住房城乡建设厅": "housing",
        "卫生健康委": "health",
        "医保局": "healthcare_security",
        "财政厅": "finance",
        "妇联": "women_federation",
        "总工会": "trade_union",
        "计划生育协会": "family_planning_association",
        "自然资源厅": "natural_resources",
        "国资委": "sasac",
        "税务局": "taxation",
        "内蒙古银保监局": "financial_regulation",
        "自治区党委宣传部": "publicity",
        "团委": "youth_league",
        "国家税务总局内蒙古自治区税务局": "taxation",
        "中国银行保险监督管理委员会内蒙古监管局": "financial_regulation",
        "中国共产主义青年团内蒙古自治区委员会": "youth_league",
        "内蒙古自治区计划生育协会": "family_planning_association",
        "内蒙古自治区国有资产监督管理委员会": "sasac",
    },
    BAIYIN: {
        "市卫生健康委": "health",
        "市司法局": "justice",
        "市教育局": "education",
        "市公安局": "public_security",
        "市财政局": "finance",
        "市人社局": "hrss",
        "市发展改革委": "development_reform",
        "市民政局": "civil_affairs",
        "市住建局": "housing",
        "市医保局": "healthcare_security",
        "市统计局": "statistics",
        "市工信局": "industry_it",
        "市自然资源局": "natural_resources",
        "市文广旅局": "culture_tourism",
        "市总工会": "trade_union",
        "市妇联": "women_federation",
        "市残联": "disabled_federation",
        "市市场监管局": "market_regulation",
        "市计划生育协会": "family_planning_association",
        "人民银行白银市分行": "pboc",
        "国家金融监督管理总局白银监管分局": "financial_regulation",
        "市商务局": "commerce",
        "市委编办": "establishment",
        "市应急局": "emergency",
        "白银消防救援支队": "fire_rescue",
        "市政府国资委": "sasac",
        "国家税务总局白银市税务局": "taxation",
        "市住房公积金管理中心": "housing_fund",
        "市农业农村局": "agriculture",
        "团市委": "youth_league",
        "市政府金融办": "local_finance",
        "白银市人民政府": "government",
    },
}


@pytest.mark.parametrize(
    ("region", "unit", "kind"),
    [(region, unit, kind) for region, units in SEED_UNITS.items() for unit, kind in units.items()],
)
def test_every_seed_unit_maps_to_its_kind(region: str, unit: str, kind: str) -> None:
    canon = canonical_department(unit, region)
    assert canon is not None and canon.kind == kind, (unit, canon)


def test_kinds_have_unique_codes_and_labels() -> None:
    kinds = department_kinds()
    assert len({k.code for k in kinds}) == len({k.label for k in kinds}) == len(kinds)
    assert {"卫生健康", "医疗保障", "税务", "妇联", "共青团", "人民政府"} <= {
        k.label for k in kinds
    }


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad_departments.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD_KIND = """
  - code: health
    label: 卫生健康
    names: {province: "{region}卫生健康委员会", city: "{region}卫生健康委员会",
            county: "{region}卫生健康局"}
    aliases: [卫健局]
"""
SAME_ALIAS_KIND = """
  - code: health_office
    label: 卫健办
    names: {province: 厅, city: 局, county: 局}
    aliases: [卫健局]
"""


def test_a_custom_file_replaces_the_bundled_lexicon(tmp_path: Path) -> None:
    lex = load_departments(_write(tmp_path, "kinds:" + GOOD_KIND))
    canon = canonical_department("卫健局", ZHONGNING, lex)
    assert canon is not None and canon.name == "中宁县卫生健康局"
    assert canonical_department("县人社局", ZHONGNING, lex) is None


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("kinds:" + GOOD_KIND + SAME_ALIAS_KIND, ["第2种部门", "health_office", "卫健局"]),
        (
            "kinds:\n  - code: health\n    label: 卫生健康\n    names: {province: 厅, city: 局}\n",
            ["第1种部门", "health", "省、市、县"],
        ),
        (
            "kinds:" + GOOD_KIND.replace("{region}卫生健康局", "{regoin}卫生健康局"),
            ["第1种部门", "health", "regoin"],
        ),
        ("kinds:\n  - code: Health!\n    label: x\n", ["第1种部门", "Health!"]),
        ("kinds:" + GOOD_KIND + "    short: 卫生健康委\n", ["第1种部门", "health", "short"]),
        ("kinds: [\n", ["第"]),
        ("collective_markers: 各\nkinds: []\n", ["collective_markers"]),
    ],
)
def test_malformed_file_errors_name_the_file_and_the_entry(
    tmp_path: Path, body: str, names: list[str]
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as err:
        load_departments(path)
    assert path.name in str(err.value)
    for part in names:
        assert part in str(err.value)


def test_a_body_with_a_name_of_its_own_is_mapped_by_its_work_but_keeps_its_name() -> None:
    own = canonical_department("县科工贸局", "640521")
    assert own is not None and own.label == "工业和信息化" and not own.name_supported
    finance = canonical_department("市政府金融办", "640521")
    assert finance is not None and not finance.name_supported
    short = canonical_department("县人社局", "640521")
    assert short is not None and short.name_supported
    assert short.name == "中宁县人力资源和社会保障局"


def test_a_narrow_column_shows_a_departments_short_form() -> None:
    from checklists.departments import short_label

    assert short_label("人力资源和社会保障") == "人社"
    assert short_label("住房城乡建设") == "住建"
    assert short_label("卫生健康") == "卫生健康"  # short enough as it is
    assert short_label("某个未知部门") == "某个未知部门"
