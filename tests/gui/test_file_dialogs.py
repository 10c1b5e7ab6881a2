"""File dialogs open in the user's Pictures or Documents folder and remember the last one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from gui.file_dialogs import DOCUMENTS, PHOTOS, remember, start_dir, start_path


def test_a_dialog_opens_in_the_users_folder_then_where_it_was_last_used(
        qapp: QApplication, tmp_path: Path) -> None:
    program = Path(__file__).resolve().parents[2]
    first = start_dir(PHOTOS)
    assert first != program and first.is_dir()
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    assert first in (Path(pictures), Path.home())
    shots = tmp_path / "现场照片"
    shots.mkdir()
    remember(PHOTOS, [str(shots / "1.jpg"), str(shots / "2.jpg")])
    assert start_dir(PHOTOS) == shots
    assert start_dir(DOCUMENTS) != shots  # each kind of file keeps its own folder
    assert start_path(PHOTOS, "a.jpg") == str(shots / "a.jpg")
    remember(DOCUMENTS, "")  # a cancelled dialog changes nothing
    remember(PHOTOS, [])
    assert start_dir(PHOTOS) == shots
    shots.rmdir()  # a folder that is gone is not offered again
    assert start_dir(PHOTOS) != shots
