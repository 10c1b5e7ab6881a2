"""Reports finalised under a 文号 (the 督查通报): kept as printed, found again by what they
report on, printed again from the copy kept.

A 通报 is finalised once per period: taking a second 文号 for the same period, region, theme
and department is refused unless asked for (a corrected reissue), and the one already
finalised can be printed again at any time, exactly as it was, from the evidence store.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.evidence_store import object_path, put_bytes, sha256_file
from models.system import IssuedReport
from rules.china_time import beijing, chinese_date
from services.selection import resolve_region

SUMMARY = "summary"
EXT = ".pdf"


class IssuedReportError(ValueError):
    """A finalised report cannot be found or printed again (message in Chinese)."""


@dataclass(frozen=True)
class IssuedInfo:
    id: int
    kind: str
    doc_number: str
    scope_label: str
    as_of: date
    issued_at: datetime  # 北京时间
    pages: int
    pdf_sha256: str


class AlreadyIssued(ValueError):
    """The same period has been finalised already; ``issued`` is that report."""

    def __init__(self, issued: IssuedInfo) -> None:
        self.issued = issued
        super().__init__(
            f"这一期督查通报（{issued.scope_label or '全部'}）已于"
            f"{chinese_date(beijing(issued.issued_at))}定稿，文号 {issued.doc_number}。"
            "需要再次打印的，请补打存档的通报；确需更正后重新定稿的，才另取文号。")


def scope_of(date_from: date | None, date_to: date | None, region: str | None,
             theme: str | None, department: str | None) -> str:
    """What a 通报 reports on, as one comparable text (a region by its code, whether it was
    given by name or by code)."""
    code = resolve_region(region).code if region else None
    return json.dumps({"from": date_from.isoformat() if date_from else None,
                       "to": date_to.isoformat() if date_to else None, "region": code,
                       "theme": theme or None, "department": department or None},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def issued_for(session: Session, kind: str, scope: str) -> IssuedInfo | None:
    """The latest report of ``kind`` finalised for ``scope``, if any."""
    row = session.scalars(select(IssuedReport).where(IssuedReport.kind == kind,
                                                     IssuedReport.scope == scope)
                          .order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
                          ).first()
    return None if row is None else _info(row)


def archive(session: Session, root: Path, *, kind: str, doc_number: str, scope: str,
            scope_label: str, as_of: date, pages: int, pdf: Path) -> IssuedInfo:
    """Keep the finalised PDF in the evidence store and register it, in the caller's
    transaction (the file stays unreferenced, and harmless, if that is rolled back)."""
    sha = put_bytes(root, pdf.read_bytes(), EXT)
    row = IssuedReport(kind=kind, doc_number=doc_number, scope=scope, scope_label=scope_label,
                       as_of=as_of, pages=pages, pdf_sha256=sha)
    session.add(row)
    session.flush()
    return _info(row)


def find_issued(session: Session, doc_number: str) -> IssuedInfo:
    row = session.scalars(select(IssuedReport).where(
        IssuedReport.doc_number == doc_number.strip())).first()
    if row is None:
        raise IssuedReportError(f"本机没有文号为“{doc_number.strip()}”的定稿通报。")
    return _info(row)


def reprint(root: Path, issued: IssuedInfo, target: Path) -> Path:
    """Copy the kept PDF of ``issued`` to ``target``, after checking it is unchanged."""
    source = object_path(root, issued.pdf_sha256, EXT)
    if not source.is_file():
        raise IssuedReportError(f"存档的通报文件（{issued.doc_number}）不在证据文件夹中，"
                                "无法补打。请从备份恢复证据文件夹。")
    if sha256_file(source) != issued.pdf_sha256:
        raise IssuedReportError(f"存档的通报文件（{issued.doc_number}）已被改动，不能作为"
                                "定稿补打。请从备份恢复证据文件夹。")
    shutil.copyfile(source, target)
    return target


def _info(row: IssuedReport) -> IssuedInfo:
    return IssuedInfo(row.id, row.kind, row.doc_number, row.scope_label, row.as_of,
                      beijing(row.issued_at), row.pages, row.pdf_sha256)
