"""设置 › 报告字体: the font found is shown, a chosen file is validated through reports.fonts and
saved, 恢复自动 clears it, and the STSong-Light fallback is announced (also on the 报告 page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

import reports.fonts
from gui import messages
from gui.context import PageContext
from gui.dialogs.settings import SettingsDialog
from gui.pages.reports import SUMMARY, ReportsPage
from models.db import Database
from reports.fonts import FALLBACK_WARNING, SETTING_KEY
from services.settings import get_setting, set_setting

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CFF_OTF = Path("/usr/share/fonts/opentype/urw-base35/URWBookman-Light.otf")
needs_wqy = pytest.mark.skipif(not WQY.is_file(), reason="fonts-wqy-microhei is not installed")


def _dialog(db: Database, qtbot: Any) -> SettingsDialog:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def _save(dialog: SettingsDialog, qtbot: Any) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, text, **_k: said.append(text))
    return said


@pytest.fixture
def fake_font(tmp_path: Path) -> Path:
    path = tmp_path / "假字体.ttf"
    path.write_bytes(b"this is not a font file\n" * 40)
    return path


@needs_wqy
def test_the_dialog_shows_the_font_that_discovery_found(db: Database, qtbot: Any) -> None:
    dialog = _dialog(db, qtbot)
    found = reports.fonts.find_font(None)
    assert found.embedded and found.body_path is not None
    text = dialog.font_label.text()
    assert found.body_path in text and "自动查找" in text
    if found.body_path == str(WQY):
        assert "WenQuanYi Micro Hei" in text
    assert not dialog.font_notice.isVisibleTo(dialog)


@needs_wqy
def test_a_chosen_truetype_chinese_font_is_shown_and_saved(
        db: Database, qtbot: Any, told: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(db, qtbot)
    monkeypatch.setattr(dialog, "choose_font_file", lambda: str(WQY))
    qtbot.mouseClick(dialog.font_choose_button, Qt.MouseButton.LeftButton)
    assert told == []
    assert dialog.font_choice == str(WQY)
    assert "WenQuanYi Micro Hei（已选择）" in dialog.font_label.text()
    assert str(WQY) in dialog.font_label.text()
    _save(dialog, qtbot)
    with db.session() as s:
        assert get_setting(s, SETTING_KEY) == str(WQY)
        assert reports.fonts.font_for_session(s).body_path == str(WQY)


@needs_wqy
def test_a_face_other_than_the_first_is_stored_with_its_index(
        db: Database, qtbot: Any, told: list[str]) -> None:
    dialog = _dialog(db, qtbot)
    assert dialog.set_font_file(str(WQY), face=1)  # wqy-microhei.ttc holds two faces
    _save(dialog, qtbot)
    with db.session() as s:
        assert get_setting(s, SETTING_KEY) == f"{WQY}#1"


def test_a_file_that_is_not_a_font_is_refused_with_the_reason(
        db: Database, qtbot: Any, told: list[str], fake_font: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(db, qtbot)
    before = dialog.font_label.text()
    monkeypatch.setattr(dialog, "choose_font_file", lambda: str(fake_font))
    qtbot.mouseClick(dialog.font_choose_button, Qt.MouseButton.LeftButton)
    assert len(told) == 1
    assert "假字体.ttf" in told[0] and "不是可用的 TrueType 字体文件" in told[0]
    assert dialog.font_choice is None and dialog.font_label.text() == before
    _save(dialog, qtbot)
    with db.session() as s:
        assert get_setting(s, SETTING_KEY) is None


@pytest.mark.parametrize(("path", "reason"), [(DEJAVU, "字体不含中文字形"),
                                              (CFF_OTF, "CFF/PostScript 轮廓")])
def test_a_latin_or_cff_font_is_refused_with_the_reason(
        db: Database, qtbot: Any, told: list[str], path: Path, reason: str) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    dialog = _dialog(db, qtbot)
    assert not dialog.set_font_file(str(path))
    assert len(told) == 1 and reason in told[0]
    assert dialog.font_choice is None


@needs_wqy
def test_restoring_automatic_clears_the_saved_choice(db: Database, qtbot: Any) -> None:
    with db.session() as s:
        set_setting(s, SETTING_KEY, str(WQY))
    dialog = _dialog(db, qtbot)
    assert dialog.font_choice == str(WQY) and "已选择" in dialog.font_label.text()
    qtbot.mouseClick(dialog.font_auto_button, Qt.MouseButton.LeftButton)
    assert dialog.font_choice is None and "自动查找" in dialog.font_label.text()
    _save(dialog, qtbot)
    with db.session() as s:
        assert get_setting(s, SETTING_KEY) is None


def test_the_fallback_font_is_announced_in_an_amber_notice(
        db: Database, qtbot: Any, fake_font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine without any Chinese TrueType font, and a saved choice that is not a font.
    monkeypatch.setattr(reports.fonts, "system_candidates", lambda: [])
    with db.session() as s:
        set_setting(s, SETTING_KEY, str(fake_font))
    dialog = _dialog(db, qtbot)
    assert "STSong-Light（内置，不嵌入）" in dialog.font_label.text()
    dialog.tabs.setCurrentIndex(1)  # 录入与报告
    assert dialog.font_notice.isVisibleTo(dialog)
    assert dialog.font_notice.objectName() == "warningText"
    notice = dialog.font_notice.text()
    assert FALLBACK_WARNING in notice and "假字体.ttf" in notice


def test_the_reports_page_shows_the_fallback_warning_once_after_a_pdf(
        ctx: PageContext, qtbot: Any, fake_font: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports.fonts, "system_candidates", lambda: [])
    with ctx.db.session() as s:
        set_setting(s, SETTING_KEY, str(fake_font))
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.select_kind(SUMMARY)
    task = page.generate()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert page.preview.page_count >= 1
    status = page.status_label.text()
    assert "督查通报已生成" in status
    assert status.count(FALLBACK_WARNING) == 1
