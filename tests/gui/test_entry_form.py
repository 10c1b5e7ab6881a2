"""The inspection window driven from the keyboard: answers, values, moves, filters, the
笔录 workflow, 回头看 and the Excel import — each change read back from the database file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checklists.export_xlsx import COL, SHEET, write_checklist_xlsx
from gui import messages
from gui.context import AppEvents, PageContext
from gui.inspection import open_inspection
from gui.inspection.entry_form import EntryForm
from gui.inspection.entry_model import CARRIED, FILTER_FAILED, FILTER_UNANSWERED, EntryTableModel
from gui.inspection.lookback_panel import LookbackPanel
from gui.inspection.record_tab import RecordTab
from gui.inspection.signature_pad import SignaturePad
from gui.inspection.window import InspectionWindow
from models.db import Database
from models.evidence_store import evidence_root
from rules.china_time import today as china_today
from rules.inspection_status import ROLE_OFFICER
from services.amendments import versions
from services.findings import get_finding, list_findings, record_finding
from services.inspection_access import load
from services.inspection_entry import load_checklist
from services.inspection_lifecycle import complete_inspection, get_summary
from services.notices import issue_notice, propose_notices, reserve_block
from services.settings import ORG_CODE, ORGANISATION, set_setting
from tests.services.inspection_fixtures import (
    assert_integrity,
    fill_record,
    mixed_checklist,
    new_inspection,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

# Shown windows under the offscreen platform make Qt warn about size hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ctx(db: Database, qapp: QApplication) -> Iterator[PageContext]:
    events = AppEvents()
    yield PageContext(db=db, events=events)
    events.deleteLater()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the user would have been told in message boxes."""
    seen: list[str] = []
    for name in ("error", "warning", "info"):
        monkeypatch.setattr(messages, name,
                            lambda _p, text, _n=name, **_k: seen.append(f"{_n}:{text}"))
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    return seen


@pytest.fixture
def inspection_id(db: Database) -> int:
    with db.session() as s:
        return new_inspection(s, c=mixed_checklist()).id


def stored(db: Database, inspection_id: int, code: str) -> Any:
    with db.session() as s:
        return get_finding(s, inspection_id, code)


def make_form(qtbot: Any, ctx: PageContext, inspection_id: int) -> EntryForm:
    form = EntryForm(ctx, inspection_id)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.table.setFocus()
    return form


def test_keys_one_to_four_record_results_and_enter_moves_on(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.auto_advance = False  # the cursor moves only when told
    assert form.current_code() == "FXM-A01"
    committed: list[str] = []
    form.committed.connect(lambda info: committed.append(f"{info.item_code}={info.result}"))

    qtbot.keyClick(form.table, Qt.Key.Key_1)
    assert stored(db, inspection_id, "FXM-A01").result == "符合"
    qtbot.keyClick(form.table, Qt.Key.Key_Return)
    assert form.current_code() == "FXM-A02"
    qtbot.keyClick(form.table, Qt.Key.Key_Down)  # arrows move too
    assert form.current_code() == "FXM-A03"
    qtbot.keyClick(form.table, Qt.Key.Key_2)
    qtbot.keyClick(form.table, Qt.Key.Key_Enter)
    qtbot.keyClick(form.table, Qt.Key.Key_3)
    qtbot.keyClick(form.table, Qt.Key.Key_Return)
    qtbot.keyClick(form.table, Qt.Key.Key_4)
    qtbot.keyClick(form.table, Qt.Key.Key_Up)
    assert form.current_code() == "FXM-A04"
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # changes its mind: 部分符合 → 符合

    with db.session() as s:
        got = {f.item_code: f.result for f in list_findings(s, inspection_id)}
    assert got["FXM-A03"] == "不符合"
    assert got["FXM-A04"] == "符合"
    assert got["FXM-B01"] == "不适用"
    assert committed == ["FXM-A01=符合", "FXM-A03=不符合", "FXM-A04=部分符合",
                         "FXM-B01=不适用", "FXM-A04=符合"]
    assert form.progress() == (4, 8)
    assert "已答 4 / 8" in form.progress_label.text()
    with db.session() as s:
        assert get_summary(s, inspection_id).counts.answered == 4
    assert_integrity(db)


def test_a_typed_measurement_is_judged_live_and_recorded_on_enter(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.select_code("FXM-A02")  # 母婴室使用面积 ≥ 10 ㎡
    qtbot.keyClick(form.table, Qt.Key.Key_8)  # a digit on the list never types a value
    assert stored(db, inspection_id, "FXM-A02").answered is False
    qtbot.keyClick(form.table, Qt.Key.Key_F3)  # the value has its own field
    assert form.value_edit.hasFocus()
    qtbot.keyClicks(form.value_edit, "8.5")
    assert form.verdict_label.text() == "不合格"
    assert stored(db, inspection_id, "FXM-A02").answered is False  # not yet committed
    form.value_edit.setText("")
    qtbot.keyClicks(form.value_edit, "12")
    assert form.verdict_label.text() == "合格"
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    f = stored(db, inspection_id, "FXM-A02")
    assert (f.value_number, f.result) == (12.0, "符合")
    assert form.current_code() == "FXM-A03" and form.table.hasFocus()  # next unanswered

    form.select_code("FXM-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    qtbot.keyClicks(form.value_edit, "9")  # F3 selects the old value: typing replaces it
    assert form.verdict_label.text() == "不合格"
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    f = stored(db, inspection_id, "FXM-A02")
    assert (f.value_number, f.result) == (9.0, "不符合")
    assert "需照片" in form.model.index(1, 5).data()  # photo required on 不符合 for this item
    # the cursor waits for the photo this 不符合 needs
    assert form.current_code() == "FXM-A02" and form.add_photo_button.hasFocus()
    assert "须附照片" in form.saved_label.text()


def test_keys_one_to_four_judge_a_measured_item_by_eye_too(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.select_code("FXM-A02")  # 母婴室使用面积 ≥ 10 ㎡, not measured
    qtbot.keyClick(form.table, Qt.Key.Key_1)
    f = stored(db, inspection_id, "FXM-A02")
    assert (f.result, f.value_number) == ("符合", None)  # 1 means 符合 here too, not "1 ㎡"
    assert form.current_code() == "FXM-A03"

    form.select_code("FXM-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    qtbot.keyClicks(form.value_edit, "8")  # then measured: the value judges again
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    assert stored(db, inspection_id, "FXM-A02").result == "不符合"
    form.select_code("FXM-A02")
    form.table.setFocus()
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # a failed measurement cannot be passed
    assert told and "不能判定为符合" in told[-1]
    assert stored(db, inspection_id, "FXM-A02").result == "不符合"
    assert form.current_code() == "FXM-A02"


def test_after_a_judgement_the_cursor_moves_to_the_next_unanswered_item(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.select_code("FXM-A03")
    qtbot.keyClick(form.table, Qt.Key.Key_1)
    assert form.current_code() == "FXM-A04"
    form.select_code("FXM-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_4)  # 不适用: skips the answered FXM-A03, A04 next
    assert form.current_code() == "FXM-A04"
    for _ in range(5):  # A04, B01, FXN-A01 .. A03
        qtbot.keyClick(form.table, Qt.Key.Key_4)
    assert form.current_code() == "FXM-A01"  # wrapped round to the one left
    qtbot.keyClick(form.table, Qt.Key.Key_1)
    assert form.current_code() == "FXM-A01"  # nothing left: the cursor stays
    assert "全部检查项均已作答" in form.saved_label.text()
    assert form.progress() == (8, 8)

    form.auto_advance = False  # the setting turned off
    form.select_code("FXM-A03")
    qtbot.keyClick(form.table, Qt.Key.Key_3)
    assert form.current_code() == "FXM-A03"


def test_a_failure_that_needs_a_note_waits_in_the_note_and_ctrl_enter_moves_on(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    qtbot.keyClick(form.table, Qt.Key.Key_2)  # FXM-A01 不符合, needs a note or a photo
    assert form.current_code() == "FXM-A01" and form.note_edit.hasFocus()
    assert "请写明发现的问题" in form.saved_label.text()
    form.note_edit.insertPlainText("未设母婴室")
    qtbot.keyClick(form.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, inspection_id, "FXM-A01").note == "未设母婴室"
    assert form.current_code() == "FXM-A02" and form.table.hasFocus()


def test_a_failure_that_needs_a_photo_moves_on_once_the_photo_is_attached(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database, tmp_path: Path) -> None:
    from PIL import Image

    from services.evidence import add_evidence

    form = make_form(qtbot, ctx, inspection_id)
    form.select_code("FXM-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_2)  # 不符合 on an item that needs a photo
    assert form.current_code() == "FXM-A02" and form.add_photo_button.hasFocus()
    photo = tmp_path / "现场.jpg"
    Image.new("RGB", (64, 48), "white").save(photo)
    with db.session() as s:
        add_evidence(s, inspection_id, photo, store_root=evidence_root(db.path),
                     item_code="FXM-A02")
    form.refresh_photos()  # what the window does once a photo is stored
    assert form.current_code() == "FXM-A03"
    assert not any(t.isVisibleTo(form) for t in form.thumbnails)  # A03 has no photo
    form.select_code("FXM-A02")
    assert form.thumbnails[0].isVisibleTo(form) and not form.thumbnails[0].pixmap().isNull()
    assert "现场.jpg" in form.thumbnails[0].toolTip()


def test_progress_date_and_text_items_take_their_own_answers(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.select_code("FXN-A01")  # progress: the keys keep their good-bad-partial order
    assert [b.text() for b in form.choice_buttons] == ["1 已完成", "2 滞后", "3 推进中",
                                                      "4 未启动"]
    qtbot.keyClick(form.table, Qt.Key.Key_3)
    assert stored(db, inspection_id, "FXN-A01").value_text == "推进中"
    assert form.current_code() == "FXN-A02"  # date
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    qtbot.keyClicks(form.value_edit, "2026-03-01")
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    assert stored(db, inspection_id, "FXN-A02").value_text == "2026-03-01"
    assert form.current_code() == "FXN-A03"  # text
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    form.value_edit.insert("A区已落实三期保护")  # Chinese arrives through the input method
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    assert stored(db, inspection_id, "FXN-A03").value_text == "A区已落实三期保护"

    form.select_code("FXN-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    qtbot.keyClicks(form.value_edit, "2026/3/1")
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)
    assert any("2026-03-01 的形式" in t for t in told)  # a clear Chinese message
    assert stored(db, inspection_id, "FXN-A02").value_text == "2026-03-01"  # unchanged
    # what was typed stays on screen to be corrected, and the cursor with it
    assert form.current_code() == "FXN-A02" and form.value_edit.hasFocus()
    assert form.value_edit.text() == "2026/3/1"
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Escape)
    assert form.value_edit.text() == "2026-03-01" and form.table.hasFocus()
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # a date item is judged with the keys too
    assert stored(db, inspection_id, "FXN-A02").result == "符合"
    form.select_code("FXN-A03")
    qtbot.keyClick(form.table, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, inspection_id, "FXN-A03").result == "不适用"


def test_the_filter_shows_unanswered_or_non_compliant_items(
        qtbot: Any, ctx: PageContext, inspection_id: int) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.auto_advance = False
    qtbot.keyClick(form.table, Qt.Key.Key_2)  # FXM-A01 不符合
    qtbot.keyClick(form.table, Qt.Key.Key_Return)
    qtbot.keyClick(form.table, Qt.Key.Key_Return)
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # FXM-A03 符合
    form.filter_buttons[FILTER_FAILED].click()
    assert form.visible_codes() == ["FXM-A01"]
    assert form.current_code() == "FXM-A01"
    form.filter_buttons[FILTER_UNANSWERED].click()
    unanswered = ["FXM-A02", "FXM-A04", "FXM-B01", "FXN-A01", "FXN-A02", "FXN-A03"]
    assert form.visible_codes() == unanswered
    assert form.current_code() == "FXM-A02"
    form.select_code("FXM-A04")
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # answered, but stays in view until we move on
    assert "FXM-A04" in form.visible_codes()
    qtbot.keyClick(form.table, Qt.Key.Key_Return)
    assert form.current_code() == "FXM-B01"
    assert "FXM-A04" not in form.visible_codes()
    assert "已答 3 / 8" in form.progress_label.text()


def test_a_failed_item_needs_its_note_or_photo_before_completion(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    with db.session() as s:
        fill_record(s, inspection_id)
    form = make_form(qtbot, ctx, inspection_id)
    record = RecordTab(ctx, inspection_id, evidence_root(db.path), before_action=form.flush)
    qtbot.addWidget(record)
    qtbot.keyClick(form.table, Qt.Key.Key_2)
    assert form.required_label.isVisible()
    assert "须补充说明或照片" in form.required_label.text()

    assert record.complete(unchecked_reason=UNCHECKED_REASON) is False
    assert told and "FXM-A01：判定为不符合，需要说明或照片" in told[-1]
    assert load_status(db, inspection_id) == "draft"

    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    assert form.note_edit.hasFocus()
    form.note_edit.insertPlainText("未设母婴室")  # Chinese arrives through the input method
    # completing flushes the note still being typed
    assert record.complete(unchecked_reason=UNCHECKED_REASON) is True
    assert stored(db, inspection_id, "FXM-A01").note == "未设母婴室"
    assert load_status(db, inspection_id) == "completed"
    form.reload()
    assert not form.editable and form.readonly_label.isVisible()
    qtbot.keyClick(form.table, Qt.Key.Key_1)
    assert stored(db, inspection_id, "FXM-A01").result == "不符合"  # read-only now


def load_status(db: Database, inspection_id: int) -> str:
    with db.session() as s:
        return load(s, inspection_id).status


def test_record_fields_sign_lock_and_amend(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    tab = RecordTab(ctx, inspection_id, evidence_root(db.path))
    qtbot.addWidget(tab)
    tab.show()
    assert tab.complete(unchecked_reason=UNCHECKED_REASON) is False
    missing = told[-1]
    for gap in ("未记录已出示执法证件", "未记录已告知当事人申请回避的权利", "未填写记录人",
                "未填写被检查单位负责人或在场人员姓名"):
        assert gap in missing

    tab.recorder_edit.insert("检查员2")  # Chinese arrives through the input method
    qtbot.keyClick(tab.recorder_edit, Qt.Key.Key_Return)  # finishing a field commits it
    tab.party_name_edit.insert("王经理")
    qtbot.keyClick(tab.party_name_edit, Qt.Key.Key_Return)
    tab.credentials_check.click()
    tab.recusal_notice_check.click()
    assert tab.record is not None and tab.record.recorder == "检查员2"
    assert tab.record.party_name == "王经理" and tab.record.credentials_shown
    assert tab.statement_edit.text() == ""  # the party's own words, never pre-filled
    assert "以上记录属实" in tab.statement_edit.placeholderText()
    assert tab.complete(unchecked_reason=UNCHECKED_REASON) is True
    assert not tab.complete_button.isEnabled() and tab.sign_officer_button.isEnabled()

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.strokes = [[pad.rect().center().toPointF()], []]
    pad.strokes[1] = [pad.rect().topLeft().toPointF(), pad.rect().center().toPointF()]
    png = pad.to_png()
    assert tab.lock() is False and "检查人员 检查员1 尚未签名" in told[-1]
    assert tab.store_signature(ROLE_OFFICER, "检查员1", png)
    assert tab.store_signature(ROLE_OFFICER, "检查员2", png)
    assert tab.store_refusal(name="王经理", witness_name="李四", witness_id="某社区居委会",
                             reason="不同意检查结论")
    assert tab.signatures_table.rowCount() == 3
    assert "拒签（见证人：李四" in tab.signatures_table.item(2, 2).text()
    assert tab.recorder_edit.isReadOnly()  # signatures taken: the fields no longer change
    assert tab.lock() is True
    assert tab.status_label.text().startswith("状态：已签名（已锁定）")
    assert tab.recorder_edit.isReadOnly() and not tab.credentials_check.isEnabled()
    assert tab.amend_button.isEnabled()

    assert tab.make_amendment("") is None and "请填写更正理由" in told[-1]
    new_id = tab.make_amendment("负责人姓名写错")
    assert new_id is not None
    with db.session() as s:
        old = get_summary(s, inspection_id)
        chain = versions(s, old.series_uuid)
    assert [(v.version, v.status) for v in chain] == [(1, "signed"), (2, "draft")]
    assert not tab.amend_button.isEnabled()  # the old version stays, superseded
    assert "已被更正版本取代" in tab.status_detail.text()
    new = RecordTab(ctx, new_id, evidence_root(db.path))
    qtbot.addWidget(new)
    assert "更正理由：负责人姓名写错" in new.status_detail.text()
    assert_integrity(db)


def test_lookback_carries_unchanged_answers_marked_as_last_time(
        qtbot: Any, ctx: PageContext, db: Database, told: list[str]) -> None:
    with db.session() as s:
        first = new_inspection(s, c=mixed_checklist())
        record_finding(s, first.id, "FXM-A01", result="不符合", note="未设母婴室")
        record_finding(s, first.id, "FXM-A03", result="符合")
        record_finding(s, first.id, "FXM-A02", value=12.0, result="符合")
        fill_record(s, first.id)
        complete_inspection(s, first.id, unchecked_reason=UNCHECKED_REASON)
        set_setting(s, ORG_CODE, "中宁卫")
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
        s.flush()
        reserve_block(s, suffix="卫监意", year=china_today().year, start=1, end=50)
        for p in propose_notices(s, first.id):
            issue_notice(s, inspection_id=first.id, kind_code=p.kind_code,
                         finding_ids=p.finding_ids, issued_on=china_today(),
                         issued_by=["检查员1", "检查员2"])
        second = new_inspection(s, c=mixed_checklist(), entity_id=first.entity_id)
    panel = LookbackPanel(ctx, second.id, second.entity_id)
    qtbot.addWidget(panel)
    assert "以往有 1 次已完成的检查" in panel.summary_label.text()
    assert "卫监意〔" in panel.notices_label.text() and "待送达" in panel.notices_label.text()
    assert panel.open_tree.topLevelItemCount() == 1
    # the open problem names its item: the code and what this checklist asks
    assert panel.open_tree.topLevelItem(0).text(0) == "FXM-A01　该场所是否已建有独立母婴室？"
    assert panel.open_tree.topLevelItem(0).toolTip(0) == "该场所是否已建有独立母婴室？"
    measured = [panel.past_tree.topLevelItem(0).child(i).text(1)
                for i in range(panel.past_tree.topLevelItem(0).childCount())]
    assert "12㎡ · 符合" in measured, measured  # as the item list shows it, not 12.0
    # each earlier answer names what its own checklist asked
    named = [panel.past_tree.topLevelItem(0).child(i).text(0)
             for i in range(panel.past_tree.topLevelItem(0).childCount())]
    assert "FXM-A01　该场所是否已建有独立母婴室？" in named, named
    report = panel.carry_selected()
    assert report is not None and set(report.copied) == {"FXM-A01", "FXM-A02", "FXM-A03"}
    form = make_form(qtbot, ctx, second.id)
    assert form.entry("FXM-A01").carried
    assert CARRIED in form.model.index(0, 5).data()
    form.select_code("FXM-A01")
    assert form.carried_label.isVisible()
    qtbot.keyClick(form.table, Qt.Key.Key_1)  # the inspector's own answer now
    assert not form.entry("FXM-A01").carried
    assert stored(db, second.id, "FXM-A01").carried_from is None


def test_a_window_opens_on_lookback_only_when_problems_wait_to_be_checked(
        qtbot: Any, ctx: PageContext, db: Database) -> None:
    with db.session() as s:
        first = new_inspection(s, c=mixed_checklist())
        record_finding(s, first.id, "FXM-A01", result="不符合", note="未设母婴室")
        fill_record(s, first.id)
        complete_inspection(s, first.id, unchecked_reason=UNCHECKED_REASON)
        again = new_inspection(s, c=mixed_checklist(), entity_id=first.entity_id)
        clean = new_inspection(s, c=mixed_checklist())
        record_finding(s, clean.id, "FXM-A01", result="符合")
        fill_record(s, clean.id)
        complete_inspection(s, clean.id, unchecked_reason=UNCHECKED_REASON)
        after_clean = new_inspection(s, c=mixed_checklist(), entity_id=clean.entity_id)
    window = InspectionWindow(ctx, again.id)
    qtbot.addWidget(window)
    assert window.tabs.currentWidget() is window.lookback
    assert window.tabs.tabText(1) == "回头看（1）"
    calm = InspectionWindow(ctx, after_clean.id)  # history, but nothing left open
    qtbot.addWidget(calm)
    assert calm.tabs.currentWidget() is calm.form
    assert calm.tabs.tabText(1) == "回头看"


def test_findings_are_imported_from_a_filled_excel_checklist(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database, tmp_path: Path,
        told: list[str]) -> None:
    with db.session() as s:
        checklist = load_checklist(s, inspection_id)
    path = write_checklist_xlsx(checklist, tmp_path / "填好的.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(r, COL["检查项编码"]).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(rows["FXM-A01"], COL["检查结果"], "不符合")
    ws.cell(rows["FXM-A01"], COL["情况说明"], "母婴室被占作仓库")
    ws.cell(rows["FXM-A02"], COL["实测值"], 11)
    ws.cell(rows["FXN-A01"], COL["检查结果"], "已完成")
    wb.save(path)

    window = InspectionWindow(ctx, inspection_id)
    qtbot.addWidget(window)
    task = window.evidence.import_excel(path)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert any("导入 3 项检查结果" in t for t in told)
    f = stored(db, inspection_id, "FXM-A01")
    assert (f.result, f.note) == ("不符合", "母婴室被占作仓库")
    assert stored(db, inspection_id, "FXM-A02").result == "符合"
    assert stored(db, inspection_id, "FXN-A01").value_text == "已完成"
    assert window.form.entry("FXM-A01").finding.result == "不符合"  # the form reloaded
    assert window.progress_label.text() == "已答 3 / 8"


def test_open_inspection_returns_one_window_per_inspection(
        qtbot: Any, ctx: PageContext, inspection_id: int) -> None:
    window = open_inspection(ctx, inspection_id)
    qtbot.addWidget(window)
    assert open_inspection(ctx, inspection_id) is window
    assert window.isVisible() and "某某商业广场" in window.windowTitle()
    assert isinstance(window, InspectionWindow)
    assert not window.form.table.isColumnHidden(EntryTableModel.DEPARTMENT_COLUMN)  # joint
    # the narrow column shows the short form; its tooltip, the department in full
    department = window.form.model.index(5, 3)
    assert department.data() == "人社"
    assert department.data(Qt.ItemDataRole.ToolTipRole) == "人力资源和社会保障"
    with qtbot.waitSignal(ctx.events.inspectionsChanged, timeout=3000):
        qtbot.keyClick(window.form.table, Qt.Key.Key_1)


def test_the_item_table_model_passes_the_model_tester(
        ctx: PageContext, inspection_id: int, qtmodeltester: Any) -> None:
    from services.inspection_entry import entry_rows

    model = EntryTableModel()
    with ctx.db.session() as s:
        model.set_rows(entry_rows(s, inspection_id))
    qtmodeltester.check(model)
    assert model.rowCount() == 8
    assert model.index(1, 4).data() == "未答"


def test_the_details_pane_shows_how_to_check_evidence_and_legal_basis(
        qtbot: Any, ctx: PageContext, inspection_id: int) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    text = form.details.toPlainText()
    for heading in ("检查方法", "应收集的证据", "法律依据"):
        assert heading in text
    basis = form.entry("FXM-A01").item.legal_basis[0]
    assert basis.document in text and basis.clause in text
    assert form.item_meta.text().startswith("主管部门：卫生健康")



def test_many_signal_emits_do_not_run_down_the_bool_singletons(qtbot: Any) -> None:
    """PySide6 6.12.0 on CPython 3.11 dropped a reference to True per emit and aborted the
    app after a few thousand key presses; pyproject.toml keeps that release out."""
    import sys

    events = AppEvents()
    before = sys.getrefcount(True)
    for _ in range(20_000):
        events.inspectionsChanged.emit()
    events.deleteLater()
    assert abs(sys.getrefcount(True) - before) < 100


def test_an_excel_file_that_is_not_our_checklist_is_refused_and_nothing_is_written(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database, tmp_path: Path,
        told: list[str]) -> None:
    path = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "结果"])
    wb.active.append(["FXM-A01", "符合"])
    wb.save(path)
    window = InspectionWindow(ctx, inspection_id)
    qtbot.addWidget(window)
    task = window.evidence.import_excel(path)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert told and "不是本软件导出的检查表" in told[-1]
    with db.session() as s:
        assert get_summary(s, inspection_id).counts.answered == 0


def test_a_note_that_hits_a_full_disk_is_kept_and_saved_once_there_is_room(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    from sqlalchemy import event

    from models.db import DISK_FULL

    form = make_form(qtbot, ctx, inspection_id)
    qtbot.keyClick(form.table, Qt.Key.Key_2)
    code = "FXM-A01"  # the first item, just judged 不符合

    def no_room(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()  # new connections only, each one unable to grow the file
    event.listen(db.engine, "connect", no_room)
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    form.note_edit.insertPlainText("母婴室未设置，询问负责人称正在装修" * 400)
    form.flush_note()
    assert told and told[-1] == f"error:{DISK_FULL}"
    assert stored(db, inspection_id, code).note is None
    assert form.note_edit.toPlainText().startswith("母婴室未设置")  # the typing is still there

    event.remove(db.engine, "connect", no_room)
    db.engine.dispose()  # room again
    form.flush_note()
    assert stored(db, inspection_id, code).note.startswith("母婴室未设置，询问负责人称正在装修")


def test_completing_with_unanswered_items_lists_them_and_goes_back_or_records_the_reason(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database, told: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    with db.session() as s:
        fill_record(s, inspection_id)
        record_finding(s, inspection_id, "FXM-A01", result="符合")
    window = InspectionWindow(ctx, inspection_id)
    qtbot.addWidget(window)
    tab = window.record_tab
    window.tabs.setCurrentWidget(tab)
    asked: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(tab, "ask_unchecked_reason", lambda items: asked.append(items) or None)
    assert tab.complete() is False  # the inspector chose to go back
    assert load_status(db, inspection_id) == "draft"
    codes = [code for code, _q in asked[0]]
    assert "FXM-A01" not in codes and len(codes) == len(mixed_checklist().items) - 1
    assert all(question for _c, question in asked[0])
    assert window.tabs.currentWidget() is window.form  # back on the first unanswered item
    assert window.form.current_code() == codes[0]

    monkeypatch.setattr(tab, "ask_unchecked_reason", lambda items: "相关资料未能当场提供")
    assert tab.complete() is True
    assert load_status(db, inspection_id) == "completed"
    note = stored(db, inspection_id, codes[0]).note
    assert note == "未检查原因：相关资料未能当场提供"
    assert stored(db, inspection_id, codes[0]).result == "未检查"
    assert stored(db, inspection_id, "FXM-A01").note in (None, "")
    window.close()


def test_locking_asks_first_and_a_no_keeps_the_record_open(
        qtbot: Any, ctx: PageContext, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.session() as s:
        made = new_inspection(s)
        fill_record(s, made.id)
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    tab = RecordTab(ctx, made.id, evidence_root(db.path))
    qtbot.addWidget(tab)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, **_k: asked.append(text) or False)
    monkeypatch.setattr(messages, "error", lambda *_a, **_k: None)
    assert tab.lock() is False
    assert asked and "锁定" in asked[0] and "新版本" in asked[0]
    assert load_status(db, made.id) == "completed"


def test_the_unchecked_dialog_needs_a_reason_to_record(qtbot: Any) -> None:
    from gui.dialogs.unchecked import UncheckedDialog

    dialog = UncheckedDialog([("A-1", "是否设置母婴室？"), ("A-2", "是否有标识？")])
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2 and "A-1" in dialog.list.item(0).text()
    assert dialog.back_button.isDefault() and not dialog.record_button.isEnabled()
    dialog.accept()  # Enter with the field empty goes nowhere
    assert dialog.result() == 0 and dialog.reason() is None
    dialog.reason_edit.setText("  现场停电，无法检查  ")
    assert dialog.record_button.isEnabled()
    dialog.record_button.click()
    assert dialog.result() == UncheckedDialog.DialogCode.Accepted
    assert dialog.reason() == "现场停电，无法检查"


def test_the_record_tab_issues_notices_and_prints_the_record_from_the_window(
        qtbot: Any, ctx: PageContext, db: Database, told: list[str]) -> None:
    with db.session() as s:
        made = new_inspection(s)
        fill_record(s, made.id)
    tab = RecordTab(ctx, made.id, evidence_root(db.path))
    qtbot.addWidget(tab)
    assert not tab.issue_button.isEnabled()  # a draft: nothing to issue yet
    with db.session() as s:
        record_finding(s, made.id, "FXM-A01", result="不符合", note="未设母婴室")
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
    tab.reload()
    assert tab.issue_button.isEnabled() and tab.print_button.isEnabled()
    with qtbot.waitSignal(ctx.events.openPage) as opened:
        tab.print_record()
    assert opened.args == ["reports", {"kind": "record", "inspection": made.id}]


def test_a_note_near_its_limit_shows_the_count_and_one_over_it_is_refused_but_kept(
        qtbot: Any, ctx: PageContext, inspection_id: int, db: Database,
        told: list[str]) -> None:
    from rules.limits import NOTE_MAX

    form = make_form(qtbot, ctx, inspection_id)
    form.note_edit.setFocus()
    form.note_edit.insertPlainText("短")
    assert not form.note_count.isVisibleTo(form)
    form.note_edit.setPlainText("查" * (NOTE_MAX - 10))
    assert form.note_count.isVisibleTo(form)
    assert f"已输入 {NOTE_MAX - 10} / {NOTE_MAX} 字" == form.note_count.text()
    form.flush_note()
    assert stored(db, inspection_id, "FXM-A01").note == "查" * (NOTE_MAX - 10)
    too_long = "查" * (NOTE_MAX + 5)
    form.note_edit.setPlainText(too_long)
    assert "超出部分无法保存" in form.note_count.text()
    form.flush_note()
    assert told and "10000" in told[-1].replace(",", "").replace("，", "")
    assert stored(db, inspection_id, "FXM-A01").note == "查" * (NOTE_MAX - 10)  # unchanged
    assert form.note_edit.toPlainText() == too_long  # what was typed stays to be cut down


def test_the_question_column_has_the_room_on_a_laptop_screen(
        qtbot: Any, ctx: PageContext, inspection_id: int) -> None:
    form = make_form(qtbot, ctx, inspection_id)
    form.resize(1280, 640)  # an inspection window on a 1366×768 screen
    form.show()
    qtbot.waitExposed(form)
    header = form.table.horizontalHeader()
    sizes = [header.sectionSize(c) for c in range(header.count())]
    assert sizes[2] == max(sizes) and sizes[2] > sum(sizes) / 2
    # the list is wider than the pane of the item being answered
    assert form.table.width() > form.width() / 2
    model = form.table.model()
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == model.index(0, 3).data()
