"""Finalised 督查通报 are kept as printed: found again by what they report on (a region by name
or by code is the same period), printed again only while the kept file is unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.db import Database
from models.evidence_store import object_path
from services.issued_reports import (
    SUMMARY,
    IssuedReportError,
    archive,
    find_issued,
    issued_for,
    reprint,
    scope_of,
)


def test_a_region_given_by_name_or_by_code_is_the_same_period() -> None:
    by_name = scope_of(date(2026, 1, 1), date(2026, 6, 30), "中宁县", None, None)
    by_code = scope_of(date(2026, 1, 1), date(2026, 6, 30), "640521", "", "")
    assert by_name == by_code
    assert by_name != scope_of(date(2026, 1, 1), date(2026, 6, 30), "中宁县", "母婴设施", None)
    assert by_name != scope_of(None, date(2026, 6, 30), "中宁县", None, None)


def test_a_kept_report_is_printed_again_only_while_it_is_unchanged(
        db: Database, tmp_path: Path) -> None:
    pdf = tmp_path / "通报.pdf"
    pdf.write_bytes(b"%PDF-1.4 finalised\n")
    scope = scope_of(date(2026, 1, 1), date(2026, 6, 30), None, None, None)
    with db.session() as s:
        kept = archive(s, db.evidence_root, kind=SUMMARY, doc_number="中宁卫通〔2026〕1号",
                       scope=scope, scope_label="2026年1月1日至2026年6月30日",
                       as_of=date(2026, 7, 2), pages=5, pdf=pdf)
    with db.session() as s:
        assert issued_for(s, SUMMARY, scope) == kept
        assert issued_for(s, SUMMARY, scope_of(None, None, None, None, None)) is None
        found = find_issued(s, " 中宁卫通〔2026〕1号 ")
        with pytest.raises(IssuedReportError, match="没有文号"):
            find_issued(s, "中宁卫通〔2026〕2号")
    copy = reprint(db.evidence_root, found, tmp_path / "补打.pdf")
    assert copy.read_bytes() == pdf.read_bytes()
    stored = object_path(db.evidence_root, found.pdf_sha256, ".pdf")
    stored.chmod(0o644)
    stored.write_bytes(b"%PDF-1.4 altered\n")
    with pytest.raises(IssuedReportError, match="已被改动"):
        reprint(db.evidence_root, found, tmp_path / "补打2.pdf")
    stored.unlink()
    with pytest.raises(IssuedReportError, match="不在证据文件夹"):
        reprint(db.evidence_root, found, tmp_path / "补打3.pdf")


def test_the_evidence_cleaner_keeps_a_finalised_report(db: Database, tmp_path: Path) -> None:
    import os
    import time

    from services.evidence_clean import clean_orphans

    pdf = tmp_path / "通报.pdf"
    pdf.write_bytes(b"%PDF-1.4 finalised\n")
    with db.session() as s:
        kept = archive(s, db.evidence_root, kind=SUMMARY, doc_number="中宁卫通〔2026〕3号",
                       scope=scope_of(None, None, None, None, None), scope_label="",
                       as_of=date(2026, 7, 2), pages=1, pdf=pdf)
    stored = object_path(db.evidence_root, kept.pdf_sha256, ".pdf")
    old = time.time() - 24 * 3600  # well past the grace period
    os.utime(stored, (old, old))
    with db.session() as s:
        report = clean_orphans(s, db.evidence_root, dry_run=False)
    assert stored.exists() and stored not in {f.path for f in report.files}
