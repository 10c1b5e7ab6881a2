"""冲突处理: one record as this laptop has it and as the other laptop had it, side by side,
field by field; the user keeps one version or picks per field. The decision is a new revision
that travels back with the next package, so every laptop ends with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from models.db import Database
from rules.china_time import beijing
from sync.conflicts import (
    INCOMING,
    LOCAL,
    MERGED,
    NOTED,
    RESOLUTION_LABELS,
    ConflictDetail,
    ConflictError,
    conflict_detail,
    display_pair,
    display_value,
    resolve_conflict,
)

DIFFERS = QColor("#fff4e5")


def _when(iso: str | None) -> str:
    """A stored UTC time as this computer's local time."""
    if not iso:
        return "时间不详，"
    from datetime import datetime

    try:
        return beijing(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M ")
    except ValueError:
        return "时间不详，"


class ConflictDialog(QDialog):
    def __init__(self, db: Database, conflict_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._id = conflict_id
        with db.session() as s:
            self.detail: ConflictDetail = conflict_detail(s, conflict_id)
        info = self.detail.info
        self.setWindowTitle(f"处理冲突 #{info.id}")
        self.resize(920, 460)
        self.resolved = False
        self._again = False  # changing a decision taken here

        self.title_label = QLabel(f"{info.reason_label}：{info.kind_label}　{info.label}")
        self.title_label.setObjectName("sectionCaption")
        self.title_label.setWordWrap(True)
        kept = ("本机的版本" if info.kept == "local" else
                f"对方（{info.from_device}）的版本" if info.from_device else "对方的版本")
        self.hint_label = QLabel(
            "两台电脑在上次交换之后都修改了这条记录。两个版本都已保存；"
            f"在您决定之前，双方暂时都采用{kept}。您的决定会作为新版本，"
            "随下一个数据包发回各方。"
            if info.reason == "concurrent" else
            "两台电脑开具的文书使用了同一个编号（号段重叠）。两份文书都已保留，不会自动改号；"
            "请核实后按规定处理（如作废其中一份并重新开具），再在此登记为已知悉。")
        self.hint_label.setWordWrap(True)
        self.versions_label = QLabel(
            f"本机版本：{_when(self.detail.local_updated)}修改"
            f"　　对方版本：{_when(self.detail.incoming_updated)}修改"
            + (f"（{info.from_device}）" if info.from_device else ""))
        self.versions_label.setObjectName("pageSubtitle")
        self.versions_label.setVisible(info.reason == "concurrent")
        self.only_diff_check = QCheckBox("只显示不同的字段")
        self.only_diff_check.setChecked(True)
        self.only_diff_check.toggled.connect(self._fill)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["字段", "本机版本", "对方版本", "采用"])
        if info.from_device:  # named in full above the table: a column header clips it
            self.table.horizontalHeaderItem(2).setToolTip(f"来自 {info.from_device}")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(3, 96)
        self.choices: dict[str, QComboBox] = {}

        self.local_button = QPushButton("全部采用本机版本")
        self.incoming_button = QPushButton("全部采用对方版本")
        self.merge_button = QPushButton("按所选逐项合并")
        self.merge_button.setObjectName("primaryButton")
        self.noted_button = QPushButton("登记为已知悉")
        self.noted_button.setObjectName("primaryButton")
        self.again_button = QPushButton("重新处理…")
        self.again_button.setToolTip("当初选错时改变决定：新的决定作为新版本，随下一个数据包发回各方")
        self.again_button.clicked.connect(self._decide_again)
        self.close_button = QPushButton("以后再说" if info.status == "open" else "关闭")
        self.local_button.clicked.connect(lambda: self.resolve(LOCAL))
        self.incoming_button.clicked.connect(lambda: self.resolve(INCOMING))
        self.merge_button.clicked.connect(lambda: self.resolve(MERGED))
        self.noted_button.clicked.connect(lambda: self.resolve(NOTED))
        self.close_button.clicked.connect(self.reject)
        concurrent = info.reason == "concurrent"
        for button in (self.local_button, self.incoming_button, self.merge_button):
            button.setVisible(concurrent)
        self.noted_button.setVisible(not concurrent)
        self.only_diff_check.setVisible(concurrent)
        self.again_button.setVisible(self.detail.can_decide_again)
        if info.status != "open":
            for button in (self.local_button, self.incoming_button, self.merge_button,
                           self.noted_button):
                button.setEnabled(False)
            self.hint_label.setText(self._decided_text())

        buttons = QHBoxLayout()
        buttons.addWidget(self.only_diff_check)
        buttons.addStretch(1)
        for button in (self.again_button, self.local_button, self.incoming_button,
                       self.merge_button, self.noted_button, self.close_button):
            buttons.addWidget(button)
        box = QVBoxLayout(self)
        box.addWidget(self.title_label)
        box.addWidget(self.hint_label)
        box.addWidget(self.versions_label)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        self._fill()

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database, conflict_id: int) -> bool:
        """Show the dialog; True when the conflict was resolved."""
        dialog = cls(db, conflict_id, parent)
        try:
            dialog.exec()
            return dialog.resolved
        finally:
            dialog.deleteLater()

    def picks(self) -> dict[str, str]:
        return {name: str(combo.currentData()) for name, combo in self.choices.items()}

    def _decided_text(self) -> str:
        info = self.detail.info
        how = RESOLUTION_LABELS.get(info.resolution or "", "已处理")
        if info.reason != "concurrent":
            return f"已处理：{how}。"
        text = f"已处理：{how}。下表是发现冲突时双方的版本"
        if self.detail.taken is not None:
            text += "和当时采用的一方。"
        else:
            text += "；这一冲突是在其他设备上解决的。"
        if self.detail.final_because:
            text += f"不能再改变这一决定：{self.detail.final_because}"
        elif self.detail.can_decide_again:
            text += "如当初选错，可点“重新处理”改变决定。"
        return text

    def _decide_again(self) -> None:
        """Choose anew, starting from the decision taken: the side of each field as it was."""
        self._again = True
        self.again_button.setVisible(False)
        for button in (self.local_button, self.incoming_button, self.merge_button):
            button.setEnabled(True)
        self.close_button.setText("取消")
        self.hint_label.setText("重新选择每个字段采用哪一方。新的决定会作为新版本，"
                                "随下一个数据包发回各方。")
        self._fill()

    def resolve(self, choice: str) -> None:
        try:
            with self._db.session() as s:
                resolve_conflict(s, self._id, choice,
                                 fields=self.picks() if choice == MERGED else None,
                                 again=self._again)
        except ConflictError as exc:
            messages.error(self, str(exc), title="无法处理冲突")
            return
        self.resolved = True
        self.accept()

    def _fill_documents(self) -> None:
        """A clash of document numbers: the number, then each document that carries it."""
        number = next((f.local for f in self.detail.fields if f.name == "doc_number"), "")
        rows = [("文书编号", display_value("doc_number", number))] + [
            (f"第 {n} 份", text) for n, text in enumerate(self.detail.documents, start=1)]
        self.table.setColumnCount(2)
        self.table.setHorizontalHeaderLabels(["", "使用这一编号的文书"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setRowCount(len(rows))
        for r, (label, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(label))
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            self.table.setItem(r, 1, cell)
        self.table.resizeRowsToContents()

    def _fill(self, *_args: object) -> None:
        if self.detail.info.reason == "doc_number":
            self._fill_documents()
            return
        fields = (self.detail.differing if self.only_diff_check.isChecked()
                  and self.detail.info.reason == "concurrent" else self.detail.fields)
        previous = self.picks() or dict(self.detail.taken or {})
        deciding = self.detail.info.status == "open" or self._again
        sides = {LOCAL: "本机", INCOMING: "对方"}
        self.table.setRowCount(len(fields))
        self.choices = {}
        bold = QFont()
        bold.setBold(True)
        for r, f in enumerate(fields):
            name = QTableWidgetItem(f.label)
            name.setToolTip(f.name)
            shown_local, shown_incoming = display_pair(f.name, f.local, f.incoming)
            local, incoming = QTableWidgetItem(shown_local), QTableWidgetItem(shown_incoming)
            local.setToolTip(shown_local)
            incoming.setToolTip(shown_incoming)
            for cell in (name, local, incoming):
                if f.differs:
                    cell.setBackground(QBrush(DIFFERS))
            if f.differs:
                name.setFont(bold)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, local)
            self.table.setItem(r, 2, incoming)
            if f.differs and self.detail.taken is not None and not deciding:
                self.table.setItem(r, 3, QTableWidgetItem(sides[self.detail.taken[f.name]]))
            elif f.differs and self.detail.info.reason == "concurrent" and deciding:
                combo = QComboBox()
                combo.addItem("本机", LOCAL)
                combo.addItem("对方", INCOMING)
                if previous.get(f.name) == INCOMING:
                    combo.setCurrentIndex(1)
                self.choices[f.name] = combo
                self.table.setCellWidget(r, 3, combo)
        self.table.resizeRowsToContents()
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
