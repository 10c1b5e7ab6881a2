"""新建检查: generate the checklist for the unit, pick officers (conflicts left out, with the
reason), see 回头看, and create the inspection with its checklist snapshot; a 执法检查 with one
officer is refused with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from checklists.snapshot import from_snapshot
from gui import messages
from gui.dialogs.new_inspection import NewInspectionDialog
from models.db import Database
from models.inspection import Inspection
from models.inspection import InspectionOfficer as Officer
from rules.inspection_status import ENFORCEMENT, FAIL, SELF_CHECK, SUPERVISION
from services.checklist_snapshot import inspection_snapshot
from services.entities import create_entity
from services.findings import record_finding
from services.inspection_lifecycle import complete_inspection
from services.roster import add_inspector, declare_conflict
from tests.services.inspection_fixtures import checklist, new_inspection, officers

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


class Said:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        monkeypatch.setattr(messages, "error", lambda _p, text, **_k: self.errors.append(text))
        monkeypatch.setattr(messages, "warning",
                            lambda _p, text, **_k: self.warnings.append(text))


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    return Said(monkeypatch)


@pytest.fixture
def setup(catalog_db: Database) -> dict[str, int]:
    with catalog_db.session() as s:
        mall = create_entity(s, name="中宁县某商业广场", type_code="commercial_center",
                             region_code="640521", facts={"building_area_m2": 12000,
                                                          "frequent_mother_infant": True}).id
        a = add_inspector(s, name="张三", department="卫生健康", cert_no="ZF-001").id
        b = add_inspector(s, name="李四", department="卫生健康", cert_no="ZF-002").id
        c = add_inspector(s, name="王五", department="消防救援", cert_no="ZF-003").id
        d = add_inspector(s, name="赵六", department="卫生健康").id
        declare_conflict(s, inspector_id=c, entity_id=mall, reason="配偶在该单位任职")
    return {"mall": mall, "a": a, "b": b, "c": c, "d": d}


def _dialog(db: Database, qtbot: Any, entity_id: int) -> NewInspectionDialog:
    dialog = NewInspectionDialog(db, entity_id=entity_id)
    qtbot.addWidget(dialog)
    return dialog


def _inspections(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(Inspection.id))) or 0)


def test_an_enforcement_inspection_is_created_with_its_checklist_snapshot(
        catalog_db: Database, setup: dict[str, int], qtbot: Any, said: Said) -> None:
    dialog = _dialog(catalog_db, qtbot, setup["mall"])
    assert dialog.entity is not None and dialog.entity.id == setup["mall"]
    dialog.set_kind(ENFORCEMENT)
    dialog.set_themes(["母婴设施"])
    checklist = dialog.generate_checklist()
    assert checklist is not None and checklist.items
    assert f"共 <b>{len(checklist.items)}</b> 项" in dialog.checklist_label.text()
    assert dialog.exclusion_tree.topLevelItemCount() == len(checklist.excluded) > 0
    assert any("用人单位" in dialog.exclusion_tree.topLevelItem(i).text(1)
               for i in range(dialog.exclusion_tree.topLevelItemCount()))
    dialog.set_officers([setup["a"], setup["b"]])
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert said.warnings == []
    created = dialog.created
    assert created is not None and created.kind == ENFORCEMENT
    assert created.themes == ("母婴设施",) and created.counts.total == len(checklist.items)
    with catalog_db.session() as s:
        row = s.get(Inspection, created.id)
        assert row is not None
        stored = from_snapshot(inspection_snapshot(s, row.id))
        people = s.scalars(select(Officer.name).where(Officer.inspection_id == row.id)
                           .order_by(Officer.position)).all()
    assert [i.code for i in stored.items] == [i.code for i in checklist.items]
    assert stored.selection.entity_type == "commercial_center"
    assert list(people) == ["张三", "李四"]


def test_an_enforcement_inspection_with_one_officer_is_refused(
        catalog_db: Database, setup: dict[str, int], qtbot: Any, said: Said) -> None:
    dialog = _dialog(catalog_db, qtbot, setup["mall"])
    dialog.set_kind(ENFORCEMENT)
    dialog.set_themes(["母婴设施"])
    dialog.set_officers([setup["a"], setup["d"]])  # 赵六 holds no 执法证
    assert "至少两名持执法证" in dialog.officer_label.text()
    dialog.create()
    assert dialog.created is None
    assert said.warnings and "两名以上持有执法证件" in said.warnings[0]
    assert "赵六 未填写执法证号" in said.warnings[0]
    assert _inspections(catalog_db) == 0
    dialog.set_kind(SUPERVISION)  # a 督查 needs only one person
    dialog.set_officers([setup["d"]])
    dialog.create()
    assert dialog.created is not None and dialog.created.kind == SUPERVISION


def test_an_officer_with_a_declared_conflict_cannot_be_picked(
        catalog_db: Database, setup: dict[str, int], qtbot: Any, said: Said) -> None:
    dialog = _dialog(catalog_db, qtbot, setup["mall"])
    item = dialog.officer_items()[setup["c"]]
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "回避：配偶在该单位任职" in item.text()
    dialog.set_officers([setup["a"], setup["c"]])
    assert dialog.officer_ids() == [setup["a"]]
    assert "1 人因登记回避不能参加" in dialog.officer_label.text()


def test_officers_of_two_departments_make_a_joint_inspection(
        catalog_db: Database, setup: dict[str, int], qtbot: Any, said: Said) -> None:
    with catalog_db.session() as s:
        fire = add_inspector(s, name="孙七", department="消防救援", cert_no="ZF-004").id
    dialog = _dialog(catalog_db, qtbot, setup["mall"])
    dialog.set_officers([setup["a"], fire])
    assert "联合检查：卫生健康、消防救援" in dialog.officer_label.text()


def test_lookback_shows_what_was_found_last_time(
        catalog_db: Database, setup: dict[str, int], qtbot: Any, said: Said) -> None:
    with catalog_db.session() as s:
        past = new_inspection(s, kind=SELF_CHECK, people=officers(1), entity_id=setup["mall"],
                              started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        record_finding(s, past.id, "FXM-A01", result=FAIL, note="未设置母婴室")
        complete_inspection(s, past.id, unchecked_reason=UNCHECKED_REASON)
    dialog = _dialog(catalog_db, qtbot, setup["mall"])
    text = dialog.lookback_view.toPlainText()
    assert "已完成检查 1 次" in text and "尚未整改到位的问题 1 项" in text
    # the problem is named by what its checklist asked, the code and date beside it
    asked = next(i.question for i in checklist().items if i.code == "FXM-A01")
    assert f"{asked} 不符合（FXM-A01，2026-01-05）：未设置母婴室" in text


def test_nothing_is_generated_without_a_unit(catalog_db: Database, qtbot: Any,
                                            said: Said) -> None:
    dialog = NewInspectionDialog(catalog_db)
    qtbot.addWidget(dialog)
    assert dialog.generate_checklist() is None
    assert said.warnings == ["请先选择被检查单位。"]


@pytest.mark.qt_log_ignore("This plugin does not support")  # a shown dialog, offscreen
def test_the_unit_is_chosen_by_keyboard_and_enter_does_not_submit(
        catalog_db: Database, qtbot: Any, setup: dict[str, int], said: Said) -> None:
    dialog = NewInspectionDialog(catalog_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.resize(1366, 700)  # a laptop screen: no spare height to absorb a change
    QApplication.processEvents()
    below = dialog.kind_combo.mapTo(dialog, dialog.kind_combo.rect().topLeft()).y()
    with catalog_db.session() as s:  # a unit with enough facts to wrap over two lines
        nursery = create_entity(s, name="中宁县小天使职工托育室", type_code="employer_childcare",
                                facts={"capacity": 60, "enrolled_children": 27,
                                       "fire_key_unit": False, "floor_of_rooms": 3,
                                       "full_day_care": True, "has_kitchen": True,
                                       "inclusive": True, "registered_with_health": True,
                                       "uses_gas": False}).id
    dialog.select_entity(nursery)
    QApplication.processEvents()
    # the unit's details fill room kept for them: nothing below moves
    assert dialog.kind_combo.mapTo(dialog, dialog.kind_combo.rect().topLeft()).y() == below
    dialog.entity_search.setFocus()
    dialog.entity_search.insert("商业广场")  # Chinese arrives through the input method
    qtbot.keyClick(dialog.entity_search, Qt.Key.Key_Down)
    assert dialog.entity is not None and dialog.entity.id == setup["mall"]
    QApplication.processEvents()
    # the unit's details fill room kept for them: nothing below moves
    assert dialog.kind_combo.mapTo(dialog, dialog.kind_combo.rect().topLeft()).y() == below
    height = dialog.entity_label.geometry().top()
    qtbot.keyClick(dialog.entity_search, Qt.Key.Key_Return)
    assert _inspections(catalog_db) == 0 and not said.warnings  # chose, did not submit
    assert dialog.kind_combo.hasFocus()
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Return)
    assert _inspections(catalog_db) == 0 and dialog.result() == 0
    assert dialog.entity_label.geometry().top() == height
    # Alt+Enter asks to create (refused here: no theme or officer chosen yet, said so)
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert said.warnings or said.errors or _inspections(catalog_db) == 1


def _fill_modal(fill: Any) -> None:
    """Answer the next modal dialog as a user would: fill it in and save."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        fill(dialog)

    QTimer.singleShot(0, act)


@pytest.mark.qt_log_ignore("This plugin does not support")  # modal dialogs, offscreen
def test_a_unit_and_an_officer_not_yet_registered_are_added_from_the_dialog(
        catalog_db: Database, qtbot: Any, setup: dict[str, int], said: Said) -> None:
    dialog = NewInspectionDialog(catalog_db)
    qtbot.addWidget(dialog)

    def new_unit(editor: Any) -> None:
        editor.name_edit.setText("中宁县新开托育园")
        editor.type_combo.setCurrentIndex(editor.type_combo.findData("childcare_center"))
        editor.save()

    _fill_modal(new_unit)
    assert dialog.add_entity() is True
    assert dialog.entity is not None and dialog.entity.name == "中宁县新开托育园"
    assert "中宁县新开托育园" in dialog.entity_list.currentItem().text()

    def new_officer(editor: Any) -> None:
        editor.name_edit.setText("钱七")
        editor.department_combo.setCurrentText("卫生健康")
        editor.cert_edit.setText("ZF-007")
        editor.save()

    _fill_modal(new_officer)
    assert dialog.add_officer() is True
    with catalog_db.session() as s:
        from services.roster import list_inspectors

        qian = next(p for p in list_inspectors(s) if p.name == "钱七")
    assert qian.id in dialog.officer_ids()

    _fill_modal(lambda editor: editor.reject())  # cancelled: nothing changes
    assert dialog.add_officer() is False and qian.id in dialog.officer_ids()


def test_the_dialog_fits_the_free_area_of_a_laptop_screen(catalog_db: Database,
                                                          qtbot: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    from gui.screen import FRAME_ALLOWANCE

    free = QGuiApplication.primaryScreen().availableGeometry()
    dialog = NewInspectionDialog(catalog_db)
    qtbot.addWidget(dialog)
    # its buttons stay above the task bar: the frame's title bar fits as well
    assert dialog.height() <= free.height() - FRAME_ALLOWANCE.height()
    assert dialog.width() <= free.width() - FRAME_ALLOWANCE.width()
