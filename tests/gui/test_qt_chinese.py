"""Qt's own dialogs speak Chinese: the standard buttons, file and print dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from gui.app import install_translations


def test_standard_buttons_and_dialog_texts_are_chinese(qapp: QApplication) -> None:
    before = QLocale()
    translator = install_translations(qapp)
    assert translator is not None, "PySide6 ships qtbase_zh_CN.qm"
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "标题", "正文",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        texts = {box.button(b).text() for b in (QMessageBox.StandardButton.Ok,
                                                 QMessageBox.StandardButton.Cancel)}
        assert texts == {"确定", "取消"}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close)
        saved = buttons.button(QDialogButtonBox.StandardButton.Save).text()
        assert saved.startswith("保存")
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
        assert QLocale().language() == QLocale.Language.Chinese
    finally:
        qapp.removeTranslator(translator)
        QLocale.setDefault(before)
