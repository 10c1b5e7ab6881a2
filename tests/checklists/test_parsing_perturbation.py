"""Formatting that must not change a parse: punctuation width, re-wrapped lines, blank lines,
page chrome. Each seed is perturbed with a seeded RNG and must give the same structure, the
same units and the same ids."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from checklists.parsing import parse_text
from checklists.parsing.model import ParsedDocument
from tests.conftest import seed_text

SEEDS = ("000", "001", "002", "003", "004")
FIXTURES = sorted((Path(__file__).resolve().parent.parent / "data" / "policies").glob("*.txt"))
_HALF = ",;:()!?."
_FULL = "，；：（）！？．"
CHROME = ("打印本页 关闭窗口", "政府信息公开Navigation", "浏览次数:", "- 3 -", "第 2 页 共 9 页")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (！ to ～) and the ideographic space become half-width."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else
                   (" " if c == "\u3000" else c) for c in text)


def to_fullwidth(text: str) -> str:
    """ASCII punctuation becomes its full-width form."""
    return text.translate(str.maketrans(_HALF, _FULL))


def _breakable(line: str, pos: int) -> bool:
    """A wrap never splits a Latin word or a number, as real wrapping does not."""
    a, b = line[pos - 1], line[pos]
    return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())


def rewrap(text: str, rng: random.Random, lo: int = 18, hi: int = 60) -> str:
    """Cut every line longer than a random width into pieces of that width."""
    out: list[str] = []
    for line in text.split("\n"):
        width = rng.randint(lo, hi)
        while len(line) > width:
            cut = width
            while cut > 1 and not _breakable(line, cut):
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


def add_blank_lines_and_indent(text: str, rng: random.Random) -> str:
    """Blank lines between paragraphs; Chinese indentation at the start of some of them."""
    out: list[str] = []
    for line in text.split("\n"):
        if rng.random() < 0.3:
            out.extend([""] * rng.randint(1, 2))
        if "\t" not in line and line.strip() and rng.random() < 0.3:
            line = rng.choice(("\u3000\u3000", "    ")) + line
        out.append(line)
    return "\n".join(out)


def add_chrome(text: str, rng: random.Random) -> str:
    """Page chrome lines dropped in between lines, as a web page or a PDF footer would."""
    out: list[str] = []
    for line in text.split("\n"):
        out.append(line)
        if rng.random() < 0.05:
            out.append(rng.choice(CHROME))
    return "\n".join(out)


def perturb(text: str, seed: int, *, wrap: bool = True) -> str:
    rng = random.Random(seed)
    text = to_fullwidth(text) if seed % 2 else to_halfwidth(text)
    text = add_blank_lines_and_indent(text, rng)
    if wrap:
        text = rewrap(text, rng)
    return add_chrome(text, rng)


def _shape(doc: ParsedDocument) -> dict[str, object]:
    return {
        "id": doc.id,
        "numbers": [m.number for m in doc.measures],
        "paths": [m.path for m in doc.measures],
        "titles": [m.title for m in doc.measures],
        "units": [[(u.name, u.role, u.collective) for u in m.units] for m in doc.measures],
        "sections": [(s.path, s.title, s.preamble) for s in doc.sections],
        "flags": [m.flags for m in doc.measures],
    }


@pytest.mark.parametrize("prefix", SEEDS)
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_perturbed_seed_parses_to_the_same_measures_units_and_ids(prefix: str, seed: int) -> None:
    original = seed_text(prefix)
    perturbed = perturb(original, seed)
    assert perturbed != original
    before, after = parse_text(original), parse_text(perturbed)
    assert _shape(after) == _shape(before)


@pytest.mark.parametrize("prefix", SEEDS)
def test_perturbed_seed_keeps_its_metadata(prefix: str) -> None:
    before = parse_text(seed_text(prefix))
    after = parse_text(perturb(seed_text(prefix), 7))
    assert (after.title, after.doc_number, after.date, after.issuers, after.region_code) == (
        before.title, before.doc_number, before.date, before.issuers, before.region_code)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [5, 6])
def test_perturbed_fixture_parses_to_the_same_result(path: Path, seed: int) -> None:
    original = path.read_text(encoding="utf-8")
    # A web page copied from a browser keeps its paragraphs whole: its footer is never wrapped.
    wrap = not path.stem.startswith("web_")
    before, after = parse_text(original), parse_text(perturb(original, seed, wrap=wrap))
    assert _shape(after) == _shape(before)
    assert (after.title, after.doc_number, after.date, after.issuers) == (
        before.title, before.doc_number, before.date, before.issuers)


def test_perturbation_really_changes_the_text_it_is_tested_on() -> None:
    text = seed_text("003")
    perturbed = perturb(text, 2)
    assert "（一）" not in perturbed and "(一)" in perturbed
    assert max(len(line) for line in perturbed.split("\n")) <= 60
    assert perturbed.count("\n") > text.count("\n") * 2
    assert any(chrome in perturbed for chrome in CHROME)
