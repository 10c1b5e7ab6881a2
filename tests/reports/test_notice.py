"""整改文书: every family printed as PDF and Word, read back, and loaded from a real database."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import select

from models.rectification import NoticeItem as NoticeItemRow
from reports.notice import build_notice_docx, build_notice_pdf, compose_notice
from reports.notice_data import Service, cn_date, load_notice
from reports.notice_wording import (
    FAMILIES,
    GONGWEN,
    NoticeDataError,
    load_wording,
    measured_text,
    requirement_of,
    statement_of,
)
from rules.progress import Cancelled
from tests.reports.notice_fixtures import (
    ENFORCEMENT_NUMBER,
    ITEMS,
    NUMBERS,
    TITLES,
    docx_text,
    embedded_fonts,
    issued_notice,
    notice_data,
    pdf_text,
    qpdf_ok,
    stored_notice,
)


@pytest.mark.parametrize("family", [f for f in FAMILIES if f not in GONGWEN])
def test_pdf_of_each_family_carries_title_number_findings_deadline_and_receipt(
        family: str, tmp_path: Path) -> None:
    out = tmp_path / f"{family}.pdf"
    result = build_notice_pdf(notice_data(family), None, out)
    text = pdf_text(out)
    assert result.pages >= 2  # the 送达回证 is a page of its own
    assert TITLES[family] in text
    assert NUMBERS.get(family, ENFORCEMENT_NUMBER) in text
    assert "中宁县某某托育中心：" in text
    for item in ITEMS:
        assert item.problem.replace(" ", "") in text
        assert item.requirement in text
        for provision in item.provisions:
            assert provision in text
    assert "2026年3月16日前" in text
    assert "于2026年3月20日前" in text
    for label in ("送达回证", "受送达人", "送达地点", "送达方式", "送达人", "受送达人签收",
                  "盖章处"):
        assert label in text
    assert "直接送达" in text
    assert "王经理" not in text  # a signature cell is never pre-filled with a name
    assert "ZF-640521-001" in text and "执法证号" in text
    fonts = embedded_fonts(out)
    assert fonts and all(embedded for name, embedded in fonts if "WenQuanYi" in name
                         or "CJK" in name)
    assert any(embedded for _, embedded in fonts)
    assert qpdf_ok(out)


@pytest.mark.parametrize("family", ["advice", "feedback"])
def test_recommendations_order_nothing(family: str, tmp_path: Path) -> None:
    data = notice_data(family)
    build_notice_pdf(data, None, tmp_path / "a.pdf")
    build_notice_docx(data, None, tmp_path / "a.docx")
    for text in (pdf_text(tmp_path / "a.pdf"), docx_text(tmp_path / "a.docx")):
        assert "责令" not in text
        assert "逾期" not in text
        assert "行政复议" not in text


def test_orders_say_责令_and_name_the_remedy(tmp_path: Path) -> None:
    build_notice_pdf(notice_data("order"), None, tmp_path / "o.pdf")
    text = pdf_text(tmp_path / "o.pdf")
    assert "责令你单位于2026年3月16日前" in text
    assert "行政复议" in text and "行政诉讼" in text


def test_immediate_order_has_no_deadline_date(tmp_path: Path) -> None:
    data = notice_data("order", title="责令立即改正通知书", immediate=True, deadline=None,
                       recheck_on=None)
    build_notice_pdf(data, None, tmp_path / "i.pdf")
    text = pdf_text(tmp_path / "i.pdf")
    assert "责令立即改正通知书" in text
    assert "责令你单位立即按上述要求改正" in text
    assert "本机关将于" not in text
    assert "拒不改正的" in text and "逾期" not in text  # no term to run out


def test_docx_mirrors_the_pdf_text_with_chinese_fonts_and_gbt9704_margins(
        tmp_path: Path) -> None:
    data = notice_data("labour")
    build_notice_pdf(data, None, tmp_path / "n.pdf")
    build_notice_docx(data, None, tmp_path / "n.docx")
    pdf, word = pdf_text(tmp_path / "n.pdf"), docx_text(tmp_path / "n.docx")
    document = compose_notice(data)
    for piece in (data.title, data.number, f"{data.addressee}：", *document.before,
                  *document.after, "送达回证", "受送达人签收", "（盖章处）", "2026年3月2日"):
        squeezed = "".join(piece.split())
        assert squeezed in word, piece
        assert squeezed.replace("（盖章处）", "盖章处") in pdf, piece
    for item in ITEMS:
        assert item.requirement in word and item.problem in word
    doc = Document(str(tmp_path / "n.docx"))
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin, section.page_width, section.page_height)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26, 210, 297]
    east_asian = {f.get(qn("w:eastAsia")) for f in doc.element.body.iter(qn("w:rFonts"))}
    assert {"仿宋", "宋体"} <= east_asian
    footer_xml = section.footer._element.xml
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml
    header_row = doc.tables[0].rows[0]._tr
    assert header_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_many_findings_break_across_pages_and_keep_every_one(tmp_path: Path) -> None:
    items = tuple(dataclasses.replace(ITEMS[k % 3], code=f"X{k}",
                                      requirement=f"第{k + 1}项整改要求")
                  for k in range(40))
    out = tmp_path / "long.pdf"
    result = build_notice_pdf(notice_data("health", items=items), None, out)
    text = pdf_text(out)
    assert result.pages >= 4
    for k in range(40):
        assert f"第{k + 1}项整改要求" in text
    assert f"第1页共{result.pages}页" in text and f"第{result.pages}页共{result.pages}页" in text


def test_cancelling_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    calls: list[tuple[int, int, str]] = []
    with pytest.raises(Cancelled):
        build_notice_pdf(notice_data(), None, out, progress=lambda d, t, s="": calls.append(
            (d, t, s)), is_cancelled=lambda: len(calls) >= 1)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_notice_without_findings_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(NoticeDataError, match="没有列出任何问题"):
        build_notice_pdf(notice_data(items=()), None, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_wording_file_covers_every_family_and_advice_never_orders() -> None:
    wording = load_wording()
    assert set(wording) == set(FAMILIES)
    for field in dataclasses.fields(wording["advice"]):
        assert "责令" not in getattr(wording["advice"], field.name)


def test_notice_loaded_from_the_database(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session)
        session.commit()
    with db.session() as session:
        result = build_notice_pdf(session, notice_id, tmp_path / "db.pdf")
        build_notice_docx(session, notice_id, tmp_path / "db.docx")
    text = pdf_text(tmp_path / "db.pdf")
    assert result.warning is None
    assert "责令限期改正通知书" in text and "中宁卫限改〔2026〕第7号" in text
    assert "某某商业广场：" in text and "中宁县宁安大街1号" in text
    assert "母婴室未设置" in text
    assert "2026年3月17日前" in text
    assert "ZF-卫生健康-001" in text  # the officers' 执法证号 come from the inspection
    # A document-level basis is printed only when it names an article.
    assert "本文书依据：《中华人民共和国消防法》第五十四条。" in text
    assert "所违反条款所在的法律、法规" not in text
    assert "母婴室未设置" in docx_text(tmp_path / "db.docx")


def test_unknown_notice_is_refused_in_chinese(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session, pytest.raises(NoticeDataError, match="没有编号为 999"):
        build_notice_pdf(session, 999, tmp_path / "x.pdf")


def test_family_follows_the_printed_title(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session, title="整改建议书", kind_code="advice",
                                  is_order=False)
        build_notice_pdf(session, notice_id, tmp_path / "adv.pdf")
    text = pdf_text(tmp_path / "adv.pdf")
    assert "整改建议书" in text and "建议你单位" in text and "责令" not in text


def test_notice_issued_through_the_services(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = issued_notice(session)
        data = load_notice(session, notice_id)
        build_notice_pdf(session, notice_id, tmp_path / "s.pdf")
    text = pdf_text(tmp_path / "s.pdf")
    assert data.number.startswith("中宁卫") and "〔2026〕第12号" in data.number
    assert data.number in text and data.title in text
    assert data.deadline is not None and cn_date(data.deadline) in text
    assert data.recheck_on is not None and data.recheck_on > data.deadline
    for item in data.items:
        assert "".join(item.requirement.split()) in text
    assert "现场未落实" in text and "直接送达" in text
    assert "？" not in "".join(item.problem + item.requirement for item in data.items)


def _problem_cells(path: Path) -> list[str]:
    """The 存在问题 of a .docx: the findings table's column, or a 公文's numbered paragraphs."""
    doc = Document(str(path))
    if not doc.tables:
        return [p.text for p in doc.paragraphs if re.match(r"\d+．", p.text)]
    return [row.cells[1].text for row in doc.tables[0].rows[1:]]


def test_problems_are_statements_and_official_text_is_clean(tmp_path: Path) -> None:
    raw = (dataclasses.replace(ITEMS[0], problem="未落实「发放育儿补贴」（中宁:10）"),
           dataclasses.replace(ITEMS[1], problem="未落实本省（自治区）条例规定的育儿假",
                               requirement="落实本省（自治区）条例规定的育儿假"))
    data = notice_data("supervise", items=raw)
    build_notice_pdf(data, None, tmp_path / "d.pdf")
    build_notice_docx(data, None, tmp_path / "d.docx")
    for text in (pdf_text(tmp_path / "d.pdf"), docx_text(tmp_path / "d.docx")):
        assert "未落实“发放育儿补贴”" in text
        assert "「" not in text and "」" not in text and "中宁:10" not in text
        assert "本省" not in text and "（自治区）" not in text
        assert "宁夏回族自治区条例规定的育儿假" in text
        assert "中宁卫督办〔2026〕12号" in text and "督办〔2026〕第" not in text
    cells = _problem_cells(tmp_path / "d.docx")
    assert len(cells) == 2 and all("？" not in cell for cell in cells)


def test_stored_questions_are_never_printed_as_problems_or_requirements(
        db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session)
        data = load_notice(session, notice_id)
        questions = [r.question for r in session.scalars(
            select(NoticeItemRow).where(NoticeItemRow.notice_id == notice_id))]
        build_notice_pdf(session, notice_id, tmp_path / "q.pdf")
        build_notice_docx(session, notice_id, tmp_path / "q.docx")
    assert [i.problem for i in data.items] == ["母婴室未设置", "现场核实"]  # the notes
    for item in data.items:  # the stored 按要求整改：是否… is a question: 应符合<依据>
        assert "是否" not in item.requirement and item.requirement.startswith("应")
    pdf, word = pdf_text(tmp_path / "q.pdf"), docx_text(tmp_path / "q.docx")
    for question in questions:
        assert "".join(question.split()) not in pdf and "".join(question.split()) not in word
    assert all("？" not in cell for cell in _problem_cells(tmp_path / "q.docx"))


def test_fallback_statement_and_requirement_never_reword_by_rote() -> None:
    question = "消防设施、器材是否未被损坏、挪用、擅自拆除或停用，消火栓未被埋压、圈占、遮挡？"
    garbled = "消防设施、器材不得被损坏、挪用、擅自拆除或停用，消火栓未被埋压、圈占、遮挡"
    basis = ("《中华人民共和国消防法》第二十八条",)
    assert requirement_of(garbled, question, basis) == f"应符合{basis[0]}的规定"
    assert requirement_of("清理消火栓周边杂物", question, basis) == "清理消火栓周边杂物"
    measured = measured_text({"type": "measure", "label": "安全出口数量", "comparator": ">=",
                              "threshold": 2, "unit": "个"}, 1)
    assert measured == "安全出口数量1个（标准≥2个）"
    assert statement_of(None, "安全出口是否不少于2个？", "不符合", "东侧出口封闭。", measured) \
        == "安全出口数量1个（标准≥2个）；东侧出口封闭"
    assert statement_of(None, "是否已落实「发放育儿补贴」（中宁:10）？", "部分符合", None) \
        == "“发放育儿补贴”落实不到位"
    assert "？" not in statement_of("安全出口是否不少于2个？", "安全出口是否不少于2个？", "不符合",
                                   None)


def test_retained_service_leaves_the_signature_empty_and_records_the_refusal(
        tmp_path: Path) -> None:
    service = Service(served_on=date(2026, 3, 3), method="留置送达", recipient="王经理",
                      refused=True, refusal="称负责人不在", witnesses=("赵六", "钱七"))
    data = notice_data("order", service=service)
    rows = {label: value for label, value, _ in compose_notice(data).receipt}
    assert rows["受送达人签收"] == ""
    assert rows["备注"] == ("受送达人拒绝签收（称负责人不在），已于2026年3月3日留置送达，"
                          "见证人：赵六、钱七。")
    build_notice_pdf(data, None, tmp_path / "l.pdf")
    build_notice_docx(data, None, tmp_path / "l.docx")
    for text in (pdf_text(tmp_path / "l.pdf"), docx_text(tmp_path / "l.docx")):
        assert "已于2026年3月3日留置送达，见证人：赵六、钱七" in text
        assert "王经理" not in text


def test_referral_is_a_letter_to_the_competent_department(tmp_path: Path) -> None:
    data = notice_data("referral", attachments=("现场检查笔录（复印件）",))
    result = build_notice_pdf(data, None, tmp_path / "m.pdf")
    build_notice_docx(data, None, tmp_path / "m.docx")
    for text in (pdf_text(tmp_path / "m.pdf"), docx_text(tmp_path / "m.docx")):
        assert "关于移送中宁县某某托育中心有关问题的函" in text
        assert "中宁卫移〔2026〕12号" in text and "〔2026〕第" not in text
        assert "中宁县消防救援大队：" in text
        assert "中宁县某某托育中心（地址：中宁县宁安大街1号）" in text
        # the problems are listed after the sentence that refers to them, not “上述”
        assert "发现该单位存在下列问题，经研究，属于贵单位职责范围，现移送贵单位：" in text
        assert "上述" not in text
        assert f"二楼东侧安全出口被杂物堵塞（依据：{ITEMS[0].provisions[0]}" in text
        assert "请贵单位依据职责依法处理，并将处理结果函告本机关" in text
        assert "附件：现场检查笔录（复印件）" in text
        for word in ("责令", "行政复议", "逾期", "送达回证", "你单位", "2026年3月16日"):
            assert word not in text
    assert result.pages == 1
    head = Document(str(tmp_path / "m.docx")).paragraphs[0]
    assert head.text == "中宁县卫生健康局" and str(head.runs[0].font.color.rgb) == "D40000"


def test_referral_loaded_from_the_database_goes_to_the_department(
        db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session, title="移送函", kind_code="referral", is_order=False,
                                  number="中宁卫移〔2026〕3号")
        data = load_notice(session, notice_id)
        build_notice_pdf(session, notice_id, tmp_path / "r.pdf")
    assert data.family == "referral" and data.unit_name == "某某商业广场"
    assert data.addressee.endswith("卫生健康局")  # the department's standard name
    text = pdf_text(tmp_path / "r.pdf")
    assert f"{data.addressee}：" in text and "关于移送某某商业广场有关问题的函" in text


@pytest.mark.parametrize("count", range(1, 9))
def test_the_closing_block_never_starts_a_page_without_body_text(
        count: int, tmp_path: Path) -> None:
    items = tuple(dataclasses.replace(ITEMS[k % 3], code=f"X{k}") for k in range(count))
    data = notice_data("order", items=items)
    build_notice_pdf(data, None, tmp_path / "k.pdf")
    build_notice_docx(data, None, tmp_path / "k.docx")
    pages = [re.sub(r"\s+", "", p.extract_text() or "")
             for p in PdfReader(str(tmp_path / "k.pdf")).pages]
    sealed = next(p for p in pages if "盖章处" in p)
    closing = "".join(load_wording()["order"].remedy.split())
    assert closing in sealed  # the last body lines share the page with the 落款
    paragraphs = Document(str(tmp_path / "k.docx")).paragraphs
    last = next(i for i, p in enumerate(paragraphs) if "行政复议" in p.text)
    assert paragraphs[last].paragraph_format.keep_with_next
    assert paragraphs[last - 1].paragraph_format.keep_with_next


SUPERVISION_TITLES = {
    "supervise": "关于中宁县某某托育中心落实积极生育支持措施有关问题的督办通知",
    "feedback": "关于中宁县某某托育中心落实积极生育支持措施督查情况的反馈意见",
}


@pytest.mark.parametrize("family", ["supervise", "feedback"])
def test_supervision_documents_are_gongwen_to_the_inspected_department(
        family: str, tmp_path: Path) -> None:
    data = notice_data(family)
    result = build_notice_pdf(data, None, tmp_path / "g.pdf")
    build_notice_docx(data, None, tmp_path / "g.docx")
    for text in (pdf_text(tmp_path / "g.pdf"), docx_text(tmp_path / "g.docx")):
        assert SUPERVISION_TITLES[family] in text
        assert NUMBERS[family] in text and "〔2026〕第" not in text
        assert "中宁县某某托育中心：" in text  # 主送
        for n, item in enumerate(ITEMS, start=1):
            assert f"{n}．{item.problem}" in text  # a numbered statement
            assert item.requirement in text
            for provision in item.provisions:
                assert provision in text
        assert "于2026年3月16日前" in text  # the reply date
        assert "书面报送本机关" in text
        # 落款: the 机关 and the 成文日期 at the place of the seal, after the body
        assert re.search(r"盖章处.*中宁县卫生健康局.*2026年3月2日", text)
        for word in ("送达回证", "执法证号", "责令", "ZF-640521-001", "张三", "受送达人",
                     "行政复议", "？"):
            assert word not in text, word
    assert result.pages == 1
    doc = Document(str(tmp_path / "g.docx"))
    assert not doc.tables  # no signature table
    head = doc.paragraphs[0]
    assert head.text == "中宁县卫生健康局" and str(head.runs[0].font.color.rgb) == "D40000"
    number = next(p for p in doc.paragraphs if p.text == NUMBERS[family])
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_supervision_order_loaded_from_the_database_is_a_gongwen(
        db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        notice_id = stored_notice(session, title="督办通知", kind_code="supervision_order",
                                  is_order=False, number="中宁卫督办〔2026〕7号")
        data = load_notice(session, notice_id)
        build_notice_pdf(session, notice_id, tmp_path / "s.pdf")
        build_notice_docx(session, notice_id, tmp_path / "s.docx")
    assert data.family == "supervise"
    for text in (pdf_text(tmp_path / "s.pdf"), docx_text(tmp_path / "s.docx")):
        assert "关于某某商业广场落实积极生育支持措施有关问题的督办通知" in text
        assert "某某商业广场：" in text and "1．母婴室未设置" in text
        assert "于2026年3月17日前" in text
        assert "中宁县卫生健康局2026年3月2日" in text
        for word in ("送达回证", "执法证号", "责令", "检查员1"):
            assert word not in text, word


def test_pdf_and_word_carry_the_issuing_body_as_author(tmp_path: Path) -> None:
    from pypdf import PdfReader

    data = notice_data("order")
    build_notice_pdf(data, None, tmp_path / "n.pdf")
    build_notice_docx(data, None, tmp_path / "n.docx")
    info = PdfReader(tmp_path / "n.pdf").metadata
    assert info is not None and info.author and info.title and data.title in info.title
    props = Document(str(tmp_path / "n.docx")).core_properties
    assert props.author and "python-docx" not in (props.author + props.last_modified_by)
    assert data.title in props.title


def test_an_advice_recommends_and_never_orders() -> None:
    from reports.notice_wording import as_advice

    assert as_advice("应配备婴儿床") == "建议配备婴儿床"
    assert as_advice("应符合《母婴设施建设指南》的规定") == "建议参照《母婴设施建设指南》予以完善"
    assert as_advice("不得安排夜班劳动") == "建议避免安排夜班劳动"
    assert as_advice("建议设置标识") == "建议设置标识"
    assert (as_advice("男职工在配偶生育时，应享受25天的护理假")
            == "建议男职工在配偶生育时享受25天的护理假")
    assert as_advice("母婴室应当配备相应的应急呼叫装置") == "建议母婴室配备相应的应急呼叫装置"
    assert as_advice("设置相应的应急照明") == "建议设置相应的应急照明"



def test_an_issued_advice_prints_recommendations(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from reports.notice_data import load_notice
    from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
    from tests.services.inspection_fixtures import changed, checklist

    base = checklist()
    failing = base.items[1]  # full_inspection fails the second item
    c = changed(base, failing.code, obligation="推荐标准", competent_department="卫生健康")
    setup_org(db)
    iid = full_inspection(db, db.evidence_root, tmp_path, photos=0, c=c)
    ids = issue_all(db, iid, issued_on=date(2026, 3, 11))
    with db.session() as s:
        loaded = [load_notice(s, n) for n in ids]
    advice = [d for d in loaded if d.family == "advice"]
    assert advice and all(i.requirement.startswith("建议") for d in advice for i in d.items)
    orders = [d for d in loaded if d.family != "advice"]
    assert orders and not any(i.requirement.startswith("建议") for d in orders for i in d.items)


def test_a_plain_question_gives_a_requirement_that_says_what_to_do() -> None:
    basis = ("《母婴设施建设指南》第五条",)
    assert requirement_of(None, "母婴室是否配备婴儿床？", basis) == "母婴室应配备婴儿床"
    assert requirement_of(None, "独立母婴室使用面积是否不少于10平方米？", basis) == \
        "独立母婴室使用面积应不少于10平方米"
    # anything that rote rewording could garble keeps the cited rule
    assert requirement_of(None, "是否未安排夜班劳动？", basis) == f"应符合{basis[0]}的规定"
    assert requirement_of(None, "消防设施是否完好，消火栓是否被遮挡？", basis) == \
        f"应符合{basis[0]}的规定"


def test_the_signers_role_is_printed_on_one_line(tmp_path: Path) -> None:
    """劳动保障监察员（签名）, the longest role, is not broken across two lines of its cell."""
    build_notice_pdf(notice_data("labour"), None, tmp_path / "l.pdf")
    lines = [line.replace(" ", "") for page in PdfReader(str(tmp_path / "l.pdf")).pages
             for line in (page.extract_text() or "").splitlines()]
    signed = [line for line in lines if line.startswith("劳动保障监察员")]
    assert signed and all(line.startswith("劳动保障监察员（签名）") for line in signed), signed


def test_a_served_document_never_points_to_the_checklist_the_party_does_not_see() -> None:
    from reports.notice_wording import official_text

    question = "是否已落实“推进普惠托育服务体系建设”（另有4项任务，见核查要点）？"
    served = official_text(question)
    # a requirement that quotes a measure ends with the quotation: ……”应落实, no aside
    assert "核查要点" not in served and "另有" not in served
    assert served == "是否已落实“推进普惠托育服务体系建设”？"


def test_a_quotation_inside_a_quotation_takes_single_quotes() -> None:
    from reports.notice_wording import nested_quotes, official_text

    assert official_text("扩大供给：“构建“1+N”托育服务体系……”应落实") == (
        "扩大供给：“构建‘1+N’托育服务体系……”应落实")
    assert nested_quotes("“甲”与“乙”") == "“甲”与“乙”"  # side by side, not nested
    assert nested_quotes("“一“二“三”二”一”") == "“一‘二“三”二’一”"
