"""Regenerates 12_qiqihar_tracked_changes.docx: a department's revised draft with Word
revision marks left in (w:ins / w:del, a deleted paragraph, an inserted paragraph, numbers
renumbered by revision, a changed unit list and date) and one comment.
Run with /work/main/.venv/bin/python."""
import itertools
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

OUT = Path(__file__).with_name("12_qiqihar_tracked_changes.docx")
AUTHOR, DATE = "市卫健委-刘××", "2025-08-11T09:30:00Z"
ids = itertools.count(100)
doc = Document()


def _run(text, deleted=False):
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _mark(tag):
    m = OxmlElement(tag)
    m.set(qn("w:id"), str(next(ids)))
    m.set(qn("w:author"), AUTHOR)
    m.set(qn("w:date"), DATE)
    return m


def para(segments, align=None, mark=None):
    """segments: str (plain) or ('+', text) inserted or ('-', text) deleted.
    mark: '+' / '-' for an inserted / deleted paragraph mark."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if mark:
        ppr = p._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        rpr.append(_mark("w:ins" if mark == "+" else "w:del"))
        ppr.append(rpr)
    if isinstance(segments, str):
        segments = [segments]
    for seg in segments:
        if isinstance(seg, str):
            p._p.append(_run(seg))
        else:
            kind, text = seg
            wrap = _mark("w:ins" if kind == "+" else "w:del")
            wrap.append(_run(text, deleted=kind == "-"))
            p._p.append(wrap)
    return p


para("齐齐哈尔市加快发展普惠托育服务的若干措施", WD_ALIGN_PARAGRAPH.CENTER)
para("　　为贯彻落实国家和省关于促进3岁以下婴幼儿照护服务发展的决策部署，加快构建普惠托育服务体系，"
     "满足群众“幼有所育”需求，结合我市实际，制定以下措施。")

para("　　一、扩大普惠托育服务供给")
para(["　　（一）加快托位建设。到2025年底，全市每千人口拥有3岁以下婴幼儿托位数达到",
      ("-", "4.5"), ("+", "4.8"),
      "个，普惠性托位占比达到60%以上。（牵头单位：市卫生健康委；责任单位：市发展改革委、市财政局）"])
para(["　　（二）推进托幼一体化。支持有条件的幼儿园开设托班，招收2至3岁幼儿，"
      "托班收费按照同级幼儿园保育教育费标准执行。（责任单位：市教育局",
      ("-", "、市卫生健康委"), "）"])
para(["　　（三）发展社区托育服务。依托城市社区综合服务设施建设嵌入式托育服务点，"
      "为家庭提供全日托、半日托、计时托等服务。（牵头单位：",
      ("-", "市民政局"), ("+", "市卫生健康委"), "；责任单位：", ("+", "市民政局、"),
      "市住房城乡建设局）"])

para("　　二、降低托育服务成本")
para([("-", "　　（四）落实托育机构用水用电用气按居民价格执行。托育机构用水、用电、用气、"
             "用热按照居民生活类价格执行。（责任单位：市发展改革委）")], mark="-")
para(["　　（", ("-", "五"), ("+", "四"),
      "）发放托育机构运营补贴。对普惠托育机构按每个实际收托婴幼儿每月200元给予运营补贴。"
      "（牵头单位：市财政局；责任单位：市卫生健康委）"])
p5 = para(["　　（", ("-", "六"), ("+", "五"),
           "）减免托育服务税费。落实托育服务免征增值税和房产税、城镇土地使用税减免政策。"
           "（责任单位：市税务局、市财政局）"])
para(["　　（", ("-", "七"), ("+", "六"),
      "）发放托育消费券。面向在普惠托育机构入托的家庭发放托育服务消费券，每户每月200元。"
      "（责任单位：市卫生健康委、市商务局）"])

para("　　三、提升托育服务质量")
para(["　　（", ("-", "八"), ("+", "七"),
      "）加强从业人员培训。将保育师、育婴员纳入职业技能培训补贴目录，每年培训托育从业人员500人次以上。"
      "（牵头单位：市人力资源社会保障局；责任单位：市卫生健康委、市教育局）"])
para(["　　（", ("-", "九"), ("+", "八"),
      "）推进医育结合。推动基层医疗卫生机构与托育机构签约，为在托婴幼儿提供健康管理服务。"
      "（责任单位：市卫生健康委）"])
para([("+", "　　（九）支持用人单位办托。鼓励机关、企事业单位和产业园区为职工提供福利性托育服务，"
             "对新建托位给予每个2000元一次性补助。（责任单位：市总工会、市卫生健康委）")], mark="+")
para("　　（十）开展质量评估。对全市已备案托育机构开展质量评估，评估结果向社会公布并与补贴发放挂钩。"
     "（责任单位：市卫生健康委）")

para("　　四、强化安全监管")
para("　　（十一）落实安全管理责任。督促托育机构落实安全主体责任，实现视频监控全覆盖，定期开展安全检查。"
     "（牵头单位：市卫生健康委；责任单位：市市场监管局、市公安局、市消防救援支队）")
para("　　（十二）建立托育服务信用管理制度。将托育机构违法违规信息纳入信用记录，依法实施联合惩戒。"
     "（责任单位：市卫生健康委、市市场监管局）")

para("　　本措施自印发之日起施行，有效期3年。")
para("")
para("齐齐哈尔市卫生健康委员会", WD_ALIGN_PARAGRAPH.RIGHT)
para(["2025年8月", ("-", "5"), ("+", "12"), "日"], WD_ALIGN_PARAGRAPH.RIGHT)

doc.add_comment(Run(p5._p.findall(qn("w:r"))[-1], p5), text="请税务局确认政策表述。",
                author=AUTHOR, initials="LXX")
doc.save(OUT)
print(OUT)
