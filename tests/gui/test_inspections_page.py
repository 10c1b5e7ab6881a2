"""现场检查 list: a lazy model over stored counts, filtered by status, type, theme, region and
date, sorted in SQL, fetched a window at a time; Enter opens the entry form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.context import PageContext
from gui.models.inspections import InspectionListModel
from gui.pages.inspections import InspectionsPage
from models.db import Database
from rules.inspection_status import FAIL, PARTIAL, PASS, SELF_CHECK, SUPERVISION
from services.entities import create_entity
from services.findings import record_finding
from services.inspection_lifecycle import complete_inspection
from services.inspection_list import ListFilter
from tests.services.inspection_fixtures import new_inspection, officers

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

MUYING = "母婴设施（测试）"


def _visit(db: Database, entity: int, day: int, kind: str, answers: dict[str, str],
           complete: bool = False) -> int:
    with db.session() as s:
        made = new_inspection(s, kind=kind, people=officers(1), entity_id=entity,
                              started_at=datetime(2026, 3, day, 9, 0, tzinfo=UTC))
        for code, result in answers.items():
            record_finding(s, made.id, code, result=result, note="现场所见")
        if complete:
            complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        return made.id


@pytest.fixture
def visits(catalog_db: Database) -> dict[str, int]:
    """Three units in three regions; four inspections with different results and dates."""
    with catalog_db.session() as s:
        zn = create_entity(s, name="中宁县某商场", type_code="commercial_center",
                           region_code="640521").id
        bj = create_entity(s, name="宝鸡市某企业", type_code="enterprise",
                           region_code="610300").id
        by = create_entity(s, name="白银市某医院", type_code="hospital_public",
                           region_code="620400").id
    return {
        "zn_early": _visit(catalog_db, zn, 2, SELF_CHECK,
                           {"FXM-A01": PASS, "FXM-B01": FAIL, "FXN-A01": FAIL}, complete=True),
        "zn_late": _visit(catalog_db, zn, 20, SUPERVISION, {"FXM-A01": PASS}),
        "bj": _visit(catalog_db, bj, 10, SELF_CHECK,
                     {"FXM-A01": PASS, "FXM-B01": PARTIAL}, complete=True),
        "by": _visit(catalog_db, by, 15, SUPERVISION, {}),
    }


def _ids(model: InspectionListModel) -> list[int]:
    return [r.id for r in model.loaded_rows()]


def test_rows_show_stored_counts_newest_first(catalog_db: Database, visits: dict[str, int],
                                              qtmodeltester: Any) -> None:
    model = InspectionListModel(catalog_db)
    model.reload()
    qtmodeltester.check(model)
    assert _ids(model) == [visits["zn_late"], visits["by"], visits["bj"], visits["zn_early"]]
    last = model.rowCount() - 1
    cells = [model.index(last, c).data() for c in range(model.columnCount())]
    assert cells[0] == "中宁县某商场" and cells[1] == SELF_CHECK
    assert cells[2] == "母婴设施（测试）、女职工劳动保护（测试）"
    assert cells[3] == "已完成（待签名）" and cells[4] == "2026-03-02"
    assert cells[5] == "3/8" and cells[6] == "33.3%" and cells[7] == "2"
    assert model.index(0, 6).data() == "100.0%"
    by_row = model.row_of(visits["by"])
    assert model.index(by_row, 6).data() == "—" and model.index(by_row, 5).data() == "0/8"


def test_filters_by_status_type_theme_region_and_date(catalog_db: Database,
                                                      visits: dict[str, int]) -> None:
    model = InspectionListModel(catalog_db)
    model.set_filter(status="completed")
    assert set(_ids(model)) == {visits["zn_early"], visits["bj"]}
    model.set_filter(ListFilter(kind=SUPERVISION))
    assert set(_ids(model)) == {visits["zn_late"], visits["by"]}
    model.set_filter(ListFilter(theme=MUYING))
    assert model.total() == 4
    model.set_filter(ListFilter(theme="托育机构消防安全"))
    assert model.total() == 0
    model.set_filter(ListFilter(region="640000"))  # 宁夏: the 中宁 unit only
    assert set(_ids(model)) == {visits["zn_early"], visits["zn_late"]}
    model.set_filter(ListFilter(region="610000"))  # 陕西
    assert _ids(model) == [visits["bj"]]
    model.set_filter(ListFilter(date_from=date(2026, 3, 10), date_to=date(2026, 3, 15)))
    assert set(_ids(model)) == {visits["bj"], visits["by"]}
    model.set_filter(ListFilter(search="白银"))
    assert _ids(model) == [visits["by"]]


def test_sorting_is_done_by_the_model(catalog_db: Database, visits: dict[str, int]) -> None:
    model = InspectionListModel(catalog_db)
    model.sort(7, Qt.SortOrder.DescendingOrder)  # 不符合数
    assert _ids(model)[0] == visits["zn_early"]
    model.sort(6, Qt.SortOrder.AscendingOrder)  # 符合率: unjudged first (NULL), then lowest
    rates = [r.rate for r in model.loaded_rows()]
    assert rates[0] is None
    judged = [r for r in rates if r is not None]
    assert judged == sorted(judged)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    names = [r.entity_name for r in model.loaded_rows()]
    assert names == sorted(names)
    model.sort(3, Qt.SortOrder.AscendingOrder)  # 状态: in workflow order
    assert [r.status for r in model.loaded_rows()] == ["draft", "draft", "completed",
                                                       "completed"]
    model.sort(5, Qt.SortOrder.DescendingOrder)  # 进度
    assert _ids(model)[0] == visits["zn_early"]


def test_rows_are_fetched_a_window_at_a_time(catalog_db: Database,
                                             visits: dict[str, int]) -> None:
    model = InspectionListModel(catalog_db, batch=3)
    model.reload()
    assert model.total() == 4 and model.rowCount() == 3 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 4 and not model.canFetchMore()
    assert len(set(_ids(model))) == 4


def test_the_page_filters_and_sorts_from_its_widgets(ctx: PageContext, visits: dict[str, int],
                                                     qtbot: Any) -> None:
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    assert page.model.total() == 4 and "共 4 次检查" in page.count_label.text()
    page.status_combo.setCurrentIndex(page.status_combo.findData("draft"))
    assert {r.id for r in page.rows()} == {visits["zn_late"], visits["by"]}
    page.region_combo.setCurrentIndex(page.region_combo.findData("620400"))
    assert [r.id for r in page.rows()] == [visits["by"]]
    page.region_combo.setCurrentIndex(0)
    page.status_combo.setCurrentIndex(0)
    page.from_edit.setDate(page.from_edit.date().fromString("2026-03-11", "yyyy-MM-dd"))
    assert {r.id for r in page.rows()} == {visits["zn_late"], visits["by"]}
    page.from_edit.setDate(page.from_edit.minimumDate())
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.rows()[0].entity_name == "中宁县某商场"
    page.status_combo.setCurrentIndex(page.status_combo.findData("signed"))
    assert page.rows() == [] and page.count_label.text() == "没有符合筛选条件的检查"


def test_enter_on_a_row_opens_the_entry_form(ctx: PageContext, visits: dict[str, int],
                                            qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    inspection = pytest.importorskip("gui.inspection")
    opened: list[int] = []
    monkeypatch.setattr(inspection, "open_inspection",
                        lambda _ctx, inspection_id, _parent: opened.append(inspection_id))
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.select_inspection(visits["bj"])
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [visits["bj"]]


def test_completed_reads_as_waiting_for_signatures_in_list_and_filter(
        ctx: PageContext, visits: dict[str, int], qtbot: Any) -> None:
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    index = page.status_combo.findData("completed")
    assert page.status_combo.itemText(index) == "已完成（待签名）"
    page.status_combo.setCurrentIndex(index)
    assert {r.id for r in page.rows()} == {visits["zn_early"], visits["bj"]}
    assert {page.model.index(r, 3).data() for r in range(page.model.rowCount())} == {
        "已完成（待签名）"}
    assert "尚待" in page.model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)


@pytest.mark.qt_log_ignore("This plugin does not support")  # shown windows under offscreen
def test_demo_inspections_carry_the_same_badge_as_demo_units(
        ctx: PageContext, qtbot: Any) -> None:
    from gui.models.entities import DEMO_TIP
    from tests.gui.test_entities_page import badge_shown

    with ctx.db.session() as s:
        demo = create_entity(s, name="演示商场", type_code="commercial_center", demo=True).id
        real = create_entity(s, name="真实商场", type_code="commercial_center").id
    demo_id = _visit(ctx.db, demo, 3, SELF_CHECK, {})
    real_id = _visit(ctx.db, real, 4, SELF_CHECK, {})
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    rows = {page.model.row_at(r).id: r for r in range(page.model.rowCount())}
    assert page.model.index(rows[demo_id], 0).data() == "演示商场"
    assert DEMO_TIP in page.model.index(rows[demo_id], 0).data(Qt.ItemDataRole.ToolTipRole)
    assert badge_shown(page.table, rows[demo_id])
    assert not badge_shown(page.table, rows[real_id])


def test_a_header_click_or_a_filter_change_reads_the_database_once(catalog_db: Database,
                                                visits: dict[str, int]) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    model = InspectionListModel(catalog_db)
    model.reload()
    event.listen(catalog_db.engine, "before_cursor_execute", seen)
    try:
        model.sort(6, Qt.SortOrder.AscendingOrder)
        assert len(statements) == 1, statements
        assert model.total() == 4 and len(_ids(model)) == 4
        statements.clear()
        model.set_filter(status="completed")  # a new filter counts while it fetches
        assert len(statements) == 1 and model.total() == 2
        assert {r.status for r in model.loaded_rows()} == {"completed"}
        statements.clear()
        model.sort(4, Qt.SortOrder.DescendingOrder)  # and a header click does not count again
        assert len(statements) == 1 and "count(" not in statements[0].lower()
        assert model.total() == 2
    finally:
        event.remove(catalog_db.engine, "before_cursor_execute", seen)
