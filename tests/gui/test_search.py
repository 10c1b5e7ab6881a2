"""全文检索: search as you type, highlighted matches, filters, the selected hit in full."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.topics import load_topics
from gui.context import PageContext
from gui.models.base import HTML_ROLE
from gui.pages.search import SearchPage

MARK = '<span style="background-color:#ffe58a;color:#5c3b00;">'


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> SearchPage:
    widget = SearchPage(ctx)
    qtbot.addWidget(widget)
    return widget


def _type(page: SearchPage, qtbot: Any, text: str) -> None:
    """Type like a person (QTest cannot send Chinese key events): one character at a time."""
    for ch in text:
        page.query_edit.insert(ch)
    assert page.hits() == [] or page.timer.isActive()  # debounced: nothing yet, or stale
    qtbot.waitUntil(lambda: bool(page.hits()) and not page.timer.isActive(), timeout=5000)


def test_an_empty_query_shows_no_hits_and_a_hint(page: SearchPage) -> None:
    assert page.hits() == []
    assert "输入关键词" in page.count_label.text()


def test_a_two_character_query_finds_highlighted_hits_as_you_type(
    page: SearchPage, qtbot: Any
) -> None:
    _type(page, qtbot, "托育")
    hits = page.hits()
    assert {h.document_short for h in hits} == {"中宁", "宝鸡", "鹿寨", "内蒙古", "白银"}
    html = page.model.index(0, 0).data(HTML_ROLE)
    assert f"{MARK}托育</span>" in html
    assert f"找到 {len(hits)} 项措施" in page.count_label.text()


def test_a_longer_query_uses_the_full_text_index_and_highlights(
    page: SearchPage, qtbot: Any
) -> None:
    _type(page, qtbot, "母婴设施")
    hits = page.hits()
    assert hits
    for row in range(page.model.rowCount()):
        html = page.model.index(row, 0).data(HTML_ROLE)
        snippet_or_title = hits[row].snippet + hits[row].title
        if "母婴设施" in snippet_or_title:
            assert f"{MARK}母婴设施</span>" in html


def test_filters_narrow_the_hits(page: SearchPage, qtbot: Any) -> None:
    _type(page, qtbot, "托育")
    everything = len(page.hits())
    page.set_filter(page.region_combo, "450000")  # 广西: only 鹿寨
    assert {h.document_short for h in page.hits()} == {"鹿寨"}
    page.set_filter(page.region_combo, None)
    page.set_filter(page.department_combo, "卫生健康")
    by_health = len(page.hits())
    assert 0 < by_health < everything
    page.set_filter(page.department_combo, None)
    childcare = next(t.code for t in load_topics() if t.label == "托育")
    page.set_filter(page.topic_combo, childcare)
    assert 0 < len(page.hits()) <= everything


def test_a_filter_alone_lists_its_measures(page: SearchPage) -> None:
    page.set_filter(page.region_combo, "640521")
    assert page.hits() and {h.document_short for h in page.hits()} == {"中宁"}


def test_the_selected_hit_is_shown_in_full(page: SearchPage, qtbot: Any) -> None:
    _type(page, qtbot, "母婴设施")
    first = page.hits()[0]
    shown = page.detail.measure
    assert shown is not None and shown.id == first.measure_id
    second = page.model.index(min(1, page.model.rowCount() - 1), 0)
    page.results_view.setCurrentIndex(second)
    shown = page.detail.measure
    assert shown is not None and shown.id == page.hits()[second.row()].measure_id


def test_a_query_without_hits_says_so(page: SearchPage) -> None:
    page.query_edit.setText("火星移民")
    page.run_search()
    assert page.hits() == []
    assert "没有找到" in page.count_label.text()
    assert page.detail.measure is None
