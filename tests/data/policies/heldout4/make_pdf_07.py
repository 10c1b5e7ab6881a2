"""Regenerates 07_changzhi_long_pdf.pdf (reportlab platypus, WenQuanYi Micro Hei):
notice on page 1, plan on pages 2-3, 附件 task table over several pages with its header row
repeated, a running header on every page after the first and a footer 第 N 页 共 M 页.
Run with /work/main/.venv/bin/python."""
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

OUT = Path(__file__).with_name("07_changzhi_long_pdf.pdf")
pdfmetrics.registerFont(TTFont("CJK", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", subfontIndex=0))

HEADER = "长治市积极生育支持行动方案（2025—2027年）"


class NumberedCanvas(rl_canvas.Canvas):
    """Draws header and 第 N 页 共 M 页 once the page count is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved = []

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total):
        width, height = A4
        self.setFont("CJK", 9)
        if self._pageNumber > 1:
            self.drawCentredString(width / 2, height - 15 * mm, HEADER)
            self.setLineWidth(0.5)
            self.line(25 * mm, height - 17 * mm, width - 25 * mm, height - 17 * mm)
        self.drawCentredString(width / 2, 12 * mm, f"第 {self._pageNumber} 页 共 {total} 页")


body = ParagraphStyle("body", fontName="CJK", fontSize=16, leading=29, firstLineIndent=32,
                      wordWrap="CJK")
plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
head1 = ParagraphStyle("head1", parent=body, firstLineIndent=32)
title = ParagraphStyle("title", fontName="CJK", fontSize=22, leading=34, alignment=TA_CENTER,
                       wordWrap="CJK", spaceAfter=10)
red = ParagraphStyle("red", parent=title, fontSize=26, leading=36, textColor=colors.red)
center = ParagraphStyle("center", parent=plain, alignment=TA_CENTER)
right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
cell = ParagraphStyle("cell", fontName="CJK", fontSize=12, leading=17, wordWrap="CJK")
cell_c = ParagraphStyle("cell_c", parent=cell, alignment=TA_CENTER)

story = [
    Paragraph("长治市人民政府办公室文件", red),
    Spacer(1, 6 * mm),
    Paragraph("长政办发〔2025〕21号", center),
    Spacer(1, 10 * mm),
    Paragraph("长治市人民政府办公室关于印发长治市积极生育支持行动方案（2025—2027年）的通知", title),
    Paragraph("各县、区人民政府，市人民政府各委、局、办：", plain),
    Paragraph("《长治市积极生育支持行动方案（2025—2027年）》已经市人民政府同意，现印发给你们，"
              "请认真贯彻执行。", body),
    Spacer(1, 20 * mm),
    Paragraph("长治市人民政府办公室", right),
    Paragraph("2025年6月10日", right),
    Spacer(1, 6 * mm),
    Paragraph("（此件公开发布）", body),
    PageBreak(),
    Paragraph(HEADER, title),
]

plan = [
    ("p", "为深入贯彻落实党中央、国务院关于优化生育政策促进人口长期均衡发展的决策部署，"
          "认真落实省委、省政府工作要求，加快完善生育支持政策体系，推动建设生育友好型社会，"
          "结合我市实际，制定本方案。"),
    ("h", "一、总体要求"),
    ("p", "坚持以人民为中心的发展思想，把积极生育支持作为增进民生福祉的重要内容，坚持政府引导、"
          "市场参与、社会协同、家庭尽责，统筹解决群众在生育、养育、教育等方面的急难愁盼问题，"
          "推动生育支持政策与经济社会政策同向发力。"),
    ("h", "二、行动目标"),
    ("p", "到2025年底，生育支持政策体系基本建立，每千人口拥有3岁以下婴幼儿托位数达到4.5个；"
          "到2027年底，生育支持政策体系进一步完善，每千人口拥有3岁以下婴幼儿托位数达到5个，"
          "普惠性托位占比达到65%以上，孕产妇死亡率、婴儿死亡率持续保持在较低水平，"
          "生育友好的社会氛围基本形成。"),
    ("h", "三、重点任务"),
    ("p", "围绕完善生育休假和保障制度、发展普惠托育服务、强化教育住房支持、营造生育友好环境"
          "4个方面，实施20项重点任务。各项任务的牵头单位、配合单位和完成时限详见附件。"
          "牵头单位要制定具体落实措施，配合单位要积极主动支持，形成工作合力。"),
    ("h", "四、保障措施"),
    ("p", "加强组织领导。市积极生育支持工作领导小组统筹推进全市积极生育支持工作，领导小组办公室"
          "设在市卫生健康委，负责日常协调、督促检查等工作。各县、区要建立相应工作机制，"
          "定期研究解决工作推进中的重大问题。"),
    ("p", "强化要素保障。各级财政要将积极生育支持相关经费列入预算，优化支出结构，提高资金使用"
          "效益。自然资源、住房城乡建设等部门要在规划、用地等方面对托育服务设施建设予以保障。"),
    ("p", "加强监测评估。建立积极生育支持工作监测评估制度，每年对各县、区和市直有关部门任务"
          "落实情况进行评估，评估结果作为相关考核的重要参考。对工作推进不力的，予以通报。"),
    ("p", "做好宣传引导。充分利用广播电视、报刊和网络新媒体，广泛宣传积极生育支持政策措施，"
          "及时回应社会关切，营造全社会关心支持生育的良好氛围。"),
    ("p", "附件：长治市积极生育支持行动重点任务清单"),
]
for kind, text in plan:
    story.append(Paragraph(text, head1 if kind == "h" else body))

story += [PageBreak(), Paragraph("附件", plain), Spacer(1, 3 * mm),
          Paragraph("长治市积极生育支持行动重点任务清单", title)]

ROWS = [
    ("落实产假、护理假、育儿假等生育休假制度，将休假落实情况纳入劳动保障监察日常巡查和"
     "劳动用工信用评价内容，依法查处侵害职工休假权益的行为",
     "市人力资源和社会保障局", "市卫生健康委、市总工会", "持续推进"),
    ("指导用人单位结合实际为有3周岁以下婴幼儿的职工提供弹性上下班、居家办公等便利，"
     "在国有企业中率先开展家庭友好型工作场所建设",
     "市人力资源和社会保障局", "市国资委、市总工会", "2025年底前"),
    ("将灵活就业人员、农民工和新就业形态人员纳入生育保险覆盖范围，推进生育津贴按月"
     "直接发放至参保人个人账户",
     "市医疗保障局", "市人力资源和社会保障局、市税务局", "2025年底前"),
    ("将产前检查费用纳入生育保险支付范围，支付标准提高至1400元，将分娩镇痛等项目按规定"
     "纳入医保支付范围",
     "市医疗保障局", "市卫生健康委", "2025年底前"),
    ("落实城乡居民医保参保人生育医疗费用待遇，住院分娩政策范围内费用实行按病种定额支付",
     "市医疗保障局", "—", "持续推进"),
    ("全面落实母婴安全五项制度，加强危重孕产妇和新生儿救治中心能力建设，"
     "孕产妇系统管理率保持在92%以上",
     "市卫生健康委", "—", "持续推进"),
    ("免费提供婚前医学检查、孕前优生健康检查、产前筛查和新生儿疾病筛查，"
     "对符合条件的出生缺陷患儿给予医疗救助",
     "市卫生健康委", "市财政局、市民政局、市医疗保障局", "每年完成"),
    ("规范人类辅助生殖技术应用，推动市级辅助生殖技术服务机构建设，"
     "将适宜的辅助生殖技术项目按规定纳入医保",
     "市卫生健康委、市医疗保障局", "市财政局", "2026年底前"),
    ("实施普惠托育服务专项行动，每年新增普惠性托位1500个以上，支持建设综合托育服务中心",
     "市卫生健康委", "市发展和改革委员会、市财政局", "2027年底前"),
    ("支持有条件的幼儿园开设托班，招收2至3岁幼儿，推进托幼一体化服务",
     "市教育局", "市卫生健康委", "持续推进"),
    ("在新建居住区按每千人口不少于10个托位的标准配套建设托育服务设施，"
     "与住宅同步规划、同步建设、同步验收、同步交付",
     "市住房和城乡建设局", "市自然资源和规划局、市卫生健康委", "持续推进"),
    ("对普惠托育机构按每个实际收托婴幼儿每年1200元标准给予运营补贴，"
     "落实托育服务税费优惠和水电气按居民价格执行政策",
     "市财政局", "市卫生健康委、市税务局、市发展和改革委员会", "每年落实"),
    ("开展托育机构质量评估和托育从业人员职业技能培训，将保育师、育婴员纳入职业技能"
     "培训补贴目录",
     "市卫生健康委", "市人力资源和社会保障局、市教育局", "每年开展"),
    ("强化托育机构安全监管，开展托育机构食品安全、消防安全和视频监控全覆盖检查",
     "市卫生健康委", "市市场监督管理局、市消防救援支队、市公安局", "每年开展"),
    ("优化中小学校和幼儿园布局，多子女家庭子女可申请在同一学校、幼儿园就读",
     "市教育局", "各县、区人民政府", "每年招生前"),
    ("多子女家庭使用住房公积金贷款购买首套自住住房的，贷款额度上浮30%，"
     "租赁住房的提高提取额度",
     "市住房公积金管理中心", "—", "2025年底前"),
    ("对符合条件的多子女家庭优先配租公共租赁住房，并在户型选择上给予照顾",
     "市住房和城乡建设局", "各县、区人民政府", "持续推进"),
    ("在交通枢纽、商场、景区、医院等公共场所按标准建设母婴室，"
     "推进母婴室信息在地图软件上标注",
     "市卫生健康委", "市交通运输局、市商务局、市文化和旅游局、市总工会", "2026年底前"),
    ("开展生育友好单位创建，每年认定市级生育友好单位20家，鼓励用人单位建设爱心妈妈小屋",
     "市总工会", "市卫生健康委、市妇联", "每年开展"),
    ("开展新型婚育文化宣传教育，倡导适龄婚育、优生优育，治理高价彩礼等婚嫁陋习",
     "市委宣传部、市卫生健康委", "团市委、市妇联、市民政局", "持续推进"),
]
data = [[Paragraph(h, cell_c) for h in ("序号", "工作任务", "牵头单位", "配合单位", "完成时限")]]
for i, (task, lead, coop, due) in enumerate(ROWS, start=1):
    data.append([Paragraph(str(i), cell_c), Paragraph(task, cell), Paragraph(lead, cell_c),
                 Paragraph(coop, cell_c), Paragraph(due, cell_c)])
table = Table(data, colWidths=[11 * mm, 72 * mm, 28 * mm, 30 * mm, 19 * mm], repeatRows=1)
table.setStyle(TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
]))
story.append(table)
story += [Spacer(1, 4 * mm),
          Paragraph("注：各牵头单位于每年12月10日前将任务完成情况报送市积极生育支持工作领导小组办公室。",
                    plain)]

doc = SimpleDocTemplate(str(OUT), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                        topMargin=25 * mm, bottomMargin=22 * mm, title="", author="")
doc.build(story, canvasmaker=NumberedCanvas)
print(OUT)
