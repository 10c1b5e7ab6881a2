"""整改文书: every family printed as PDF and Word, read back, and loaded from a real database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from reports.notice import build_notice_docx, build_notice_pdf, compose_notice
from reports.notice_data import FAMILIES, NoticeDataError, cn_date, load_notice, load_wording
from reports.progress import Cancelled
from tests.reports.notice_fixtures import (
    ITEMS,
    TITLES,
    docx_text,
    embedded_fonts,
    issued_notice,
    notice_data,
    pdf_text,
    qpdf_ok,
    stored_notice,
)


@pytest.mark.parametrize("family", FAMILIES)
def test_pdf_of_each_family_carries_title_number_findings_deadline_and_receipt(
        family: str, tmp_path: Path) -> None:
    out = tmp_path / f"{family}.pdf"
    result = build_notice_pdf(notice_data(family), None, out)
    text = pdf_text(out)
    assert result.pages >= 2  # the 送达回证 is a page of its own
    assert TITLES[family] in text
    assert "中宁卫限改〔2026〕第12号" in text
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
    assert "直接送达" in text and "王经理" in text
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
    assert "母婴室未设置" in text and "检查结果：部分符合" in text
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
    assert "现场未落实" in text and "直接送达" in text and "王经理" in text
