"""Regenerates 02_weihai_first_unit_table.docx (run with /work/main/.venv/bin/python)."""
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

d = Document()


def para(text, align=None, bold=False, size=None):
    p = d.add_paragraph(text)
    if align is not None:
        p.alignment = align
    if bold or size:
        for r in p.runs:
            r.bold = bold
            if size:
                r.font.size = Pt(size)
    return p


para("威政办字〔2025〕21号", WD_ALIGN_PARAGRAPH.CENTER)
para("威海市人民政府办公室关于印发威海市优化生育支持政策重点任务分工方案的通知",
     WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18)
para("各区市人民政府，国家级开发区管委会，南海新区管委会，市政府各部门、单位：")
para("　　《威海市优化生育支持政策重点任务分工方案》已经市政府同意，现印发给你们，请认真组织实施。")
para("威海市人民政府办公室", WD_ALIGN_PARAGRAPH.RIGHT)
para("2025年5月16日", WD_ALIGN_PARAGRAPH.RIGHT)
p = para("（此件公开发布）")
p.runs[0].add_break(WD_BREAK.PAGE)

para("威海市优化生育支持政策重点任务分工方案", WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18)
para("　　为推动《威海市优化生育支持政策若干措施》落地见效，现将重点任务分工如下。"
     "各项任务的责任单位中，排在第一位的为牵头单位，其他为配合单位。")

groups = [
    ("完善生育休假和保障制度", [
        ("全面落实产假、生育奖励假、陪产假和育儿假制度，将休假制度落实情况纳入劳动保障监察内容。",
         "市人力资源社会保障局、市卫生健康委、市总工会"),
        ("将灵活就业人员纳入生育保险覆盖范围，参保人员按规定享受生育医疗费用待遇。",
         "市医保局、市财政局"),
        ("按规定将适宜的分娩镇痛和辅助生殖技术项目纳入基本医疗保险支付范围。",
         "市医保局、市卫生健康委"),
    ]),
    ("加大经济支持力度", [
        ("落实育儿补贴制度，对符合条件的3周岁以下婴幼儿按年发放育儿补贴，确保按时足额发放。",
         "市卫生健康委\n市财政局\n各区市人民政府"),
        ("多子女家庭购买首套自住住房申请住房公积金贷款的，可贷额度上浮20%。",
         "威海市住房公积金管理中心、市住房城乡建设局"),
        ("落实3岁以下婴幼儿照护个人所得税专项附加扣除政策。",
         "国家税务总局威海市税务局"),
    ]),
    ("增加普惠托育服务供给", [
        ("支持机关、企事业单位在工作场所为职工提供托育服务。\n对新建成的用人单位办托点，按照每个托位3000元给予一次性建设补助。",
         "市卫生健康委、市总工会、市财政局"),
        ("推动公办幼儿园开设托班，招收2至3岁幼儿，年内新增托班60个。",
         "市教育局、市卫生健康委"),
        ("新建居住区按照每千人口不少于10个托位的标准规划配建托育服务设施。",
         "市自然资源和规划局、市住房城乡建设局、市卫生健康委"),
        ("将托育从业人员纳入职业技能培训补贴范围，年内培训保育师800人次。",
         "市人力资源社会保障局、市卫生健康委"),
    ]),
    ("营造生育友好社会氛围", [
        ("在交通枢纽、商场、景区等公共场所建设母婴室，年内新增母婴室40个。",
         "市卫生健康委、市妇联、市市场监管局"),
        ("开展新型婚育文化宣传倡导活动，营造尊重生育、支持生育的社会氛围。",
         "市委宣传部、市卫生健康委、市妇联、团市委"),
    ]),
]

rows = sum(len(g[1]) for g in groups) + 1
t = d.add_table(rows=rows, cols=4)
t.style = "Table Grid"


def fill(cell, text):
    parts = text.split("\n")
    cell.text = parts[0]
    for extra in parts[1:]:
        cell.add_paragraph(extra)


for j, h in enumerate(("序号", "重点任务", "具体措施", "责任单位")):
    fill(t.cell(0, j), h)
r = 1
n = 1
for name, items in groups:
    first = r
    for text, units in items:
        fill(t.cell(r, 0), str(n))
        fill(t.cell(r, 2), text)
        fill(t.cell(r, 3), units)
        r += 1
        n += 1
    merged = t.cell(first, 1).merge(t.cell(r - 1, 1))
    merged.text = name

para("")
para("　　各牵头单位要会同配合单位细化工作举措，于每年12月10日前将任务落实情况报送市卫生健康委，"
     "由市卫生健康委汇总后报市政府。")
d.save("02_weihai_first_unit_table.docx")
