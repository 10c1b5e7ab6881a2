"""The three headline themes against the domain digest's verified requirements.

``tests/data/requirements_trace.yaml`` maps every row of sections 1–3 of the digest
(母婴设施 MY, 托育机构消防安全 XF, 女职工劳动保护 NZ) to the enabled items that ask it, or leaves
it out with a reason of an allowed kind. Everything is read through the real loaders: the shipped
themes (``load_themes``), the region table and, where the digest is present next to the project,
the digest itself.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklists.regions import NATIONAL, ancestors, load_regions
from checklists.template_model import TemplateItem, Theme
from checklists.templates import find_theme, load_themes

ROOT = Path(__file__).resolve().parents[2]
TRACE = ROOT / "tests" / "data" / "requirements_trace.yaml"
LEVELS = ("原文", "转载", "摘要", "二手", "UNVERIFIED", "推论")
LEFT_OUT_KINDS = ("unverified", "background", "regional_unrepresentable")
ROW_KEYS = {"id", "verified", "items", "left_out", "region", "national_covers", "note"}


@pytest.fixture(scope="module")
def trace() -> dict[str, Any]:
    raw = yaml.safe_load(TRACE.read_text(encoding="utf-8"))
    assert isinstance(raw, dict) and isinstance(raw.get("sections"), list)
    return raw


@pytest.fixture(scope="module")
def themes() -> tuple[Theme, ...]:
    return load_themes()


@pytest.fixture(scope="module")
def enabled(themes: tuple[Theme, ...]) -> dict[str, tuple[Theme, TemplateItem]]:
    return {i.code: (t, i) for t in themes for i in t.items if i.enabled}


def _sections(trace: dict[str, Any]) -> list[dict[str, Any]]:
    return list(trace["sections"])


def _rows(trace: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(sec, row) for sec in _sections(trace) for row in sec["rows"]]


def _digest_path(trace: dict[str, Any]) -> Path:
    override = os.environ.get("SHENGYU_REQUIREMENTS_DIGEST")
    return Path(override) if override else ROOT.parent / trace["digest"]


def _digest_rows(text: str, number: int) -> dict[str, str]:
    """Row id -> its 核实 cell, for the numbered section of the digest."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    body = next(p for p in parts if p.startswith(f"{number}. "))
    out: dict[str, str] = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"[A-Z]{2}-\d{2}", cells[0]):
            out[cells[0]] = cells[-1]
    return out


# ---------------------------------------------------------------- the trace file itself

def test_the_trace_names_the_three_headline_themes(trace: dict[str, Any],
                                                   themes: tuple[Theme, ...]) -> None:
    got = [(s["number"], s["prefix"], s["theme"]) for s in _sections(trace)]
    assert got == [(1, "MY", "muying"), (2, "XF", "tuoyu_xiaofang"), (3, "NZ", "nvzhigong")]
    for sec in _sections(trace):
        theme = find_theme(themes, sec["theme"])
        assert theme is not None and theme.name == sec["title"]


def test_every_row_id_appears_exactly_once_in_sequence(trace: dict[str, Any]) -> None:
    for sec in _sections(trace):
        ids = [row["id"] for row in sec["rows"]]
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes, f"重复的行：{dupes}"
        expected = [f"{sec['prefix']}-{n:02d}" for n in range(1, sec["rows_in_digest"] + 1)]
        assert ids == expected


def test_rows_use_known_keys_and_values(trace: dict[str, Any]) -> None:
    for _sec, row in _rows(trace):
        assert set(row) <= ROW_KEYS, (row["id"], set(row) - ROW_KEYS)
        assert row["verified"] in LEVELS, row["id"]
        assert ("items" in row) != ("left_out" in row), f"{row['id']}：items 与 left_out 只能有一个"
        if "items" in row:
            assert row["items"] and len(set(row["items"])) == len(row["items"]), row["id"]


def test_the_trace_matches_the_digest_when_it_is_at_hand(trace: dict[str, Any]) -> None:
    path = _digest_path(trace)
    if not path.is_file():
        pytest.skip(f"领域摘要不在 {path}（可用 SHENGYU_REQUIREMENTS_DIGEST 指定）")
    text = path.read_text(encoding="utf-8")
    for sec in _sections(trace):
        digest = _digest_rows(text, sec["number"])
        ids = [row["id"] for row in sec["rows"]]
        assert sorted(digest) == sorted(ids), f"第{sec['number']}节的行与摘要不一致"
        assert len(digest) == sec["rows_in_digest"]
        for row in sec["rows"]:
            cell = digest[row["id"]]
            level = row["verified"]
            if level == "推论":
                assert "推" in cell, row["id"]
            else:
                # the normalised level is one the digest names for this row
                assert level in cell, f"{row['id']}：核实“{level}”不在摘要的“{cell}”中"


# ---------------------------------------------------------------- coverage

def test_covered_rows_name_enabled_items_of_their_own_theme(
        trace: dict[str, Any], enabled: dict[str, tuple[Theme, TemplateItem]]) -> None:
    for sec, row in _rows(trace):
        if "items" not in row:
            continue
        missing = [c for c in row["items"] if c not in enabled]
        assert not missing, f"{row['id']}：没有这些启用的检查项 {missing}"
        owners = {enabled[c][0].code for c in row["items"]}
        # the headline theme itself asks the row; another theme only adds to it
        assert sec["theme"] in owners, f"{row['id']}：本主题没有检查项"
        foreign = owners - {sec["theme"]}
        if foreign:
            assert row.get("note"), f"{row['id']}：引用了其他主题 {foreign}，应在 note 中说明"


def test_left_out_only_for_unverified_background_or_unrepresentable_regions(
        trace: dict[str, Any]) -> None:
    codes = {r.code for r in load_regions()}
    for _sec, row in _rows(trace):
        if "left_out" not in row:
            continue
        left = row["left_out"]
        assert isinstance(left, dict) and left.get("kind") in LEFT_OUT_KINDS, row["id"]
        assert str(left.get("reason", "")).strip(), f"{row['id']}：未写理由"
        if left["kind"] == "unverified":
            assert row["verified"] == "UNVERIFIED", row["id"]
        elif left["kind"] == "regional_unrepresentable":
            region = str(left.get("region", ""))
            assert re.fullmatch(r"\d{6}", region), row["id"]
            assert region not in codes, f"{row['id']}：{region} 在 regions.yaml 中，应列为检查项"


def test_local_rows_are_asked_where_they_apply(
        trace: dict[str, Any], enabled: dict[str, tuple[Theme, TemplateItem]]) -> None:
    codes = {r.code for r in load_regions()}
    for _sec, row in _rows(trace):
        region = row.get("region")
        if region is None or "items" not in row:
            continue
        assert region in codes, row["id"]
        chain = set(ancestors(region))
        at = {c: enabled[c][1].jurisdiction for c in row["items"]}
        outside = {c: j for c, j in at.items() if j not in chain}
        assert not outside, f"{row['id']}：检查项的适用地区不在 {region} 及其上级：{outside}"
        if not row.get("national_covers"):
            assert region in at.values(), f"{row['id']}：没有适用于 {region} 的检查项"
        else:
            assert set(at.values()) <= chain and NATIONAL in at.values(), row["id"]


def test_coverage_of_verified_rows_is_complete_for_each_theme(
        trace: dict[str, Any], enabled: dict[str, tuple[Theme, TemplateItem]]) -> None:
    """Per theme: every verified row is covered, save a local rule of a region the themes
    cannot name (reported with its reason kind)."""
    report: dict[str, dict[str, Any]] = {}
    for sec in _sections(trace):
        verified = [r for r in sec["rows"] if r["verified"] != "UNVERIFIED"]
        covered = [r["id"] for r in verified
                   if "items" in r and all(c in enabled for c in r["items"])]
        left = {r["id"]: r["left_out"]["kind"] for r in sec["rows"] if "left_out" in r}
        for rid, kind in left.items():
            if rid in {r["id"] for r in verified}:
                assert kind == "regional_unrepresentable", f"{rid}：已核实的行不能以 {kind} 不列"
        due = [r for r in verified if r["id"] not in left]
        report[sec["theme"]] = {
            "rows": len(sec["rows"]), "verified": len(verified), "covered": len(covered),
            "left_out": left, "coverage": len(covered) / len(due) if due else 1.0,
        }
    print("\n" + "\n".join(f"{t}: {r}" for t, r in report.items()))
    assert all(r["coverage"] == 1.0 for r in report.values()), report
    assert all(r["covered"] + len(r["left_out"]) == r["rows"] for r in report.values()), report
