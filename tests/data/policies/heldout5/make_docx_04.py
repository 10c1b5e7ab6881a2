from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

d = Document()
p = d.add_paragraph("淄卫发〔2025〕23号"); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
p = d.add_paragraph("淄博市2025年托育服务体系建设工作任务分工"); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
p.runs[0].bold = True; p.runs[0].font.size = Pt(18)
d.add_paragraph("为推进托育服务体系建设，现将2025年重点工作任务分工如下，请各牵头单位会同配合单位抓好落实。")
rows = [
 ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
 ("1", "新增普惠托位3000个，每千人口托位数达到4.8个", "市卫生健康委", "各区县人民政府", "2025年12月"),
 ("2", "建设区县级综合托育服务中心5处", "市卫生健康委", "市发展改革委\n市财政局", "2025年10月"),
 ("3", "支持幼儿园开设托班，新增托班150个", "市教育局", "市卫生健康委", "2025年9月"),
 ("4", "落实普惠托育机构运营补贴政策", "市财政局", "市卫生健康委", "2025年12月"),
 ("5", "开展托育机构消防安全专项检查", "市消防救援支队", "市卫生健康委、市市场监管局", "2025年8月"),
 ("6", "组织托育服务人才职业技能竞赛", "市人力资源社会保障局", "市卫生健康委、市总工会", "2025年11月"),
 ("7", "推进托育机构备案信息化管理", "市卫生健康委", "/", "2025年6月"),
]
t = d.add_table(rows=len(rows), cols=5); t.style = "Table Grid"
for i, r in enumerate(rows):
    for j, v in enumerate(r):
        cell = t.cell(i, j)
        parts = v.split("\n")
        cell.text = parts[0]
        for extra in parts[1:]:
            cell.add_paragraph(extra)
d.add_paragraph("")
p = d.add_paragraph("淄博市卫生健康委员会"); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
p = d.add_paragraph("2025年3月5日"); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
d.save("04_zibo_word_table.docx")
