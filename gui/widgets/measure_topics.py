"""修改政策主题: the policy topics of one measure, as check boxes (loaded when first asked for)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import MeasureView


class TopicsDialog(QDialog):
    """The policy topics as check boxes, ticked where the measure has them."""

    def __init__(self, measure: MeasureView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改政策主题")
        hint = QLabel(f"“{measure.title}”属于哪些政策主题？\n"
                      "人工修改后，重新归类不会再改动本措施的主题。")
        hint.setWordWrap(True)
        from checklists.topics import load_topics

        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for i, topic in enumerate(load_topics()):
            box = QCheckBox(topic.label)
            box.setChecked(topic.code in measure.topics)
            self.boxes[topic.code] = box
            grid.addWidget(box, i // 3, i % 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]
