"""Corrections to a parsed document before saving: titles, metadata, units, merge and split."""

from __future__ import annotations

import pytest

from checklists.editing import (
    EditError,
    merge_measures,
    set_date,
    set_doc_number,
    set_issuers,
    set_measure_title,
    set_measure_units,
    set_region,
    set_title,
    split_measure,
    split_names,
)
from checklists.parsing import parse_text
from checklists.parsing.model import FLAG_TITLE_CUT, ParsedDocument

SAMPLE = """测试县关于支持托育服务发展的若干措施
测试政发〔2025〕3号

一、扩大托育服务供给
（一）建设托育综合服务中心。到2025年，每千人口拥有3岁以下婴幼儿托位数达到4.5个以上。（牵头单位：县卫生健康局；责任单位：县发展改革局、县财政局）
（二）发展社区托育服务。新建居住区按标准配套建设托育服务设施，老旧小区补齐托育设施。（责任单位：县住房城乡建设局）
二、保障母婴权益
（三）完善母婴设施。二级以上医院、大型商场设置母婴室，覆盖率达到100%。（牵头单位：县卫生健康局）
（四）落实生育休假。依法落实产假、护理假和育儿假。（五）加强宣传引导。营造生育友好的社会氛围，宣传覆盖率达到90%以上。（责任单位：县人力资源社会保障局、县总工会）

测试县人民政府
2025年3月1日
"""


@pytest.fixture(scope="module")
def doc() -> ParsedDocument:
    return parse_text(SAMPLE)


def _numbers(doc: ParsedDocument) -> list[str]:
    return [m.number for m in doc.measures]


def test_sample_parses_into_four_measures(doc: ParsedDocument) -> None:
    # The (五) glued into (四)'s line is the parser mistake the split test corrects.
    assert _numbers(doc) == ["(一)", "(二)", "(三)", "(四)"]


def test_edits_return_a_new_document_and_leave_the_original_alone(doc: ParsedDocument) -> None:
    edited = set_measure_title(doc, 0, "建设县级托育综合服务中心")
    assert edited.measures[0].title == "建设县级托育综合服务中心"
    assert doc.measures[0].title == "建设托育综合服务中心"
    assert edited.id == doc.id


def test_correcting_a_title_clears_the_title_flag(doc: ParsedDocument) -> None:
    from dataclasses import replace

    first = replace(doc.measures[0], flags=(FLAG_TITLE_CUT,))
    flagged = replace(doc, measures=(first, *doc.measures[1:]))
    fixed = set_measure_title(flagged, 0, "  建设托育中心 ")
    assert fixed.measures[0].title == "建设托育中心"
    assert FLAG_TITLE_CUT not in fixed.measures[0].flags


def test_an_empty_title_is_refused(doc: ParsedDocument) -> None:
    with pytest.raises(EditError, match="标题不能为空"):
        set_measure_title(doc, 1, "   ")
    with pytest.raises(EditError, match="标题不能为空"):
        set_title(doc, "")


def test_metadata_corrections(doc: ParsedDocument) -> None:
    edited = set_region(set_title(doc, "太白县支持托育服务发展的若干措施"), "610331")
    edited = set_doc_number(edited, " 太政发〔2025〕 3号 ")
    edited = set_date(edited, "2025年3月2日")
    edited = set_issuers(edited, ["太白县人民政府", "太白县人民政府", " "])
    assert (edited.title, edited.region, edited.region_code) == (
        "太白县支持托育服务发展的若干措施",
        "太白县",
        "610331",
    )
    assert edited.doc_number == "太政发〔2025〕3号"
    assert edited.date == "2025-03-02"
    assert edited.issuers == ("太白县人民政府",)
    assert set_date(edited, "2025").date == "2025"
    assert set_date(edited, "").date is None
    assert set_region(edited, None).region_code is None


def test_bad_metadata_is_refused_with_a_chinese_message(doc: ParsedDocument) -> None:
    with pytest.raises(EditError, match="无法识别日期"):
        set_date(doc, "三月初")
    with pytest.raises(EditError, match="不在区划表中"):
        set_region(doc, "999999")


def test_units_are_replaced_as_written_and_kept_in_their_roles(doc: ParsedDocument) -> None:
    others = split_names("县财政局、县教育局，各乡镇人民政府")
    edited = set_measure_units(doc, 0, ["县卫生健康局"], others)
    m = edited.measures[0]
    assert m.lead_units == ("县卫生健康局",)
    assert m.responsible_units == ("县财政局", "县教育局", "各乡镇人民政府")
    last = m.units[-1]
    assert (last.name, last.role, last.collective) == ("各乡镇人民政府", "responsible", True)


def test_a_unit_named_both_lead_and_responsible_stays_lead(doc: ParsedDocument) -> None:
    m = set_measure_units(doc, 0, ["县卫生健康局"], ["县卫生健康局", "县财政局"]).measures[0]
    assert m.lead_units == ("县卫生健康局",)
    assert m.responsible_units == ("县财政局",)


def test_merging_joins_text_units_and_targets(doc: ParsedDocument) -> None:
    merged = merge_measures(doc, 0)
    assert _numbers(merged) == ["(一)", "(三)", "(四)"]
    m = merged.measures[0]
    assert m.title == "建设托育综合服务中心"
    assert m.text.startswith(doc.measures[0].text) and m.text.endswith(doc.measures[1].text)
    assert m.responsible_units == ("县发展改革局", "县财政局", "县住房城乡建设局")
    assert m.targets == doc.measures[0].targets + doc.measures[1].targets
    assert doc.measures[1].source_text in m.source_text


def test_the_last_measure_cannot_be_merged_with_nothing(doc: ParsedDocument) -> None:
    with pytest.raises(EditError, match="最后一项"):
        merge_measures(doc, len(doc.measures) - 1)


def test_splitting_at_a_glued_number_takes_that_number(doc: ParsedDocument) -> None:
    text = doc.measures[3].text
    split = split_measure(doc, 3, text.index("（五）"))
    assert _numbers(split) == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    fourth, fifth = split.measures[3], split.measures[4]
    assert fourth.text == "落实生育休假。依法落实产假、护理假和育儿假。"
    assert fifth.title == "加强宣传引导"
    assert fifth.path == "二/(五)"
    assert fifth.units == fourth.units
    assert [t.value for t in fourth.targets] == []
    assert [t.value for t in fifth.targets] == [90.0]
    assert fifth.source_text.startswith("（五）加强宣传引导")
    assert not fourth.source_text.endswith("（五）")


def test_splitting_without_a_number_numbers_the_new_part_after_the_first(
    doc: ParsedDocument,
) -> None:
    text = doc.measures[1].text
    split = split_measure(doc, 1, text.index("老旧小区"))
    assert _numbers(split)[1:3] == ["(二)", "(二)之一"]
    assert split.measures[2].path == "一/(二)之一"
    assert split.measures[2].title == "老旧小区补齐托育设施"
    again = split_measure(split, 1, split.measures[1].text.index("新建"))
    assert _numbers(again)[1:4] == ["(二)", "(二)之二", "(二)之一"]


@pytest.mark.parametrize("where", [0, -1, 10_000])
def test_a_split_must_leave_text_on_both_sides(doc: ParsedDocument, where: int) -> None:
    position = len(doc.measures[0].text) if where == -1 else where
    with pytest.raises(EditError, match="两部分都要有文字"):
        split_measure(doc, 0, position)


def test_a_measure_index_out_of_range_is_refused(doc: ParsedDocument) -> None:
    with pytest.raises(EditError, match="没有第 10 项"):
        set_measure_title(doc, 9, "x")


def test_split_names_accepts_the_separators_people_type() -> None:
    assert split_names(" 县财政局、县教育局，县民政局;县医保局 / 县总工会 ") == [
        "县财政局",
        "县教育局",
        "县民政局",
        "县医保局",
        "县总工会",
    ]
    assert split_names("") == []


REVIEW = """柳溪县托育服务工作方案
一、重点任务
（一）建设托育点。每个乡镇建成1个。（责任单位：县卫健局）
扩大普惠供给
（二）培训保育人员。每年培训200人次。（责任单位：县人社局）
加强托育机构监管，每季度检查1次。（责任单位：县市场监管局、县消防救援大队）
"""


def test_a_line_the_parser_missed_is_marked_as_a_measure_in_its_place() -> None:
    from checklists.editing import mark_measure, measure_lines, source_lines

    doc = parse_text(REVIEW)
    assert [m.number for m in doc.measures] == ["(一)", "(二)"]
    lines = source_lines(doc)
    last = next(k for k, line in enumerate(lines) if line.startswith("加强托育机构监管"))
    marked = mark_measure(doc, last, last)
    new = marked.measures[-1]
    assert new.title == "加强托育机构监管，每季度检查1次"
    assert new.responsible_units == ("县市场监管局", "县消防救援大队")
    assert new.number == "(二)之一" and new.path.startswith("一/")
    assert new.section == "扩大普惠供给" and measure_lines(marked, 2) == (last, last)
    assert marked.corrections[-1].op == "mark_measure"
    assert f"第 {last + 1}–{last + 1} 行" in marked.corrections[-1].detail


def test_a_line_marked_as_heading_titles_the_measures_after_it_and_stops_being_one() -> None:
    from checklists.editing import mark_heading, source_lines

    doc = parse_text(REVIEW)
    line = source_lines(doc).index("扩大普惠供给")
    marked = mark_heading(doc, line)
    assert [m.section for m in marked.measures] == [doc.measures[0].section, "扩大普惠供给"]
    head_line = source_lines(doc).index("（一）建设托育点。每个乡镇建成1个。（责任单位：县卫健局）")
    dropped = mark_heading(doc, head_line)
    assert [m.number for m in dropped.measures] == ["(二)"]  # the measure on that line is gone


def test_corrections_are_recorded_once_per_field_and_every_structural_edit() -> None:
    from checklists.editing import delete_measure

    doc = parse_text(REVIEW)
    edited = set_measure_title(doc, 0, "建")
    edited = set_measure_title(edited, 0, "建设乡镇托育点")
    edited = set_title(edited, "柳溪县托育服务工作方案（修订）")
    edited = delete_measure(edited, 1)
    assert [(c.op, c.target) for c in edited.corrections] == [
        ("measure_title", "一/(一)"), ("title", ""), ("delete", "一/(二)")]
    assert "建设乡镇托育点" in edited.corrections[0].detail
    assert set_title(edited, edited.title) is edited  # no change, no record
    with pytest.raises(EditError):
        delete_measure(edited, 5)
