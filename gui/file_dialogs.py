"""Where file dialogs open: the folder last used for that kind of file, else the user's
Pictures (photos) or Documents (everything else) folder, never the program's own folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

PHOTOS = "photos"
DOCUMENTS = "documents"
PACKAGES = "packages"
_DEFAULT = {PHOTOS: QStandardPaths.StandardLocation.PicturesLocation,
            DOCUMENTS: QStandardPaths.StandardLocation.DocumentsLocation,
            PACKAGES: QStandardPaths.StandardLocation.DocumentsLocation}


def start_dir(kind: str) -> Path:
    """The folder a dialog for ``kind`` opens in."""
    last = QSettings().value(f"dialogs/{kind}")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    found = QStandardPaths.writableLocation(_DEFAULT.get(kind, _DEFAULT[DOCUMENTS]))
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def remember(kind: str, chosen: str | Path | list[str] | None) -> None:
    """Keep the folder of what the user chose, for the next dialog of the same kind."""
    if isinstance(chosen, list):
        chosen = chosen[0] if chosen else None
    if not chosen:
        return
    folder = Path(chosen).parent
    if folder.is_dir():
        QSettings().setValue(f"dialogs/{kind}", str(folder))


def start_path(kind: str, name: str) -> str:
    """A suggested file name inside the start folder, for a save dialog."""
    return str(start_dir(kind) / name)
