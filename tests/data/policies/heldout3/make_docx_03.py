"""Makes 03_yichang_two_row_header.docx (python-docx): an 印发 notice and a task table whose
header has two rows: 序号 / 重点任务 / 完成时限 merged vertically, 责任单位 merged horizontally over
牵头单位 / 配合单位. Run with /work/main/.venv/bin/python."""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).parent

ROWS = [
    ("1", "建立托育服务工作协调机制，将托育服务纳入全市经济社会发展规划和民生实事项目，定期研究解决重点难点问题。", "市卫生健康委", "市发展改革委、市财政局", "2024年9月底"),
    ("2", "制定全市托育服务设施布局规划，新建住宅小区按每千人口不少于10个托位配建托育服务用房，并与住宅同步规划、同步建设、同步验收、同步交付。", "市自然资源和规划局\n市住房和城乡建设局", "市卫生健康委", "2024年12月底"),
    ("3", "每个县（市、区）建成1所以上公办综合托育服务中心，承担示范引领、业务指导、人员培训等功能。", "各县（市、区）人民政府", "市卫生健康委、市发展改革委", "2025年6月底"),
    ("4", "支持有条件的幼儿园开设托班，2024年新增托班不少于30个。", "市教育局", "市卫生健康委", "2024年12月底"),
    ("5", "鼓励用人单位在工作场所为职工提供福利性托育服务，有条件的可向附近居民开放。", "市总工会", "市卫生健康委、市国资委", "持续推进"),
    ("6", "对普惠托育机构按照实际收托人数给予每人每月200元的运营补贴，对新增普惠托位给予每个3000元的一次性建设补贴。", "市财政局", "市卫生健康委", "每年12月底"),
    ("7", "落实托育机构用水、用电、用气、用热按照居民生活类价格执行的政策。", "市发展改革委", "/", "持续推进"),
    ("8", "开展托育从业人员职业技能培训，将育婴员、保育师纳入急需紧缺职业（工种）目录。", "市人力资源和社会保障局", "市卫生健康委，市教育局", "2024年11月底"),
    ("9", "落实托育机构备案登记制度，对未备案机构开展排查，督促限期备案。", "市卫生健康委", "市市场监管局、市民政局、市委编办", "2024年10月底"),
    ("10", "建立托育机构安全监管联合检查机制，每年开展不少于2次消防、食品、卫生安全专项检查。", "市卫生健康委", "市市场监管局、市消防救援支队、市公安局", "每年6月、11月"),
    ("11", "推进医育结合，依托妇幼保健机构和社区卫生服务中心为托育机构提供卫生保健指导。", "市卫生健康委", "/", "持续推进"),
    ("12", "开展“宜昌托育”品牌宣传，每年组织托育服务开放日活动，及时公开普惠托育机构名单和收费标准。", "市卫生健康委", "市委宣传部、市融媒体中心", "每年9月"),
]


def shade(cell):
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), "D9D9D9")
    tcPr.append(shd)


def para(doc, text, bold=False, center=False, size=16, indent=False):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    r = p.add_run(text)
    r.bold = bold
    r.font.size = Pt(size)
    r.font.name = "仿宋_GB2312"
    r._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    return p


def set_cell(cell, text, bold=False):
    lines = text.split("\n")
    cell.paragraphs[0].text = ""
    r = cell.paragraphs[0].add_run(lines[0])
    r.bold = bold
    for extra in lines[1:]:
        q = cell.add_paragraph()
        q.add_run(extra).bold = bold


def main():
    doc = Document()
    para(doc, "宜昌市人民政府办公室", bold=True, center=True, size=22)
    para(doc, "关于印发宜昌市推进托育服务高质量发展重点任务分工方案的通知", bold=True, center=True, size=18)
    para(doc, "宜府办函〔2024〕22号", center=True)
    para(doc, "各县市区人民政府，宜昌高新区管委会，市政府各部门：")
    para(doc, "经市人民政府同意，现将《宜昌市推进托育服务高质量发展重点任务分工方案》印发给你们，请各牵头单位会同配合单位认真抓好落实，每季度末将工作进展报送市卫生健康委。", indent=True)
    p = para(doc, "宜昌市人民政府办公室")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = para(doc, "2024年9月6日")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "（此件公开发布）", indent=True)
    doc.add_page_break()
    para(doc, "宜昌市推进托育服务高质量发展重点任务分工方案", bold=True, center=True, size=18)
    para(doc, "为加快构建普惠可及、覆盖城乡、安全优质的托育服务体系，按照省卫生健康委等部门工作部署，现将重点任务分工如下。", indent=True)

    t = doc.add_table(rows=2, cols=5)
    t.style = "Table Grid"
    h1, h2 = t.rows[0].cells, t.rows[1].cells
    set_cell(h1[0], "序号", True)
    set_cell(h1[1], "重点任务", True)
    set_cell(h1[2], "责任单位", True)
    set_cell(h1[4], "完成时限", True)
    set_cell(h2[2], "牵头单位", True)
    set_cell(h2[3], "配合单位", True)
    h1[2].merge(h1[3])
    for k in (0, 1, 4):
        h1[k].merge(h2[k])
    for c in list(h1) + list(h2):
        shade(c)
    for row in (t.rows[0], t.rows[1]):
        trPr = row._tr.get_or_add_trPr()
        hdr = OxmlElement("w:tblHeader")
        trPr.append(hdr)
    for values in ROWS:
        cells = t.add_row().cells
        for c, v in zip(cells, values, strict=False):
            set_cell(c, v)
    para(doc, "")
    para(doc, "注：本表所列完成时限为阶段性时间节点，“持续推进”类任务每年报送进展情况。", size=12)
    doc.save(HERE / "03_yichang_two_row_header.docx")


if __name__ == "__main__":
    main()
