"""``main.py report …``: every kind of report from the command line, and its errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

import main
from models.db import Database
from models.evidence_store import evidence_root
from rules.china_time import today as china_today
from services.inspection_lifecycle import get_summary
from services.notices import get_notice
from tests.reports.pdf_checks import assert_page_numbers, flat, page_texts, qpdf_check
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org


@pytest.fixture
def made(db: Database, tmp_path: Path) -> dict[str, str]:
    setup_org(db)
    iid = full_inspection(db, evidence_root(db.path), tmp_path, photos=2)
    (nid, *_) = issue_all(db, iid, issued_on=date(2026, 3, 10), served_on=date(2026, 3, 11))
    with db.session() as s:
        return {"id": str(iid), "uuid": get_summary(s, iid).uuid,
                "notice": get_notice(s, nid).doc_number}


def run(db: Database, *argv: str) -> int:
    return main.main(["--db", str(db.path), "report", *argv])


def test_record_by_uuid(db: Database, made: dict[str, str], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "笔录.pdf"
    assert run(db, "record", "--inspection", made["uuid"][:8], "-o", str(out)) == 0
    assert str(out) in capsys.readouterr().out
    texts = page_texts(out)
    assert "现场检查笔录" in flat(texts[0]) and "附件：现场照片" in flat(texts[-1])
    assert_page_numbers(texts)
    qpdf_check(out)


def test_notice_as_pdf_and_docx_by_document_number(db: Database, made: dict[str, str],
                                                   tmp_path: Path) -> None:
    pdf, docx = tmp_path / "n.pdf", tmp_path / "n.docx"
    assert run(db, "notice", "--notice", made["notice"], "-o", str(pdf)) == 0
    assert run(db, "notice", "--notice", made["notice"], "-o", str(docx)) == 0
    assert made["notice"] in flat("".join(page_texts(pdf)))
    assert made["notice"] in "\n".join(p.text for p in Document(str(docx)).paragraphs) + "".join(
        c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells)


def test_summary_and_ledger_over_a_selection(db: Database, made: dict[str, str],
                                             tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "通报.pdf", tmp_path / "台账.xlsx"
    sel = ["--from", "2026-03-01", "--to", "2026-03-31", "--theme", "母婴设施",
           "--as-of", "2026-06-01"]
    assert run(db, "summary", *sel, "-o", str(pdf)) == 0
    assert run(db, "ledger", *sel, "-o", str(xlsx)) == 0
    whole = flat("".join(page_texts(pdf)))
    assert "2026年3月1日至2026年3月31日；主题：母婴设施" in whole
    assert "本期共开展检查1次" in whole
    assert load_workbook(xlsx)["检查台账"].max_row == 2


def test_errors_are_explained_in_chinese(db: Database, made: dict[str, str], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "record", "--inspection", "999999", "-o", str(tmp_path / "x.pdf")) == 1
    assert "找不到检查“999999”" in capsys.readouterr().err
    assert run(db, "record", "-o", str(tmp_path / "x.pdf")) == 1
    assert "--inspection" in capsys.readouterr().err
    assert run(db, "ledger", "-o", str(tmp_path / "x.pdf")) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert run(db, "summary", "--region", "火星", "-o", str(tmp_path / "x.pdf")) == 1
    assert "找不到行政区划“火星”" in capsys.readouterr().err
    assert run(db, "summary", "--from", "2026-05-01", "--to", "2026-04-01",
               "-o", str(tmp_path / "x.pdf")) == 1
    assert "起始日期晚于截止日期" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_numbered_summary_takes_its_number_from_the_tong_block(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models.db import open_database
    from services.numbering import reserve_block
    from services.settings import ORG_CODE, ORGANISATION, set_setting

    db_path = tmp_path / "a.sqlite"
    db = open_database(db_path)
    try:
        with db.session() as s:
            set_setting(s, ORGANISATION, "中宁县卫生健康局")
            set_setting(s, ORG_CODE, "中宁卫")
    finally:
        db.dispose()
    out = tmp_path / "通报.pdf"
    args = ["--db", str(db_path), "report", "summary", "--numbered", "-o", str(out)]
    assert main.main(args) == 1  # no 通 block reserved yet: a message, no file
    assert "文号" in capsys.readouterr().err and not out.exists()
    db = open_database(db_path)
    try:
        with db.session() as s:
            reserve_block(s, suffix="通", year=china_today().year, start=7, end=9)
    finally:
        db.dispose()
    assert main.main(args) == 0
    text = "".join((p.extract_text() or "") for p in PdfReader(out).pages)
    assert f"中宁卫通〔{china_today().year}〕7号" in text.replace(" ", "")
    assert "已定稿" in capsys.readouterr().out

    # the same period again: refused, no number taken, the finalised one can be printed again
    again = tmp_path / "通报-再次.pdf"
    second = ["--db", str(db_path), "report", "summary", "--numbered", "-o", str(again)]
    assert main.main(second) == 1
    err = capsys.readouterr().err
    assert "已于" in err and f"中宁卫通〔{china_today().year}〕7号" in err and "--reprint" in err
    copy = tmp_path / "补打.pdf"
    assert main.main(["--db", str(db_path), "report", "summary", "--reprint",
                      f"中宁卫通〔{china_today().year}〕7号", "-o", str(copy)]) == 0
    assert "已补打" in capsys.readouterr().out
    assert copy.read_bytes() == out.read_bytes()  # exactly as finalised
    # a corrected reissue is asked for: the next number
    assert main.main([*second, "--again"]) == 0
    text = "".join((p.extract_text() or "") for p in PdfReader(again).pages)
    assert f"中宁卫通〔{china_today().year}〕8号" in text.replace(" ", "")
    # another period is a 通报 of its own
    other = ["--db", str(db_path), "report", "summary", "--numbered", "--from", "2026-01-01",
             "--to", "2026-06-30", "-o", str(tmp_path / "上半年.pdf")]
    assert main.main(other) == 0
    assert "9号" in capsys.readouterr().out
    assert main.main(["--db", str(db_path), "report", "summary", "--reprint", "中宁卫通〔1999〕1号",
                      "-o", str(tmp_path / "x.pdf")]) == 1
    assert "没有文号" in capsys.readouterr().err
