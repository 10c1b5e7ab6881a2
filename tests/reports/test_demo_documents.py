"""Every kind of document printed from the demo data, read back as a reviewer would: no
verification note, no line starting with closing punctuation, the demo mark on each, and the
figures and labels of the 台账 consistent with themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from main import main
from models.db import Database, open_database
from models.inspection import Finding
from models.rectification import Notice, Recheck
from tests.reports.pdf_checks import fonts, page_texts

CLOSING = tuple("，。、；：？！）》」』")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-docs") / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--scale", "0.3"]) == 0
    return path


def _open(path: Path) -> Database:
    return open_database(path)


def _render(demo: Path, out: Path, *args: str) -> list[str]:
    assert main(["--db", str(demo), "report", *args, "-o", str(out)]) == 0
    return page_texts(out)


def test_every_document_kind_reads_clean(demo: Path, tmp_path: Path) -> None:
    db = _open(demo)
    try:
        with db.session() as s:
            firsts = {}
            for n in s.scalars(select(Notice).order_by(Notice.id)):
                firsts.setdefault(n.kind_code, n.id)
            rechecked = s.scalars(select(Recheck.notice_id)).all()
            inspection = s.scalar(select(Notice.inspection_id).where(
                Notice.kind_code == "fire_immediate"))
    finally:
        db.dispose()
    assert len(firsts) == 8
    documents = {f"notice-{kind}": ("notice", "--notice", str(nid))
                 for kind, nid in firsts.items()}
    documents["recheck"] = ("recheck", "--notice", str(rechecked[0]))
    documents["record"] = ("record", "--inspection", str(inspection))
    documents["summary"] = ("summary",)
    for name, args in documents.items():
        pages = _render(demo, tmp_path / f"{name}.pdf", *args)
        used = fonts(tmp_path / f"{name}.pdf")
        assert all(used.values()), (name, used)  # every font embedded
        text = "\n".join(pages)
        assert "未核实" not in text and "二手" not in text, name
        assert "演示数据" in text, name
        for line in text.splitlines():
            assert not line.strip().startswith(CLOSING), (name, line)


def test_the_ledger_agrees_with_itself(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    assert main(["--db", str(demo), "report", "ledger", "-o", str(out)]) == 0
    wb = load_workbook(out, read_only=True)
    rows = list(wb["检查台账"].iter_rows(values_only=True))
    head = list(rows[0])
    col = {name: head.index(name) for name in head if name}
    parts = ("符合", "部分符合", "不符合", "不适用", "记录事项", "未检查")
    for row in rows[1:]:
        assert row[col["检查项"]] == sum(row[col[p]] for p in parts), row
    notices = list(wb["整改台账"].iter_rows(values_only=True))
    nhead = list(notices[0])
    for row in notices[1:]:
        late = row[nhead.index("是否逾期")]
        if row[nhead.index("文书名称")] in ("整改建议书", "移送函", "督查反馈意见"):
            assert late == "不适用", row
        else:
            assert late in ("是", "否"), row
    results = {r[list(next(wb["检查结果台账"].iter_rows(values_only=True))).index("结果")]
               for r in list(wb["检查结果台账"].iter_rows(values_only=True))[1:]}
    assert "已记录" in results
    draws = "\n".join(str(c) for r in wb["双随机抽查公示"].iter_rows(values_only=True)
                      for c in r if c)
    assert "sha256-ctr-v1" not in draws and "SHA-256 计数器法" in draws


def test_a_recorded_date_prints_as_recorded_and_is_counted_apart(demo: Path,
                                                                 tmp_path: Path) -> None:
    db = _open(demo)
    try:
        with db.session() as s:
            iid = s.scalar(select(Finding.inspection_id).where(
                Finding.answer_type == "date", Finding.answered.is_(True)))
    finally:
        db.dispose()
    text = "".join(_render(demo, tmp_path / "r.pdf", "record", "--inspection", str(iid)))
    assert "已记录" in text.replace("\n", "")
    assert "记录事项" in text.replace("\n", "").replace(" ", "")


def test_the_office_contact_is_printed_on_its_own_documents_only(demo: Path,
                                                                 tmp_path: Path) -> None:
    db = _open(demo)
    try:
        with db.session() as s:
            own = s.scalar(select(Notice.id).where(Notice.kind_code == "referral"))
            other = s.scalar(select(Notice.id).where(Notice.kind_code == "fire_deadline"))
    finally:
        db.dispose()
    mine = "".join(_render(demo, tmp_path / "own.pdf", "notice", "--notice", str(own)))
    theirs = "".join(_render(demo, tmp_path / "other.pdf", "notice", "--notice", str(other)))
    assert "联系人及电话" in mine and "0955-7012345" in mine
    assert "联系人及电话" not in theirs


def test_only_a_signed_record_carries_the_party_opinion(demo: Path) -> None:
    from models.inspection import Inspection
    from rules.inspection_status import SIGNED

    db = _open(demo)
    try:
        with db.session() as s:
            rows = s.execute(select(Inspection.status, Inspection.party_statement)).all()
    finally:
        db.dispose()
    assert all(statement for status, statement in rows if status == SIGNED)
    assert not any(statement for status, statement in rows if status != SIGNED)
    assert not any("以上记录属实" in (statement or "") for _status, statement in rows)


def test_failed_advice_awaits_a_decision_without_being_called_overdue(demo: Path) -> None:
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "main.py", "--db", str(demo), "notices", "--json"],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    rows = json.loads(out)
    rows = rows.get("notices", rows) if isinstance(rows, dict) else rows
    failed = [r for r in rows if r["status"] == "failed"]
    assert failed
    for r in failed:
        advice = r.get("is_order") is False and r["title"] in ("整改建议书", "督查反馈意见")
        assert ("逾期" in r["status_label"]) == (not advice), r
