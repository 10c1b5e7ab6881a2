"""Writes 09_panzhihua_pdf_grouped_by_lead.pdf: a task list 按牵头单位分列: the section heads
一、–六、 ARE the lead units (`一、市卫生健康委牵头（5项）`), stated once ABOVE the measures they
lead; the measures `1．`–`12．` run on across the heads and end with `（配合单位：…）` or with
nothing. One head names two lead units (`…、…共同牵头`). Page footers `- N -`."""

from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
body = ParagraphStyle("b", fontName="WQY", fontSize=15, leading=26, firstLineIndent=30, wordWrap="CJK")
sect = ParagraphStyle("s", parent=body, fontSize=15)
head = ParagraphStyle("h", parent=body, firstLineIndent=0, alignment=TA_CENTER, fontSize=20, leading=32)
right = ParagraphStyle("r", parent=body, firstLineIndent=0, alignment=TA_RIGHT)
cen = ParagraphStyle("c", parent=body, firstLineIndent=0, alignment=TA_CENTER)


def footer(c, doc):
    c.setFont("WQY", 12)
    c.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")


GROUPS = [
    ("一、市卫生健康委牵头（5项）", [
        "1．全面落实育儿补贴制度，2025年3月底前完成育儿补贴申领系统部署，按季度发放补贴。（配合单位：市财政局、市民政局）",
        "2．新增普惠托位800个，每千人口拥有3岁以下婴幼儿托位数达到4.7个。（配合单位：市发展改革委、各县（区）人民政府）",
        "3．推进市妇幼保健院托育综合服务中心建设，10月底前投入运营。（配合单位：市财政局）",
        "4．开展孕前优生健康检查，目标人群覆盖率达到80%以上。",
        "5．加强出生缺陷综合防治，新生儿遗传代谢性疾病筛查率保持在98%以上。",
    ]),
    ("二、市医保局牵头（2项）", [
        "6．将灵活就业人员纳入生育保险，落实生育津贴按月直接发放至个人。（配合单位：市人力资源社会保障局、市税务局）",
        "7．将16项辅助生殖技术类医疗服务项目纳入基本医疗保险支付范围。（配合单位：市卫生健康委）",
    ]),
    ("三、市人力资源社会保障局牵头（2项）", [
        "8．将生育休假落实情况纳入劳动保障监察执法检查内容，全年检查用人单位200户以上。（配合单位：市总工会）",
        "9．开展育婴员、保育师职业技能培训，全年培训300人次。（配合单位：市卫生健康委、市教育局）",
    ]),
    ("四、市教育局牵头（1项）", [
        "10．支持幼儿园开设托班，新增托班20个，托班招生向多子女家庭倾斜。（配合单位：市卫生健康委）",
    ]),
    ("五、市住房城乡建设局、市住房公积金中心共同牵头（1项）", [
        "11．落实多子女家庭购房支持政策，对二孩及以上家庭首次购买自住住房的，住房公积金贷款额度上浮20%。",
    ]),
    ("六、市总工会牵头（1项）", [
        "12．建设职工子女托育服务点10个、母婴关爱室30个。（配合单位：市卫生健康委、市妇联）",
    ]),
]

story = [
    Paragraph("攀生育办〔2025〕2号", cen), Spacer(1, 10),
    Paragraph("攀枝花市2025年积极生育支持工作任务清单", head),
    Paragraph("（按牵头单位分列）", cen), Spacer(1, 10),
    Paragraph("根据《四川省积极生育支持措施》和市委、市政府工作部署，现将2025年全市积极生育支持工作任务按牵头单位分列如下，"
              "各项任务的配合单位列于任务之后。各牵头单位要主动牵头抓总，配合单位要积极支持配合。", body),
]
for title, items in GROUPS:
    story.append(Paragraph(title, sect))
    story += [Paragraph(t, body) for t in items]
story += [
    Paragraph("各牵头单位请于2025年7月5日、12月25日前将任务完成情况报送市积极生育支持工作领导小组办公室。", body),
    Spacer(1, 36),
    Paragraph("攀枝花市积极生育支持工作领导小组办公室", right),
    Paragraph("2025年2月26日", right),
]
SimpleDocTemplate(str(Path(__file__).with_name("09_panzhihua_pdf_grouped_by_lead.pdf")), pagesize=A4,
                  leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72).build(
    story, onFirstPage=footer, onLaterPages=footer)
