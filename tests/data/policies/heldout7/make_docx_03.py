"""Writes 03_zhangzhou_nested_unit_table.docx: a 工作要点 whose task table has a 责任分工 column
in which every cell holds a NESTED Word table (rows 牵头 | X and 配合 | Y), as people build it
in Word. Row 5 has two lead units in two paragraphs, row 8 a nested table with only the 牵头
row, row 9 a 配合 cell with —."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

d = Document()
p = d.add_paragraph("漳卫人口〔2025〕8号"); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
p = d.add_paragraph("漳州市2025年托育服务高质量发展工作要点"); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
p.runs[0].bold = True; p.runs[0].font.size = Pt(18)
d.add_paragraph("为深入贯彻落实省委、省政府关于促进3岁以下婴幼儿照护服务发展的部署要求，加快构建普惠托育服务体系，"
                "结合我市实际，制定2025年全市托育服务高质量发展工作要点。")
d.add_paragraph("一、工作目标")
d.add_paragraph("到2025年底，全市每千人口拥有3岁以下婴幼儿托位数达到4.6个，普惠托位占比达到65%以上，"
                "每个县（市、区）至少建成1个具有示范指导功能的托育综合服务中心。")
d.add_paragraph("二、重点任务")
d.add_paragraph("各项重点任务及责任分工如下表。")

rows = [
    ("1", "全面落实育儿补贴制度，做好补贴申领、审核、发放和资金监管工作", ["市卫健委"], ["市财政局、市民政局"], "2025年12月"),
    ("2", "新增普惠托位1500个，千人口托位数达到4.6个", ["市卫健委"], ["市发改委、市财政局、各县（市、区）人民政府"], "2025年12月"),
    ("3", "实施托育机构运营补助，对普惠托育机构按每生每月300元标准给予补助", ["市财政局"], ["市卫健委"], "2025年10月"),
    ("4", "推动幼儿园托幼一体化发展，全市新增托班35个", ["市教育局"], ["市卫健委"], "2025年9月"),
    ("5", "建设市级托育综合服务中心1个、县级托育综合服务中心4个", ["市卫健委", "市住建局"], ["市自然资源局"], "2025年12月"),
    ("6", "开展托育机构安全隐患排查整治专项行动，实现在册托育机构全覆盖", ["市卫健委"], ["市市场监管局、市消防救援支队、市公安局"], "2025年8月"),
    ("7", "举办全市托育服务技能竞赛，培训托育从业人员1000人次", ["市人社局"], ["市卫健委、市总工会"], "2025年11月"),
    ("8", "推进医育结合，实现每家托育机构签约1家医疗卫生机构", ["市卫健委"], None, "2025年12月"),
    ("9", "开展托育服务质量评估，评定市级示范性托育机构10家", ["市卫健委"], ["—"], "2025年12月"),
    ("10", "建设“漳州托育”智慧服务平台，实现托育机构备案、补贴申领线上办理", ["市数据管理局"], ["市卫健委"], "2025年11月"),
]

t = d.add_table(rows=len(rows) + 1, cols=4)
t.style = "Table Grid"
for j, h in enumerate(("序号", "工作任务", "责任分工", "完成时间")):
    t.cell(0, j).text = h
for i, (no, task, lead, coop, due) in enumerate(rows, start=1):
    t.cell(i, 0).text = no
    t.cell(i, 1).text = task
    t.cell(i, 3).text = due
    cell = t.cell(i, 2)
    inner = cell.add_table(rows=1 if coop is None else 2, cols=2)
    inner.style = "Table Grid"
    inner.cell(0, 0).text = "牵头"
    inner.cell(0, 1).text = lead[0]
    for extra in lead[1:]:
        inner.cell(0, 1).add_paragraph(extra)
    if coop is not None:
        inner.cell(1, 0).text = "配合"
        inner.cell(1, 1).text = coop[0]
    # Word puts the nested table first in the cell; drop python-docx's empty leading paragraph
    first = cell.paragraphs[0]._p
    first.getparent().remove(first)

d.add_paragraph("三、工作要求")
d.add_paragraph("各牵头单位要会同配合单位细化工作措施，明确时间节点，于7月5日、12月25日前将半年和全年工作进展报送市卫健委。"
                "市卫健委将定期调度工作进展，对工作滞后的进行通报。")
d.add_paragraph("")
for line in ("漳州市卫生健康委员会", "漳州市财政局", "2025年3月28日"):
    p = d.add_paragraph(line); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
d.save(Path(__file__).with_name("03_zhangzhou_nested_unit_table.docx"))
