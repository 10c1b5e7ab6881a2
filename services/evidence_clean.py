"""Finding and removing files in the evidence folder that no row refers to.

Such files are left by an add that failed after its file was written, by a failed import, or
by an older version that stored the same content under a second extension. A file is an orphan
only when no evidence, notice attachment, signature or finalised report row names it; and
only one older than :data:`GRACE_SECONDS` is removed, because a file is written before the row
that names it is committed (another window may be adding a photo right now).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.evidence_store import object_path, report_copy_path, thumbnail_path
from models.inspection import Evidence, Signature
from models.rectification import NoticeAttachment
from models.system import IssuedReport
from services.issued_reports import EXT as ISSUED_EXT

GRACE_SECONDS = 15 * 60


@dataclass(frozen=True)
class OrphanFile:
    path: Path
    size_bytes: int
    kind: str  # 原件 | 缩略图 | 报告用副本 | 未写完的临时文件


@dataclass(frozen=True)
class CleanReport:
    files: tuple[OrphanFile, ...]
    removed: bool  # False for a dry run
    kept_recent: int  # orphans too new to remove yet

    @property
    def total_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files)


def referenced_files(session: Session, root: Path) -> set[Path]:
    """Every file under ``root`` a row names: originals, and for photos their copies."""
    wanted: set[Path] = set()
    for sha, ext, kind in session.execute(select(Evidence.sha256, Evidence.ext, Evidence.kind)):
        wanted.add(object_path(root, sha, ext))
        if kind == "photo":
            wanted.update((thumbnail_path(root, sha), report_copy_path(root, sha)))
    for sha, ext in session.execute(select(NoticeAttachment.sha256, NoticeAttachment.ext)):
        wanted.add(object_path(root, sha, ext))
        wanted.update((thumbnail_path(root, sha), report_copy_path(root, sha)))
    for image in session.scalars(select(Signature.image_sha256).where(
            Signature.image_sha256.is_not(None))):
        if image:
            wanted.add(object_path(root, image, ".png"))
    for pdf in session.scalars(select(IssuedReport.pdf_sha256)):  # finalised 通报, as printed
        wanted.add(object_path(root, pdf, ISSUED_EXT))
    return wanted


def find_orphans(session: Session, root: Path, *,
                 grace_seconds: float = GRACE_SECONDS) -> tuple[list[OrphanFile], int]:
    """The orphans old enough to remove, and how many newer ones were left for now."""
    if not root.is_dir():
        return [], 0
    wanted = referenced_files(session, root)
    now = time.time()
    found: list[OrphanFile] = []
    recent = 0
    for path in _stored(root):
        if path in wanted:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if now - stat.st_mtime < grace_seconds:
            recent += 1
            continue
        found.append(OrphanFile(path, stat.st_size, _kind(root, path)))
    return found, recent


def clean_orphans(session: Session, root: Path, *, dry_run: bool = True,
                  grace_seconds: float = GRACE_SECONDS) -> CleanReport:
    """List (``dry_run``) or remove the orphans under ``root``; empty folders go too."""
    found, recent = find_orphans(session, root, grace_seconds=grace_seconds)
    if not dry_run:
        for orphan in found:
            orphan.path.unlink(missing_ok=True)
        for folder in sorted({o.path.parent for o in found}, key=lambda p: -len(p.parts)):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass
    return CleanReport(tuple(found), not dry_run, recent)


def _stored(root: Path) -> Iterable[Path]:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path


def _kind(root: Path, path: Path) -> str:
    top = path.relative_to(root).parts[0]
    return {"thumbs": "缩略图", "report": "报告用副本", "tmp": "未写完的临时文件"}.get(top, "原件")
