"""Regenerate 12_datong_pdf_annex_table.pdf (run with /work/main/.venv/bin/python)."""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
BODY = ParagraphStyle("b", fontName="WQY", fontSize=15, leading=27, firstLineIndent=30, wordWrap="CJK")
HEAD = ParagraphStyle("h", parent=BODY, firstLineIndent=0, alignment=TA_CENTER, fontSize=20, leading=32)
CEN = ParagraphStyle("c", parent=BODY, firstLineIndent=0, alignment=TA_CENTER)
RIGHT = ParagraphStyle("r", parent=BODY, firstLineIndent=0, alignment=TA_RIGHT)
FLAT = ParagraphStyle("f", parent=BODY, firstLineIndent=0)
CELL = ParagraphStyle("cell", fontName="WQY", fontSize=11, leading=16, wordWrap="CJK")
CELLC = ParagraphStyle("cellc", parent=CELL, alignment=TA_CENTER)

PLAN = "大同市推进托育服务高质量发展实施方案"

ROWS = [
    ("1", "实施普惠托育服务扩容工程，新增普惠托位3000个，每千人口拥有3岁以下婴幼儿托位数达到4.5个。", "市卫健委",
     "市发改委、市财政局，各县（区）人民政府", "2025年12月"),
    ("2", "每个县（区）至少建成1所公办或公建民营综合托育服务中心。", "各县（区）人民政府", "市卫健委、市发改委",
     "2026年6月"),
    ("3", "支持幼儿园开设托班，2025年新增托班120个。", "市教育局", "市卫健委", "2025年9月"),
    ("4", "落实普惠托育机构建设补助和运营补贴，托育机构用水、用电、用气执行居民价格。", "市财政局",
     "市卫健委、市发改委、国网大同供电公司", "持续推进"),
    ("5", "将托育服务设施纳入城镇老旧小区改造和完整社区建设配套内容。", "市住建局", "市自然资源局、市卫健委",
     "持续推进"),
    ("6", "开展托育从业人员岗位技能培训，保育人员持证上岗率达到90%以上。", "市人社局", "市卫健委", "2025年12月"),
    ("7", "推进医育结合，托育机构与医疗卫生机构签约服务实现全覆盖。", "市卫健委", "—", "2025年12月"),
    ("8", "建立托育服务质量评估制度，开展托育机构等级评定。", "市卫健委", "市市场监管局", "2026年12月"),
    ("9", "开展托育机构安全隐患排查整治，每年不少于2次。", "市卫健委", "市消防救援支队、市市场监管局、市公安局",
     "持续推进"),
    ("10", "对侵害婴幼儿权益的违法行为依法从严查处，建立托育从业人员从业禁止制度。", "市公安局", "市卫健委、市人社局",
     "持续推进"),
]


def footer(canvas, doc):
    canvas.setFont("WQY", 12)
    canvas.drawCentredString(A4[0] / 2, 32, f"- {doc.page} -")


def main():
    story = [Paragraph("同政办发〔2025〕27号", CEN), Spacer(1, 14),
             Paragraph(f"大同市人民政府办公室关于印发{PLAN}的通知", HEAD), Spacer(1, 10),
             Paragraph("各县（区）人民政府，市人民政府各委、办、局：", FLAT),
             Paragraph(f"《{PLAN}》已经市人民政府同意，现印发给你们，请认真组织实施。", BODY), Spacer(1, 36),
             Paragraph("大同市人民政府办公室", RIGHT), Paragraph("2025年7月8日", RIGHT),
             Paragraph("（此件公开发布）", CEN), Spacer(1, 24),
             Paragraph(PLAN, HEAD), Spacer(1, 8),
             Paragraph("为加快构建普惠可及、覆盖城乡、质量可靠的托育服务体系，根据国家和省有关部署，结合我市实际，"
                       "制定本方案。", BODY),
             Paragraph("一、总体目标", BODY),
             Paragraph("到2027年，全市托育服务供给明显增加，每千人口拥有3岁以下婴幼儿托位数达到5个，普惠托位占比"
                       "达到60%以上，托育服务质量和安全管理水平显著提升。", BODY),
             Paragraph("二、重点任务", BODY),
             Paragraph("围绕扩大服务供给、降低养育成本、提升服务质量、强化安全监管四个方面，实施10项重点任务"
                       "（具体分工见附件）。", BODY),
             Paragraph("三、保障措施", BODY),
             Paragraph("（一）加强组织领导。各县（区）要将托育服务发展纳入经济社会发展规划和民生实事项目，建立健全"
                       "政府主导、部门协同、社会参与的工作机制。", BODY),
             Paragraph("（二）强化督导考核。将托育服务发展情况纳入对县（区）政府的年度考核内容，市卫健委每半年对"
                       "重点任务推进情况进行调度通报。", BODY),
             Paragraph("附件：大同市推进托育服务高质量发展重点任务分工表", BODY),
             PageBreak(),
             Paragraph("附件", FLAT),
             Paragraph("大同市推进托育服务高质量发展重点任务分工表", HEAD), Spacer(1, 8)]
    data = [[Paragraph(h, CELLC) for h in ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")]]
    for row in ROWS:
        data.append([Paragraph(row[0], CELLC), Paragraph(row[1], CELL), Paragraph(row[2], CELL),
                     Paragraph(row[3], CELL), Paragraph(row[4], CELLC)])
    table = Table(data, colWidths=[34, 200, 68, 96, 58], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(table)
    SimpleDocTemplate(str(HERE / "12_datong_pdf_annex_table.pdf"), pagesize=A4, leftMargin=70, rightMargin=70,
                      topMargin=70, bottomMargin=70).build(story, onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    main()
