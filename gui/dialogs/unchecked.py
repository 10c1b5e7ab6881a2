"""完成检查 with items still unanswered: the list, and the choice between going back to them
and recording them as 未检查 with the reason (which the 笔录 prints for each of them)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

#: An example of a reason, shown in the empty field.
EXAMPLE = "相关资料未能当场提供，另行补查"


class UncheckedDialog(QDialog):
    def __init__(self, items: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("还有未检查的项目")
        self.setMinimumWidth(560)
        intro = QLabel(f"以下 {len(items)} 项还没有检查结果。可以返回逐项检查；确实无法检查的，"
                       "请说明原因，这些项将记为“未检查”，原因写入笔录和操作日志。")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.addItems([f"{code}　{question}" for code, question in items])
        self.list.setMaximumHeight(220)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("未检查的原因（必填），如：" + EXAMPLE)
        self.reason_edit.setAccessibleName("未检查的原因")
        self.buttons = QDialogButtonBox()
        self.back_button = self.buttons.addButton("返回检查",
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.record_button = self.buttons.addButton("记为未检查并完成",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.setDefault(True)
        self.record_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda text: self.record_button.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.list)
        box.addWidget(QLabel("未检查的原因"))
        box.addWidget(self.reason_edit)
        box.addWidget(self.buttons)

    def reason(self) -> str | None:
        text = self.reason_edit.text().strip()
        return text or None

    def accept(self) -> None:
        if self.reason() is None:  # Enter in an empty field goes nowhere
            return
        super().accept()
