"""Every item model passes Qt's model tester over real catalog data."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from checklists.parsing import parse_text
from gui.models.base import HTML_ROLE, ROW_ROLE
from gui.models.comparison import CELL_ROLE, ComparisonTableModel
from gui.models.department_measures import DepartmentMeasureTableModel
from gui.models.departments import KEY_ROLE, DepartmentTreeModel
from gui.models.documents import DocumentTableModel
from gui.models.measure_tree import MeasureTreeModel
from gui.models.parsed_measures import ParsedMeasureTableModel
from gui.models.search_hits import SearchHitModel
from models.db import Database
from services.catalog import (
    department_measures,
    list_departments,
    list_documents,
    load_catalog,
    search_measures,
    topic_comparison,
)
from tests.conftest import seed_text


def test_document_model_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        docs = list_documents(s)
    model = DocumentTableModel(docs)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert model.index(0, 0).data(ROW_ROLE) == docs[0]
    assert docs[0].title in model.index(0, 0).data(HTML_ROLE)


def test_measure_tree_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        baoji = next(d for d in load_catalog(s) if d.short == "宝鸡")
    model = MeasureTreeModel(baoji.measures)
    qtmodeltester.check(model)
    assert model.measure_count() == len(baoji.measures)
    first = model.first_measure_index()
    assert model.measure_at(first) == baoji.measures[0]
    assert model.index_of(baoji.measures[-1].id).data(ROW_ROLE) == baoji.measures[-1]


def test_search_hit_model_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        hits = search_measures(s, "托育")
    model = SearchHitModel(hits)
    qtmodeltester.check(model)
    assert model.rowCount() == len(hits)


def test_department_tree_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        departments = list_departments(s)
    model = DepartmentTreeModel(departments)
    qtmodeltester.check(model)
    health = model.kind_index("卫生健康")
    assert health.data(KEY_ROLE) == "卫生健康"
    children = {
        model.index(r, 0, health).data(Qt.ItemDataRole.DisplayRole)
        for r in range(model.rowCount(health))
    }
    assert "鹿寨县卫生健康局" in children


def test_department_measure_model_passes_the_model_tester(
    catalog_db: Database, qtmodeltester: Any
) -> None:
    with catalog_db.session() as s:
        rows = department_measures(s, "卫生健康")
    model = DepartmentMeasureTableModel(rows)
    qtmodeltester.check(model)
    roles = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert roles <= {"牵头", "责任", "继承", "指派", "牵头、责任", "责任、牵头"} and "牵头" in roles


def test_comparison_model_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        grid = topic_comparison(s)
    model = ComparisonTableModel(grid)
    qtmodeltester.check(model)
    assert model.columnCount() == 5
    row = next(i for i, (_code, label) in enumerate(grid.topics) if label == "托育")
    cells = [model.index(row, c).data(CELL_ROLE) for c in range(5)]
    assert all(cells)  # every bundled document has childcare measures
    assert model.index(row, 0).data() == str(len(cells[0]))


def test_parsed_measure_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    doc = parse_text(seed_text("002"))
    model = ParsedMeasureTableModel(doc)
    qtmodeltester.check(model)
    assert model.rowCount() == len(doc.measures)
    assert model.index(0, 1).data() == doc.measures[0].title


def test_stored_iso_times_are_shown_in_beijing_time() -> None:
    from gui import format as fmt

    assert fmt.iso_time("2026-12-07T06:09:00+00:00") == "2026-12-07 14:09"
    assert fmt.iso_time("2026-12-07T06:09:00") == "2026-12-07 14:09"  # stored UTC, no offset
    assert fmt.iso_time("2026-12-07T23:30:05Z", seconds=True) == "2026-12-08 07:30:05"
    assert fmt.iso_time("不是时间") == "不是时间" and fmt.iso_time(None) == ""


def test_text_is_escaped_for_html_as_the_standard_library_does() -> None:
    import html

    from gui import format as fmt

    for text in ("中宁县<卫生健康局>", "A&B \"甲\" '乙'", "&amp;", ""):
        assert fmt.esc(text) == html.escape(text)
    assert fmt.esc(None) == ""
