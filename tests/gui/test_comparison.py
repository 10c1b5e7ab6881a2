"""主题对比: the topics × documents grid and the measures behind a cell."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.context import PageContext
from gui.pages.comparison import ComparisonPage


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> ComparisonPage:
    widget = ComparisonPage(ctx)
    qtbot.addWidget(widget)
    return widget


def test_the_grid_has_a_column_per_document_and_a_row_per_topic(page: ComparisonPage) -> None:
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["中宁", "宝鸡", "鹿寨", "内蒙古", "白银"]
    topics = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert "托育" in topics and "母婴设施" in topics


def test_selecting_a_cell_lists_its_measures_and_shows_the_first(page: ComparisonPage) -> None:
    model = page.model
    row = next(
        r for r in range(model.rowCount()) if model.headerData(r, Qt.Orientation.Vertical) == "托育"
    )
    page.select_cell(row, 1)
    listed = page.listed_measures()
    assert len(listed) == int(model.index(row, 1).data())
    assert "宝鸡 · 托育" in page.cell_label.text()
    shown = page.detail.measure
    assert shown is not None and shown.id == listed[0] and shown.ref.startswith("宝鸡:")
    tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert shown.title in tip
