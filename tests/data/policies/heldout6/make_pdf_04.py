"""Regenerates 04_chifeng_pdf_two_columns.pdf (run with /work/main/.venv/bin/python).

Page 1: the 印发 notice. Pages 2-: the 工作要点, whose items stand in a borderless two-column
layout (工作内容 left, 责任单位 right, header row repeated on every page), with a running header
repeating the title and a page number footer.
"""
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

pdfmetrics.registerFont(TTFont("UMing", "/usr/share/fonts/truetype/arphic/uming.ttc", subfontIndex=0))
F = "UMing"
body = ParagraphStyle("b", fontName=F, fontSize=15, leading=25, firstLineIndent=30, wordWrap="CJK")
plain = ParagraphStyle("p", parent=body, firstLineIndent=0)
head = ParagraphStyle("h", parent=body, firstLineIndent=0, alignment=TA_CENTER, fontSize=20, leading=32)
sect = ParagraphStyle("s", parent=body, firstLineIndent=0, fontSize=16, spaceBefore=8, spaceAfter=4)
right = ParagraphStyle("r", parent=body, firstLineIndent=0, alignment=TA_RIGHT)
cen = ParagraphStyle("c", parent=body, firstLineIndent=0, alignment=TA_CENTER)
cell = ParagraphStyle("cell", fontName=F, fontSize=13, leading=20, wordWrap="CJK")
unit = ParagraphStyle("u", parent=cell, fontSize=12, leading=18)
colh = ParagraphStyle("ch", parent=cell, alignment=TA_CENTER, fontSize=13)

TITLE = "赤峰市2025年积极生育支持工作要点"


def first_page(c, doc):
    c.setFont(F, 12)
    c.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")


def later_pages(c, doc):
    c.setFont(F, 10)
    c.drawCentredString(A4[0] / 2, A4[1] - 40, TITLE)
    c.line(70, A4[1] - 46, A4[0] - 70, A4[1] - 46)
    first_page(c, doc)


sections = [
    ("一、完善生育支持政策", [
        ("1.全面落实育儿补贴制度，按照国家统一部署做好补贴申领、审核和发放工作，确保补贴资金及时足额发放到位。",
         "牵头：市卫生健康委<br/>配合：市财政局、市民政局"),
        ("2.推动生育保险扩面，将灵活就业人员、农民工和新就业形态人员纳入生育保险覆盖范围。",
         "牵头：市医保局<br/>配合：市人力资源和社会保障局"),
        ("3.按规定将符合条件的辅助生殖技术项目纳入基本医疗保险支付范围，做好参保人员待遇保障。",
         "牵头：市医保局<br/>配合：市卫生健康委"),
    ]),
    ("二、发展普惠托育服务", [
        ("4.新增普惠托位2000个，全市每千人口拥有3岁以下婴幼儿托位数达到4.6个。",
         "牵头：市卫生健康委<br/>配合：各旗县区人民政府"),
        ("5.推进托幼一体化发展，公办幼儿园开设托班比例达到40%以上。",
         "牵头：市教育局<br/>配合：市卫生健康委"),
        ("6.实施普惠托育服务专项行动，积极争取中央预算内投资支持托育服务设施建设项目。",
         "牵头：市发展和改革委员会<br/>配合：市卫生健康委、市财政局"),
        ("7.开展托育机构质量评估，评选市级示范性托育机构10家。",
         "牵头：市卫生健康委"),
    ]),
    ("三、强化生育服务保障", [
        ("8.实施母婴安全行动提升计划，孕产妇死亡率、婴儿死亡率分别控制在12/10万和4‰以下。",
         "牵头：市卫生健康委"),
        ("9.加强出生缺陷综合防治，推进婚前保健、孕前优生健康检查、产前筛查和新生儿疾病筛查一体化服务。",
         "牵头：市卫生健康委<br/>配合：市民政局、市妇联"),
        ("10.在公共场所和用人单位规范建设母婴室，年内新增母婴室50个。",
         "牵头：市卫生健康委<br/>配合：市总工会、市妇联、市住房和城乡建设局"),
    ]),
    ("四、营造生育友好氛围", [
        ("11.开展生育友好单位创建活动，创建自治区级生育友好单位5家、市级生育友好单位20家。",
         "牵头：市卫生健康委<br/>配合：市总工会、市妇联"),
        ("12.加强新型婚育文化宣传倡导，组织开展“婚育新风进万家”主题活动。",
         "牵头：市委宣传部<br/>配合：市卫生健康委、团市委、市妇联"),
    ]),
]

story = [
    Paragraph("赤生育办发〔2025〕3号", cen), Spacer(1, 10),
    Paragraph("赤峰市积极生育支持工作领导小组办公室关于印发《赤峰市2025年积极生育支持工作要点》的通知", head),
    Spacer(1, 10),
    Paragraph("市积极生育支持工作领导小组各成员单位，各旗县区积极生育支持工作领导小组办公室：", plain),
    Paragraph("现将《赤峰市2025年积极生育支持工作要点》印发给你们，请结合工作实际，认真抓好落实，"
              "并于2025年12月10日前将年度工作落实情况报市领导小组办公室（设在市卫生健康委）。", body),
    Spacer(1, 40),
    Paragraph("赤峰市积极生育支持工作领导小组办公室", right),
    Paragraph("2025年3月14日", right),
    PageBreak(),
    Paragraph(TITLE, head), Spacer(1, 8),
    Paragraph("2025年，全市积极生育支持工作要坚持以人民为中心的发展思想，完善生育支持政策体系和激励机制，"
              "推动建设生育友好型社会，促进人口长期均衡发展。主要工作如下：", body),
]
for name, rows in sections:
    story.append(Paragraph(name, sect))
    data = [[Paragraph("工作内容", colh), Paragraph("责任单位", colh)]]
    data += [[Paragraph(t, cell), Paragraph(u, unit)] for t, u in rows]
    tbl = Table(data, colWidths=[330, 125], repeatRows=1)
    tbl.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
    ]))
    story.append(tbl)
story += [Spacer(1, 10),
          Paragraph("各成员单位要按照职责分工，细化工作措施，加强协作配合，确保各项工作任务落到实处。", body)]

SimpleDocTemplate("04_chifeng_pdf_two_columns.pdf", pagesize=A4, leftMargin=70, rightMargin=70,
                  topMargin=70, bottomMargin=60).build(story, onFirstPage=first_page,
                                                       onLaterPages=later_pages)
