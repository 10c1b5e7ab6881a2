"""The signature pad: mouse strokes become a smooth drawing, stored as a PNG signature."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from gui.context import AppEvents, PageContext
from gui.inspection.record_tab import RecordTab
from gui.inspection.signature_pad import SignatureDialog, SignaturePad
from models.db import Database
from models.evidence_store import evidence_root, object_path
from rules.china_time import beijing
from rules.inspection_status import ROLE_OFFICER, ROLE_PARTY
from services.inspection_lifecycle import complete_inspection
from services.signatures import list_signatures
from tests.services.inspection_fixtures import fill_record, new_inspection

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


@pytest.fixture
def ctx(db: Database, qapp: QApplication) -> Iterator[PageContext]:
    events = AppEvents()
    yield PageContext(db=db, events=events)
    events.deleteLater()


def draw(qtbot: Any, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def ink_pixels(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG"
        grey = img.convert("L")
        return sum(grey.histogram()[:128])


def test_mouse_strokes_make_a_png_and_clear_empties_the_pad(qtbot: Any) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(420, 160)
    assert pad.is_empty() and pad.to_png() == b""
    draw(qtbot, pad, [(30, 100), (60, 60), (90, 110), (130, 50), (170, 120)])
    draw(qtbot, pad, [(200, 80), (260, 82), (320, 90)])
    assert len(pad.strokes) == 2 and len(pad.strokes[0]) == 5
    png = pad.to_png()
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (840, 320)  # twice the pad, for print
    assert ink_pixels(png) > 500
    pad.clear()
    assert pad.is_empty() and pad.to_png() == b""


def test_a_dialog_refuses_to_confirm_an_empty_signature(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import messages

    told: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: told.append(text))
    dialog = SignatureDialog(ROLE_PARTY, ["王经理"])
    qtbot.addWidget(dialog)
    dialog.confirm_button.click()
    assert told == ["请先在签名区书写签名"] and dialog.result() == 0
    dialog.pad.resize(420, 160)
    draw(qtbot, dialog.pad, [(20, 20), (100, 100), (200, 40)])
    dialog.confirm_button.click()
    assert dialog.result() == SignatureDialog.DialogCode.Accepted
    assert dialog.name() == "王经理"


def test_each_officer_and_the_representative_sign_and_the_png_is_stored(
        qtbot: Any, ctx: PageContext, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import messages

    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, **_k: asked.append(text) or True)
    with db.session() as s:
        inspection = new_inspection(s)
        fill_record(s, inspection.id)
        complete_inspection(s, inspection.id, unchecked_reason=UNCHECKED_REASON)
    tab = RecordTab(ctx, inspection.id, evidence_root(db.path))
    qtbot.addWidget(tab)
    for n, (role, name) in enumerate(((ROLE_OFFICER, "检查员1"), (ROLE_OFFICER, "检查员2"),
                                      (ROLE_PARTY, "王经理"))):
        pad = SignaturePad()
        qtbot.addWidget(pad)
        pad.resize(420, 160)
        draw(qtbot, pad, [(20 + n * 10, 120), (80, 40), (140, 120), (220, 60), (300, 110)])
        assert tab.store_signature(role, name, pad.to_png())
    with db.session() as s:
        sigs = list_signatures(s, inspection.id)
    assert [(g.role, g.name) for g in sigs] == [(ROLE_OFFICER, "检查员1"),
                                                (ROLE_OFFICER, "检查员2"), (ROLE_PARTY, "王经理")]
    for g in sigs:
        assert g.image_sha256 is not None
        png = object_path(evidence_root(db.path), g.image_sha256, ".png").read_bytes()
        assert ink_pixels(png) > 300
    assert tab.signatures_table.rowCount() == 3
    assert tab.signatures_table.item(0, 3).text().startswith(  # shown in 北京时间
        beijing(sigs[0].signed_at).strftime("%Y-%m-%d %H:%M"))
    assert not tab.signatures_table.item(0, 2).icon().isNull()
    assert tab.lock() and tab.status_label.text().startswith("状态：已签名")
    assert len(asked) == 1 and "锁定" in asked[0]  # locking was asked for, once
