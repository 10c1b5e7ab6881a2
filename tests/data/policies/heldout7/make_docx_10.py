"""Writes 10_yulin_word_keyvalue_table.docx: a 十件实事 plan whose project list is ONE two-column
Word table read top to bottom: for each project a title row merged over both columns
(`实事一`…`实事十`), then label | value rows 项目名称 / 主要内容 / 牵头单位 / 责任单位 /
完成时限. Project 4 has two lead units in two paragraphs, project 7 a 责任单位 cell `/`,
project 9 no 责任单位 row at all."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

PROJECTS = [
    ("育儿补贴“免申即享”", "依托“秦务员”平台，对全市符合条件的3周岁以下婴幼儿实行育儿补贴数据比对、免申即享，全年按时足额发放。",
     ["市卫生健康委"], "市财政局、市数据局，各县（市、区）人民政府", "2025年12月"),
    ("普惠托位扩容", "新增普惠托位1000个，全市每千人口拥有3岁以下婴幼儿托位数达到4.5个。",
     ["市卫生健康委"], "市发展改革委、市财政局", "2025年12月"),
    ("幼儿园托班扩面", "支持公办幼儿园开设托班，新增托班30个，托班保育费按照公办幼儿园收费标准执行。",
     ["市教育局"], "市卫生健康委、市发展改革委", "2025年9月"),
    ("托育综合服务中心建设", "建成市级托育综合服务中心1个，神木市、府谷县、靖边县各建成县级托育综合服务中心1个。",
     ["市卫生健康委", "市住房和城乡建设局"], "相关县（市、区）人民政府", "2025年11月"),
    ("生育医疗费用减负", "将职工医保产前检查费用支付限额提高至1800元，住院分娩费用按病种付费，个人负担比例降至15%以下。",
     ["市医疗保障局"], "市卫生健康委", "2025年7月"),
    ("生育津贴直发", "参保职工生育津贴由医保经办机构按月直接发放至个人账户，办理时限压缩至10个工作日。",
     ["市医疗保障局"], "市人力资源和社会保障局、市税务局", "2025年6月"),
    ("母婴室全覆盖", "二级以上医疗机构、3A级以上旅游景区、客运站、大型商场等公共场所母婴室实现应建尽建。",
     ["市卫生健康委"], "/", "2025年12月"),
    ("职工托育服务点", "在机关事业单位、国有企业和产业园区建设职工子女托育服务点15个。",
     ["市总工会"], "市人力资源和社会保障局、市国资委", "2025年10月"),
    ("婚育文化宣传", "开展“新时代婚育文化进万家”活动100场，评选“最美家庭”50户。",
     ["市委宣传部"], None, "2025年12月"),
    ("出生“一件事”联办", "实现出生医学证明、户口登记、医保参保、社保卡申领和育儿补贴申请“一表申请、一次办结”。",
     ["市卫生健康委"], "市公安局、市医疗保障局、市人力资源和社会保障局、市数据局", "2025年8月"),
]
NUMS = "一二三四五六七八九十"

d = Document()
p = d.add_paragraph("榆卫发〔2025〕17号"); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
p = d.add_paragraph("榆林市2025年生育友好十件实事实施方案"); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
p.runs[0].bold = True; p.runs[0].font.size = Pt(18)
d.add_paragraph("为落实积极生育支持措施，切实解决群众在生育、养育方面的急难愁盼问题，经市政府同意，2025年在全市集中办好生育友好十件实事。"
                "现制定实施方案如下。")
d.add_paragraph("一、工作目标")
d.add_paragraph("通过实施十件实事，进一步降低家庭生育养育成本，全市普惠托育服务能力和妇幼健康服务水平明显提升，群众获得感持续增强。")
d.add_paragraph("二、实事项目")

n_rows = sum(1 + 4 + (1 if p_[3] is not None else 0) for p_ in PROJECTS)
t = d.add_table(rows=n_rows, cols=2)
t.style = "Table Grid"
r = 0
for i, (name, content, leads, resp, due) in enumerate(PROJECTS):
    title = t.cell(r, 0).merge(t.cell(r, 1))
    title.text = f"实事{NUMS[i]}"
    title.paragraphs[0].runs[0].bold = True
    r += 1
    pairs = [("项目名称", [name]), ("主要内容", [content]), ("牵头单位", leads)]
    if resp is not None:
        pairs.append(("责任单位", [resp]))
    pairs.append(("完成时限", [due]))
    for label, values in pairs:
        t.cell(r, 0).text = label
        t.cell(r, 1).text = values[0]
        for extra in values[1:]:
            t.cell(r, 1).add_paragraph(extra)
        r += 1
for row in t.rows:
    row.cells[0].width = Cm(3)
    row.cells[1].width = Cm(12)

d.add_paragraph("三、保障措施")
d.add_paragraph("各牵头单位要制定具体实施计划，明确时间表和路线图，每月5日前向市卫生健康委报送上月进展情况。市卫生健康委会同市政府督查室"
                "对十件实事推进情况进行督导，年底组织开展群众满意度测评。")
d.add_paragraph("")
for line in ("榆林市卫生健康委员会", "2025年5月20日"):
    p = d.add_paragraph(line); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
d.save(Path(__file__).with_name("10_yulin_word_keyvalue_table.docx"))
