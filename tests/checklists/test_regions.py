"""The region table covers the country's cities and counties: a document of any county is
placed where it belongs, a name two places share is not guessed, and an office's lists hold
its own jurisdiction."""

from __future__ import annotations

from checklists.departments import canonical_department
from checklists.parsing import parse_text
from checklists.regions import (
    LEVELS,
    NATIONAL,
    ancestors,
    choosable_regions,
    detect_region,
    load_regions,
    region_by_code,
    region_path,
)


def test_every_city_and_county_is_known_and_hangs_under_its_province() -> None:
    regions = load_regions()
    assert len({r.code for r in regions}) == len(regions) > 3000
    by_level = {level: sum(r.level == level for r in regions) for level in LEVELS}
    assert by_level["province"] == 34 and by_level["city"] > 300 and by_level["county"] > 2700
    for r in regions:
        chain = ancestors(r.code)
        assert chain[-1] == NATIONAL, r
        assert r.short and len(r.short) <= len(r.name), r
    assert region_path("640381") == "宁夏回族自治区 吴忠市 青铜峡市"
    # the regions checked by hand stand as they are now (凤翔 became a district in 2021)
    fengxiang = [r for r in regions if r.name.startswith("凤翔")]
    assert [(r.code, r.name) for r in fengxiang] == [("610305", "凤翔区")]
    assert region_by_code("653131") is not None and region_by_code("653131").short == "塔什库尔干"


def test_a_name_two_places_share_is_placed_only_when_the_text_says_where() -> None:
    assert detect_region("青铜峡市人民政府办公室") == region_by_code("640381")
    assert detect_region("朝阳区卫生健康委员会") is None  # 北京 or 长春: not guessed
    beijing = detect_region("北京市朝阳区卫生健康委员会")
    assert beijing is not None and beijing.code == "110105"


def test_an_office_is_offered_its_own_jurisdiction() -> None:
    within = {r.code for r in choosable_regions("640300")}  # 吴忠市
    assert {"640000", "640300", "640381", "640302"} <= within
    assert "640521" not in within and "110105" not in within
    assert choosable_regions(None) == load_regions() == choosable_regions(NATIONAL)


def test_a_county_document_is_placed_in_its_county_and_its_units_with_it() -> None:
    text = ("青铜峡市人民政府办公室关于印发青铜峡市积极生育支持措施的通知\n"
            "为贯彻落实《宁夏回族自治区积极生育支持措施》，制定本措施。\n"
            "一、发放育儿补贴。对二孩、三孩家庭发放育儿补贴。（责任单位：市卫生健康局、市财政局）\n"
            "二、支持用人单位办托。（责任单位：市总工会）\n")
    d = parse_text(text)
    assert d.region_code == "640381" and d.region == "青铜峡市"
    union = canonical_department("市总工会", d.region_code)
    assert union is not None and union.name == "青铜峡市总工会"  # not the region's union
