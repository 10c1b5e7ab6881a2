"""检查清单: the selection drives the generator; the preview shows sections, each item's
basis (measure text, 文号), what was left out and why, coverage; exports read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from checklists.export_xlsx import COL, SHEET
from gui import messages
from gui.context import PageContext
from gui.models.checklist_items import ChecklistTreeModel, exclusion_model
from gui.pages.checklists import ChecklistPage
from services.catalog import load_catalog
from services.settings import JURISDICTION, set_setting

FIRE = "托育机构消防安全"


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> ChecklistPage:
    widget = ChecklistPage(ctx)
    qtbot.addWidget(widget)
    return widget


def _doc_id(page: ChecklistPage, short: str) -> str:
    panel = page.selection_panel
    for i in range(panel.document_list.count()):
        item = panel.document_list.item(i)
        if item.text().startswith(short):
            return str(item.data(Qt.ItemDataRole.UserRole))
    raise AssertionError(short)


def _sections(page: ChecklistPage) -> list[str]:
    model = page.tree_model
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def test_without_a_theme_nothing_is_generated_and_the_page_says_why(page: ChecklistPage) -> None:
    assert page.checklist is None
    assert "请至少选择一个检查主题" in page.summary_label.text()
    assert not page.export_xlsx_button.isEnabled()


def test_the_fire_safety_theme_generates_sections_and_items(page: ChecklistPage) -> None:
    page.selection_panel.check_themes([FIRE])
    checklist = page.checklist
    assert checklist is not None and len(checklist.items) > 20
    assert _sections(page)[:2] == ["设置位置与建筑防火", "安全疏散"]
    assert page.tree_model.row_count_total() == len(checklist.items)
    assert page.tree_model.item_codes()[0] == "XF-A01"
    assert f"{len(checklist.items)} 个检查项" in page.summary_label.text()
    assert page.export_xlsx_button.isEnabled()


def test_selecting_an_item_shows_its_measure_text_and_legal_citation(
    ctx: PageContext, page: ChecklistPage
) -> None:
    page.selection_panel.check_themes([FIRE])
    page.selection_panel.check_documents([_doc_id(page, "宝鸡")])
    assert page.select_item("XF-A01")
    text = page.detail.text()
    assert "婴幼儿用房是否设在地上楼层（不在地下、半地下）" in text
    assert "GB 55037-2022" in text and "第4.3.4条" in text  # 文号 and clause
    assert "文号 / 版本" in text  # the column holds a 文号 or a law's amendment
    assert "宝鸡:6" in text
    item = page.current_item()
    assert item is not None
    baoji6 = next(m for m in item.measures if m.ref == "宝鸡:6")
    with ctx.db.session() as s:
        (measure,) = [m for d in load_catalog(s) for m in d.measures if m.id == baoji6.id]
    assert measure.text[:20] in text  # the measure's own words
    # a 规范义务 whose bases were not read in their own words grounds a recommendation only
    assert "消防救援" in text and "只能提出建议" in text and "未读到原文" in text
    assert page.select_item("XF-B01")  # 消防法, read in full: an order
    assert "可由消防救援部门在职权范围内责令改正" in page.detail.text()


def test_a_recommendation_item_says_it_cannot_ground_an_order(page: ChecklistPage) -> None:
    page.selection_panel.check_themes([FIRE])
    checklist = page.checklist
    assert checklist is not None
    soft = next(i for i in checklist.items if i.order_kind == "recommendation")
    page.select_item(soft.code)
    assert "只能提出建议" in page.detail.text()


def test_items_for_other_entity_types_are_listed_with_the_reason(page: ChecklistPage) -> None:
    panel = page.selection_panel
    panel.check_themes([FIRE])
    everything = len(page.checklist.items) if page.checklist else 0
    panel.set_entity_type("family_childcare")
    assert page.checklist is not None and len(page.checklist.items) < everything
    reasons = page.excluded_reasons()
    assert "XF-A01" in reasons and "不适用于“家庭托育点”" in reasons["XF-A01"]
    assert page.tabs.tabText(1) == f"未列入的检查项（{len(reasons)}）"


def test_fact_fields_follow_the_theme_and_a_false_fact_excludes_with_its_reason(
    page: ChecklistPage,
) -> None:
    panel = page.selection_panel
    panel.check_themes([FIRE])
    assert "in_mixed_building" in panel.fact_codes()
    assert "enrolled_children" not in panel.fact_codes()  # declared by another theme
    assert page.checklist is not None and page.checklist.item("XF-A04").pending
    panel.set_fact("in_mixed_building", False)
    assert page.checklist.item("XF-A04") is None
    assert "适用条件不满足" in page.excluded_reasons()["XF-A04"]
    panel.set_fact("in_mixed_building", True)
    item = page.checklist.item("XF-A04")
    assert item is not None and not item.pending


def test_departments_filter_items_by_competent_department(page: ChecklistPage) -> None:
    panel = page.selection_panel
    panel.check_themes([FIRE])
    panel.check_departments(["卫生健康"])
    assert page.checklist is not None
    assert {i.competent_department for i in page.checklist.items} <= {"卫生健康"}
    assert any("主管部门为消防救援" in r for r in page.excluded_reasons().values())


def test_documents_applying_to_the_jurisdiction_are_ticked_by_default(
    ctx: PageContext, page: ChecklistPage
) -> None:
    with ctx.db.session() as s:
        set_setting(s, JURISDICTION, "640521")
    ctx.events.settingsChanged.emit()
    panel = page.selection_panel
    assert panel.document_ids() == [_doc_id(page, "中宁")]
    assert "中宁县" in panel.document_hint.text()


def test_coverage_lists_uncovered_measures_per_document_and_measures_per_item(
    page: ChecklistPage,
) -> None:
    page.selection_panel.check_themes([FIRE])
    view = page.coverage_view
    docs = view.document_model.rows()
    assert [d.short for d in docs] == ["中宁", "宝鸡", "鹿寨", "内蒙古", "白银"]
    baoji = next(d for d in docs if d.short == "宝鸡")
    view.document_table.selectRow(docs.index(baoji))
    assert view.uncovered_model.rows() == list(baoji.uncovered)
    assert "宝鸡:6" not in {m.ref for m in baoji.uncovered}
    rows = {r.code: r for r in view.item_model.rows()}
    assert {m.ref for m in rows["XF-A01"].measures} >= {"宝鸡:6", "内蒙古:(十)"}
    page.selection_panel.check_documents([baoji.document_id])
    assert [d.short for d in view.document_model.rows()] == ["宝鸡"]
    rows = {r.code: r for r in view.item_model.rows()}
    assert rows["XF-A01"].unresolved == ()  # other documents' measures still resolve


def test_export_writes_an_xlsx_that_reads_back_with_the_items(
    page: ChecklistPage, qtbot: Any, tmp_path: Path
) -> None:
    page.selection_panel.check_themes([FIRE])
    checklist = page.checklist
    assert checklist is not None
    out = tmp_path / "消防检查表.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20_000) as sig:
        page.export_xlsx(out)
    assert sig.args == [str(out)]
    ws = load_workbook(out)[SHEET]
    codes = [ws.cell(r, COL["检查项编码"]).value for r in range(1, ws.max_row + 1)]
    assert [c for c in codes if c and c != "检查项编码"] == [i.code for i in checklist.items]
    assert not list(tmp_path.glob(".*.part"))


def test_xlsform_export_has_survey_choices_and_settings(
    page: ChecklistPage, qtbot: Any, tmp_path: Path
) -> None:
    page.selection_panel.check_themes([FIRE])
    out = tmp_path / "form.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20_000):
        page.export_xlsform(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    names = [row[1] for row in wb["survey"].iter_rows(values_only=True)]
    assert "i_XF_A01" in names


def test_an_export_that_cannot_be_written_is_reported_in_chinese(
    page: ChecklistPage, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: errors.append(text))
    page.selection_panel.check_themes([FIRE])
    task = page.export_xlsx(tmp_path / "没有这个文件夹" / "x.xlsx")
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert errors and "不存在" in errors[0]


def test_checklist_models_pass_the_model_tester(page: ChecklistPage, qtmodeltester: Any) -> None:
    page.selection_panel.check_themes([FIRE])
    model = ChecklistTreeModel()
    model.set_checklist(page.checklist)
    qtmodeltester.check(model)
    excluded = exclusion_model()
    page.selection_panel.set_entity_type("family_childcare")
    assert page.checklist is not None
    excluded.set_rows(page.checklist.excluded)
    qtmodeltester.check(excluded)


def test_a_catalog_change_keeps_the_ticked_documents(ctx: PageContext, page: ChecklistPage) -> None:
    baoji = _doc_id(page, "宝鸡")
    page.selection_panel.check_themes([FIRE])
    page.selection_panel.check_documents([baoji])
    ctx.events.catalogChanged.emit()
    assert page.selection_panel.document_ids() == [baoji]
    assert page.selection_panel.theme_codes() == ["tuoyu_xiaofang"]
    assert page.checklist is not None and page.checklist.selection.documents == (baoji,)


def test_before_a_theme_is_ticked_the_preview_shows_a_guide_not_an_empty_table(
    page: ChecklistPage,
) -> None:
    from gui.pages.checklists import GUIDE

    assert page.selection_panel.theme_codes() == []  # no theme is preselected
    assert page.showing_guide and page.guide_label.text() == GUIDE
    assert page.tabs.widget(0) is page.preview_stack
    page.selection_panel.check_themes([FIRE])
    assert not page.showing_guide and page.tree_model.rowCount() > 0
    page.selection_panel.check_themes([])
    assert page.showing_guide
