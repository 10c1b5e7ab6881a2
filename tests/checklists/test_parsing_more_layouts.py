"""More layouts, written for these tests: task cards, units after a dash, short labels, a
文号 in brackets, a wrapped notice title, running headers, a paragraph run on into the last
unit list, and documents that number points but carry no measures (公示, 政策解读)."""

from __future__ import annotations

from pathlib import Path

from checklists.parsing import parse_text
from checklists.parsing.assemble import NO_MEASURES_NOTE
from checklists.parsing.model import ParsedDocument


def _units(d: ParsedDocument) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(m.lead_units, m.responsible_units) for m in d.measures]


CARDS = """青川县2026年托育服务重点任务清单

一、扩大供给

任务一
任务名称：新建社区托育点
工作内容：在城区新建社区嵌入式托育点3个，提供全日托和临时托服务。
牵头单位：县卫健局
配合单位：县住建局、县财政局
完成时限：2026年10月底前

任务二
任务名称：推进托幼一体化
工作内容：支持公办幼儿园招收2至3岁幼儿。
牵头单位：县教育局
完成时限：2026年9月底前

二、提升质量

任务三
任务名称：开展质量评估
工作内容：对全县托育机构开展质量评估，评估结果向社会公开。
责任单位：县卫健局、县市场监管局
完成时限：2026年12月底前
"""


def test_task_cards_are_measures_named_by_their_name_line() -> None:
    d = parse_text(CARDS)
    assert [m.title for m in d.measures] == ["新建社区托育点", "推进托幼一体化", "开展质量评估"]
    assert "嵌入式托育点3个" in d.measures[0].text
    assert "任务名称" not in d.measures[0].text and "工作内容" not in d.measures[0].text
    assert _units(d) == [(("县卫健局",), ("县住建局", "县财政局")), (("县教育局",), ()),
                         ((), ("县卫健局", "县市场监管局"))]


def test_a_heading_named_like_a_card_with_items_under_it_stays_a_heading() -> None:
    text = """某某县积极生育支持工作要点

重点任务一：强化经济支持
1.落实育儿补贴制度，按时足额发放。（县卫健局牵头，县财政局配合）
2.提高生育医疗费用保障水平。（县医保局负责）

重点任务二：发展托育服务
3.新增普惠托位200个。（县卫健局负责）
"""
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["1", "2", "3"]
    assert d.measures[0].lead_units == ("县卫健局",)


def test_units_after_a_dash_and_a_list_ending_in_implement() -> None:
    text = """某某市支持生育若干措施

一、经济支持
①发放育儿补贴，每孩每年3000元。——市卫生健康委、市财政局牵头，各县市区人民政府落实。
②提高住房公积金贷款额度。——市住房公积金中心负责。
③推广社区嵌入式托育——在社区综合服务设施中配建托育点。——市卫生健康委牵头；市民政局配合。
"""
    d = parse_text(text)
    assert _units(d) == [(("市卫生健康委", "市财政局"), ("各县市区人民政府",)),
                         ((), ("市住房公积金中心",)),
                         (("市卫生健康委",), ("市民政局",))]
    assert d.measures[2].text.startswith("推广社区嵌入式托育——在社区")


def test_short_labels_a_running_header_and_a_closing_paragraph_after_the_last_units() -> None:
    page = "某某市2026年积极生育支持工作要点"
    text = f"""某某市积极生育支持工作领导小组办公室关于印发
《某某市2026年积极生育支持工作要点》的通知
（某生育办发〔2026〕2号）
各成员单位：现将工作要点印发给你们，请认真落实。
某某市积极生育支持工作领导小组办公室
2026年3月1日
{page}
- 2 -
一、完善政策
1.全面落实育儿补贴制度，确保补贴资金及时足额发放到位。
牵头：市卫生健康委
配合：市财政局、市民政局
2.推动生育保险扩面。
牵头：市医保局
{page}
- 3 -
二、发展托育
3.新增普惠托位2000个。
牵头：市卫生健康委
配合：团市委、市妇联
各成员单位要按照职责分工，细化工作措施，加强协作，确保各项任务落到实处。
{page}
- 4 -
"""
    d = parse_text(text)
    assert d.title == page
    assert d.doc_number == "某生育办发〔2026〕2号"
    assert _units(d) == [(("市卫生健康委",), ("市财政局", "市民政局")), (("市医保局",), ()),
                         (("市卫生健康委",), ("团市委", "市妇联"))]
    assert all(page not in m.text for m in d.measures)


def test_a_title_completed_by_its_years_on_the_next_line() -> None:
    text = """某某市优化生育支持体系三年行动方案
（2026—2028年）

一、主要任务
1.新增托位500个。（市卫健委负责）
2.落实育儿假。（市人社局负责）
"""
    d = parse_text(text)
    assert d.title == "某某市优化生育支持体系三年行动方案（2026—2028年）"


def test_a_publicity_notice_and_a_policy_interpretation_carry_no_measures() -> None:
    publicity = """某某市卫生健康委员会关于2026年度普惠托育机构拟认定名单的公示

经评审，拟认定以下机构为普惠托育机构，现予以公示。
序号\t机构名称\t托位数
1\t某某托育园\t90
公示期间有异议的，可来信反映：
1.以单位名义反映的，须加盖单位公章。
2.反映情况应当实事求是。
某某市卫生健康委员会
2026年6月30日
"""
    d = parse_text(publicity)
    assert d.measures == () and NO_MEASURES_NOTE in d.warnings
    assert d.title.endswith("拟认定名单的公示")
    reading = """《某某市支持生育若干措施》政策解读

一、出台背景
为落实国家部署，市政府出台若干措施。
二、主要内容
1.发放育儿补贴。由市卫健委牵头，市财政局配合。
2.延长育儿假。由市人社局负责。
"""
    d = parse_text(reading)
    assert d.measures == () and NO_MEASURES_NOTE in d.warnings


def test_numbers_with_a_closing_bracket_and_a_division_of_labour_on_one_line() -> None:
    text = """某某县2026年生育友好工作方案

二、主要任务
1．落实育儿补贴政策，做到应发尽发。
2、扩大普惠托育服务供给，新增托位300个。
3)实施孕产期免费保健项目。
4．落实生育休假制度。
5)推行家庭友好型工作安排。
以上第1—3项由县卫健局牵头，第4—5项由县人社局牵头，县直各有关单位配合。

三、保障措施
各乡镇要加强组织领导。
"""
    d = parse_text(text)
    assert [m.number for m in d.measures] == ["1", "2", "3", "4", "5"]
    assert "以上第" not in d.measures[-1].text
    assert _units(d) == [(("县卫健局",), ("县直各有关单位",))] * 3 + [
        (("县人社局",), ("县直各有关单位",))] * 2


def test_units_after_a_responsible_subject_label_and_a_list_of_county_kinds() -> None:
    text = """某某市生育支持措施

（一）发放育儿补贴。按每孩每年3600元发放。责任主体：市卫生健康委、市财政局。
（二）保障休假。督促用人单位落实育儿假。责任主体：市人力资源社会保障局牵头，市总工会配合。
（三）建设母婴室。（责任单位：各县、自治县、区人民政府）
"""
    d = parse_text(text)
    assert _units(d) == [((), ("市卫生健康委", "市财政局")),
                         (("市人力资源社会保障局",), ("市总工会",)),
                         ((), ("各县、自治县、区人民政府",))]


def test_tasks_grouped_under_the_body_that_leads_them() -> None:
    text = """某某市2026年积极生育支持工作任务清单
（按牵头单位分列）

一、市卫生健康委牵头（2项）
1．全面落实育儿补贴制度。（配合单位：市财政局、市民政局）
2．开展孕前优生健康检查。
二、市住房城乡建设局、市住房公积金中心共同牵头（1项）
3．落实多子女家庭购房支持政策。
"""
    d = parse_text(text)
    assert d.title == "某某市2026年积极生育支持工作任务清单"
    assert _units(d) == [(("市卫生健康委",), ("市财政局", "市民政局")),
                         (("市卫生健康委",), ()),
                         (("市住房城乡建设局", "市住房公积金中心"), ())]


def test_a_date_and_number_in_brackets_under_a_title_that_names_its_issuer() -> None:
    text = """某某市人民政府办公室关于进一步完善生育支持政策体系的实施意见
（2026年4月16日　某政办〔2026〕14号）

一、发放育儿补贴。每孩每年3600元。（市卫健委负责）
二、延长育儿假。（市人社局负责）
"""
    d = parse_text(text)
    assert (d.doc_number, d.date, d.issuers) == ("某政办〔2026〕14号", "2026-04-16",
                                                ("某某市人民政府办公室",))


def test_meeting_minutes_carry_no_measures() -> None:
    text = """某某市人民政府
专题会议纪要

某政纪〔2026〕9号

关于研究推进积极生育支持工作有关事项的会议纪要

一、会议指出，要加大生育支持力度。
二、会议议定以下事项：
1．市财政局负责落实育儿补贴资金。
2．市卫健委负责新增托位。
"""
    d = parse_text(text)
    assert d.measures == () and NO_MEASURES_NOTE in d.warnings


def test_a_header_over_two_rows_and_a_task_over_several_rows() -> None:
    text = "\n".join([
        "某某市生育友好城市建设重点任务分工表",
        "序号\t工作任务\t责任单位\t\t完成时限",
        "\t\t牵头单位\t配合单位\t",
        "1\t落实育儿补贴制度，做好申领和发放工作\t市卫生健康委\t市财政局\t2026年12月底前",
        "\t\t\t市民政局\t",
        "\t\t\t市数据局\t",
        "2\t提高生育保险待遇水平\t市医疗保障局\t市税务局\t2026年10月底前",
    ])
    d = parse_text(text)
    assert _units(d) == [(("市卫生健康委",), ("市财政局", "市民政局", "市数据局")),
                         (("市医疗保障局",), ("市税务局",))]


def test_cards_laid_out_as_two_column_tables() -> None:
    card = ("实事{n}\n项目名称\t{name}\n主要内容\t{text}\n牵头单位\t{lead}\n"
            "责任单位\t{resp}\n完成时限\t2026年12月")
    text = "某某市2026年生育友好十件实事实施方案\n\n二、实事项目\n" + "\n".join([
        card.format(n="一", name="育儿补贴免申即享", text="对符合条件的婴幼儿免申即享。",
                    lead="市卫生健康委", resp="市财政局、市数据局"),
        card.format(n="二", name="普惠托位扩容", text="新增普惠托位1000个。",
                    lead="市卫生健康委", resp="市发展改革委"),
    ])
    d = parse_text(text)
    assert [m.title for m in d.measures] == ["育儿补贴免申即享", "普惠托位扩容"]
    assert _units(d) == [(("市卫生健康委",), ("市财政局", "市数据局")),
                         (("市卫生健康委",), ("市发展改革委",))]


def test_a_word_table_with_a_table_of_units_inside_a_cell(tmp_path: Path) -> None:
    from docx import Document

    from checklists.parsing import read_policy_file

    doc = Document()
    doc.add_paragraph("某某市2026年托育服务工作要点")
    table = doc.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "工作任务", "责任分工"), strict=True):
        cell.text = text
    for r, (task, lead, resp) in enumerate((("落实育儿补贴制度", "市卫健委", "市财政局"),
                                           ("新增普惠托位1500个", "市卫健委", "市发改委")),
                                          start=1):
        table.rows[r].cells[0].text = str(r)
        table.rows[r].cells[1].text = task
        inner = table.rows[r].cells[2].add_table(rows=2, cols=2)
        inner.rows[0].cells[0].text, inner.rows[0].cells[1].text = "牵头", lead
        inner.rows[1].cells[0].text, inner.rows[1].cells[1].text = "配合", resp
    path = tmp_path / "nested.docx"
    doc.save(path)
    d = parse_text(read_policy_file(path))
    assert _units(d) == [(("市卫健委",), ("市财政局",)), (("市卫健委",), ("市发改委",))]


def test_a_training_notice_lists_who_attends_not_measures() -> None:
    text = """关于举办2026年全市托育机构负责人培训班的通知

各县（市、区）卫生健康局：
为提升托育服务质量，决定举办培训班。现将有关事项通知如下：
一、培训时间
2026年7月8日至9日。
二、参训对象
（一）各县（市、区）卫生健康局分管托育工作的负责同志1名；
（二）已备案托育机构负责人各1名。
三、有关要求
请各县（市、区）卫生健康局负责组织报名。

某某市卫生健康委员会
2026年6月20日
"""
    d = parse_text(text)
    assert d.measures == () and NO_MEASURES_NOTE in d.warnings


def test_bodies_that_carry_out_the_work_in_particular() -> None:
    text = """某某市总工会2026年女职工工作要点

一、开展职工子女托管服务。由市总工会女职工部牵头，市教育局配合，各县（市、区）总工会具体落实。
二、建设爱心母婴室。市总工会负责。
"""
    d = parse_text(text)
    assert _units(d)[0] == (("市总工会女职工部",), ("市教育局", "各县（市、区）总工会"))
