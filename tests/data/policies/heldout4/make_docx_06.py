"""Regenerates 06_nantong_style_numbering.docx: headings numbered through the Heading 1/2
styles (numPr in styles.xml, none on the paragraphs), a table whose first column is one cell
merged over the whole table. Run with /work/main/.venv/bin/python."""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

OUT = Path(__file__).with_name("06_nantong_style_numbering.docx")
doc = Document()

# --- numbering definition linked to the heading styles -----------------------------------
numbering = doc.part.numbering_part.element
abstract = parse_xml(f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:pStyle w:val="Heading1"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlRestart w:val="1"/>
    <w:pStyle w:val="Heading2"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>
</w:abstractNum>""")
first_num = numbering.find(qn("w:num"))
if first_num is not None:
    first_num.addprevious(abstract)
else:
    numbering.append(abstract)
numbering.append(parse_xml(
    f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

for style_name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
    style = doc.styles[style_name]
    ppr = style.element.get_or_add_pPr()
    ppr.insert(0, parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.size = Pt(16)
    style.font.bold = ilvl == 1
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体" if ilvl == 0 else "楷体_GB2312")


def para(text, align=None):
    p = doc.add_paragraph(text)
    if align is not None:
        p.alignment = align
    return p


para("南通市积极生育支持工作领导小组办公室", WD_ALIGN_PARAGRAPH.CENTER)
para("通生育办〔2025〕2号", WD_ALIGN_PARAGRAPH.CENTER)
t = para("南通市2025年积极生育支持工作要点", WD_ALIGN_PARAGRAPH.CENTER)
t.runs[0].font.size = Pt(22)
para("各县（市、区）积极生育支持工作领导小组，市积极生育支持工作领导小组各成员单位：")
para("　　现将《南通市2025年积极生育支持工作要点》印发给你们，请结合实际认真抓好落实。")

doc.add_heading("总体要求", level=1)
para("　　深入贯彻落实党中央、国务院和省委、省政府关于优化生育政策的决策部署，以降低生育、"
     "养育、教育成本为重点，统筹推进各项生育支持措施落地见效，持续提升群众获得感。")

doc.add_heading("落实生育支持政策", level=1)
items_1 = [
    ("落实生育休假制度", "督促用人单位严格落实产假、护理假、育儿假，将休假落实情况纳入劳动保障监察日常巡查内容。"
     "（牵头单位：市人社局；责任单位：市卫生健康委、市总工会）"),
    ("提高生育保险待遇", "将产前检查费用补助标准提高至1500元，生育津贴按时足额发放至参保人个人账户。"
     "（责任单位：市医保局）"),
    ("推进分娩镇痛服务", "全市二级以上助产医疗机构全部开展分娩镇痛服务，分娩镇痛率达到60%以上。"
     "（牵头单位：市卫生健康委；责任单位：市医保局）"),
    ("扩大普惠托育供给", "新增普惠性托位2000个，每千人口拥有3岁以下婴幼儿托位数达到5个。"
     "（牵头单位：市卫生健康委；责任单位：市发展改革委、市财政局、市教育局）"),
    ("推进托育机构质量评估", "完成已备案托育机构质量评估全覆盖，评估结果作为运营补贴发放的重要依据。"
     "（责任单位：市卫生健康委）"),
]
for head, body in items_1:
    doc.add_heading(head, level=2)
    para("　　" + body)

doc.add_heading("强化配套支持措施", level=1)
items_2 = [
    ("优化教育资源配置", "多子女家庭子女申请在同一学校就读的予以统筹安排，义务教育学校课后服务实现全覆盖。"
     "（责任单位：市教育局）"),
    ("加大住房支持力度", "多子女家庭使用住房公积金贷款购买首套住房的，贷款额度上浮30%。"
     "（牵头单位：市住房公积金管理中心；责任单位：市住房城乡建设局）"),
    ("建设母婴友好环境", "在公共场所和用人单位新建、改建母婴室100个，推进母婴室信息上图。"
     "（牵头单位：市卫生健康委；责任单位：市总工会、市妇联、市交通运输局）"),
    ("推进生育友好单位创建", "开展市级生育友好单位创建，全年认定市级生育友好单位30家。"
     "（牵头单位：市总工会；责任单位：市卫生健康委、市妇联）"),
    ("宣传新型婚育文化", "开展婚育文化宣传进社区、进企业、进校园活动，倡导适龄婚育、优生优育。"
     "（责任单位：市委宣传部、市卫生健康委、团市委、市妇联）"),
]
for head, body in items_2:
    doc.add_heading(head, level=2)
    para("　　" + body)

doc.add_heading("实施重点项目", level=1)
para("　　2025年全市实施5项积极生育支持重点项目，具体如下：")
rows = [
    ("序号", "项目名称", "年度目标", "责任单位"),
    ("1", "新增普惠托位建设", "新增普惠性托位2000个", "市卫生健康委（牵头）、市发展改革委、市财政局"),
    ("2", "托育机构运营补贴", "对普惠托育机构按每生每月200元给予运营补贴", "市财政局、市卫生健康委"),
    ("3", "爱心母婴室建设", "新建爱心母婴室100个", "市总工会（牵头）、市妇联、市卫生健康委"),
    ("4", "婴幼儿照护指导进社区", "建设社区婴幼儿照护服务指导站50个",
     "市卫生健康委（牵头）、各县（市、区）人民政府"),
    ("5", "出生缺陷免费筛查", "新生儿遗传代谢性疾病筛查率达到98%以上", "市卫生健康委"),
]
table = doc.add_table(rows=len(rows), cols=5)
table.style = "Table Grid"
for r, row in enumerate(rows):
    for c, text in enumerate(row, start=1):
        table.cell(r, c).text = text
merged = table.cell(0, 0).merge(table.cell(len(rows) - 1, 0))
merged.text = "重点项目"

doc.add_heading("保障措施", level=1)
para("　　各地各部门要加强组织领导，健全工作推进机制，将各项任务纳入年度工作计划，"
     "市积极生育支持工作领导小组办公室将定期调度工作进展，年底进行通报。")
para("")
para("南通市积极生育支持工作领导小组办公室", WD_ALIGN_PARAGRAPH.RIGHT)
para("2025年2月20日", WD_ALIGN_PARAGRAPH.RIGHT)
doc.save(OUT)
print(OUT)
