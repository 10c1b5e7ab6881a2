"""设置: jurisdiction, organisation and 机关代字 are saved in the database."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui import messages
from gui.dialogs.settings import SettingsDialog
from models.db import Database
from services.settings import JURISDICTION, ORG_CODE, ORGANISATION, get_setting, set_setting


@pytest.fixture
def dialog(db: Database, qtbot: Any) -> SettingsDialog:
    widget = SettingsDialog(db)
    qtbot.addWidget(widget)
    return widget


def test_saving_stores_jurisdiction_organisation_and_code(
    dialog: SettingsDialog, db: Database, qtbot: Any
) -> None:
    assert dialog.select_region("640521")
    dialog.organisation_edit.setText("中宁县卫生健康局")
    dialog.org_code_edit.setText("中宁卫")
    assert "宁夏回族自治区" in dialog.region_label.text() and "中宁县" in dialog.region_label.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    with db.session() as s:
        assert get_setting(s, JURISDICTION) == "640521"
        assert get_setting(s, ORGANISATION) == "中宁县卫生健康局"
        assert get_setting(s, ORG_CODE) == "中宁卫"


def test_the_dialog_opens_on_the_saved_values(db: Database, qtbot: Any) -> None:
    with db.session() as s:
        set_setting(s, JURISDICTION, "450223")
        set_setting(s, ORG_CODE, "鹿卫")
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.selected_region() == "450223"
    assert dialog.org_code_edit.text() == "鹿卫"


def test_choosing_the_whole_country_clears_the_jurisdiction(
    dialog: SettingsDialog, db: Database, qtbot: Any
) -> None:
    with db.session() as s:
        set_setting(s, JURISDICTION, "450223")
    dialog.select_region(None)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert get_setting(s, JURISDICTION) is None


def test_the_filter_keeps_matching_regions_and_their_parents(dialog: SettingsDialog) -> None:
    dialog.filter_edit.setText("中宁")
    visible = []
    stack = [
        dialog.region_tree.topLevelItem(i) for i in range(dialog.region_tree.topLevelItemCount())
    ]
    while stack:
        item = stack.pop()
        if not item.isHidden():
            visible.append(item.text(0))
        stack += [item.child(i) for i in range(item.childCount())]
    assert "中宁县" in visible and "宁夏回族自治区" in visible
    assert "宝鸡市" not in visible


def test_an_org_code_that_is_not_chinese_is_refused(
    dialog: SettingsDialog, db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, text, **_k: told.append(text))
    dialog.org_code_edit.setText("ZN-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert told and "机关代字" in told[0]
    with db.session() as s:
        assert get_setting(s, ORG_CODE) is None


def test_auto_advance_is_a_setting_the_entry_form_follows(
    db: Database, qtbot: Any
) -> None:
    from gui import preferences

    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.auto_advance_check.isChecked()  # on by default
    dialog.auto_advance_check.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert preferences.auto_advance() is False
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert not again.auto_advance_check.isChecked()
    again.auto_advance_check.setChecked(True)
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert preferences.auto_advance() is True


def test_the_data_tab_shows_where_the_database_is(dialog: SettingsDialog, db: Database) -> None:
    assert dialog.tabs.tabText(2) == "数据与备份"
    assert dialog.database_path_edit.text() == str(db.path)
    assert dialog.database_path_edit.isReadOnly()


def _backup(dialog: SettingsDialog, qtbot: Any) -> Any:
    """立即备份, run on its worker thread to the end."""
    task = dialog.take_backup()
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert dialog.last_backup is not None
    return dialog.last_backup


def _restore(dialog: SettingsDialog, qtbot: Any) -> None:
    """恢复所选, run on its worker thread to the end."""
    task = dialog.restore_selected()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass


def _units(db: Database) -> list[str]:
    from services.entities import list_entities

    with db.session() as s:
        return sorted(e.name for e in list_entities(s))


def test_backups_are_listed_taken_verified_and_restored(
    db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.entities import create_entity

    told: list[str] = []
    for name in ("info", "warning", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, _n=name, **_k: told.append(f"{_n}:{text}"))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    with db.session() as s:
        create_entity(s, name="中宁县第一商场", type_code="commercial_center")
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    before = dialog.backup_table.rowCount()
    assert not dialog.restore_button.isEnabled()  # nothing chosen yet
    made = _backup(dialog, qtbot)
    assert made.kind_label == "手动"
    assert dialog.backup_table.rowCount() == before + 1
    assert dialog.selected_backup() == made and dialog.restore_button.isEnabled()
    check = dialog.verify_selected()
    assert check is not None and check.ok and "完好" in told[-1]

    with db.session() as s:
        create_entity(s, name="中宁县第二商场", type_code="commercial_center")
    asked: list[bool] = []
    dialog.before_restore = lambda: asked.append(True) or True
    assert dialog.select_backup(made.path)
    _restore(dialog, qtbot)
    assert asked == [True]
    assert _units(db) == ["中宁县第一商场"]  # the database as it was when backed up
    assert dialog.restored is not None and dialog.restored.previous is not None
    assert dialog.restored.previous.kind_label == "恢复前"
    assert dialog.result() == SettingsDialog.DialogCode.Rejected  # nothing saved over it
    assert "已恢复" in told[-1]

    kept = dialog.restored.previous.path  # and back again: nothing was lost
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.select_backup(kept)
    _restore(again, qtbot)
    assert _units(db) == ["中宁县第一商场", "中宁县第二商场"]


def test_a_restore_is_not_made_while_an_inspection_window_stays_open(
    db: Database, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    monkeypatch.setattr(messages, "info", lambda *_a, **_k: None)
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    made = _backup(dialog, qtbot)
    dialog.before_restore = lambda: False
    assert dialog.select_backup(made.path)
    assert dialog.restore_selected() is None  # refused before anything started
    assert dialog.restored is None


def test_a_name_with_a_control_character_is_refused_and_stays_to_be_corrected(
    dialog: SettingsDialog, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, text, **_k: warned.append(text))
    dialog.organisation_edit.setText("中宁县\x07卫生健康局")
    dialog.save()
    assert warned and "机关名称" in warned[0]
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.organisation_edit.text() == "中宁县\x07卫生健康局"
    with db.session() as s:
        assert get_setting(s, ORGANISATION) is None


def test_this_computer_is_named_for_the_packages_it_sends(db: Database, qtbot: Any,
                                                          monkeypatch: Any) -> None:
    """本机名称 is what the supervisor sees of this computer: 机关名称（本机名称）; brackets in
    it are refused with a reason, and an empty one gives the host name back."""
    import socket

    from gui import messages
    from services.settings import ORGANISATION, set_setting
    from sync.export import device_name

    with db.session() as s:
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert socket.gethostname() in dialog.computer_name_edit.placeholderText()
    warned: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda parent, text, **kw: warned.append(text))
    dialog.computer_name_edit.setText("张三（笔记本）")
    dialog.save()
    assert warned and "不要使用括号" in warned[-1]
    dialog.computer_name_edit.setText("张三的笔记本")
    dialog.save()
    with db.session() as s:
        assert device_name(s) == "中宁县卫生健康局（张三的笔记本）"
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.computer_name_edit.text() == "张三的笔记本"
    again.computer_name_edit.setText("")
    again.save()
    with db.session() as s:
        assert device_name(s) == f"中宁县卫生健康局（{socket.gethostname()}）"
