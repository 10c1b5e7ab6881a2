"""What is served says only what is verified: a citation whose article was not checked
against the text prints the law or standard alone, and no verification note reaches paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checklists.template_model import LegalBasis, served_text
from models.db import Database
from reports.notice import build_notice_pdf
from reports.record import build_record_pdf
from tests.reports.notice_fixtures import pdf_text
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.services.inspection_fixtures import changed, checklist

NOTES = ("未核实", "二手", "据新闻", "转述", "待核")
SECOND_HAND = LegalBasis("《托育机构管理规范（试行）》", "国卫人口发〔2019〕58号",
                         "第三十一条（条号见二手材料）", "明确专（兼）职消防安全管理人员。", "二手")
SECTION_ONLY = LegalBasis("《托育机构消防安全指南（试行）》", None,
                          "消防安全基本条件（条号未核实）", "不得设置在四层及四层以上。", "摘要")
VERIFIED = LegalBasis("《女职工劳动保护特别规定》", "国务院令第619号", "第十条", None, "原文")


def test_a_basis_prints_its_article_only_when_the_article_was_checked() -> None:
    assert VERIFIED.article_verified
    assert VERIFIED.served_citation() == "《女职工劳动保护特别规定》（国务院令第619号）第十条"
    assert not SECOND_HAND.article_verified and not SECTION_ONLY.article_verified
    assert SECOND_HAND.served_citation() == "《托育机构管理规范（试行）》（国卫人口发〔2019〕58号）"
    assert SECTION_ONLY.served_citation() == "《托育机构消防安全指南（试行）》"
    assert "未核实" in SECTION_ONLY.citation()  # the editor still shows the note
    stored = f"{SECOND_HAND.citation()}；{SECTION_ONLY.citation()}；{VERIFIED.citation()}"
    assert served_text(stored) == ("《托育机构管理规范（试行）》（国卫人口发〔2019〕58号）；"
                                   "《托育机构消防安全指南（试行）》；"
                                   "《女职工劳动保护特别规定》（国务院令第619号）第十条")


FIRE_LAW = ("《中华人民共和国消防法》",
            "2021年4月29日第十三届全国人民代表大会常务委员会第二十八次会议第二次修正")


def test_several_articles_of_one_law_name_the_law_once_in_the_order_given() -> None:
    from checklists.template_model import served_basis

    bases = [LegalBasis(*FIRE_LAW, "第二十六条第一款", None, "原文"),
             VERIFIED,
             LegalBasis(*FIRE_LAW, "第二十六条第二款", None, "原文"),
             LegalBasis(*FIRE_LAW, "第七十三条（条号待核）", None, "原文"),  # not verified
             LegalBasis(*FIRE_LAW, "第二十六条第一款", None, "原文"),  # listed twice
             SECTION_ONLY]
    assert served_basis(bases) == (
        f"{FIRE_LAW[0]}（{FIRE_LAW[1]}）第二十六条第一款、第二十六条第二款；"
        "《女职工劳动保护特别规定》（国务院令第619号）第十条；《托育机构消防安全指南（试行）》")
    for one in bases:  # a single basis is cited as it always is
        assert served_basis([one]) == one.served_citation()
    assert served_basis([]) == ""


def test_no_verification_note_reaches_a_record_or_a_notice(db: Database,
                                                          tmp_path: Path) -> None:
    base = checklist()
    c = base
    for item in base.items:
        c = changed(c, item.code, legal_basis=(SECOND_HAND, SECTION_ONLY))
    store = db.evidence_root
    setup_org(db)
    iid = full_inspection(db, store, tmp_path, photos=0, c=c)
    with db.session() as s:
        build_record_pdf(s, iid, tmp_path / "record.pdf", store_root=store)
    texts = [pdf_text(tmp_path / "record.pdf")]
    for k, notice_id in enumerate(issue_all(db, iid, issued_on=date(2026, 3, 11))):
        out = tmp_path / f"notice-{k}.pdf"
        with db.session() as s:
            build_notice_pdf(s, notice_id, out)
        texts.append(pdf_text(out))
    assert len(texts) >= 3
    for text in texts:
        assert not any(note in text for note in NOTES), text[:200]
    assert "《托育机构管理规范（试行）》（国卫人口发〔2019〕58号）" in texts[0]
    assert any("国卫人口发〔2019〕58号" in text for text in texts[1:])
