"""Regenerate 04_liaocheng_word_task_table.docx (run with /work/main/.venv/bin/python)."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
PLAN = "聊城市2025年积极生育支持重点任务分工方案"

ROWS = [
    ("1", "完善生育支持政策", "全面落实育儿补贴制度，做好补贴申领受理、审核、发放工作，实现“网上申领、一次办好”。",
     "市卫生健康委", "市财政局、市民政局、市大数据局", "2025年12月底前"),
    ("2", "完善生育支持政策", "落实生育保险待遇，推动灵活就业人员参加生育保险，生育津贴按规定直接发放给参保人。",
     "市医保局", "市人力资源社会保障局、国家税务总局聊城市税务局", "持续推进"),
    ("3", "完善生育支持政策", "落实产假、陪产假、育儿假等生育假期制度，开展用人单位落实情况专项检查。",
     "市人力资源社会保障局", "市卫生健康委、市总工会", "2025年10月底前"),
    ("4", "发展普惠托育服务", "新增普惠托位2000个，每千人口拥有3岁以下婴幼儿托位数达到4.5个。",
     "市卫生健康委", "各县（市、区）人民政府，市属开发区管委会", "2025年12月底前"),
    ("5", "发展普惠托育服务", "支持幼儿园开设托班，全年新增托班100个以上。",
     "市教育和体育局", "市卫生健康委", "2025年9月底前"),
    ("6", "发展普惠托育服务", "及时拨付普惠托育机构运营补助资金，加强资金使用绩效评价。",
     "市财政局", "市卫生健康委", "2025年12月底前"),
    ("7", "发展普惠托育服务", "开展托育机构安全管理专项整治行动，重点排查消防、食品和卫生保健隐患。",
     "市卫生健康委", "市市场监管局\n市消防救援支队", "2025年8月底前"),
    ("8", "营造生育友好环境", "新建、改建母婴室50个，推动二级以上医疗机构母婴室全覆盖。",
     "市卫生健康委", "市妇联、市总工会、市交通运输局", "2025年11月底前"),
    ("9", "营造生育友好环境", "开展“最美家庭”“生育友好企业”评选宣传活动。",
     "市妇联", "—", "2025年12月底前"),
    ("10", "营造生育友好环境", "加强新时代婚育文化宣传，开展婚育文化进社区、进企业活动。",
     "市委宣传部\n市卫生健康委", "团市委", "持续推进"),
    ("11", "营造生育友好环境", "推进工会爱心托管服务，暑期开设职工子女托管班不少于30个。",
     "市总工会", "市教育和体育局", "2025年8月底前"),
]


def para(doc, text, align=None, bold=False, size=None, indent=False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    return p


def fill(cell, text):
    parts = text.split("\n")
    cell.text = parts[0]
    for extra in parts[1:]:
        cell.add_paragraph(extra)


def main():
    d = Document()
    para(d, "聊卫发〔2025〕12号", WD_ALIGN_PARAGRAPH.CENTER)
    para(d, f"聊城市卫生健康委员会关于印发《{PLAN}》的通知", WD_ALIGN_PARAGRAPH.CENTER, True, 20)
    para(d, "各县（市、区）卫生健康局，市属开发区卫生健康部门，市直有关部门：")
    para(d, f"经市政府同意，现将《{PLAN}》印发给你们，请各牵头单位会同责任单位细化措施、压实责任，"
            "于每季度末月25日前将工作进展情况报送市卫生健康委人口家庭科。", indent=True)
    para(d, "联系人：王××，联系电话：0635-8212345", indent=True)
    para(d, "")
    para(d, "聊城市卫生健康委员会", WD_ALIGN_PARAGRAPH.RIGHT)
    para(d, "2025年3月21日", WD_ALIGN_PARAGRAPH.RIGHT)
    d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    para(d, "附件", bold=True)
    para(d, PLAN, WD_ALIGN_PARAGRAPH.CENTER, True, 18)
    para(d, "为推动积极生育支持各项政策落地见效，现将2025年重点任务分工如下。", indent=True)
    header = ("序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限")
    t = d.add_table(rows=len(ROWS) + 1, cols=6)
    t.style = "Table Grid"
    for j, v in enumerate(header):
        t.cell(0, j).text = v
    for i, row in enumerate(ROWS, start=1):
        for j, v in enumerate(row):
            if j != 1:
                fill(t.cell(i, j), v)
    # merge the 重点任务 column over each group of rows
    start = 1
    for i in range(1, len(ROWS) + 2):
        if i == len(ROWS) + 1 or ROWS[i - 1][1] != ROWS[start - 1][1]:
            merged = t.cell(start, 1).merge(t.cell(i - 1, 1))
            merged.text = ROWS[start - 1][1]
            start = i
    para(d, "注：各县（市、区）参照本方案制定本地任务分工，于2025年4月15日前报市卫生健康委备案。")
    d.save(HERE / "04_liaocheng_word_task_table.docx")


if __name__ == "__main__":
    main()
