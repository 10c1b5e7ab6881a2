"""Coverage: which measures of each seed document the on-site themes check, and which not."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.catalog_view import DocumentView, from_parsed
from checklists.coverage import coverage, coverage_json
from checklists.parsing import parse_text
from checklists.templates import find_theme, load_themes
from services.catalog_store import bundled_policy_files

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


def test_each_document_splits_into_covered_and_uncovered_measures(
        catalog: tuple[DocumentView, ...]) -> None:
    themes = load_themes(GOOD)
    cov = coverage(catalog, themes)
    assert [d.document_id for d in cov.documents] == [d.id for d in catalog]
    cited = {r for t in themes for i in t.items for r in i.measures}
    for doc, view in zip(cov.documents, catalog, strict=True):
        assert doc.total == len(view.measures)
        assert {m.ref for m in doc.covered} == {m.ref for m in view.measures if m.ref in cited}
        assert {m.ref for m in doc.uncovered} == {m.ref for m in view.measures
                                                 if m.ref not in cited}
    baoji = next(d for d in cov.documents if d.short == "宝鸡")
    assert {"宝鸡:6", "宝鸡:9", "宝鸡:10", "宝鸡:11"} == {m.ref for m in baoji.covered}


def test_each_item_lists_the_measures_it_covers(catalog: tuple[DocumentView, ...]) -> None:
    cov = coverage(catalog, load_themes(GOOD))
    item = next(i for i in cov.items if i.code == "FXM-A03")
    assert [m.ref for m in item.measures] == ["宝鸡:10", "中宁:11", "鹿寨:(四)", "白银:5"]
    assert item.unresolved == ()


def test_supervision_themes_do_not_count_as_coverage(catalog: tuple[DocumentView, ...]) -> None:
    fixtures = load_themes(GOOD)
    ducha = find_theme(load_themes(), "ducha")
    assert ducha is not None
    with_ducha = coverage(catalog, (*fixtures, ducha))
    assert with_ducha == coverage(catalog, fixtures)
    assert all(i.theme != "ducha" for i in with_ducha.items)


def test_coverage_json_has_per_document_gaps_and_per_item_measures(
        catalog: tuple[DocumentView, ...]) -> None:
    data = coverage_json(coverage(catalog, load_themes(GOOD)))
    doc = data["documents"][0]
    assert set(doc) >= {"id", "short", "title", "measures", "covered", "ratio", "uncovered"}
    assert doc["covered"] + len(doc["uncovered"]) == doc["measures"]
    assert {"theme", "code", "question", "measures", "unresolved"} <= set(data["items"][0])


def test_each_document_shows_what_each_onsite_theme_covers(
        catalog: tuple[DocumentView, ...]) -> None:
    themes = load_themes()
    cov = coverage(catalog, themes)
    onsite = [t for t in themes if t.kind == "onsite"]
    data = coverage_json(cov)
    for doc, raw in zip(cov.documents, data["documents"], strict=True):
        assert [code for code, _, _ in doc.by_theme] == [t.code for t in onsite]
        for theme, (_, name, n) in zip(onsite, doc.by_theme, strict=True):
            refs = {r for i in theme.items if i.enabled for r in i.measures}
            mine = {m.ref for m in doc.covered} | {m.ref for m in doc.uncovered}
            assert n == len(refs & mine) and name == theme.name
        # the union of the themes is the document's coverage, never more
        assert max(n for _, _, n in doc.by_theme) <= len(doc.covered)
        assert {t["theme"] for t in raw["by_theme"]} == {t.code for t in onsite}
        assert all(0 <= t["ratio"] <= raw["ratio"] for t in raw["by_theme"])
