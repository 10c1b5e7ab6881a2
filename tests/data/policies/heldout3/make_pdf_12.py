"""Makes 12_baotou_pdf_table.pdf (reportlab, WenQuanYi font): a notice on page 1, then 附件 with a
ruled task table (序号 / 重点工作 / 牵头单位 / 配合单位 / 完成时限) whose cells wrap over several
lines, running over pages with the header row repeated. Run with /work/main/.venv/bin/python."""
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).parent
pdfmetrics.registerFont(TTFont("wqy", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))
BODY = ParagraphStyle("body", fontName="wqy", fontSize=15, leading=27, firstLineIndent=30, wordWrap="CJK")
LEFT = ParagraphStyle("left", parent=BODY, firstLineIndent=0)
TITLE = ParagraphStyle("title", fontName="wqy", fontSize=20, leading=32, alignment=1, wordWrap="CJK")
RIGHT = ParagraphStyle("right", parent=BODY, alignment=2, firstLineIndent=0)
CELL = ParagraphStyle("cell", fontName="wqy", fontSize=10.5, leading=15, wordWrap="CJK")
HEAD = ParagraphStyle("head", parent=CELL, alignment=1)

ROWS = [
    ("1", "全面落实育儿补贴制度，对符合条件的二孩、三孩家庭按每孩每年3000元、5000元标准发放育儿补贴，实现线上申领、按季发放。", "市卫生健康委", "市财政局、市民政局、市政务服务局", "2024年6月底前启动发放"),
    ("2", "落实生育保险和职工基本医疗保险合并实施政策，将灵活就业人员纳入生育医疗费用保障范围。", "市医保局", "市税务局、市财政局", "2024年9月底"),
    ("3", "严格落实产假、陪产假、育儿假等生育休假制度，将落实情况纳入劳动保障监察年度重点检查内容。", "市人力资源和社会保障局", "市总工会、市卫生健康委", "2024年12月底"),
    ("4", "新增普惠托位2000个，每个旗县区至少建成1所公办综合托育服务中心。", "市卫生健康委", "市发展改革委、市财政局、各旗县区人民政府", "2024年12月底"),
    ("5", "推进托幼一体化，支持公办幼儿园利用富余资源开设托班，全市新增托班40个以上。", "市教育局", "市卫生健康委、市机构编制委员会办公室", "2024年9月底"),
    ("6", "在新建居住区按照每千人口不少于10个托位标准配建托育服务设施，将托育服务设施纳入土地出让条件和规划设计审查内容。", "市自然资源局\n市住房和城乡建设局", "各旗县区人民政府", "长期坚持"),
    ("7", "支持用人单位提供福利性托育服务，对职工子女托育点给予一次性建设补助。", "市总工会", "市卫生健康委、市财政局、市国资委", "2024年12月底"),
    ("8", "多子女家庭首次申请住房公积金贷款购买自住住房的，贷款额度在现行基础上提高20%。", "包头市住房公积金管理中心", "—", "2024年5月底"),
    ("9", "开展托育机构安全隐患专项排查整治，重点检查消防安全、食品安全和视频监控覆盖情况。", "市卫生健康委", "市市场监管局、市消防救援支队、市公安局", "2024年8月底"),
    ("10", "在交通枢纽、商业综合体、医院、景区等公共场所建设母婴室，2024年底前新建母婴室不少于50个。", "市卫生健康委", "市交通运输局、市商务局、市文化旅游广电局、市妇联", "2024年12月底"),
    ("11", "开展“出生一件事”集成办理，实现出生医学证明、户口登记、医保参保、社保卡申领等事项“一网通办”。", "市政务服务局", "市卫生健康委、市公安局、市医保局、市人力资源和社会保障局", "2024年6月底"),
    ("12", "组织开展积极生育支持政策宣传月活动，营造生育友好社会氛围。", "市委宣传部", "市卫生健康委、市妇联、团市委", "2024年10月底"),
]


def footer(canvas, doc):
    canvas.setFont("wqy", 11)
    canvas.drawCentredString(A4[0] / 2, 15 * mm, f"- {doc.page} -")


def cell(text, style=CELL):
    return Paragraph(text.replace("\n", "<br/>"), style)


def main():
    doc = SimpleDocTemplate(str(HERE / "12_baotou_pdf_table.pdf"), pagesize=A4,
                            leftMargin=25 * mm, rightMargin=25 * mm, topMargin=30 * mm,
                            bottomMargin=28 * mm)
    story = [
        Paragraph("包头市积极生育支持工作领导小组办公室", TITLE),
        Paragraph("关于印发包头市2024年积极生育支持重点工作任务的通知", TITLE),
        Spacer(1, 8),
        Paragraph("包生育办发〔2024〕2号", ParagraphStyle("c", parent=BODY, alignment=1, firstLineIndent=0)),
        Spacer(1, 8),
        Paragraph("各旗县区积极生育支持工作领导小组，市领导小组各成员单位：", LEFT),
        Paragraph("为贯彻落实自治区关于优化生育政策的部署要求，扎实推进我市积极生育支持各项工作，经市积极生育支持工作领导小组同意，现将《包头市2024年积极生育支持重点工作任务》印发给你们，请各牵头单位会同配合单位细化措施、压实责任，于每季度结束后5个工作日内将工作进展报送市领导小组办公室（市卫生健康委）。", BODY),
        Spacer(1, 20),
        Paragraph("包头市积极生育支持工作领导小组办公室", RIGHT),
        Paragraph("2024年3月15日", RIGHT),
        PageBreak(),
        Paragraph("附件", LEFT),
        Paragraph("包头市2024年积极生育支持重点工作任务", TITLE),
        Spacer(1, 10),
    ]
    data = [[cell("序号", HEAD), cell("重点工作", HEAD), cell("牵头单位", HEAD), cell("配合单位", HEAD), cell("完成时限", HEAD)]]
    for r in ROWS:
        data.append([cell(r[0], HEAD)] + [cell(v) for v in r[1:]])
    t = Table(data, colWidths=[12 * mm, 62 * mm, 28 * mm, 34 * mm, 24 * mm], repeatRows=1)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
    ]))
    story.append(t)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    main()
