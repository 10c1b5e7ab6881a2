"""Every message box of the application goes through these functions.

One seam for all of them: tests replace a function here (``monkeypatch.setattr(messages,
"error", ...)``) to see what the user would have been told, without a modal box blocking the
test. Callers therefore use ``messages.error(...)`` through the module, never a copied name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The message box is loaded when a message is first shown: the program's start needs none.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def error(parent: QWidget | None, text: str, *, title: str = "出错了", details: str = "") -> None:
    """Something the user asked for could not be done; ``text`` says what and what to do."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def warning(parent: QWidget | None, text: str, *, title: str = "请注意") -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, text: str, *, title: str = "提示",
         action: str | None = None) -> bool:
    """Tell the user something; with ``action``, a button that does one more thing (打开回执
    所在文件夹): True when the user chose it."""
    from PySide6.QtWidgets import QMessageBox

    if action is None:
        QMessageBox.information(parent, title, text)
        return False
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    chosen = box.addButton(action, QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(box.addButton("确定", QMessageBox.ButtonRole.AcceptRole))
    box.exec()
    return box.clickedButton() is chosen


def confirm(parent: QWidget | None, text: str, *, title: str = "请确认", ok: str = "确定") -> bool:
    """Ask before doing something that cannot be undone. True when the user agrees."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def choose(parent: QWidget | None, text: str, options: list[str], *, title: str = "请选择"
           ) -> int | None:
    """Ask which of ``options`` to do (the first is the default); its index, or None when the
    user cancels."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons = [box.addButton(label, QMessageBox.ButtonRole.AcceptRole) for label in options]
    box.setDefaultButton(buttons[0])
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return next((n for n, b in enumerate(buttons) if b is clicked), None)
