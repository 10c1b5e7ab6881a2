from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
body = ParagraphStyle("b", fontName="WQY", fontSize=15, leading=26, firstLineIndent=30, wordWrap="CJK")
head = ParagraphStyle("h", parent=body, firstLineIndent=0, alignment=TA_CENTER, fontSize=20, leading=32)
right = ParagraphStyle("r", parent=body, firstLineIndent=0, alignment=TA_RIGHT)
cen = ParagraphStyle("c", parent=body, firstLineIndent=0, alignment=TA_CENTER)
def footer(c, doc):
    c.setFont("WQY", 12); c.drawCentredString(A4[0]/2, 30, f"— {doc.page} —")
items = [
 ("一、加大财政支持", None),
 ("（一）对新备案的普惠性托育机构，按照每个托位5000元的标准给予一次性建设补助，所需资金由市、区两级财政按比例分担。", "（责任单位：市卫生健康委、市财政局，各区人民政府）"),
 ("（二）对普惠性托育机构按照实际收托3岁以下婴幼儿人数，给予每人每年2400元的运营补贴。", "（责任单位：市财政局、市卫生健康委）"),
 ("（三）对评定为市级示范性托育机构的，给予一次性奖励10万元。", "（责任单位：市卫生健康委）"),
 ("二、强化要素保障", None),
 ("（四）新建居住区按照每千人不少于10个托位的标准规划建设托育服务设施，与住宅同步规划、同步建设、同步验收、同步交付使用。", "（责任单位：市自然资源和规划局、市住房和城乡建设局、市卫生健康委）"),
 ("（五）托育机构用水、用电、用气、用热按照居民生活类价格执行。", "（责任单位：市发展和改革委员会、市市场监督管理局）"),
 ("（六）支持金融机构开发适合托育机构特点的信贷产品，对普惠托育机构贷款给予贴息支持。", "（责任单位：中国人民银行柳州市分行、市财政局、市地方金融管理局）"),
 ("三、提升服务质量", None),
 ("（七）将托育从业人员纳入职业技能培训补贴范围，对取得保育师证书的给予培训补贴。", "（责任单位：市人力资源和社会保障局、市卫生健康委）"),
 ("（八）建立托育机构综合监管制度，定期开展安全检查和质量评估，评估结果向社会公布。", "（责任单位：市卫生健康委、市教育局、市市场监督管理局、市消防救援支队）"),
 ("（九）鼓励医疗卫生机构为托育机构提供卫生保健指导，每所托育机构至少签约1家医疗卫生机构。", "（责任单位：市卫生健康委、各区人民政府）"),
]
story = [Paragraph("柳政办〔2025〕31号", cen), Spacer(1, 10),
         Paragraph("柳州市人民政府办公室关于支持托育服务发展的若干措施", head), Spacer(1, 10),
         Paragraph("为加快发展普惠托育服务，减轻家庭养育负担，结合我市实际，制定如下措施。", body)]
for text, unit in items:
    story.append(Paragraph(text + (unit or ""), body))
story += [Paragraph("本措施自2025年7月1日起施行，有效期3年。", body), Spacer(1, 30),
          Paragraph("柳州市人民政府办公室", right), Paragraph("2025年6月18日", right)]
SimpleDocTemplate("07_liuzhou_pdf_wrapped_units.pdf", pagesize=A4, leftMargin=70, rightMargin=70,
                  topMargin=70, bottomMargin=70).build(story, onFirstPage=footer, onLaterPages=footer)
