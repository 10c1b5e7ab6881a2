"""Layouts the seeds do not use: other regions' task lists with other labels and numbering.

The fixtures in tests/data/policies/ are made up but written the way such lists are written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.parsing import PolicyFormatError, parse_text
from checklists.parsing.assemble import NO_MEASURES_NOTE
from checklists.parsing.model import (
    FLAG_TITLE_CUT,
    FLAG_TO_VERIFY,
    ParsedDocument,
    ParsedMeasure,
    ParsedTarget,
    ParsedUnit,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


def fixture(name: str) -> ParsedDocument:
    return parse_text((DATA / name).read_text(encoding="utf-8"), source_name=name)


def measure(d: ParsedDocument, path: str) -> ParsedMeasure:
    return next(m for m in d.measures if m.path == path)


def test_table_with_lead_responsible_and_cooperating_columns() -> None:
    d = fixture("table_lead_cooperating.txt")
    assert d.title == "青禾市优化生育支持政策重点任务分工表"
    assert [m.path for m in d.measures] == ["一/1", "一/2", "二/3", "二/4", "三/5"]
    first = measure(d, "一/1")
    assert first.lead_units == ("市人力资源和社会保障局",)  # 牵头责任单位 is a lead label
    assert first.responsible_units == ("市总工会", "市妇联", "各区县人民政府")  # 配合单位
    assert [u.collective for u in first.units] == [False, False, False, True]
    assert measure(d, "一/2").section == "完善生育休假制度"  # empty group cell carried forward
    assert measure(d, "三/5").responsible_units == ()
    assert "2025年6月底前" in measure(d, "三/5").text  # the deadline column is kept
    assert d.issuers == ("青禾市卫生健康委员会", "青禾市人力资源和社会保障局")
    assert d.date == "2025-01-08"


def test_article_style_with_labels_on_their_own_lines() -> None:
    d = fixture("articles_style.txt")
    assert [m.number for m in d.measures] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert d.title == "溪山县支持家庭生育养育若干规定"
    assert d.doc_number == "溪政办发〔2025〕7号"
    assert (d.date, d.issuers) == ("2025-02-10", ("溪山县人民政府办公室",))
    first = measure(d, "第一条")
    assert first.lead_units == ("县卫生健康局",)
    assert first.responsible_units == ("县医疗保障局", "县财政局")  # 协办单位
    assert first.text == ("加强孕产期保健服务。全面落实母婴安全五项制度，"
                          "为孕产妇免费提供基本孕产期保健服务。")
    assert measure(d, "第五条").units == ()  # names none, so gets none


def test_inline_lead_and_responsible_labels_in_one_bracket() -> None:
    d = fixture("inline_labels.txt")
    assert [m.path for m in d.measures] == ["二/1", "二/2", "二/3", "三/(一)", "三/(二)"]
    first_section = d.sections[0]
    assert (first_section.number, first_section.title, first_section.preamble) == (
        "一", "主要目标", True)
    first = measure(d, "二/1")
    assert (first.lead_units, first.responsible_units) == (("区卫生健康局",),
                                                           ("区财政局", "各街道办事处"))
    second = measure(d, "二/2")  # 主要协作单位
    assert second.responsible_units == ("区商务局", "区交通运输局", "区市场监督管理局", "区妇联")
    third = measure(d, "二/3")  # the clause on a line of its own, full-width
    assert (third.lead_units, third.responsible_units) == (("区卫生健康局",),
                                                           ("区财政局", "区民政局"))
    assert third.text.endswith("每孩每年3600元。")
    duty = measure(d, "三/(二)")  # 牵头 / 配合 written after the names
    assert (duty.lead_units, duty.responsible_units) == (("区委督查室",), ("区卫生健康局",))
    collective = measure(d, "三/(一)")
    assert [(u.name, u.collective) for u in collective.units] == [("各街道办事处", True),
                                                                  ("各有关部门", True)]


def test_label_alone_on_a_line_with_its_value_on_the_next() -> None:
    d = fixture("label_own_line.txt")
    assert [m.path for m in d.measures] == ["1/(1)", "1/(2)", "2/(1)", "2/(2)"]
    assert [s.title for s in d.sections] == ["加强生育服务保障", "推进托育服务发展"]
    first = measure(d, "1/(1)")
    assert (first.lead_units, first.responsible_units) == (("市医疗保障局",),
                                                           ("市卫生健康委", "市财政局"))
    assert "牵头单位" not in first.text
    assert measure(d, "2/(2)").lead_units == ("市人力资源社会保障局",)


@pytest.mark.parametrize(
    ("marker", "numbers"),
    [("{}、", ["1", "2"]), ("{}．", ["1", "2"]), ("{}.", ["1", "2"]), ("（{}）", ["(1)", "(2)"]),
     ("({})", ["(1)", "(2)"])],
)
def test_arabic_numbering_styles(marker: str, numbers: list[str]) -> None:
    text = (f"某某县任务清单\n{marker.format(1)}建设托育点。内容。（牵头单位：县卫健局）\n"
            f"{marker.format(2)}落实产假。内容。（牵头单位：县人社局）\n")
    d = parse_text(text)
    assert [m.number for m in d.measures] == numbers
    assert [m.lead_units for m in d.measures] == [("县卫健局",), ("县人社局",)]


def test_lead_responsible_label_inside_a_longer_label_is_a_lead() -> None:
    d = parse_text("某某县任务清单\n一、托育\n（一）建设托育点。内容。\n"
                   "牵头责任单位：县卫健局\n配合单位：县财政局、县民政局\n")
    m = d.measures[0]
    assert (m.lead_units, m.responsible_units) == (("县卫健局",), ("县财政局", "县民政局"))


def test_label_with_colon_and_value_on_the_next_line() -> None:
    d = parse_text("某某县任务清单\n1.建设托育点。内容。\n责任单位：\n县卫健局、县财政局\n"
                   "2.落实产假。内容。\n")
    assert d.measures[0].responsible_units == ("县卫健局", "县财政局")
    assert d.measures[1].units == ()


def test_numbered_line_inside_a_measure_is_not_a_new_measure_out_of_sequence() -> None:
    d = parse_text("某某县任务清单\n1.建设托育点。每个街道建设\n3个托育点。\n2.落实产假。内容。\n")
    assert [m.number for m in d.measures] == ["1", "2"]
    assert "建设3个托育点" in d.measures[0].text


def test_measure_without_a_full_stop_gets_a_cut_flagged_title() -> None:
    long = "推进托育服务体系建设并且加强对托育机构的综合监管以及从业人员的培训考核和激励保障工作"
    d = parse_text(f"某某县任务清单\n1.{long}\n2.落实产假。内容。\n")
    first = d.measures[0]
    assert FLAG_TITLE_CUT in first.flags and first.title and long.startswith(first.title)
    assert len(first.title) < len(long)
    assert FLAG_TITLE_CUT not in d.measures[1].flags


def test_items_under_the_guiding_principles_become_document_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    def record(text: str) -> tuple[ParsedTarget, ...]:
        seen.append(text)
        return (ParsedTarget(indicator=f"#{len(seen)}", value=1.0, unit="个", comparator=">="),)

    monkeypatch.setattr("checklists.parsing.assemble.extract_targets", record)
    d = parse_text("某某市实施方案\n一、总体要求\n（一）指导思想。坚持以人民为中心。\n"
                   "（二）工作目标。到2025年，千人口托位数达到4.5个。\n二、重点任务\n"
                   "（一）建设托育点。内容。\n（二）落实产假。内容。\n")
    assert [m.path for m in d.measures] == ["二/(一)", "二/(二)"]
    assert any("千人口托位数达到4.5个" in text for text in seen[: len(d.targets)])
    assert {t.indicator for t in d.targets}.isdisjoint(
        {t.indicator for m in d.measures for t in m.targets})
    assert all(len(m.targets) == 1 for m in d.measures)


def test_text_with_no_numbered_measures_gives_its_metadata_and_a_note() -> None:
    d = parse_text("关于做好生育支持工作的通知\n各单位要高度重视，认真落实。\n"
                   "某某县卫生健康局\n2025年3月5日\n")
    assert d.measures == ()
    assert d.title == "关于做好生育支持工作的通知"
    assert d.issuers == ("某某县卫生健康局",) and d.date == "2025-03-05"
    assert d.warnings[0] == NO_MEASURES_NOTE
    with pytest.raises(PolicyFormatError, match="空"):
        parse_text(" \n\n")


def test_a_meeting_notices_numbered_business_is_not_read_as_measures() -> None:
    d = parse_text("柳溪县卫生健康局关于召开托育服务工作推进会的通知\n各乡镇卫生院：\n"
                   "现将有关事项通知如下：\n一、会议时间\n2025年3月10日上午9:00\n"
                   "二、会议地点：县卫生健康局三楼会议室\n三、参会人员\n各乡镇卫生院分管负责人\n"
                   "四、有关要求\n请准时参会。\n柳溪县卫生健康局\n2025年3月5日\n")
    assert d.measures == () and d.targets == ()
    assert d.issuers == ("柳溪县卫生健康局",) and d.date == "2025-03-05"


def test_a_policy_reading_page_restating_measures_invents_none() -> None:
    d = parse_text("《柳溪县育儿补贴实施办法》政策解读\n一、出台背景\n为贯彻落实国家要求。\n"
                   "二、主要内容\n（一）补贴对象。三周岁以下婴幼儿。\n（二）补贴标准。每年3600元。\n"
                   "三、解读机关\n柳溪县卫生健康局\n")
    assert d.measures == ()
    assert d.title == "《柳溪县育儿补贴实施办法》政策解读"


def test_short_signatory_names_stay_separate_and_a_cut_long_name_is_joined() -> None:
    d = parse_text("某某县任务清单\n1.建设托育点。内容。\n\n某某县卫生健康局\n团县委\n县妇联\n"
                   "中国共产主义青年团某某县委\n员会\n2025年1月1日\n")
    assert d.issuers == ("某某县卫生健康局", "团县委", "县妇联", "中国共产主义青年团某某县委员会")
    assert d.date == "2025-01-01"
    assert d.measures[0].text == "建设托育点。内容。"


def test_numbering_that_starts_at_37_under_section_heads_still_gives_the_measures() -> None:
    d = fixture("excerpt_from_37.txt")
    assert d.title == "松岭市进一步完善生育支持政策体系重点任务分工（节选）"
    assert [m.path for m in d.measures] == ["(三)/37", "(三)/38", "(四)/39", "(四)/40"]
    assert measure(d, "(三)/37").lead_units == ("市卫生健康委",)
    assert measure(d, "(三)/37").responsible_units == ("市发展改革委", "市财政局")
    assert measure(d, "(三)/38").responsible_units == ("市人力资源社会保障局",)  # head not glued
    assert measure(d, "(四)/40").responsible_units == ("市卫生健康委", "市总工会")


def test_a_lone_number_that_starts_no_run_is_not_a_measure() -> None:
    text = ("某县托育服务重点任务\n一、重点任务\n1.完善托育服务体系。（责任单位：县卫健局）\n"
            "2.加强托育人才培养。（责任单位：县人社局）\n"
            "各单位要于2025年底前报送进展，联系人电话：\n"
            "5.月底前完成的事项另行通知。\n")
    d = parse_text(text, source_name="t.txt")
    assert [m.number for m in d.measures] == ["1", "2"]


def test_a_notices_own_instructions_are_not_measures_of_the_plan_it_issues() -> None:
    d = fixture("notice_wrapper.txt")
    assert [m.path for m in d.measures] == ["一/(一)", "一/(二)", "二/(三)"]
    assert d.title == "柳溪县托育服务发展三年行动方案"
    assert d.doc_number == "柳政办发〔2025〕12号"
    assert d.date == "2025-03-06"
    assert d.issuers == ("柳溪县人民政府办公室",)
    assert measure(d, "一/(一)").lead_units == ("县卫生健康局",)


def test_a_web_pages_navigation_tools_and_footer_are_not_part_of_any_measure() -> None:
    d = fixture("web_page_chrome.txt")
    assert [m.path for m in d.measures] == ["一/(一)", "一/(二)", "二/(三)", "二/(四)"]
    assert (d.doc_number, d.date) == ("青府办发〔2025〕9号", "2025-04-18")
    assert d.issuers == ("青禾县人民政府办公室",)
    last = measure(d, "二/(四)")
    assert last.responsible_units == ("县卫生健康局",)  # the footer is not glued on
    every = "".join(m.source_text + m.text for m in d.measures)
    for chrome in ("打印", "扫一扫", "ICP", "0839", "上一篇", "首页"):
        assert chrome not in every


def test_a_running_page_title_is_dropped_but_the_issuer_named_twice_is_kept() -> None:
    text = ("柳溪县托育服务实施方案\n一、重点任务\n"
            "（一）建设托育点。内容一。（责任单位：县卫健局）\n\n"
            "柳溪县托育服务实施方案\n（二）培训保育人员。内容二。（责任单位：县人社局）\n"
            "柳溪县托育服务实施方案\n柳溪县卫生健康局\n2025年1月2日\n")
    d = parse_text(text)
    assert [m.text for m in d.measures] == ["建设托育点。内容一。", "培训保育人员。内容二。"]
    assert d.issuers == ("柳溪县卫生健康局",)


def test_unnumbered_subheads_group_measures_and_are_not_glued_to_units() -> None:
    text = ("柳溪县生育支持若干措施\n为减轻家庭养育负担，制定如下措施。\n完善生育休假制度。\n"
            "1.落实产假和护理假。用人单位依法落实。（责任单位：县人社局、县总工会）\n"
            "加大医疗保障力度\n"
            "2.提高住院分娩报销比例。按规定执行。（责任单位：县医保局）\n"
            "3.扩大生育保险覆盖面。逐步推进。\n"
            "发展托育服务。\n"
            "4.建设托育综合服务中心。2025年建成。（责任单位：县卫健局）\n"
            "本措施自2025年2月1日起施行。\n柳溪县人民政府\n2025年1月20日\n")
    d = parse_text(text)
    assert [m.section for m in d.measures] == ["完善生育休假制度", "加大医疗保障力度",
                                               "加大医疗保障力度", "发展托育服务"]
    assert [m.responsible_units for m in d.measures] == [
        ("县人社局", "县总工会"), ("县医保局",), (), ("县卫健局",)]
    assert measure(d, "3").text == "扩大生育保险覆盖面。逐步推进。"
    assert d.issuers == ("柳溪县人民政府",)


def test_units_named_once_in_a_section_heading_go_to_its_measures() -> None:
    text = ("柳溪县优化生育支持服务措施\n一、主要措施\n"
            "（一）完善生育保障（以下措施由县医保局牵头，县人社局、县卫健局配合）\n"
            "1.落实生育保险待遇。\n2.扩大辅助生殖报销。（责任单位：县医保局）\n"
            "（二）优化托育服务（以下措施由县卫健局牵头）\n1.建设托育点。\n")
    d = parse_text(text)
    assert [s.title for s in d.sections] == ["主要措施", "完善生育保障", "优化托育服务"]
    first = measure(d, "一/(一)/1")
    assert (first.lead_units, first.responsible_units) == (("县医保局",), ("县人社局", "县卫健局"))
    assert measure(d, "一/(一)/2").responsible_units == ("县医保局",)  # its own clause wins
    assert measure(d, "一/(二)/1").lead_units == ("县卫健局",)


def test_the_first_unit_leads_only_where_the_document_says_so() -> None:
    body = ("（一）建设托育点。内容。（责任单位：县卫健委、县妇联）\n"
            "（二）落实假期。内容。（牵头单位：县人社局；责任单位：县总工会）\n")
    plain = parse_text("柳溪县托育工作方案\n一、重点任务\n" + body)
    assert plain.measures[0].lead_units == ()
    said = parse_text("柳溪县托育工作方案\n一、重点任务\n（注：排在第一位的为牵头单位）\n" + body)
    assert said.sections[0].title == "重点任务"
    assert (said.measures[0].lead_units, said.measures[0].responsible_units) == (
        ("县卫健委",), ("县妇联",))
    assert said.measures[1].lead_units == ("县人社局",)
    assert any("排在第一位" in w for w in said.warnings)


def test_a_dash_in_an_empty_table_cell_is_not_a_unit() -> None:
    d = parse_text("柳溪县母婴设施任务表\n序号\t工作任务\t牵头单位\t配合单位\n"
                   "1\t建设母婴室。\t县总工会\t—\n2\t配置哺乳设施。\t县卫健局\t/\n")
    assert [m.units for m in d.measures] == [
        (ParsedUnit("县总工会", "lead"),), (ParsedUnit("县卫健局", "lead"),)]


def test_a_table_saved_one_cell_per_line_gives_one_measure_per_row() -> None:
    text = ("柳溪市托育服务重点任务清单\n序号\n重点任务\n具体措施\n牵头单位\n责任单位\n完成时限\n"
            "1\n扩大普惠供给\n新增普惠性托位2000个以上。\n市卫生健康委\n市发展改革委、市财政局\n"
            "2024年12月底\n"
            # row 2: the merged group cell is not repeated, the content is cut over two lines
            "2\n新增幼儿园托班50个以上，\n招收2至3岁幼儿。\n市教育局\n—\n2024年9月底\n"
            "3\n建设社区托育点\n新建社区嵌入式托育点30个。\n市民政局\n市卫生健康委\n持续推进\n"
            "柳溪市托育服务工作联席会议办公室\n2024年3月1日\n")
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["1", "2", "3"]
    assert d.measures[0].text.startswith("新增普惠性托位2000个以上。")
    assert d.measures[1].text.startswith("新增幼儿园托班50个以上，招收2至3岁幼儿。")
    assert d.measures[1].section == "扩大普惠供给"  # carried over the merged group cell
    assert [(m.lead_units, m.responsible_units) for m in d.measures] == [
        (("市卫生健康委",), ("市发展改革委", "市财政局")), (("市教育局",), ()),
        (("市民政局",), ("市卫生健康委",))]
    assert d.issuers == ("柳溪市托育服务工作联席会议办公室",) and d.date == "2024-03-01"


def test_articles_that_name_their_bodies_in_the_sentence_give_units() -> None:
    text = ("柳溪市生育保险实施办法\n"
            "第一条 为保障职工生育权益，制定本办法。\n"
            "第二条 市医疗保障局负责全市生育保险工作。"
            "市财政局、市税务局按照各自职责做好相关工作。\n"
            "第三条 市卫生健康委牵头，会同市教育局、市住房城乡建设局推进普惠托育服务体系建设。\n"
            "第四条 由市总工会牵头，市妇联配合，推动用人单位建设母婴室。\n"
            "第五条 托育机构在登记后向县卫健委备案，用人单位负责落实哺乳时间。\n")
    d = parse_text(text)
    units = {m.number: [(u.name, u.role) for u in m.units] for m in d.measures}
    assert units["第一条"] == [] and units["第五条"] == []  # nobody is put in charge there
    assert units["第二条"] == [("市医疗保障局", "responsible"), ("市财政局", "responsible"),
                            ("市税务局", "responsible")]
    assert units["第三条"] == [("市卫生健康委", "lead"), ("市教育局", "responsible"),
                            ("市住房城乡建设局", "responsible")]
    assert units["第四条"] == [("市总工会", "lead"), ("市妇联", "responsible")]


def test_bodies_named_before_an_adverb_and_their_verb_are_read() -> None:
    text = ("柳溪市女职工劳动保护办法\n"
            "第一条 为保护女职工权益，制定本办法。\n"
            "第二条 市人力资源社会保障局会同市总工会、市妇联每两年开展一次专项检查。\n"
            "第三条 市卫生健康委会同市教育局定期检查托育机构。\n"
            "第四条 托育机构每年向县卫健委报告收托情况。\n")
    d = parse_text(text)
    units = {m.number: [(u.name, u.role) for u in m.units] for m in d.measures}
    assert units["第二条"] == [("市人力资源社会保障局", "lead"), ("市总工会", "responsible"),
                            ("市妇联", "responsible")]
    assert units["第三条"] == [("市卫生健康委", "lead"), ("市教育局", "responsible")]
    assert units["第四条"] == []  # a body named after the verb is not put in charge


def test_bodies_named_in_a_lead_clause_a_division_of_labour_or_an_order_are_read() -> None:
    text = ("柳溪区生育支持措施\n"
            "第一条 为降低生育成本，制定本措施。\n"
            "第二条 实施生育补贴。区卫生健康局牵头，会同区财政局、区医保局，对三孩家庭发放补贴。\n"
            "第三条 扩大托育供给。由区卫生健康局负责，区发展改革局、区住房城乡建设局配合，"
            "新增托位500个。\n"
            "第四条 区教育局应当推动有条件的幼儿园开设托班。\n")
    d = parse_text(text)
    units = {m.number: [(u.name, u.role) for u in m.units] for m in d.measures}
    assert units["第二条"] == [("区卫生健康局", "lead"), ("区财政局", "responsible"),
                            ("区医保局", "responsible")]
    assert units["第三条"] == [("区卫生健康局", "lead"), ("区发展改革局", "responsible"),
                            ("区住房城乡建设局", "responsible")]
    assert units["第四条"] == [("区教育局", "responsible")]


def test_points_with_their_own_units_stay_one_measure_among_measures() -> None:
    text = ("柳溪市生育支持措施\n"
            "一、降低养育成本\n"
            "1.发放育儿补贴。对二孩、三孩家庭每孩每月发放补贴。（责任单位：市卫生健康委）\n"
            "2.加强住房支持。\n"
            "（1）多子女家庭购买首套住房的，公积金贷款额度提高10万元。（责任单位：市住房公积金中心）\n"
            "（2）多子女家庭承租公共租赁住房的，适当放宽户型。（责任单位：市住房城乡建设局）\n"
            "3.推进教育公平。扩大优质教育资源供给。（责任单位：市教育局）\n"
            "二、优化托育服务\n"
            "1.发展普惠托育。\n"
            "（1）新建社区托育点20个。（责任单位：市民政局）\n"
            "（2）支持用人单位办托。（责任单位：市总工会）\n"
            "2.加强托育监管。\n"
            "（1）开展消防检查。（责任单位：市消防救援支队）\n"
            "（2）开展食品安全检查。（责任单位：市市场监管局）\n")
    d = parse_text(text)
    numbers = [(m.section_path, m.number) for m in d.measures]
    # 2. sits among the measures 1. and 3.: its points are parts of it, and name its units
    assert ("一", "2") in numbers and ("一/2", "(1)") not in numbers
    housing = next(m for m in d.measures if m.title.startswith("加强住房支持"))
    assert housing.responsible_units == ("市住房公积金中心", "市住房城乡建设局")
    assert "公共租赁住房" in housing.text
    # where every 1. has points of its own units, the points are the measures
    assert [m.number for m in d.measures if m.section_path and m.section_path.startswith("二")
            ] == ["(1)", "(2)", "(1)", "(2)"]


def test_a_notice_that_sends_a_plan_under_its_own_title_takes_the_plans_title() -> None:
    text = ("柳溪市卫生健康委员会\n柳卫人口〔2025〕3号\n"
            "关于做好2025年托育服务工作的通知\n"
            "各县（区）卫生健康局：\n"
            "现将柳溪市2025年托育服务工作方案印发给你们，请认真贯彻落实。\n"
            "柳溪市卫生健康委员会\n2025年3月28日\n"
            "柳溪市2025年托育服务工作方案\n"
            "一、工作目标\n到2025年底，每千人口托位数达到4.6个。\n"
            "二、重点任务\n"
            "（一）扩大普惠托育供给。新增普惠托位1800个。（责任单位：市卫生健康委）\n"
            "（二）推进托幼一体化。支持幼儿园开设托班。（责任单位：市教育局）\n")
    d = parse_text(text)
    assert d.title == "柳溪市2025年托育服务工作方案"
    assert d.doc_number == "柳卫人口〔2025〕3号" and d.date == "2025-03-28"
    assert len(d.measures) == 2
    # a notice with nothing after its 落款 keeps its own title
    alone = parse_text(text.split("柳溪市2025年托育服务工作方案\n一、")[0]
                       + "一、扩大普惠托育供给。新增托位。（责任单位：市卫生健康委）\n")
    assert alone.title == "关于做好2025年托育服务工作的通知"


@pytest.mark.parametrize("stage", ["征求意见稿", "送审稿", "草案"])
def test_a_draft_not_yet_issued_is_flagged_to_verify(stage: str) -> None:
    text = (f"柳溪县托育服务若干措施（{stage}）\n"
            "一、发展普惠托育。新增普惠托位200个。（责任单位：县卫健局）\n"
            "二、支持用人单位办托。（责任单位：县总工会）\n")
    d = parse_text(text)
    assert len(d.measures) == 2
    assert FLAG_TO_VERIFY in d.flags
    assert d.warnings[0].startswith(f"这是{stage}，不是正式印发的文件")
    issued = parse_text(text.replace(f"（{stage}）", ""))
    assert FLAG_TO_VERIFY not in issued.flags
    assert not any("正式印发" in w for w in issued.warnings)


def test_doubtful_parses_are_flagged_to_verify_with_a_warning() -> None:
    text = ("柳溪县托育任务\n一、重点任务\n1.完善托育服务体系。（责任单位：县卫健局）\n"
            "2.加强人才培养。（责任单位：县人社局）\n"
            "4.落实补贴。（责任单位：县财政局，并于每年年底前报送工作进展情况）\n"
            "5.加强监管。内容202411日起执行。\n")
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["1", "2", "4", "5"]  # a gap loses nothing
    flagged = {m.number: m.flags for m in d.measures}
    assert flagged["1"] == () and flagged["2"] == ()
    assert FLAG_TO_VERIFY in flagged["4"]  # the gap, and a unit that is a sentence
    assert FLAG_TO_VERIFY in flagged["5"]  # a date that lost characters
    said = "\n".join(d.warnings)
    assert "跳过了“3.”" in said and "像是一句话" in said and "日期缺少" in said


def test_a_lone_skipped_number_stays_text_and_is_reported() -> None:
    d = parse_text("柳溪县托育任务\n1.完善托育服务体系。内容。\n2.加强人才培养。内容\n"
                   "4.个别乡镇先行试点。\n")
    assert [m.number for m in d.measures] == ["1", "2"]
    assert FLAG_TO_VERIFY in d.measures[1].flags


def test_a_division_of_labour_stated_once_gives_the_numbered_measures_their_units() -> None:
    text = ("柳溪市生育支持措施\n一、主要措施\n1.落实生育休假。内容。\n2.提高生育保险待遇。内容。\n"
            "3.扩大生育保险覆盖面。内容。\n4.加强托育机构监管。内容。\n"
            "二、任务分工\n第1项由市人社局负责，市总工会配合；第2-3项由市医保局牵头，市财政局配合；"
            "第4项由市卫健委、市市场监管局负责。\n")
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["1", "2", "3", "4"]
    assert [(m.lead_units, m.responsible_units) for m in d.measures] == [
        ((), ("市人社局", "市总工会")), (("市医保局",), ("市财政局",)),
        (("市医保局",), ("市财政局",)), ((), ("市卫健委", "市市场监管局"))]


def test_issuers_side_by_side_on_one_line_and_an_attachment_list_before_them() -> None:
    text = ("柳溪市女职工劳动保护专项检查方案\n一、检查内容\n（一）产假落实情况。内容。\n"
            "（二）哺乳时间落实情况。内容。\n附件：1.检查情况统计表\n2.用人单位名单\n"
            "柳溪市人力资源和社会保障局　　　柳溪市总工会　　　柳溪市妇女联合会\n2025年5月12日\n")
    d = parse_text(text)
    assert len(d.measures) == 2
    assert d.issuers == ("柳溪市人力资源和社会保障局", "柳溪市总工会", "柳溪市妇女联合会")


def test_a_spreadsheet_cell_copied_in_quotes_loses_its_quotes() -> None:
    d = parse_text('柳溪区托育任务表\n序号\t工作任务\t责任单位\n'
                   '1\t"建设托育点。\n每街道1个。"\t区卫健局\n')
    assert d.measures[0].text == "建设托育点。每街道1个。"
    assert d.measures[0].responsible_units == ("区卫健局",)


def test_numbered_measures_followed_by_a_table_of_projects_give_both() -> None:
    text = ("柳溪市2025年生育支持工作要点\n一、落实政策\n"
            "（一）落实生育休假。督促用人单位落实产假。（牵头单位：市人社局）\n"
            "（二）提高生育保险待遇。按时足额发放生育津贴。（责任单位：市医保局）\n"
            "二、实施重点项目\n2025年实施2项重点项目：\n"
            "序号\t项目名称\t年度目标\t责任单位\n"
            "1\t新增普惠托位建设\t新增托位2000个\t市卫生健康委（牵头）、市财政局\n"
            "2\t爱心母婴室建设\t新建母婴室100个\t市总工会\n")
    d = parse_text(text)
    assert [m.title for m in d.measures] == ["落实生育休假", "提高生育保险待遇",
                                             "新增普惠托位建设", "爱心母婴室建设"]
    assert d.measures[2].lead_units == ("市卫生健康委",)
    assert d.measures[3].responsible_units == ("市总工会",)


def test_notes_after_the_signature_are_not_measures_and_the_signature_is_found() -> None:
    text = ("柳溪市生育支持若干意见\n一、发放育儿补贴。按年发放。（责任单位：市卫健委）\n"
            "二、加强组织实施。各地要抓好落实。（牵头单位：市政府办公室）\n\n"
            "柳溪市人民政府办公室\n2025年5月9日\n\n附表\n\n柳溪市育儿补贴标准\n"
            "说明：\n1．孩次按夫妻双方共同生育的子女数量计算。\n2．每年申领一次。\n")
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["一", "二"]
    assert d.measures[1].lead_units == ("市政府办公室",)
    assert (d.date, d.issuers) == ("2025-05-09", ("柳溪市人民政府办公室",))


def test_the_plan_a_notice_issues_is_the_title_even_with_a_titled_attachment_after_it() -> None:
    text = ("柳溪市人民政府办公室关于印发柳溪市积极生育支持工作方案的通知\n各县区人民政府：\n"
            "现将方案印发给你们，请认真贯彻执行。\n柳溪市人民政府办公室\n2025年3月21日\n"
            "柳溪市积极生育支持工作方案\n一、重点任务\n具体分工见附件。\n附件\n"
            "柳溪市积极生育支持重点任务分工表\n序号\t重点任务\t牵头单位\t配合单位\n"
            "1\t落实生育休假。\t市人社局\t市总工会\n2\t发放育儿补贴。\t市卫健委\t市财政局\n")
    d = parse_text(text)
    assert d.title == "柳溪市积极生育支持工作方案"
    assert [m.number for m in d.measures] == ["1", "2"]
