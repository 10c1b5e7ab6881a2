"""部门视图: departments by kind, and every measure a department or kind leads or shares."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.context import PageContext
from gui.models.departments import KEY_ROLE
from gui.pages.departments import DepartmentsPage


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> DepartmentsPage:
    widget = DepartmentsPage(ctx)
    qtbot.addWidget(widget)
    return widget


def _children(page: DepartmentsPage, kind: str) -> list[str]:
    model = page.tree_model
    parent = model.kind_index(kind)
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_health_departments_of_every_region_are_listed_under_their_kind(
    page: DepartmentsPage,
) -> None:
    names = _children(page, "卫生健康")
    assert {"鹿寨县卫生健康局", "中宁县卫生健康局"} <= set(names)
    parent = page.tree_model.kind_index("卫生健康")
    tip = page.tree_model.index(names.index("鹿寨县卫生健康局"), 0, parent).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "县卫健局" in tip  # the name as written, as tooltip


def test_a_kind_lists_every_measure_its_departments_lead_or_share(page: DepartmentsPage) -> None:
    assert page.select_kind("卫生健康")
    rows = page.measures()
    assert {r.document_short for r in rows} >= {"中宁", "鹿寨", "内蒙古", "白银"}
    roles = {page.measure_model.index(r, 3).data() for r in range(page.measure_model.rowCount())}
    assert "牵头" in roles and "责任" in roles
    assert page.detail.measure is not None and page.detail.measure.id == rows[0].measure_id
    assert f"共 {len(rows)} 项措施" in page.heading_label.text()


def test_one_department_lists_only_its_own_measures(page: DepartmentsPage) -> None:
    page.select_kind("卫生健康")
    parent = page.proxy.mapFromSource(page.tree_model.kind_index("卫生健康"))
    luzhai = next(
        page.proxy.index(r, 0, parent)
        for r in range(page.proxy.rowCount(parent))
        if page.proxy.index(r, 0, parent).data() == "鹿寨县卫生健康局"
    )
    page.department_tree.setCurrentIndex(luzhai)
    assert page.current_key() == luzhai.data(KEY_ROLE)
    rows = page.measures()
    assert rows and {r.document_short for r in rows} == {"鹿寨"}
    assert all("县卫健局" in r.names_as_written for r in rows)


def test_the_filter_finds_a_department_by_the_name_as_written(page: DepartmentsPage) -> None:
    page.filter_edit.setText("县卫健局")
    proxy = page.proxy
    found = []
    for k in range(proxy.rowCount()):
        parent = proxy.index(k, 0)
        found += [proxy.index(r, 0, parent).data() for r in range(proxy.rowCount(parent))]
    assert found == ["鹿寨县卫生健康局"]
