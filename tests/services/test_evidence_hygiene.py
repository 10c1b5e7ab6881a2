"""Evidence hygiene: one stored file per content whatever its name says, files no row refers
to found and removed, names shown without direction tricks, and the type read from the content."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from models.db import Database
from models.evidence_store import evidence_root, object_path
from rules.filetype import BIDI_CONTROLS, clean_display_name, sniff
from rules.inspection_status import SELF_CHECK
from services.evidence import add_evidence, list_evidence, remove_evidence
from services.evidence_clean import clean_orphans, referenced_files
from tests.conftest import ROOT
from tests.services.inspection_fixtures import new_inspection, officers

PDF = b"%PDF-1.4\n% test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _stored(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] != "tmp"}


def _draft(db: Database) -> int:
    with db.session() as s:
        return new_inspection(s, kind=SELF_CHECK, people=officers(1)).id


def test_the_same_content_under_a_new_extension_leaves_no_unreferenced_file(
    db: Database, tmp_path: Path
) -> None:
    root = evidence_root(db.path)
    draft = _draft(db)
    first, second = tmp_path / "通知.pdf", tmp_path / "通知副本.bin"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    with db.session() as s:
        add_evidence(s, draft, first, store_root=root, kind="file")
    with db.session() as s:
        add_evidence(s, draft, second, store_root=root, kind="file")  # same item: listed once
    with db.session() as s:
        add_evidence(s, draft, second, store_root=root, kind="file", item_code="FXM-A01")
    with db.session() as s:
        rows = list_evidence(s, draft)
        wanted = referenced_files(s, root)
    assert {r.ext for r in rows} == {".pdf"} and len(rows) == 2
    assert _stored(root) == wanted == {object_path(root, rows[0].sha256, ".pdf")}


def test_orphans_are_listed_then_removed_and_referenced_files_kept(
    db: Database, tmp_path: Path
) -> None:
    root = evidence_root(db.path)
    draft = _draft(db)
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (40, 30), (0, 128, 0)).save(photo, "JPEG")
    with db.session() as s:
        add_evidence(s, draft, photo, store_root=root)
    stray = object_path(root, "ab" * 32, ".jpg")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by a failed add")
    part = root / "tmp" / "dead.part"
    part.write_bytes(b"half")
    fresh = object_path(root, "cd" * 32, ".png")
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"being written right now")
    old = time.time() - 3600
    for p in (stray, part):
        os.utime(p, (old, old))
    keep = _stored(root) - {stray, fresh}
    with db.session() as s:
        listed = clean_orphans(s, root)
    assert {f.path for f in listed.files} == {stray, part} and not listed.removed
    assert listed.kept_recent == 1
    assert stray.exists()  # a dry run removes nothing
    with db.session() as s:
        done = clean_orphans(s, root, dry_run=False)
    assert done.removed and not stray.exists() and not part.exists()
    assert fresh.exists()  # too new: another window may be about to commit its row
    assert keep <= _stored(root)


def test_a_removed_photo_becomes_an_orphan(db: Database, tmp_path: Path) -> None:
    root = evidence_root(db.path)
    draft = _draft(db)
    photo = tmp_path / "p.png"
    Image.new("RGB", (20, 20), (9, 9, 9)).save(photo, "PNG")
    with db.session() as s:
        info = add_evidence(s, draft, photo, store_root=root)
    with db.session() as s:
        remove_evidence(s, info.id)
    with db.session() as s:
        report = clean_orphans(s, root, dry_run=False, grace_seconds=0)
    assert {f.kind for f in report.files} == {"原件", "缩略图", "报告用副本"}
    assert _stored(root) == set()


def test_a_name_with_a_right_to_left_override_is_shown_plainly_with_its_real_type(
    db: Database, tmp_path: Path
) -> None:
    root = evidence_root(db.path)
    draft = _draft(db)
    sneaky = tmp_path / "photo\u202egpj.exe"
    sneaky.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    disguised = tmp_path / "整改照片.jpg"
    disguised.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    with db.session() as s:
        one = add_evidence(s, draft, sneaky, store_root=root, kind="file")
        two = add_evidence(s, draft, disguised, store_root=root, kind="file",
                           item_code="FXM-A01")
    assert one.original_name == "photogpj.exe"
    assert one.real_type == "可执行程序（Windows）" and not one.type_mismatch
    assert two.real_type == "可执行程序（Windows）" and two.type_mismatch
    pdf = tmp_path / "回执.pdf"
    pdf.write_bytes(PDF)
    with db.session() as s:
        three = add_evidence(s, draft, pdf, store_root=root, kind="file", item_code="FXM-B01")
    assert three.real_type == "PDF 文档" and not three.type_mismatch


@given(st.text(max_size=60))
def test_display_names_never_keep_direction_or_control_characters(name: str) -> None:
    shown = clean_display_name(name)
    assert not BIDI_CONTROLS.search(shown)
    assert all(ord(c) >= 32 and not 0x7F <= ord(c) <= 0x9F for c in shown)
    shown.encode("utf-8")
    assert shown


def test_types_are_read_from_the_content() -> None:
    assert sniff(b"\xff\xd8\xff\xe0").label == "JPEG 图片"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ").mime == "image/webp"
    assert sniff(b"\x7fELF\x02").executable
    assert sniff("纯文本说明\n".encode()).label == "文本"
    assert sniff(b"\x00\x01\x02\x03").label == "未知类型"


@pytest.mark.slow
def test_evidence_clean_on_the_command_line_lists_then_removes(db: Database) -> None:
    root = evidence_root(db.path)
    stray = object_path(root, "ef" * 32, ".pdf")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(PDF)
    old = time.time() - 3600
    os.utime(stray, (old, old))
    db.dispose()

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        code = "import sys, main; sys.exit(main.main(sys.argv[1:]))"
        return subprocess.run([sys.executable, "-c", code, "--db", str(db.path), *argv],
                              cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                              check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})

    listed = run("evidence", "clean")
    assert listed.returncode == 0, listed.stderr
    assert str(stray) in listed.stdout and "--yes" in listed.stdout and stray.exists()
    removed = run("evidence", "clean", "--yes")
    assert removed.returncode == 0 and "已删除" in removed.stdout and not stray.exists()
