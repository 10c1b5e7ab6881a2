"""Writes 12_yidu_word_table.docx, the Word document of the unseen-layout corpus.

A title paragraph, the 文号, an opening paragraph, then a real Word table: a header row,
the 重点领域 column merged vertically over each group of rows, and one row whose 责任单位
cell holds two paragraphs; then the 落款 and the date. Run it again after editing the rows:

    .venv/bin/python tests/data/policies/unseen/make_docx.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent / "12_yidu_word_table.docx"

TITLE = "宜都市2025年生育支持和托育服务重点工作任务"
DOC_NUMBER = "宜都政办发〔2025〕7号"
OPENING = ("为贯彻落实国家和省、宜昌市关于完善生育支持政策体系的部署要求，推动全市生育支持和"
           "托育服务工作提质增效，现将2025年重点工作任务分解如下，请各责任单位认真抓好落实。")
HEADER = ("重点领域", "序号", "工作任务", "牵头单位", "责任单位", "完成时限")

# (重点领域, rows); a row is (序号, 工作任务, 牵头单位, 责任单位 paragraphs, 完成时限)
GROUPS: tuple[tuple[str, tuple[tuple[str, str, str, tuple[str, ...], str], ...]], ...] = (
    ("生育保障", (
        ("1", "落实生育津贴直接发放至个人，将津贴发放周期缩短至15个工作日以内。",
         "市医保局", ("市人社局",), "2025年6月底"),
        ("2", "将灵活就业人员生育医疗费用纳入职工医保保障范围，做好参保扩面工作。",
         "市医保局", ("市税务局",), "2025年12月底"),
        ("3", "全面落实产假、护理假和育儿假制度，开展用人单位落实情况专项检查。",
         "市人社局", ("市总工会、市妇联",), "2025年10月底"),
    )),
    ("托育服务", (
        ("4", "新增普惠托位300个，每个乡镇（街道）至少建成1个普惠托育服务点。",
         "市卫健局", ("市发改局、市财政局", "各乡镇人民政府（街道办事处）"), "2025年12月底"),
        ("5", "推动公办幼儿园利用富余学位开设托班，全年新增托班10个。",
         "市教育局", ("市卫健局",), "2025年9月底"),
        ("6", "对普惠托育机构按照实际收托人数给予每人每月200元运营补贴。",
         "市财政局", ("市卫健局",), "2025年12月底"),
        ("7", "开展托育从业人员岗前培训和继续教育，全年培训300人次以上。",
         "市人社局", ("市卫健局、市教育局",), "2025年11月底"),
    )),
    ("母婴关爱", (
        ("8", "在二级以上医疗机构、交通枢纽和商业综合体配建母婴室，配置率达到100%。",
         "市卫健局", ("市交通运输局、市商务局",), "2025年12月底"),
        ("9", "推动女职工较多的用人单位建设“爱心妈妈小屋”，新建示范点5个。",
         "市总工会", ("—",), "2025年10月底"),
        ("10", "为农村适龄妇女免费开展宫颈癌和乳腺癌筛查，全年完成筛查1.5万人。",
         "市卫健局", ("市妇联、市财政局",), "2025年12月底"),
    )),
)

SIGNATURE = "宜都市人民政府办公室"
DATE = "2025年2月14日"


def build() -> Path:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(12)
    core = doc.core_properties
    core.author = SIGNATURE
    core.title = TITLE
    core.created = core.modified = datetime(2025, 2, 14, 9, 0, 0)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(18)
    number = doc.add_paragraph(DOC_NUMBER)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(OPENING)

    rows = sum(len(group_rows) for _, group_rows in GROUPS)
    table = doc.add_table(rows=rows + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    r = 1
    for group, group_rows in GROUPS:
        top = table.cell(r, 0)
        top.text = group
        for number_, task, lead, responsible, deadline in group_rows:
            cells = table.rows[r].cells
            cells[1].text = number_
            cells[2].text = task
            cells[3].text = lead
            cells[4].text = responsible[0]
            for extra in responsible[1:]:
                cells[4].add_paragraph(extra)
            cells[5].text = deadline
            r += 1
        if len(group_rows) > 1:
            top.merge(table.cell(r - 1, 0))  # vertical merge of the 重点领域 column

    signature = doc.add_paragraph(SIGNATURE)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = doc.add_paragraph(DATE)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(OUT))
    return OUT


if __name__ == "__main__":
    print(build())
