"""Regenerate 05_nanhai_pdf_notice_plan.pdf (run with /work/main/.venv/bin/python)."""

from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

HERE = Path(__file__).resolve().parent
pdfmetrics.registerFont(TTFont("UMing", "/usr/share/fonts/truetype/arphic/uming.ttc"))
BODY = ParagraphStyle("b", fontName="UMing", fontSize=16, leading=28, firstLineIndent=32, wordWrap="CJK")
RED = ParagraphStyle("red", parent=BODY, firstLineIndent=0, alignment=TA_CENTER, fontSize=26, leading=40,
                     textColor="#c00000")
HEAD = ParagraphStyle("h", parent=BODY, firstLineIndent=0, alignment=TA_CENTER, fontSize=21, leading=34)
CEN = ParagraphStyle("c", parent=BODY, firstLineIndent=0, alignment=TA_CENTER)
RIGHT = ParagraphStyle("r", parent=BODY, firstLineIndent=0, alignment=TA_RIGHT)
FLAT = ParagraphStyle("f", parent=BODY, firstLineIndent=0)
SMALL = ParagraphStyle("s", parent=BODY, firstLineIndent=0, fontSize=13, leading=22)

PLAN = "南海区促进生育友好若干措施"

SECTIONS = [
    ("一、总体目标", [
        "到2027年，全区生育支持政策体系基本建立，每千人口拥有3岁以下婴幼儿托位数达到5个，普惠托位占比不低于"
        "65%，每个镇（街道）至少建成1个托育综合服务中心，生育友好的社会环境基本形成。",
    ]),
    ("二、加强生育支持", [
        "（一）落实生育医疗费用保障。参保人员在本区定点医疗机构住院分娩，符合规定的医疗费用按规定由医保基金支付，"
        "产前检查费用纳入生育医疗费用支付范围。（责任单位：区医保局、区卫生健康局）",
        "（二）发放区级生育奖励。对户籍在本区、2025年1月1日后依法生育二孩、三孩的家庭，分别给予一次性生育奖励"
        "2000元、5000元，所需资金由区、镇（街道）两级财政按5:5比例分担。（责任单位：区卫生健康局、区财政局，"
        "各镇人民政府（街道办事处））",
        "（三）加强孕产期保健服务。为孕产妇提供免费产前筛查、新生儿疾病筛查和听力筛查，推广孕产妇健康管理"
        "“一站式”服务。（责任单位：区卫生健康局）",
    ]),
    ("三、发展普惠托育", [
        "（一）建设区级托育综合服务中心。2025年底前建成区级托育综合服务中心1个，承担示范引领、人员培训、"
        "指导监督等功能。（牵头单位：区卫生健康局；配合单位：区发展和改革局、区财政局）",
        "（二）推进社区嵌入式托育。依托党群服务中心、社区卫生服务中心等场所，建设社区嵌入式托育服务点，"
        "提供全日托、半日托、计时托、临时托等多样化服务。（牵头单位：各镇人民政府（街道办事处）；配合单位："
        "区卫生健康局、区住房城乡建设和水利局）",
        "（三）支持企业办托。对企业为职工举办的福利性托育机构，经备案后按每个托位2000元的标准给予一次性补助。"
        "（责任单位：区总工会、区卫生健康局、区经济促进局）",
        "（四）落实托育补贴。对普惠性托育机构按实际收托人数给予每人每月300元运营补贴，对入托家庭给予每人每月"
        "200元托育费用补贴。（责任单位：区财政局、区卫生健康局）",
    ]),
    ("四、营造友好环境", [
        "（一）推进母婴室建设。在交通场站、商业综合体、医疗机构、旅游景区、政务服务中心等公共场所建设标准化"
        "母婴室，2025年新增母婴室40个。（责任单位：区卫生健康局、区妇联、区交通运输局、区文化广电旅游体育局）",
        "（二）维护女职工合法权益。加强女职工劳动保护监督检查，推动企业在集体合同中增加女职工权益保护专项条款。"
        "（责任单位：区人力资源社会保障局、区总工会）",
        "（三）加强宣传倡导。开展新型婚育文化宣传，讲好生育友好南海故事。（责任单位：区委宣传部、区卫生健康局、"
        "区妇联）",
    ]),
    ("五、保障措施", [
        "（一）加强组织领导。建立由区政府分管领导牵头的工作协调机制，定期研究解决生育友好工作中的重大问题。"
        "（责任单位：区卫生健康局）",
        "（二）强化经费保障。将生育支持和托育服务所需经费纳入年度财政预算，确保各项补贴按时足额发放。"
        "（责任单位：区财政局）",
    ]),
]


def footer(canvas, doc):
    canvas.setFont("UMing", 13)
    canvas.drawCentredString(A4[0] / 2, 36, f"— {doc.page} —")


def main():
    story = [Spacer(1, 20), Paragraph("佛山市南海区人民政府办公室文件", RED), Spacer(1, 16),
             Paragraph("南府办〔2025〕9号", CEN), Spacer(1, 20),
             Paragraph(f"佛山市南海区人民政府办公室关于印发{PLAN}的通知", HEAD), Spacer(1, 12),
             Paragraph("各镇人民政府、街道办事处，区政府各部门、直属各机构：", FLAT),
             Paragraph(f"《{PLAN}》已经区人民政府同意，现印发给你们，请认真贯彻执行。执行过程中遇到的问题，请径向"
                       "区卫生健康局反映。", BODY), Spacer(1, 40),
             Paragraph("佛山市南海区人民政府办公室", RIGHT), Paragraph("2025年6月10日", RIGHT),
             PageBreak(),
             Paragraph(PLAN, HEAD), Spacer(1, 12),
             Paragraph("为进一步优化生育支持政策，减轻家庭生育养育负担，推动建设生育友好型社会，结合我区实际，"
                       "制定以下措施。", BODY)]
    for head, paragraphs in SECTIONS:
        story.append(Paragraph(head, BODY))
        story += [Paragraph(text, BODY) for text in paragraphs]
    story += [Paragraph("本措施自印发之日起施行，有效期3年。由区卫生健康局负责解释。", BODY), Spacer(1, 30),
              Paragraph("公开方式：主动公开", SMALL),
              Paragraph("抄送：区委各部门，区人大常委会办公室，区政协办公室，区纪委监委办公室，区法院，区检察院。", SMALL),
              Paragraph("佛山市南海区人民政府办公室　　　　　　　　2025年6月11日印发", SMALL)]
    SimpleDocTemplate(str(HERE / "05_nanhai_pdf_notice_plan.pdf"), pagesize=A4, leftMargin=75, rightMargin=75,
                      topMargin=80, bottomMargin=80, title="", author="").build(
        story, onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    main()
