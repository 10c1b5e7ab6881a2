"""Dialogs. Each has an ``ask()`` classmethod and public input widgets and buttons, so a test
builds one alone, fills it in and clicks its buttons."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def dialog_buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton,
                                                           QPushButton]:
    """The row every form dialog ends with: a default, highlighted ``ok_text`` and 取消.

    The caller connects the first button (it usually validates before accepting)."""
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
    ok.setObjectName("primaryButton")
    ok.setDefault(True)
    cancel.clicked.connect(dialog.reject)
    return box, ok, cancel
