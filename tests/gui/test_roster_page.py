"""检查人员: the roster (add, edit, a 执法证号 held by someone else refused) and declared
conflicts (回避) per unit, declared and withdrawn."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui import messages
from gui.context import PageContext
from gui.dialogs.inspector_editor import ConflictDialog, InspectorEditorDialog
from gui.models.roster import ConflictTableModel, InspectorTableModel
from gui.pages.roster import RosterPage
from models.db import Database
from services.entities import create_entity
from services.roster import (
    add_inspector,
    conflicts_for_entity,
    declare_conflict,
    get_inspector,
    list_inspectors,
)


class Said:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.warnings: list[str] = []
        monkeypatch.setattr(messages, "warning",
                            lambda _p, text, **_k: self.warnings.append(text))
        monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    return Said(monkeypatch)


def test_an_inspector_is_added_and_a_taken_cert_number_is_refused(
        catalog_db: Database, qtbot: Any, said: Said) -> None:
    dialog = InspectorEditorDialog(catalog_db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("张三")
    dialog.department_combo.setCurrentText("卫生健康")
    dialog.cert_edit.setText("ZF-001")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.saved.cert_no == "ZF-001"
    second = InspectorEditorDialog(catalog_db)
    qtbot.addWidget(second)
    second.name_edit.setText("李四")
    second.cert_edit.setText("ZF-001")
    second.save()
    assert second.saved is None and said.warnings == ["执法证号 ZF-001 已属于 张三"]
    with catalog_db.session() as s:
        assert [p.name for p in list_inspectors(s)] == ["张三"]


def test_editing_an_inspector_can_take_them_off_duty(catalog_db: Database, qtbot: Any,
                                                     said: Said) -> None:
    with catalog_db.session() as s:
        pid = add_inspector(s, name="王五", department="消防救援", cert_no="XF-9").id
    dialog = InspectorEditorDialog(catalog_db, pid)
    qtbot.addWidget(dialog)
    assert dialog.department_combo.currentText() == "消防救援"
    dialog.active_check.setChecked(False)
    dialog.save()
    with catalog_db.session() as s:
        assert get_inspector(s, pid).active is False


def test_the_page_lists_people_and_conflicts_per_unit(ctx: PageContext, qtbot: Any,
                                                      said: Said) -> None:
    with ctx.db.session() as s:
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-1").id
        add_inspector(s, name="赵六", department="卫生健康")
        one = create_entity(s, name="某商场", type_code="commercial_center").id
        two = create_entity(s, name="某托育园", type_code="childcare_center").id
        declare_conflict(s, inspector_id=a, entity_id=one, reason="曾在该单位任职")
    page = RosterPage(ctx)
    qtbot.addWidget(page)
    assert {p.name for p in page.inspectors()} == {"张三", "赵六"}
    assert "持执法证 1 人" in page.count_label.text()
    assert [(c.inspector_name, c.entity_name) for c in page.conflicts()] == [("张三", "某商场")]
    page.entity_combo.setCurrentIndex(page.entity_combo.findData(two))
    assert page.conflicts() == []

    page.select_inspector(a)
    dialog = ConflictDialog(ctx.db, page.current_inspector())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.select_entity(two)
    dialog.save()
    assert said.warnings == ["请填写回避事由"]
    dialog.reason_edit.setPlainText("亲属为该单位负责人")
    dialog.save()
    assert dialog.saved is not None
    ctx.events.registryChanged.emit()
    assert [c.reason for c in page.conflicts()] == ["亲属为该单位负责人"]

    page.conflict_table.setCurrentIndex(page.conflict_table.model().index(0, 0))
    page.withdraw_current()
    assert page.conflicts() == []
    with ctx.db.session() as s:
        assert conflicts_for_entity(s, two) == []
        assert len(conflicts_for_entity(s, one)) == 1


def test_roster_models_pass_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-1").id
        add_inspector(s, name="赵六", department="卫生健康", active=False)
        unit = create_entity(s, name="某商场", type_code="commercial_center").id
        declare_conflict(s, inspector_id=a, entity_id=unit, reason="曾在该单位任职")
        people = list_inspectors(s)
        conflicts = conflicts_for_entity(s, unit)
    model = InspectorTableModel(people)
    qtmodeltester.check(model)
    assert model.index(model.row_of(a), 3).data() == "在岗"
    assert "停用" in [model.index(r, 3).data() for r in range(model.rowCount())]
    conflict_model = ConflictTableModel(conflicts)
    qtmodeltester.check(conflict_model)
    assert conflict_model.index(0, 2).data() == "曾在该单位任职"


@pytest.mark.qt_log_ignore("This plugin does not support")  # shown windows under offscreen
def test_a_long_conflict_reason_wraps_and_shows_in_full_on_hover(
        ctx: PageContext, qtbot: Any) -> None:
    long_reason = "本人配偶为该单位股东，且曾于二〇二四年在该单位担任财务负责人"
    with ctx.db.session() as s:
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-1").id
        b = add_inspector(s, name="李四", department="卫生健康", cert_no="ZF-2").id
        unit = create_entity(s, name="某商场", type_code="commercial_center").id
        declare_conflict(s, inspector_id=a, entity_id=unit, reason=long_reason)
        declare_conflict(s, inspector_id=b, entity_id=unit, reason="近亲属")
    page = RosterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    table = page.conflict_table
    proxy = table.model()
    rows = {proxy.index(r, 2).data(): r for r in range(proxy.rowCount())}
    assert table.wordWrap()
    assert table.rowHeight(rows[long_reason]) > table.rowHeight(rows["近亲属"])
    cell = proxy.index(rows[long_reason], 2)
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == long_reason
    assert proxy.index(rows[long_reason], 1).data(Qt.ItemDataRole.ToolTipRole) == "某商场"
