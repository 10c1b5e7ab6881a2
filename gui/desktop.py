"""Handing a folder to the system's file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from gui import messages


def open_folder(parent: QWidget | None, folder: Path) -> bool:
    """Show ``folder`` in the file manager (made first if it is not there yet); say why when
    it cannot be. True when the file manager was asked to show it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        messages.warning(parent, f"无法打开文件夹 {folder}：{exc.strerror or exc}",
                         title="打开文件夹")
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        messages.warning(parent, f"未能在文件管理器中打开 {folder}，请手动打开。",
                         title="打开文件夹")
        return False
    return True
