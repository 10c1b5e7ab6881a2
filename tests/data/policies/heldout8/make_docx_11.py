"""Regenerate 11_wuhu_word_maternal_rooms.docx (run with /work/main/.venv/bin/python)."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
PLAN = "芜湖市母婴设施建设三年行动方案（2025—2027年）"

TASKS = [
    "（一）摸清底数。2025年6月底前，对全市应配置母婴室的公共场所和用人单位开展全面摸排，建立母婴设施建设台账，"
    "实行动态管理。（市卫生健康委牵头，各县市区人民政府负责）",
    "（二）推进交通场站母婴室建设。火车站、长途汽车客运站、机场等交通场站按标准设置独立母婴室，配备婴儿护理台、"
    "座椅、洗手池等基本设施。（市交通运输局负责）",
    "（三）推进医疗机构母婴室建设。二级以上医疗机构、妇幼保健机构在门诊、住院区域设置母婴室，2025年底前实现全覆盖。"
    "（市卫生健康委负责）",
    "（四）推进商业场所和旅游景区母婴室建设。建筑面积超过1万平方米的商场、超市和3A级以上旅游景区按标准建设母婴室。"
    "（市商务局、市文化和旅游局按职责分工负责）",
    "（五）推进用人单位母婴室建设。鼓励女职工人数较多的用人单位建设职工母婴室，为哺乳期女职工提供便利。"
    "（市总工会牵头，市妇联、市人力资源社会保障局配合）",
    "（六）推进政务服务场所母婴室建设。市、县（市、区）政务服务中心全部设置母婴室。（市数据资源局负责）",
    "（七）提升母婴室管理服务水平。制定母婴室管理服务规范，明确管理责任人，推行“母婴室电子地图”，"
    "方便群众查询使用。（市卫生健康委、市妇联负责）",
    "（八）开展母婴室示范创建。每年评选一批设施完善、管理规范的示范母婴室，发挥示范带动作用。"
    "（市妇联牵头，市卫生健康委、市总工会配合）",
]


def para(doc, text, align=None, bold=False, size=None, indent=True):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    elif indent:
        p.paragraph_format.first_line_indent = Pt(32)
    return p


def main():
    d = Document()
    para(d, "芜卫健〔2025〕33号", WD_ALIGN_PARAGRAPH.CENTER)
    para(d, f"关于印发《{PLAN}》的通知", WD_ALIGN_PARAGRAPH.CENTER, True, 20)
    para(d, "各县市区卫生健康委、妇联、总工会，市直有关单位：", indent=False)
    para(d, f"为贯彻落实《安徽省母婴设施建设管理办法》，加快推进我市母婴设施建设，市卫生健康委、市妇联、市总工会"
            f"联合制定了《{PLAN}》，现印发给你们，请结合实际认真贯彻落实。")
    para(d, "")
    for line in ("芜湖市卫生健康委员会", "芜湖市妇女联合会", "芜湖市总工会", "2025年5月16日"):
        para(d, line, WD_ALIGN_PARAGRAPH.RIGHT)
    d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    para(d, PLAN, WD_ALIGN_PARAGRAPH.CENTER, True, 18)
    para(d, "为进一步优化生育友好环境，满足母婴群体哺乳、护理等需求，制定本方案。")
    para(d, "一、工作目标", bold=True)
    para(d, "到2027年底，全市应配置母婴室的公共场所和用人单位母婴室配置率达到100%，母婴室建设、管理和服务水平"
            "明显提升。年度建设目标如下：")
    rows = [("年度", "新建母婴室（个）", "公共场所母婴室配置率"), ("2025年", "60", "80%"),
            ("2026年", "60", "90%"), ("2027年", "50", "100%")]
    t = d.add_table(rows=len(rows), cols=3)
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    para(d, "二、重点任务", bold=True)
    for text in TASKS:
        para(d, text)
    para(d, "三、保障措施", bold=True)
    para(d, "各县市区、各有关部门要把母婴设施建设纳入民生实事统筹推进，明确责任分工，加强经费保障。市卫生健康委会同"
            "市妇联、市总工会建立工作调度机制，每半年通报一次建设进展情况，对工作推进不力的地区和单位进行督促提醒。")
    d.save(HERE / "11_wuhu_word_maternal_rooms.docx")


if __name__ == "__main__":
    main()
