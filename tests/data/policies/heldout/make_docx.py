"""Writes 11_quanzhou_word_table.docx, the Word document of the held-out corpus.

A title paragraph, an opening paragraph, then one real Word table with columns
序号 / 重点领域 / 工作任务 / 牵头单位 / 配合单位 / 完成时限:

* the header row is marked "repeat as header row" (w:tblHeader) and is typed in again as a
  physical row in the middle of the table, as people do when a table was pasted from a PDF;
* each group starts with a title row ("一、完善生育保障") merged horizontally over all columns;
* the 重点领域 column is merged vertically over the rows of a sub-area;
* some cells hold two paragraphs (a task in two sentences, two units).

Then the 落款 and the date. Run it again after editing the rows:

    .venv/bin/python tests/data/policies/heldout/make_docx.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

OUT = Path(__file__).resolve().parent / "11_quanzhou_word_table.docx"
HEADER = ("序号", "重点领域", "工作任务", "牵头单位", "配合单位", "完成时限")

# ("group", title) | ("header",) | (number, area, task, lead, cooperating, deadline);
# area None continues the vertical merge above; "\n" in a cell separates two paragraphs.
ROWS: list[tuple] = [
    ("group", "一、完善生育保障"),
    ("1", "生育保险",
     "将灵活就业人员纳入生育保险参保范围，实现职工基本医疗保险参保人员同步参加生育保险。",
     "市医保局", "市人社局、市税务局", "2025年6月底前"),
    ("2", None, "将产前检查费用支付标准提高至1200元，推进分娩镇痛项目纳入医保支付范围。",
     "市医保局", "市财政局、市卫健委", "2025年3月底前"),
    ("3", None, "推行生育津贴直接发放至参保职工个人账户。",
     "市医保局", "市人社局", "2025年12月底前"),
    ("4", "育儿补贴", "按照国家标准为3周岁以下婴幼儿发放育儿补贴，做到应发尽发。",
     "市卫健委", "市财政局、市民政局", "持续推进"),
    ("5", None, "依托省级平台建设育儿补贴申领系统，实现出生登记、户籍、补贴申领“一件事”联办。",
     "市卫健委", "市数据管理局\n市公安局", "2025年9月底前"),
    ("group", "二、发展普惠托育"),
    ("6", "托位供给", "新增普惠托位2000个，每个县（市、区）至少建成1所公办托育机构。",
     "市卫健委", "市发改委、市财政局", "2025年12月底前"),
    ("7", None, "支持公办幼儿园开设托班，招收2至3岁幼儿。",
     "市教育局", "市卫健委", "2025年9月底前"),
    ("8", None, "支持用人单位在工作场所为职工提供福利性托育服务。",
     "市总工会", "市卫健委、市国资委", "持续推进"),
    ("header",),
    ("9", "托育质量", "开展托育机构质量评估。\n对评估不合格的机构责令限期整改。",
     "市卫健委", "市市场监管局", "2025年11月底前"),
    ("10", None, "开展托育从业人员职业技能培训，全年培训不少于1000人次。",
     "市人社局", "市卫健委、市教育局", "2025年12月底前"),
    ("group", "三、优化生育友好环境"),
    ("11", "母婴设施", "在交通枢纽、商业中心、医院、旅游景区等公共场所按标准配置母婴室。",
     "市卫健委", "市住建局、市交通运输局、市商务局", "2025年12月底前"),
    ("12", None, "推动女职工100人以上的用人单位建设“爱心妈咪小屋”。",
     "市总工会", "市妇联", "2025年12月底前"),
    ("13", "住房支持", "多子女家庭首次申请住房公积金贷款购买自住住房的，贷款额度上浮20%。",
     "市住建局\n市住房公积金中心", "各县（市、区）人民政府", "持续推进"),
    ("14", "就业权益", "将女职工劳动保护纳入劳动保障监察重点内容，依法查处就业性别歧视行为。",
     "市人社局", "市总工会、市妇联", "持续推进"),
]


def _fill(cell, text: str) -> None:
    parts = text.split("\n")
    cell.paragraphs[0].text = parts[0]
    for part in parts[1:]:
        cell.add_paragraph(part)


def _mark_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def main() -> None:
    doc = Document()
    title = doc.add_paragraph("泉州市2025年生育支持工作重点任务清单")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "为贯彻落实国家和省关于完善生育支持政策体系的部署要求，推动我市生育支持各项措施落地见效，"
        "现将2025年生育支持工作重点任务明确如下，请各牵头单位会同配合单位抓好落实。")

    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    _mark_header(table.rows[0])

    area_start = None  # the cell of 重点领域 a vertical merge starts from
    for spec in ROWS:
        row = table.add_row()
        cells = row.cells
        if spec[0] == "group":
            merged = cells[0].merge(cells[-1])
            merged.text = spec[1]
            area_start = None
            continue
        if spec[0] == "header":
            for cell, text in zip(cells, HEADER, strict=True):
                cell.text = text
            area_start = None
            continue
        number, area, task, lead, coop, deadline = spec
        _fill(cells[0], number)
        _fill(cells[2], task)
        _fill(cells[3], lead)
        _fill(cells[4], coop)
        _fill(cells[5], deadline)
        if area is None and area_start is not None:
            area_start = area_start.merge(cells[1])
        else:
            _fill(cells[1], area)
            area_start = cells[1]

    doc.add_paragraph("")
    sign = doc.add_paragraph("泉州市优化生育支持政策工作领导小组办公室")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = doc.add_paragraph("2025年3月14日")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(OUT)


if __name__ == "__main__":
    main()
