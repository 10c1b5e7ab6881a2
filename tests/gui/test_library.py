"""政策目录: documents by jurisdiction, a document's measure tree, a measure's detail."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.context import PageContext
from gui.pages.library import LibraryPage
from services.settings import JURISDICTION, set_setting


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> LibraryPage:
    widget = LibraryPage(ctx)
    qtbot.addWidget(widget)
    return widget


def _doc_id(page: LibraryPage, short: str) -> str:
    return next(d.id for d in page.documents() if d.short == short)


def test_without_a_jurisdiction_the_five_bundled_documents_are_listed(page: LibraryPage) -> None:
    assert [d.short for d in page.documents()] == ["中宁", "宝鸡", "鹿寨", "内蒙古", "白银"]
    assert "尚未设置辖区" in page.scope_label.text()
    assert page.current_document() == page.documents()[0]


def test_selecting_luzhai_lists_its_22_measures_under_their_sections(page: LibraryPage) -> None:
    assert page.select_document(_doc_id(page, "鹿寨"))
    assert page.measure_model.measure_count() == 22
    assert page.measure_model.rowCount() > 1  # grouped by section
    shown = page.detail.measure
    assert shown is not None and shown.ref == "鹿寨:(一)"


def test_the_detail_shows_units_as_written_with_role_and_department(page: LibraryPage) -> None:
    page.select_document(_doc_id(page, "鹿寨"))
    units = page.detail.units_as_written()
    assert [u.name for u in units][:2] == ["县卫健局", "县纪委监委"]
    html = page.detail.content_browser.toHtml()
    assert "县卫健局" in html and "鹿寨县卫生健康局" in html and "责任" in html
    assert page.detail.title_label.text() == "保障生育政策依法落实"


def test_the_original_tab_shows_the_text_of_the_measure_now_shown(page: LibraryPage) -> None:
    page.select_document(_doc_id(page, "鹿寨"))
    detail = page.detail
    first, second = _measures(page)[:2]
    detail.tabs.setCurrentWidget(detail.source_browser)
    assert detail.source_browser.toPlainText() == first.source_text.strip() != ""
    # with the tab open, another measure's text replaces it at once
    assert page.select_measure(second.id)
    assert detail.source_browser.toPlainText() == second.source_text.strip()
    # back on 措施内容, a measure chosen meanwhile is the one 原文 shows when opened again
    detail.tabs.setCurrentWidget(detail.content_browser)
    assert page.select_measure(first.id)
    detail.tabs.setCurrentWidget(detail.source_browser)
    assert detail.source_browser.toPlainText() == first.source_text.strip()


@pytest.mark.qt_log_ignore("This plugin does not support")  # a shown page under offscreen
def test_the_number_and_check_columns_fit_their_longest_entries(page: LibraryPage,
                                                                 qtbot: Any) -> None:
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    tree, header = page.measure_tree, page.measure_tree.header()
    metrics = tree.fontMetrics()
    for doc in page.documents():
        page.select_document(doc.id)
        for m in _measures(page):
            index = page.measure_model.index_of(m.id)
            room = header.sectionSize(0) - tree.visualRect(index).left()
            # the whole number is drawn, not elided: the item's padding (3px 4px in the style
            # sheet) and the style's text margins fit beside it
            assert metrics.horizontalAdvance(m.number) + 14 <= room, m.number
    assert metrics.horizontalAdvance("待核") < header.sectionSize(2)
    assert metrics.horizontalAdvance("12 项") < header.sectionSize(2)


def test_flagged_measures_are_marked_for_checking(page: LibraryPage) -> None:
    page.select_document(_doc_id(page, "白银"))
    flagged = [m for m in _measures(page) if m.flags]
    assert flagged
    assert page.select_measure(flagged[0].id)
    assert page.detail.flags_label.text() == "待核"
    index = page.measure_model.index_of(flagged[0].id)
    assert index.siblingAtColumn(2).data() == "待核"


def _measures(page: LibraryPage) -> list[Any]:
    model = page.measure_model
    out = []
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        out += [model.measure_at(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]
    return out


def test_jurisdiction_shows_only_documents_that_apply_and_show_all_lifts_it(
    ctx: PageContext, page: LibraryPage
) -> None:
    with ctx.db.session() as s:
        set_setting(s, JURISDICTION, "640521")
    ctx.events.settingsChanged.emit()
    assert [d.short for d in page.documents()] == ["中宁"]
    assert "中宁县" in page.scope_label.text()
    page.show_all_check.setChecked(True)
    assert {d.short for d in page.documents()} == {"中宁", "宝鸡", "鹿寨", "内蒙古", "白银"}
    page.show_all_check.setChecked(False)
    assert [d.short for d in page.documents()] == ["中宁"]


def test_assigned_units_are_added_and_removed_apart_from_the_text(
    ctx: PageContext, page: LibraryPage, qtbot: Any
) -> None:
    page.select_document(_doc_id(page, "宝鸡"))
    detail = page.detail
    written = detail.units_as_written()
    detail.assign_combo.setEditText("宝鸡市卫生健康委员会")
    with qtbot.waitSignal(ctx.events.catalogChanged):
        qtbot.mouseClick(detail.assign_button, Qt.MouseButton.LeftButton)
    assert detail.assigned_names() == ["宝鸡市卫生健康委员会"]
    assert detail.units_as_written() == written
    detail.assigned_list.item(0).setSelected(True)
    assert detail.unassign_button.isEnabled()
    qtbot.mouseClick(detail.unassign_button, Qt.MouseButton.LeftButton)
    assert detail.assigned_names() == []


def test_an_imported_document_outside_the_jurisdiction_can_be_revealed(
    ctx: PageContext, page: LibraryPage
) -> None:
    with ctx.db.session() as s:
        set_setting(s, JURISDICTION, "640521")
    ctx.events.settingsChanged.emit()
    luzhai = next(d.id for d in _all_documents(ctx) if d.short == "鹿寨")
    assert not page.select_document(luzhai)
    assert page.reveal_document(luzhai)
    assert page.show_all_check.isChecked()
    current = page.current_document()
    assert current is not None and current.id == luzhai


def _all_documents(ctx: PageContext) -> list[Any]:
    from services.catalog import list_documents

    with ctx.db.session() as s:
        return list_documents(s)


@pytest.mark.qt_log_ignore("This plugin does not support")  # popups under offscreen
def test_department_names_are_offered_once_the_assign_box_is_used(page: LibraryPage) -> None:
    combo = page.detail.assign_combo
    assert combo.count() == 0  # nothing queried just to show a measure
    combo.showPopup()
    combo.hidePopup()
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "鹿寨县卫生健康局" in names and "中宁县卫生健康局" in names


def test_a_person_corrects_a_measures_topics_and_the_correction_is_kept(
    ctx: PageContext, page: LibraryPage, qtbot: Any
) -> None:
    from gui.widgets.measure_topics import TopicsDialog
    from services.catalog import measure_view
    from services.catalog_store import ensure_bundled_catalog

    page.select_document(_doc_id(page, "鹿寨"))
    detail = page.detail
    measure = detail.measure
    assert measure is not None
    dialog = TopicsDialog(measure, detail)
    qtbot.addWidget(dialog)
    assert set(dialog.chosen()) == set(measure.topics)
    replacement = next(code for code in dialog.boxes if code not in measure.topics)
    for code, box in dialog.boxes.items():
        box.setChecked(code == replacement)
    wanted = dialog.chosen()
    assert wanted == [replacement]
    with qtbot.waitSignal(ctx.events.catalogChanged):
        detail.save_topics(wanted)
    shown = detail.measure
    assert shown is not None and list(shown.topics) == wanted
    with ctx.db.session() as s:
        ensure_bundled_catalog(s)  # a later start re-reads the catalog
        again = measure_view(s, measure.id)
    assert again is not None and list(again.topics) == wanted
    assert "政策主题" in detail.content_browser.toPlainText()
