"""Evidence: originals kept byte for byte under their hash, upright thumbnails and report
copies, capture times, and refusals (not an image, HEIC, too large) that write nothing."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from models.db import Database
from models.evidence_store import evidence_root, object_path
from models.inspection import Evidence
from rules.inspection_status import SELF_CHECK
from services.evidence import EvidenceError, add_evidence, evidence_files, list_evidence
from services.inspection_access import InspectionError
from services.inspection_lifecycle import complete_inspection
from tests.services.inspection_fixtures import AREA, assert_integrity, new_inspection, officers

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


@pytest.fixture
def store(db: Database) -> Path:
    return evidence_root(db.path)


@pytest.fixture
def draft(db: Database) -> int:
    with db.session() as s:
        return new_inspection(s, kind=SELF_CHECK, people=officers(1)).id


def rotated_jpeg(path: Path) -> Path:
    """An 80×40 picture stored sideways: EXIF orientation 6 means “turn 90° clockwise”.
    Left half red, right half blue, so the turn can be seen in the pixels."""
    img = Image.new("RGB", (80, 40), (255, 0, 0))
    img.paste((0, 0, 255), (40, 0, 80, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2025:05:06 10:11:12"
    sub[ExifTags.Base.OffsetTimeOriginal] = "+08:00"
    img.save(path, "JPEG", exif=exif, quality=95)
    return path


def stored_files(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file()) if store.exists() else []


def test_a_sideways_photo_gets_upright_copies_and_keeps_its_original_bytes(
        db: Database, store: Path, draft: int, tmp_path: Path) -> None:
    source = rotated_jpeg(tmp_path / "IMG_0001.JPG")
    with db.session() as s:
        info = add_evidence(s, draft, source, store_root=store, item_code=AREA,
                            photographer="检查员1", caption="母婴室外观")
    original = object_path(store, info.sha256, ".jpg")
    assert original.read_bytes() == source.read_bytes()
    assert info.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (info.width, info.height) == (40, 80)  # upright
    files = evidence_files(store, info)
    with Image.open(files["thumbnail"]) as thumb:
        assert thumb.width < thumb.height
        top = thumb.convert("RGB").getpixel((thumb.width // 2, thumb.height // 5))
        bottom = thumb.convert("RGB").getpixel((thumb.width // 2, thumb.height * 4 // 5))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # the red half is on top after turning clockwise
    assert bottom[2] > 200 and bottom[0] < 60
    with Image.open(files["report"]) as report:
        assert report.size == (40, 80)  # small pictures are not enlarged
    assert info.captured_at == datetime(2025, 5, 6, 2, 11, 12, tzinfo=UTC)  # 10:11 at +08:00
    assert (info.captured_source, info.photographer, info.item_code) == ("exif", "检查员1", AREA)


def test_the_same_photo_twice_is_stored_once(db: Database, store: Path, draft: int,
                                             tmp_path: Path) -> None:
    source = rotated_jpeg(tmp_path / "a.jpg")
    copy = tmp_path / "copy-of-a.jpg"
    copy.write_bytes(source.read_bytes())
    with db.session() as s:
        first = add_evidence(s, draft, source, store_root=store, item_code=AREA)
        again = add_evidence(s, draft, copy, store_root=store, item_code=AREA)
        elsewhere = add_evidence(s, draft, copy, store_root=store, item_code="FXM-A01")
    assert again.id == first.id  # same item: listed once
    assert elsewhere.id != first.id and elsewhere.sha256 == first.sha256
    originals = [p for p in stored_files(store) if p.parent.parent == store]
    assert originals == [object_path(store, first.sha256, ".jpg")]
    with db.session() as s:
        assert len(list_evidence(s, draft)) == 2
        assert [e.id for e in list_evidence(s, draft, item_code=AREA)] == [first.id]


def test_large_photos_are_downscaled_for_reports_and_thumbnails(
        db: Database, store: Path, draft: int, tmp_path: Path) -> None:
    source = tmp_path / "big.png"
    Image.new("RGBA", (2400, 1200), (10, 120, 30, 255)).save(source, "PNG")
    with db.session() as s:
        info = add_evidence(s, draft, source, store_root=store)
    files = evidence_files(store, info)
    with Image.open(files["report"]) as report, Image.open(files["thumbnail"]) as thumb:
        assert report.size == (1600, 800) and report.format == "JPEG"
        assert max(thumb.size) == 256
    assert info.ext == ".png" and info.captured_source == "file"  # PNG has no EXIF time


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(
        db: Database, store: Path, draft: int, tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("这不是图片", encoding="utf-8")
    with pytest.raises(EvidenceError, match="不是图片文件"), db.session() as s:
        add_evidence(s, draft, fake, store_root=store)
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(rotated_jpeg(tmp_path / "whole.jpg").read_bytes()[:300])
    with pytest.raises(EvidenceError, match="已损坏"), db.session() as s:
        add_evidence(s, draft, truncated, store_root=store)
    assert stored_files(store) == []
    with db.session() as s:
        assert s.scalars(select(Evidence)).all() == []


def test_heic_is_refused_with_advice_to_export_as_jpeg(db: Database, store: Path, draft: int,
                                                       tmp_path: Path) -> None:
    heic = tmp_path / "IMG_0002.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    with pytest.raises(EvidenceError, match=r"HEIC.*导出为 JPEG"), db.session() as s:
        add_evidence(s, draft, heic, store_root=store)
    assert stored_files(store) == []


def test_an_oversized_file_is_refused_from_its_size(db: Database, store: Path, draft: int,
                                                    tmp_path: Path) -> None:
    big = tmp_path / "video.mp4"
    with big.open("wb") as fh:  # sparse: 60 MB on paper, nothing to read
        fh.truncate(60 * 1024 * 1024)
    with pytest.raises(EvidenceError, match="超过 50 MB"), db.session() as s:
        add_evidence(s, draft, big, store_root=store, kind="file")
    photo = rotated_jpeg(tmp_path / "a.jpg")
    with pytest.raises(EvidenceError, match="大小限制"), db.session() as s:
        add_evidence(s, draft, photo, store_root=store, max_bytes=100)
    assert stored_files(store) == []


def test_files_are_kept_by_hash_without_image_processing(db: Database, store: Path,
                                                         draft: int, tmp_path: Path) -> None:
    doc = tmp_path / "制度.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + os.urandom(2048))
    with db.session() as s:
        info = add_evidence(s, draft, doc, store_root=store, kind="file", caption="女职工保护制度")
    assert set(evidence_files(store, info)) == {"original"}
    assert object_path(store, info.sha256, ".pdf").read_bytes() == doc.read_bytes()
    assert (info.kind, info.original_name, info.width) == ("file", "制度.pdf", None)


def test_no_temporary_files_are_left_behind(db: Database, store: Path, draft: int,
                                            tmp_path: Path) -> None:
    with db.session() as s:
        add_evidence(s, draft, rotated_jpeg(tmp_path / "a.jpg"), store_root=store)
    assert list((store / "tmp").iterdir()) == []


def test_evidence_waits_for_a_draft(db: Database, store: Path, draft: int,
                                    tmp_path: Path) -> None:
    with db.session() as s:
        complete_inspection(s, draft, unchecked_reason=UNCHECKED_REASON)
    with pytest.raises(InspectionError, match="先退回草稿"), db.session() as s:
        add_evidence(s, draft, rotated_jpeg(tmp_path / "a.jpg"), store_root=store)


def test_a_signature_image_is_stored_as_png_by_hash(db: Database, store: Path,
                                                    draft: int) -> None:
    from rules.inspection_status import ROLE_OFFICER
    from services.signatures import add_signature, list_signatures

    buf = io.BytesIO()
    Image.new("L", (200, 60), 255).save(buf, "PNG")
    with db.session() as s:
        complete_inspection(s, draft, unchecked_reason=UNCHECKED_REASON)
        add_signature(s, draft, role=ROLE_OFFICER, name="检查员1", png=buf.getvalue(),
                      store_root=store)
        (sig,) = list_signatures(s, draft)
    assert sig.image_sha256 is not None
    assert object_path(store, sig.image_sha256, ".png").read_bytes() == buf.getvalue()
    assert (sig.role, sig.name, sig.refused) == (ROLE_OFFICER, "检查员1", False)
