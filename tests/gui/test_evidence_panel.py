"""Evidence in the inspection window: files dropped on the panel or on an item, real images
made by Pillow, refused files that store nothing, and captions saved at once."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from gui import messages
from gui.context import AppEvents, PageContext
from gui.inspection.window import InspectionWindow
from models.db import Database
from models.evidence_store import evidence_root, thumbnail_path
from services.evidence import MAX_BYTES_SETTING, list_evidence
from services.settings import set_setting
from tests.services.inspection_fixtures import assert_integrity, new_inspection

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ctx(db: Database, qapp: QApplication) -> Iterator[PageContext]:
    events = AppEvents()
    yield PageContext(db=db, events=events)
    events.deleteLater()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    for name in ("error", "warning", "info"):
        monkeypatch.setattr(messages, name, lambda _p, text, **_k: seen.append(text))
    return seen


@pytest.fixture
def window(qtbot: Any, ctx: PageContext, db: Database) -> InspectionWindow:
    with db.session() as s:
        inspection = new_inspection(s)
    w = InspectionWindow(ctx, inspection.id)
    qtbot.addWidget(w)
    w.show()
    return w


def photo(path: Path, *, exif_time: str | None = None, size: tuple[int, int] = (320, 200),
          orientation: int | None = None) -> Path:
    img = Image.new("RGB", size, (40, 120, 200))
    exif = Image.Exif()
    if exif_time:
        exif.get_ifd(0x8769)[36867] = exif_time  # DateTimeOriginal
    if orientation:
        exif[0x0112] = orientation
    img.save(path, exif=exif.tobytes()) if path.suffix == ".jpg" else img.save(path)
    return path


def drop(target: QWidget, paths: list[Path], at: QPointF | None = None) -> None:
    """What a file manager's drag does: enter, move, drop (Qt delivers no drop otherwise)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = at if at is not None else QPointF(target.width() / 2, target.height() / 2)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # the drag events have only a deprecated QPoint constructor
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, buttons, mods)
        move = QDragMoveEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, move)
    assert move.isAccepted()
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(target, event)
    assert event.isAccepted()


def stored(db: Database, inspection_id: int) -> list[Any]:
    with db.session() as s:
        return list_evidence(s, inspection_id)


def store_objects(db: Database) -> list[Path]:
    root = evidence_root(db.path)
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.parts]


def test_a_photo_dropped_on_the_panel_is_stored_with_thumbnail_and_exif_time(
        qtbot: Any, window: InspectionWindow, db: Database, tmp_path: Path,
        told: list[str]) -> None:
    picture = photo(tmp_path / "母婴室.jpg", exif_time="2026:03:02 10:15:00", size=(400, 300),
                    orientation=6)  # taken on its side: stored upright 300 × 400
    with qtbot.waitSignal(window.importer.finished, timeout=10_000):
        drop(window.evidence, [picture])
    (e,) = stored(db, window.inspection_id)
    assert (e.kind, e.item_code, e.captured_source) == ("photo", None, "exif")
    assert (e.width, e.height) == (300, 400)
    assert e.photographer == "检查员1"  # the first officer, until a recorder is named
    assert thumbnail_path(evidence_root(db.path), e.sha256).exists()
    assert window.evidence.list.count() == 1
    assert not window.evidence.list.item(0).icon().isNull()
    assert "照片 EXIF" in window.evidence.info_label.text()
    assert datetime(2026, 3, 2).strftime("%Y-%m-%d") in window.evidence.info_label.text()
    assert told == []

    window.evidence.caption_edit.setText("母婴室门口无标识")
    window.evidence.caption_edit.editingFinished.emit()
    (e,) = stored(db, window.inspection_id)
    assert e.caption == "母婴室门口无标识"
    assert "母婴室门口无标识" in window.evidence.list.item(0).text()


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(
        qtbot: Any, window: InspectionWindow, db: Database, tmp_path: Path,
        told: list[str]) -> None:
    fake = tmp_path / "现场.jpg"
    fake.write_text("这不是图片", encoding="utf-8")
    good = photo(tmp_path / "ok.png")
    with qtbot.waitSignal(window.importer.finished, timeout=10_000) as blocker:
        drop(window.evidence, [fake, good])
    added, errors = blocker.args
    assert len(added) == 1 and len(errors) == 1
    assert told and "现场.jpg 不是图片文件" in told[0] and "未保存任何内容" in told[0]
    assert [e.original_name for e in stored(db, window.inspection_id)] == ["ok.png"]
    assert not any(p.name.startswith(_sha_of(fake)) for p in store_objects(db))
    assert_integrity(db)


def _sha_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_oversized_file_gets_a_clear_message_and_is_not_stored(
        qtbot: Any, window: InspectionWindow, db: Database, tmp_path: Path,
        told: list[str]) -> None:
    with db.session() as s:
        set_setting(s, MAX_BYTES_SETTING, 2048)
    big = photo(tmp_path / "big.png", size=(600, 600))
    big.write_bytes(big.read_bytes() + b"\0" * 4096)
    with qtbot.waitSignal(window.importer.finished, timeout=10_000):
        drop(window.evidence, [big])
    assert told and "超过" in told[0] and "大小限制" in told[0]
    assert stored(db, window.inspection_id) == []
    assert store_objects(db) == []


def test_a_photo_dropped_on_an_item_belongs_to_that_item(
        qtbot: Any, window: InspectionWindow, db: Database, tmp_path: Path) -> None:
    form = window.form
    form.select_code("FXM-A02")
    qtbot.keyClick(form.table, Qt.Key.Key_F3)
    qtbot.keyClicks(form.value_edit, "8")
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Return)  # 8 ㎡ < 10 ㎡: 不符合, photo required
    assert form.entry("FXM-A02").missing_requirement() == "照片"
    row = form.model.row_for("FXM-A02")
    assert row is not None
    rect = form.table.visualRect(form.model.index(row, 2))
    with qtbot.waitSignal(window.importer.finished, timeout=10_000):
        drop(form.table.viewport(), [photo(tmp_path / "area.png")], QPointF(rect.center()))
    (e,) = stored(db, window.inspection_id)
    assert e.item_code == "FXM-A02"
    assert form.entry("FXM-A02").photos == 1
    assert form.entry("FXM-A02").missing_requirement() is None
    assert "照片1" in form.model.index(row, 5).data()


def test_a_file_whose_name_hides_its_type_is_shown_with_its_real_type_and_a_warning(
        qtbot: Any, window: InspectionWindow, db: Database, tmp_path: Path) -> None:
    from services.evidence import add_evidence

    disguised = tmp_path / "照片\u202egpj.exe"  # a right-to-left override in the name
    disguised.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with db.session() as s:
        add_evidence(s, window.inspection_id, disguised, store_root=db.evidence_root,
                     kind="file")
    window.evidence.reload()
    window.evidence.list.setCurrentRow(0)
    item = window.evidence.list.item(0)
    assert "\u202e" not in item.text()  # the override is not shown
    info = window.evidence.info_label.text()
    assert "实际类型" in info and "PDF" in info
    assert "扩展名与实际内容不符" in info and item.text().startswith("⚠")
