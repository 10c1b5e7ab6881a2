"""模板编辑: the item dialog validates through the theme schema and names the field in
Chinese; edits go to the user layer (never the shipped YAML), survive reopening, reach the
checklist page, and undo/redo through the QUndoStack."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from checklists.templates import find_theme, load_themes, themes_dir
from gui import messages
from gui.context import PageContext
from gui.dialogs.template_item_editor import TemplateItemEditor
from gui.models.template_items import TemplateTreeModel, template_rows
from gui.pages.checklists import ChecklistPage
from gui.pages.templates import TemplatesPage
from services.user_templates import user_layer

FIRE = "托育机构消防安全"
NEW_QUESTION = "婴幼儿用房是否设在地面以上且未设在地下室或半地下室？"


def _shipped_bytes() -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(themes_dir().glob("*.yaml"))
    }


def _fire_theme() -> Any:
    theme = find_theme(load_themes(), FIRE)
    assert theme is not None
    return theme


@pytest.fixture
def page(ctx: PageContext, qtbot: Any) -> TemplatesPage:
    widget = TemplatesPage(ctx)
    qtbot.addWidget(widget)
    widget.select_theme(FIRE)
    return widget


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: said.append(text))
    return said


def _editor(qtbot: Any, code: str | None = "XF-A01") -> TemplateItemEditor:
    theme = _fire_theme()
    dialog = TemplateItemEditor(
        theme, theme.item(code) if code else None, taken_codes={i.code for i in theme.items}
    )
    qtbot.addWidget(dialog)
    return dialog


def _new_item(qtbot: Any, code: str) -> TemplateItemEditor:
    dialog = _editor(qtbot, None)
    dialog.code_edit.setText(code)
    dialog.question_edit.setPlainText("灭火器是否在有效期内且压力指示正常？")
    dialog.basis_table.item(0, 0).setText("《中华人民共和国消防法》")
    dialog.basis_table.item(0, 2).setText("第十六条第一款第（二）项")
    return dialog


def _edited_payload(qtbot: Any) -> dict[str, Any]:
    dialog = _editor(qtbot)
    dialog.question_edit.setPlainText(NEW_QUESTION)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.payload is not None
    return dialog.payload


def test_the_editor_shows_the_item_and_round_trips_it_unchanged(qtbot: Any) -> None:
    dialog = _editor(qtbot, "XF-A02")  # a measured item with a threshold and two bases
    assert dialog.code_edit.isReadOnly()
    assert dialog.basis_table.rowCount() == 2
    assert dialog.threshold_edit.text() == "3"
    item = dialog.check()
    assert item is not None
    assert dialog.payload == _fire_theme().item("XF-A02").to_payload()


@pytest.mark.parametrize(
    ("fill", "field"),
    [
        (lambda d: d.question_edit.setPlainText("  "), "“检查内容”填写有误"),
        (lambda d: [b.setChecked(False) for b in d.how_checks.values()], "“检查方法”填写有误"),
        (
            lambda d: d.basis_table.item(0, 0).setText("建筑设计防火规范"),
            "“法律依据第1行的“文件（带书名号）””填写有误",
        ),
        (lambda d: d.basis_table.item(0, 4).setText("UNVERIFIED"), "核实"),
        (lambda d: d.measures_edit.setText("宝鸡第六条"), "“政策措施”填写有误"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_in_chinese(
    qtbot: Any, fill: Any, field: str
) -> None:
    dialog = _editor(qtbot)
    fill(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.payload is None
    assert not dialog.error_label.isHidden()
    assert field in dialog.error_label.text()


def test_a_measure_answer_needs_a_numeric_threshold(qtbot: Any) -> None:
    dialog = _editor(qtbot, "XF-A02")
    dialog.threshold_edit.setText("三层")
    assert dialog.check() is None
    assert "“答案的“标准值””填写有误" in dialog.error_label.text()
    assert "应为数字" in dialog.error_label.text()


def test_a_new_item_cannot_reuse_a_code(qtbot: Any) -> None:
    dialog = _new_item(qtbot, "XF-A01")
    assert dialog.check() is None
    assert "编码已被其他检查项使用" in dialog.error_label.text()


def test_an_edit_is_saved_to_the_user_layer_and_undo_reverts_it(
    ctx: PageContext, page: TemplatesPage, qtbot: Any
) -> None:
    before = _shipped_bytes()
    original = page.model.row_for("XF-A01")
    assert original is not None and original.status == "内置"
    payload = _edited_payload(qtbot)
    page.select_item("XF-A01")
    with qtbot.waitSignal(ctx.events.templatesChanged):
        assert page.edit_current(payload)
    row = page.model.row_for("XF-A01")
    assert row is not None and row.status == "已修改" and row.item.question == NEW_QUESTION
    with ctx.db.session() as s:
        assert user_layer(s)["tuoyu_xiaofang"]["XF-A01"].payload["question"] == NEW_QUESTION
    assert _shipped_bytes() == before

    page.undo_action.trigger()
    row = page.model.row_for("XF-A01")
    assert row is not None and row.status == "内置" and row.item.question == original.item.question
    with ctx.db.session() as s:
        assert "XF-A01" not in user_layer(s).get("tuoyu_xiaofang", {})
    page.redo_action.trigger()
    assert page.model.row_for("XF-A01").item.question == NEW_QUESTION
    assert _shipped_bytes() == before


def test_an_edit_survives_reopening_and_reaches_the_checklist_page(
    ctx: PageContext, page: TemplatesPage, qtbot: Any
) -> None:
    checklist_page = ChecklistPage(ctx)
    qtbot.addWidget(checklist_page)
    checklist_page.selection_panel.check_themes([FIRE])
    page.select_item("XF-A01")
    page.edit_current(_edited_payload(qtbot))
    item = checklist_page.checklist.item("XF-A01") if checklist_page.checklist else None
    assert item is not None and item.question == NEW_QUESTION and item.user_edited

    reopened = TemplatesPage(ctx)
    qtbot.addWidget(reopened)
    reopened.select_theme(FIRE)
    row = reopened.model.row_for("XF-A01")
    assert row is not None and row.status == "已修改" and row.item.question == NEW_QUESTION


def test_disable_enable_and_revert_each_undo(
    ctx: PageContext, page: TemplatesPage, qtbot: Any
) -> None:
    checklist_page = ChecklistPage(ctx)
    qtbot.addWidget(checklist_page)
    checklist_page.selection_panel.check_themes([FIRE])
    page.select_item("XF-B01")
    assert page.disable_current()
    assert page.model.row_for("XF-B01").status == "内置·已停用"
    assert page.enable_button.isEnabled() and not page.disable_button.isEnabled()
    assert checklist_page.excluded_reasons()["XF-B01"] == "该检查项已停用"
    assert page.enable_current()
    assert page.model.row_for("XF-B01").status == "内置"
    page.undo_action.trigger()  # back to disabled
    assert page.model.row_for("XF-B01").disabled
    assert page.revert_current()
    assert page.model.row_for("XF-B01").status == "内置"
    page.undo_action.trigger()
    assert page.model.row_for("XF-B01").status == "内置·已停用"
    assert page.undo_stack.undoText() == "停用检查项 XF-B01"


def test_an_added_item_is_listed_as_new_and_can_be_removed_and_restored(
    page: TemplatesPage, qtbot: Any
) -> None:
    dialog = _new_item(qtbot, "XF-Z01")
    assert dialog.check() is not None
    assert page.add_item(dialog.payload)
    row = page.model.row_for("XF-Z01")
    assert row is not None and row.status == "新增"
    assert page.current_row() == row and page.revert_button.text() == "删除新增项"
    assert page.revert_current()
    assert page.model.row_for("XF-Z01") is None
    page.undo_action.trigger()
    assert page.model.row_for("XF-Z01") is not None


def test_a_code_used_by_another_theme_is_refused_with_a_message(
    page: TemplatesPage, qtbot: Any, errors: list[str]
) -> None:
    dialog = _new_item(qtbot, "MY-A01")  # a 母婴设施 item's code
    assert dialog.check() is not None  # unique within the fire theme
    assert not page.add_item(dialog.payload)
    assert errors and "“编码”填写有误" in errors[0] and "母婴设施" in errors[0]
    assert page.model.row_for("MY-A01") is None
    assert not page.undo_stack.canUndo()


@pytest.mark.qt_log_ignore("This plugin does not support")  # shown windows under offscreen
def test_ctrl_z_and_ctrl_shift_z_undo_and_redo(page: TemplatesPage, qtbot: Any) -> None:
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.select_item("XF-B01")
    page.disable_current()
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not page.model.row_for("XF-B01").disabled
    qtbot.keyClick(
        page.tree,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.model.row_for("XF-B01").disabled


def test_the_template_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    theme = _fire_theme()
    model = TemplateTreeModel()
    model.set_groups(template_rows(theme, theme, {}))
    qtmodeltester.check(model)


def test_the_basis_column_is_labelled_by_content_and_shows_the_whole_version(
    qtbot: Any,
) -> None:
    theme = find_theme(load_themes(), "母婴设施")
    assert theme is not None
    dialog = TemplateItemEditor(theme, theme.item("MY-A01"))
    qtbot.addWidget(dialog)
    header = dialog.basis_table.horizontalHeaderItem(1)
    assert header.text() == "文号 / 版本"
    assert "修正" in header.toolTip()
    cell = dialog.basis_table.item(0, 1)
    assert "第二次修正" in cell.text() and cell.toolTip() == cell.text()
    cell.setText("2024年4月26日第二次修正")
    assert dialog.basis_table.item(0, 1).toolTip() == "2024年4月26日第二次修正"


def test_a_shipped_item_reads_as_built_in(page: TemplatesPage) -> None:
    page.select_item("XF-B01")
    row = page.model.row_for("XF-B01")
    assert row is not None and row.status == "内置"
    index = page.model.index_of("XF-B01").siblingAtColumn(2)
    assert index.data() == "内置"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "随程序提供的检查项，未改动"
    assert page.revert_button.text() == "恢复内置"
    assert "原始" not in page.subtitle_label.text()
