"""Writes 04_lishui_pdf_units_left.pdf: an 印发 notice on page 1, then on pages 2-3 the 附件, a
ruled table whose unit columns come BEFORE the task: 序号 | 牵头单位 | 配合单位 | 重点工作 |
完成时限. The unit columns are narrow, so unit names wrap inside their cells
(`市人力资源和` / `社会保障局`); the header row is repeated on page 3; `— N —` footers."""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

pdfmetrics.registerFont(TTFont("DSF", "/usr/share/fonts/truetype/arphic/uming.ttc"))
body = ParagraphStyle("b", fontName="DSF", fontSize=15, leading=27, firstLineIndent=30, wordWrap="CJK")
left = ParagraphStyle("l", parent=body, firstLineIndent=0)
head = ParagraphStyle("h", parent=body, firstLineIndent=0, alignment=TA_CENTER, fontSize=20, leading=32)
right = ParagraphStyle("r", parent=body, firstLineIndent=0, alignment=TA_RIGHT)
cen = ParagraphStyle("c", parent=body, firstLineIndent=0, alignment=TA_CENTER)
cell = ParagraphStyle("t", fontName="DSF", fontSize=12, leading=18, wordWrap="CJK")
cellc = ParagraphStyle("tc", parent=cell, alignment=TA_CENTER)


def footer(c, doc):
    c.setFont("DSF", 12)
    c.drawCentredString(A4[0] / 2, 32, f"— {doc.page} —")


ROWS = [
    ("1", "市卫生健康委", "市财政局、市民政局、市大数据局", "全面实施育儿补贴制度，按月做好补贴申领、审核和发放，实现育儿补贴“一件事”集成办理", "2025年12月"),
    ("2", "市医保局", "市卫生健康委", "将辅助生殖类医疗服务项目按规定纳入医保支付范围，落实生育医疗费用待遇", "2025年6月"),
    ("3", "市人力资源和社会保障局", "市总工会、市妇联", "督促用人单位落实产假、陪产假、育儿假等假期，开展女职工劳动保护专项检查", "2025年11月"),
    ("4", "市卫生健康委", "市发展改革委、市财政局、各县（市、区）政府", "新增普惠托位1200个，推进托育服务县、乡、村三级网络建设", "2025年12月"),
    ("5", "市教育局", "市卫生健康委", "支持幼儿园开设托班，全市新增托班25个、提供托位750个", "2025年9月"),
    ("6", "市卫生健康委<br/>市财政局", "—", "落实普惠托育机构建设补助和运营补助政策，按季度及时拨付补助资金", "2025年10月"),
    ("7", "市住房和城乡建设局", "市自然资源和规划局", "新建住宅小区按每千人不少于10个托位标准配建托育服务设施，与住宅同步验收交付", "持续推进"),
    ("8", "丽水市住房公积金管理中心", "—", "多子女家庭使用住房公积金贷款购买首套自住住房的，贷款最高额度上浮20%", "2025年6月"),
    ("9", "市总工会", "市卫生健康委、市人力资源和社会保障局", "建设爱心托管班和职工子女托育点20个，推动用人单位办托", "2025年8月"),
    ("10", "市妇联", "团市委、市卫生健康委", "开展婚恋交友和家庭教育指导服务活动50场以上", "2025年12月"),
    ("11", "市委宣传部", "市卫生健康委", "开展新时代婚育文化宣传，推出一批生育友好主题公益作品", "持续推进"),
]

story = [
    Paragraph("丽生育办〔2025〕3号", cen), Spacer(1, 12),
    Paragraph("丽水市积极生育支持工作领导小组办公室关于印发《2025年全市生育支持重点工作清单》的通知", head), Spacer(1, 12),
    Paragraph("各县（市、区）积极生育支持工作领导小组办公室，市积极生育支持工作领导小组各成员单位：", left),
    Paragraph("现将《2025年全市生育支持重点工作清单》印发给你们，请各牵头单位按照清单明确的任务和时限，会同配合单位抓好落实，"
              "并于2025年12月20日前将年度工作完成情况书面报送市积极生育支持工作领导小组办公室（市卫生健康委人口家庭处）。", body),
    Spacer(1, 20),
    Paragraph("附件：2025年全市生育支持重点工作清单", left),
    Spacer(1, 36),
    Paragraph("丽水市积极生育支持工作领导小组办公室", right),
    Paragraph("2025年3月12日", right),
    PageBreak(),
    Paragraph("附件", left), Spacer(1, 6),
    Paragraph("2025年全市生育支持重点工作清单", head), Spacer(1, 10),
]
data = [[Paragraph(h, cellc) for h in ("序号", "牵头单位", "配合单位", "重点工作", "完成时限")]]
for no, lead, coop, task, due in ROWS:
    data.append([Paragraph(no, cellc), Paragraph(lead, cell), Paragraph(coop, cell), Paragraph(task, cell), Paragraph(due, cellc)])
table = Table(data, colWidths=[30, 72, 92, 216, 55], repeatRows=1)
table.setStyle(TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
]))
story.append(table)
SimpleDocTemplate(str(Path(__file__).with_name("04_lishui_pdf_units_left.pdf")), pagesize=A4, leftMargin=65,
                  rightMargin=65, topMargin=70, bottomMargin=70).build(story, onFirstPage=footer, onLaterPages=footer)
