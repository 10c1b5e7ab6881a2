"""文书编号: this device's reserved number blocks, and reserving a new one.

Each laptop issues numbers only from blocks reserved for it (see :mod:`services.numbering`);
the supervisor hands out disjoint ranges, e.g. 1–200 to one laptop and 201–400 to the next.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.dialogs import dialog_buttons
from models.db import Database
from rules.china_time import today as china_today
from services.numbering import (
    BlockInfo,
    NumberingError,
    document_suffixes,
    list_blocks,
    reserve_block,
)


class NumberBlockDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved: BlockInfo | None = None
        self.setWindowTitle("文书编号号段")
        self.resize(520, 420)
        self.block_list = QListWidget()
        self.suffix_combo = QComboBox()
        for suffix, titles in document_suffixes().items():
            self.suffix_combo.addItem(f"{suffix}（{'、'.join(titles)}）", suffix)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(china_today().year)
        self.start_spin = QSpinBox()
        self.start_spin.setRange(1, 999999)
        self.end_spin = QSpinBox()
        self.end_spin.setRange(1, 999999)
        self.end_spin.setValue(200)
        self.button_box, self.reserve_button, self.cancel_button = dialog_buttons(self, "预留")
        self.cancel_button.setText("关闭")
        self.reserve_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("文书代字", self.suffix_combo)
        form.addRow("年份", self.year_spin)
        form.addRow("起始号", self.start_spin)
        form.addRow("终止号", self.end_spin)
        note = QLabel("各台设备的号段不得重叠（由督查负责人统一分配），"
                      "这样离线开具的文书永不重号。")
        note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(QLabel("已预留的号段："))
        box.addWidget(self.block_list, 1)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(self.button_box)
        self._fill()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database) -> BlockInfo | None:
        dialog = cls(db, parent)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()

    def _fill(self) -> None:
        self.block_list.clear()
        with self._db.session() as session:
            blocks = list_blocks(session)
        for b in blocks:
            whose = "本机" if b.own else "其他设备"
            self.block_list.addItem(f"{b.doc_word}〔{b.year}〕 第{b.start_no}–{b.end_no}号　"
                                    f"{whose}　剩余 {b.remaining} 个")
        if not blocks:
            self.block_list.addItem("尚未预留号段：开具文书前请先预留。")
        mine = [b for b in blocks if b.own]
        if mine:
            top = max(b.end_no for b in mine)
            self.start_spin.setValue(top + 1)
            self.end_spin.setValue(top + 200)

    def save(self) -> None:
        try:
            with self._db.session() as session:
                self.saved = reserve_block(session, suffix=self.suffix_combo.currentData(),
                                           year=self.year_spin.value(),
                                           start=self.start_spin.value(),
                                           end=self.end_spin.value())
        except NumberingError as exc:
            self.saved = None
            messages.warning(self, str(exc), title="无法预留")
            return
        self._fill()
