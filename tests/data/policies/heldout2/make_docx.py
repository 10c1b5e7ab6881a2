"""Build 12_changji_word_autonumber.docx with python-docx.

The section heads (一、二、…) and the measures under them (（一）（二）…) are numbered by Word's
own automatic numbering: a multilevel list defined in numbering.xml (level 0 "%1、", level 1
"（%2）", both chineseCounting, level 1 restarting under each level-0 head). The numbers are
therefore NOT part of the paragraph text. Under 二、（一） there is a real table (育儿补贴标准),
which holds no measures; under 三、（四） the units stand in a separate, un-numbered paragraph.

    .venv/bin/python tests/data/policies/heldout2/make_docx.py
"""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

OUT = Path(__file__).with_name("12_changji_word_autonumber.docx")

ABSTRACT_ID, NUM_ID = 90, 90
NUMBERING = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="{ABSTRACT_ID}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0">
    <w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:firstLine="640"/></w:pPr>
    <w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体"/></w:rPr>
  </w:lvl>
  <w:lvl w:ilvl="1">
    <w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:firstLine="640"/></w:pPr>
    <w:rPr><w:rFonts w:ascii="楷体" w:eastAsia="楷体"/></w:rPr>
  </w:lvl>
</w:abstractNum>
"""


def add_numbering(document: Document) -> None:
    numbering = document.part.numbering_part.element
    abstract = parse_xml(NUMBERING)
    # schema order: every w:abstractNum before the first w:num
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/></w:num>'))


def numbered(document: Document, text: str, level: int):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{NUM_ID}"/></w:numPr>'))
    return p


def body(document: Document, text: str):
    p = document.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(32)
    return p


def centered(document: Document, text: str, size: int = 16, bold: bool = False, red: bool = False):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if red:
        run.font.color.rgb = RGBColor(0xE0, 0x00, 0x00)
    return p


SECTIONS = [
    ("总体要求", None,
     "坚持以人民为中心的发展思想，坚持家庭为主、托育补充，政策引导、普惠优先，安全健康、科学规范，"
     "到2025年，全市育儿补贴制度全面落实，每千人口拥有3岁以下婴幼儿托位数达到4.5个，"
     "婴幼儿照护服务体系更加健全，家庭养育负担有效减轻。"),
    ("实施育儿补贴制度", [
        "发放育儿补贴。对在昌吉市落户且2024年1月1日以后出生的婴幼儿，按照下表标准按年发放育儿补贴，"
        "直至孩子年满3周岁。（牵头单位：市卫生健康委；责任单位：市财政局、市公安局）",
        "规范补贴申领程序。育儿补贴由婴幼儿父母一方向户籍所在地乡镇（街道）提出申请，"
        "依托“新疆政务服务网”实现线上申领、审核和发放。（牵头单位：市卫生健康委；责任单位：市政务服务和公共资源交易中心）",
        "加强补贴资金管理。育儿补贴资金实行专账管理、专款专用，定期开展资金使用情况审计。（责任单位：市财政局、市审计局）",
        "做好政策衔接。育儿补贴不计入家庭收入，不影响最低生活保障、特困人员救助供养等社会救助资格认定。（责任单位：市民政局）",
    ], None),
    ("发展婴幼儿照护服务", [
        "扩大普惠托育服务供给。新建居住区按照每千人不少于10个托位的标准配建托育服务设施，"
        "2025年底前每个街道至少建成1所普惠托育机构。（牵头单位：市卫生健康委；责任单位：市发展改革委、市住房和城乡建设局）",
        "推进托幼一体化。支持有条件的幼儿园开设托班，招收2至3岁幼儿，公办幼儿园托班收费执行保教费标准。（牵头单位：市教育局；责任单位：市卫生健康委）",
        "支持用人单位办托。鼓励产业园区、机关企事业单位为职工提供福利性托育服务，对提供普惠托位的给予建设补助。（责任单位：市总工会、市卫生健康委、市工业和信息化局）",
        "加强托育机构监管。落实托育机构备案管理，托育机构视频监控全覆盖，每季度开展一次安全检查。",
        "加强托育人才培养。开展双语保育人员培训，将保育师、育婴员纳入职业技能提升行动补贴范围。（牵头单位：市人力资源和社会保障局；责任单位：市卫生健康委、昌吉职业技术学院）",
    ], None),
    ("加强母婴健康服务", [
        "落实母婴安全五项制度。规范开展妊娠风险筛查与评估、高危孕产妇专案管理，孕产妇系统管理率保持在95%以上。（责任单位：市卫生健康委）",
        "推进母婴设施建设。在交通枢纽、商业综合体、医院、景区等公共场所配置母婴室，2025年底前实现应建尽建。（牵头单位：市卫生健康委；责任单位：市商务局、市交通运输局、市文化体育广播电视和旅游局）",
        "开展儿童早期发展服务。依托妇女儿童之家、社区卫生服务中心开展科学育儿指导，每年举办家长课堂不少于50场。（牵头单位：市妇联；责任单位：市卫生健康委、市教育局）",
    ], None),
    ("保障措施", None,
     "各乡镇（街道）、各有关部门要把婴幼儿照护服务和育儿补贴工作纳入重要议事日程，加强统筹协调，"
     "细化工作措施，市卫生健康委要会同有关部门加强督导检查，确保各项任务按期完成。"),
]

SUBSIDY_TABLE = [
    ("孩次", "补贴标准", "发放期限", "资金来源"),
    ("一孩", "每年1000元", "至孩子年满3周岁", "自治区、昌吉州、昌吉市按比例分担"),
    ("二孩", "每年2000元", "至孩子年满3周岁", "自治区、昌吉州、昌吉市按比例分担"),
    ("三孩及以上", "每年3000元", "至孩子年满3周岁", "自治区、昌吉州、昌吉市按比例分担"),
]


def main() -> None:
    document = Document()
    add_numbering(document)
    centered(document, "昌吉市人民政府办公室文件", size=26, bold=True, red=True)
    centered(document, "昌市政办发〔2024〕28号")
    centered(document, "昌吉市人民政府办公室关于推进婴幼儿照护服务和育儿补贴工作的实施意见",
             size=22, bold=True)
    document.add_paragraph("各乡镇人民政府、街道办事处，市直各部门（单位）：")
    body(document, "为贯彻落实国家和自治区关于完善生育支持政策体系的决策部署，建立健全婴幼儿照护服务体系，"
                   "实施育儿补贴制度，减轻家庭生育养育负担，经市人民政府同意，结合我市实际，提出如下实施意见。")
    for head, items, prose in SECTIONS:
        numbered(document, head, 0)
        if prose:
            body(document, prose)
        for k, item in enumerate(items or ()):
            numbered(document, item, 1)
            if head == "实施育儿补贴制度" and k == 0:
                body(document, "育儿补贴标准如下：")
                table = document.add_table(rows=len(SUBSIDY_TABLE), cols=4)
                table.style = "Table Grid"
                for r, row in enumerate(SUBSIDY_TABLE):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            if item.startswith("加强托育机构监管"):
                body(document, "（牵头单位：市卫生健康委；责任单位：市市场监督管理局、市消防救援大队）")
    document.add_paragraph()
    p = document.add_paragraph("昌吉市人民政府办公室")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = document.add_paragraph("2024年10月16日")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（此件公开发布）")
    document.save(OUT)


if __name__ == "__main__":
    main()
