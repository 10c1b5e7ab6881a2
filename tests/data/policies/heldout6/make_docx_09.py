"""Regenerates 09_xinxiang_autonumber_continuing.docx (run with /work/main/.venv/bin/python).

The 一、 heads are typed. The measures are one Word list (decimal, "%1.") whose numbers come from
numbering.xml and continue across the heads (1-4, 5-7, 8-11); no number is in the text. Measure 6
has a manual line break (Shift+Enter) before its unit bracket.
"""
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

d = Document()
numbering = d.part.numbering_part.element
abstract = parse_xml(
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
    '</w:abstractNum>')
first_num = numbering.find(qn("w:num"))
if first_num is not None:
    first_num.addprevious(abstract)
else:
    numbering.append(abstract)
numbering.append(parse_xml(
    f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def para(text, align=None, bold=False, size=None):
    p = d.add_paragraph(text)
    if align is not None:
        p.alignment = align
    for r in p.runs:
        r.bold = bold
        if size:
            r.font.size = Pt(size)
    return p


def item(text, units, soft_break=False):
    p = d.add_paragraph()
    pPr = p._p.get_or_add_pPr()
    pPr.append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    run = p.add_run(text)
    if soft_break:
        run.add_break(WD_BREAK.LINE)
    p.add_run(units)
    return p


para("新卫函〔2025〕15号", WD_ALIGN_PARAGRAPH.RIGHT)
para("新乡市2025年托育服务工作要点", WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18)
para("　　2025年全市托育服务工作的总体思路是：以满足群众托育服务需求为导向，扩增量、提质量、强监管，"
     "加快构建普惠托育服务体系。重点抓好以下工作：")

para("一、扩大普惠托育服务供给", bold=True)
item("新增普惠托位2500个，全市每千人口拥有3岁以下婴幼儿托位数达到4.5个。",
     "（牵头单位：市卫生健康委，责任单位：各县（市、区）人民政府）")
item("每个县（市、区）至少建成1所综合托育服务中心并投入运营。",
     "（牵头单位：市卫生健康委，责任单位：市发展改革委、各县（市、区）人民政府）")
item("推动公办幼儿园开设托班，全年新增托班80个。",
     "（牵头单位：市教育局，责任单位：市卫生健康委）")
item("推进用人单位办托，建设用人单位办托示范点10个。",
     "（牵头单位：市总工会、市卫生健康委，责任单位：市国资委）")

para("二、落实托育支持政策", bold=True)
item("落实普惠托育机构建设补助和运营补贴政策，及时足额拨付补助资金。",
     "（牵头单位：市财政局，责任单位：市卫生健康委）")
item("落实托育机构用水、用电、用气价格优惠和税费减免政策。",
     "（牵头单位：市发展改革委，责任单位：国家税务总局新乡市税务局、市卫生健康委）", soft_break=True)
item("将托育从业人员纳入职业技能培训范围，全年培训1000人次。",
     "（牵头单位：市人力资源和社会保障局，责任单位：市卫生健康委、市教育局）")

para("三、提升托育服务质量", bold=True)
item("开展托育机构质量评估，评选市级示范性托育机构15家。", "（牵头单位：市卫生健康委）")
item("深化医育结合，托育机构与医疗卫生机构签约服务率达到100%。",
     "（牵头单位：市卫生健康委，责任单位：各县（市、区）卫生健康委）")
item("开展托育机构安全隐患专项整治，消除食品安全、消防安全等风险隐患。",
     "（牵头单位：市卫生健康委，责任单位：市市场监管局、市消防救援支队）")
item("推进托育服务信息化建设，实现备案、监管、补贴发放“一网通办”。",
     "（牵头单位：市卫生健康委，责任单位：市政务服务和大数据管理局）")

para("四、工作要求", bold=True)
para("　　各县（市、区）、各有关单位要高度重视托育服务工作，对照工作要点细化任务举措，"
     "明确时间节点，加强协调配合，确保各项工作落到实处。")
para("")
para("新乡市卫生健康委员会", WD_ALIGN_PARAGRAPH.RIGHT)
para("2025年2月18日", WD_ALIGN_PARAGRAPH.RIGHT)
d.save("09_xinxiang_autonumber_continuing.docx")
