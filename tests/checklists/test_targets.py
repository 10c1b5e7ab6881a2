"""Quantitative targets in measure and preamble text (checklists.parsing.targets)."""

from __future__ import annotations

import pytest

from checklists.parsing.model import ParsedTarget
from checklists.parsing.targets import extract_targets
from tests.conftest import seed_text


def _paragraph(prefix: str, marker: str) -> str:
    """The seed paragraph (line) that contains ``marker``."""
    (line,) = [ln for ln in seed_text(prefix).splitlines() if marker in ln]
    return line


def _one(text: str) -> ParsedTarget:
    (target,) = extract_targets(text)
    return target


def test_fenbie_distributes_listed_values_and_head_year_is_the_deadline() -> None:
    targets = extract_targets(_paragraph("004", "任务目标"))
    got = {(t.indicator, t.comparator, t.value, t.unit, t.deadline) for t in targets}
    assert got == {
        ("孕产妇死亡率", "<=", 14.5, "/10万", "2025"),
        ("婴幼儿死亡率", "<=", 5.0, "‰", "2025"),
        ("千人口托位数", ">=", 4.5, "个", "2025"),
    }


def test_childcare_places_per_thousand_by_2025() -> None:
    t = _one(_paragraph("002", "（七）增加托育服务供给"))
    assert "每千人口" in t.indicator and "托位数" in t.indicator
    assert (t.comparator, t.value, t.unit, t.deadline, t.soft) == (">=", 4.5, "个", "2025", False)
    assert t.source_text.startswith("全县每千人口")


def test_standard_for_new_residential_areas_and_condition_is_not_a_target() -> None:
    targets = extract_targets(_paragraph("004", "8.强化托育政策支持"))
    per_thousand = [t for t in targets if "每千人口托位" in t.indicator]
    assert [(t.value, t.comparator, t.deadline) for t in per_thousand] == [
        (5.0, ">=", None),
        (4.5, ">=", "2025"),
    ]
    assert per_thousand[0].indicator.startswith("新建居住小区")
    assert per_thousand[1].indicator.startswith("已建成无托育服务配套设施的居住区")
    # "对规划建设100个以上托位的托育项目" says which projects, it sets no goal
    assert all(t.value != 100 for t in targets)


def test_community_childcare_space_of_at_least_200_square_metres() -> None:
    (t,) = [
        t
        for t in extract_targets(_paragraph("004", "9.多渠道发展普惠托育服务"))
        if t.unit == "平方米"
    ]
    assert (t.value, t.comparator) == (200.0, ">=")
    assert "托育" in t.indicator and "面积" in t.indicator


def test_coverage_rate_drops_the_bracketed_explanation() -> None:
    (t,) = [t for t in extract_targets(_paragraph("003", "(九)健全普惠托育服务体系"))]
    assert t.indicator == "城市社区托育服务覆盖率"
    assert (t.value, t.unit, t.comparator, t.deadline) == (80.0, "%", ">=", "2025")


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("托育机构收费不超过3000元。", "<="),
        ("新生儿死亡率控制在3‰以内。", "<="),
        ("孕产妇死亡率控制在10/10万以下。", "<="),
        ("普惠托位占比达到60%以上。", ">="),
        ("母婴室使用面积不少于10平方米。", ">="),
        ("知识普及率不低于80%。", ">="),
        ("托位使用率超过50%。", ">"),
        ("孕产妇死亡率低于10/10万。", "<"),
        ("空置托位不满10个。", "<"),
    ],
)
def test_comparators_follow_the_civil_code(text: str, comparator: str) -> None:
    assert _one(text).comparator == comparator


@pytest.mark.parametrize(
    "text", ["将购房贷款增加额度提高到20万元-30万元。", "将购房贷款增加额度提高到20至30万元。"]
)
def test_ranges_keep_both_bounds(text: str) -> None:
    t = _one(text)
    assert (t.comparator, t.value, t.value_max, t.unit) == ("range", 20.0, 30.0, "万元")
    assert t.indicator == "购房贷款增加额度"


def test_reimbursement_ratios_are_targets_but_stated_amounts_are_not() -> None:
    targets = extract_targets(_paragraph("000", "落实生育医疗费用待遇"))  # also has 100%报销
    assert [(t.indicator, t.value) for t in targets] == [
        ("城镇职工基本医疗保险报销比例", 75.0),
        ("城乡居民基本医疗保险新增报销比例", 60.0),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("每个县（区）要建立 1 所政府举办、标准化的妇幼保健机构。", 1.0, "所"),
        ("每个社区建成 1 个托育点。", 1.0, "个"),
        ("建设一个以上普惠性托育示范机构。", 1.0, "个"),
        ("争取到2025年，建成l个综合性普惠托育中心。", 1.0, "个"),
        ("每个旗县(市、区)力争建设2 所公办托育机构。", 2.0, "所"),
    ],
)
def test_counts_of_institutions_with_spaces_chinese_numerals_and_a_lost_digit(
    text: str, value: float, unit: str
) -> None:
    t = _one(text)
    assert (t.value, t.unit, t.comparator) == (value, unit, ">=")
    assert t.indicator.endswith(("机构", "托育点", "中心"))


def test_at_least_one_of_each_listed_centre() -> None:
    targets = extract_targets("至少 1 个危重孕产妇和 1 个新生儿救助中心。")
    assert [t.indicator for t in targets] == ["危重孕产妇救助中心", "新生儿救助中心"]


def test_lizheng_and_zhengqu_make_a_target_soft() -> None:
    assert _one("每个旗县(市、区)力争建设2 所公办托育机构。").soft
    soft = _one("支持社会力量建设托育中心，争取到2025年，建成1个综合性普惠托育中心。")
    assert soft.soft and soft.deadline == "2025"
    assert not _one("到2025年，普惠托位占比达到60%以上。").soft


def test_year_end_deadline_is_an_iso_date() -> None:
    t = _one(_paragraph("001", "4. 增加普惠托育服务供给"))
    assert (t.deadline, t.value, t.unit) == ("2024-12-31", 1.0, "所")


def test_year_inside_a_sentence_applies_only_after_it() -> None:
    targets = extract_targets("新建小区托位不少于5个，老旧小区在2025年前补足托位不少于3个。")
    assert [t.deadline for t in targets] == [None, "2025"]


def test_recurring_report_deadline_goes_in_recurrent() -> None:
    t = _one(_paragraph("002", "（二十二）强化督促检查"))
    assert t.recurrent == "每年12月25日前" and t.deadline is None
    assert (t.value, t.unit, t.comparator) == (1, "次", ">=")
    assert "报告" in t.indicator


@pytest.mark.parametrize(
    "text",
    [
        "根据宝卫人口发〔2024〕162号文件要求。",
        "加强0-3岁婴幼儿照护，保障3岁以下婴幼儿和5岁以下儿童健康。",
        "持续降低孕产妇死亡率和5岁以下儿童死亡率。",
        "构建“1+N”托育服务体系。",
        "国家卫生健康委等17部门联合印发。",
        "推动实现医保目录内费用100%报销。",
        "购买保障性住房最低首付款比例为15%。",
        "筹集一定数量的超过70平方米的住房，向三孩家庭配租。",
        "对运营满六个月的托育机构给予补助。",
        "2024年10月29日印发。",
        "招收 2-3 岁幼儿。",
        "落实好计划生育特殊家庭双岗联系人制度和三个全覆盖。",
        "建立一个统一的人口监测基础数据库。",
    ],
)
def test_numbers_that_are_not_goals_give_no_target(text: str) -> None:
    assert extract_targets(text) == ()


def test_seed_targets_are_well_formed() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        for t in extract_targets(seed_text(prefix)):
            assert t.indicator and len(t.indicator) <= 40, t
            assert t.unit not in ("岁", "周岁", "号", "年"), t
            assert t.source_text and t.source_text in seed_text(prefix), t
            assert t.comparator in (">=", ">", "<=", "<", "range"), t
