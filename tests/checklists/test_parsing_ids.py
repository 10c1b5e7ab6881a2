"""Deterministic ids: the same document gives the same ids on every machine."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

from checklists.parsing import document_id, measure_id, parse_text
from checklists.parsing.ids import normalize_for_id
from tests.conftest import ROOT, seed_text


def test_ids_have_their_prefix_and_sixteen_hex_digits() -> None:
    doc = parse_text(seed_text("002"))
    assert re.fullmatch(r"doc-[0-9a-f]{16}", doc.id)
    assert all(re.fullmatch(r"m-[0-9a-f]{16}", measure_id(doc.id, m.path)) for m in doc.measures)


def test_document_id_is_the_sha256_of_the_normalised_text() -> None:
    text = seed_text("000")
    expected = hashlib.sha256(normalize_for_id(text).encode("utf-8")).hexdigest()[:16]
    assert document_id(text) == parse_text(text).id == f"doc-{expected}"
    assert document_id(normalize_for_id(text)) == document_id(text)


def test_measure_id_depends_on_document_and_path_only() -> None:
    doc = parse_text(seed_text("004"))
    ids = [measure_id(doc.id, m.path) for m in doc.measures]
    assert len(set(ids)) == len(ids)
    assert measure_id(doc.id, "三/(二)") == measure_id(doc.id, "三/(二)")
    assert measure_id(doc.id, "三/(二)") != measure_id(parse_text(seed_text("003")).id, "三/(二)")


def test_normalisation_ignores_width_wrapping_blank_lines_and_chrome() -> None:
    text = "某县任务清单\n（一）建设托育点，每个街道1个。\n"
    variant = "某县任务\n清单\n\n打印本页 关闭窗口\n(一)建设托育点,每个\n街道１个。\n浏览次数:\n"
    assert document_id(text) == document_id(variant)


def test_a_changed_character_changes_the_document_id() -> None:
    text = seed_text("001")
    assert document_id(text) != document_id(text.replace("162号", "163号"))
    assert len({document_id(seed_text(p)) for p in ("000", "001", "002", "003", "004")}) == 5


def test_ids_are_the_same_in_a_fresh_interpreter() -> None:
    code = ("from checklists.parsing import parse_text, measure_id\n"
            "from tests.conftest import seed_text\n"
            "d = parse_text(seed_text('003'))\n"
            "print(d.id, measure_id(d.id, d.measures[-1].path))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    doc = parse_text(seed_text("003"))
    assert out.stdout.split() == [doc.id, measure_id(doc.id, doc.measures[-1].path)]
