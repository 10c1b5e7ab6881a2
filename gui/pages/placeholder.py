"""A sidebar page for a feature that is not built yet: it says what will come and when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("pageTitle")
        self.notice_label = QLabel("此功能将在后续版本提供")
        self.notice_label.setObjectName("placeholderNotice")
        self.purpose_label = QLabel(purpose)
        self.purpose_label.setWordWrap(True)
        self.purpose_label.setObjectName("placeholderPurpose")
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 40, 48, 40)
        box.setSpacing(14)
        box.addWidget(self.title_label)
        box.addWidget(self.notice_label)
        box.addWidget(self.purpose_label)
        box.addStretch(1)
        for label in (self.notice_label, self.purpose_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
