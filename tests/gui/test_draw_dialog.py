"""双随机抽查 dialog: pools hashed before the draw, witness input, confirm, discard, replay."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from gui import messages
from gui.context import AppEvents
from gui.dialogs.draw import DrawDialog
from models.db import Database
from models.draw import Draw
from models.inspection import Inspection
from rules.inspection_status import DRAFT
from services.draw_records import list_draws
from services.entities import create_entity
from services.roster import add_inspector

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def register(catalog_db: Database) -> Database:
    with catalog_db.session() as s:
        for i in range(6):
            create_entity(s, name=f"宁安镇第{i + 1}托育园", type_code="childcare_center",
                          region_code="640521", address=f"中宁县宁安镇{i + 1}号")
        create_entity(s, name="中宁县某某商贸有限公司", type_code="enterprise",
                      region_code="640521")
        for i, name in enumerate(("马文", "李静", "王强", "张敏")):
            add_inspector(s, name=name, department="消防救援", cert_no=f"ZF64{i:04d}")
    return catalog_db


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    out: list[str] = []
    for name in ("info", "warning", "error"):
        monkeypatch.setattr(messages, name,
                            lambda _parent, text, *, title="", _n=name, **_k: out.append(text))
    return out


@pytest.fixture
def dialog(register: Database, qtbot: Any) -> DrawDialog:
    widget = DrawDialog(register, AppEvents())
    qtbot.addWidget(widget)
    widget.theme_combo.setCurrentText("托育机构消防安全")
    widget.set_filters(region_code="640521")
    return widget


def _draw(dialog: DrawDialog, qtbot: Any, n: int = 3) -> None:
    dialog.n_spin.setValue(n)
    dialog.witness_name_edit.setText("周见证")
    dialog.witness_input_edit.setText("黄河 7391")
    qtbot.mouseClick(dialog.draw_button, CLICK)


def test_pools_and_their_hashes_are_shown_before_the_draw(dialog: DrawDialog) -> None:
    text = dialog.pools_label.text()
    assert "被检查单位名录：6 户" in text  # the company is no childcare unit
    assert "检查人员名录：4 名" in text and "哈希" in text
    assert not dialog.confirm_button.isEnabled() and not dialog.replay_button.isEnabled()


def test_a_draw_shows_its_units_inspectors_and_seed_and_replays(
        dialog: DrawDialog, register: Database, qtbot: Any, said: list[str],
        qtmodeltester: Any) -> None:
    _draw(dialog, qtbot)
    assert said == []
    assert dialog.results.rowCount() == 3
    assert dialog.results.index(0, 2).data().count("、") == 1
    with register.session() as s:
        (info,) = list_draws(s)
    assert info.seed in dialog.seed_label.text() and info.witness_input == "黄河 7391"
    qtbot.mouseClick(dialog.replay_button, CLICK)
    assert dialog.replay_label.text().startswith("重放结果与记录一致")
    qtbot.mouseClick(dialog.copy_button, CLICK)
    published = QGuiApplication.clipboard().text()
    assert info.seed in published and "宁安镇第" in published
    qtmodeltester.check(dialog.results)


def test_a_draw_without_witness_input_is_refused(dialog: DrawDialog, register: Database,
                                                 qtbot: Any, said: list[str]) -> None:
    dialog.witness_name_edit.setText("周见证")
    qtbot.mouseClick(dialog.draw_button, CLICK)
    assert said and "至少4个字符" in said[0]
    with register.session() as s:
        assert list_draws(s) == []


def test_confirming_makes_draft_inspections(dialog: DrawDialog, register: Database,
                                            qtbot: Any, said: list[str]) -> None:
    _draw(dialog, qtbot, n=2)
    qtbot.mouseClick(dialog.confirm_button, CLICK)
    assert said == ["已生成 2 份检查草稿，可在“现场检查”中打开。"]
    assert dialog.confirmed
    assert dialog.results.index(0, 5).data() == "已建立"
    with register.session() as s:
        assert s.scalars(select(Inspection.status)).all() == [DRAFT, DRAFT]


def test_outcome_needs_a_note_and_discard_needs_a_reason(dialog: DrawDialog,
                                                         register: Database, qtbot: Any,
                                                         said: list[str]) -> None:
    _draw(dialog, qtbot)
    dialog.table.selectRow(1)
    dialog.outcome_combo.setCurrentText("查无下落")
    qtbot.mouseClick(dialog.outcome_button, CLICK)
    assert said[-1] == "登记为“查无下落”须写明情况"
    dialog.outcome_note_edit.setText("登记地址已拆迁")
    qtbot.mouseClick(dialog.outcome_button, CLICK)
    assert dialog.results.index(1, 3).data() == "查无下落"
    qtbot.mouseClick(dialog.discard_button, CLICK)
    assert said[-1] == "作废抽查结果须写明理由"
    dialog.discard_reason_edit.setText("见证人未签字确认")
    qtbot.mouseClick(dialog.discard_button, CLICK)
    with register.session() as s:
        status, reason = s.execute(select(Draw.status, Draw.discard_reason)).one()
    assert (status, reason) == ("void", "见证人未签字确认")
    assert "作废" in dialog.seed_label.text() and not dialog.confirm_button.isEnabled()
    assert dialog.replay_button.isEnabled()


def test_the_inspections_page_opens_the_draw_dialog(ctx: Any, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.pages.inspections import InspectionsPage

    opened: list[object] = []
    monkeypatch.setattr(DrawDialog, "ask", classmethod(
        lambda cls, parent, db, events=None: opened.append((db, events)) or False))
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.draw_button, CLICK)
    assert opened == [(ctx.db, ctx.events)]
