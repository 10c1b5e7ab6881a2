"""A list of regions to choose from that is typed into: the country has some three thousand
cities and counties, too many to scroll through."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter


def searchable_regions(combo: QComboBox, placeholder: str = "输入地名查找") -> None:
    """Make ``combo`` take typing: any part of a name (or a code) narrows the list; only one
    of the listed regions can be chosen."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMaxVisibleItems(20)
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(placeholder)
