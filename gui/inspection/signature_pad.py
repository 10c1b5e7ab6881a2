"""Signing on screen with a mouse or a pen, and the dialogs that collect a signature or a
refusal to sign (拒签) before a witness.

The pad keeps each stroke as its points and draws it as a smooth path (quadratic curves
through the midpoints of successive points), so a fast mouse gives no corners. ``to_png``
renders the strokes at twice the pad's size on white and returns PNG bytes, which
``services.signatures.add_signature`` stores.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import messages

PEN_WIDTH = 2.6


def smooth_path(points: list[QPointF]) -> QPainterPath:
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(points[0])
    if len(points) == 1:
        path.lineTo(points[0] + QPointF(0.1, 0.1))  # a dot
        return path
    for a, b in itertools.pairwise(points[1:]):
        path.quadTo(a, (a + b) / 2)
    path.lineTo(points[-1])
    return path


class SignaturePad(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setMinimumSize(QSize(420, 160))
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setToolTip("按住鼠标左键或用笔在此书写签名")

    def is_empty(self) -> bool:
        return not any(self.strokes)

    def clear(self) -> None:
        self.strokes = []
        self.update()
        self.changed.emit()

    # ----- input -----------------------------------------------------------------------------

    def _start(self, pos: QPointF) -> None:
        self._drawing = True
        self.strokes.append([pos])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing and self.strokes:
            last = self.strokes[-1][-1]
            if (pos - last).manhattanLength() >= 1.0:
                self.strokes[-1].append(pos)
                self.update()

    def _finish(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._finish()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._start(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._finish()
        event.accept()

    # ----- drawing ---------------------------------------------------------------------------

    def _paint(self, painter: QPainter, scale: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        pen = QPen(QColor("#0b1a33"), PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self.strokes:
            painter.drawPath(smooth_path(stroke))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#c9d1dc"), 1, Qt.PenStyle.DashLine))
        y = self.height() * 0.75
        painter.drawLine(QPointF(16, y), QPointF(self.width() - 16, y))
        if self.is_empty():
            painter.setPen(QColor("#9aa4b2"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "请在此处签名")
        self._paint(painter, 1.0)
        painter.end()

    def to_png(self, scale: float = 2.0) -> bytes:
        """The signature as PNG bytes (white background); empty bytes for an empty pad."""
        if self.is_empty():
            return b""
        image = QImage(int(self.width() * scale), int(self.height() * scale),
                       QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        self._paint(painter, scale)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


class SignatureDialog(QDialog):
    """One person signs: their name and the pad. Inputs and buttons are public for tests."""

    def __init__(self, role: str, names: list[str], *, fixed_name: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"签名：{role}")
        self.name_box = QComboBox()
        self.name_box.setEditable(not fixed_name)
        self.name_box.addItems(names)
        self.pad = SignaturePad()
        self.clear_button = QPushButton("清除")
        self.clear_button.clicked.connect(self.pad.clear)
        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton("确认签名",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("签名人", self.name_box)
        form.addRow(QLabel(f"身份：{role}"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.clear_button)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.pad, 1)
        box.addLayout(row)
        box.addWidget(self.buttons)
        self.resize(560, 330)

    def name(self) -> str:
        return self.name_box.currentText().strip()

    def _confirm(self) -> None:
        if not self.name():
            messages.error(self, "请填写签名人姓名")
            return
        if self.pad.is_empty():
            messages.error(self, "请先在签名区书写签名")
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, role: str, names: list[str], *,
            fixed_name: bool = False) -> tuple[str, bytes] | None:
        dialog = cls(role, names, fixed_name=fixed_name, parent=parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.name(), dialog.pad.to_png()
        finally:
            dialog.deleteLater()


class RefusalDialog(QDialog):
    """The unit's person refuses to sign: who, why, and the witness (who may sign)."""

    def __init__(self, party_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("记录拒签")
        self.name_edit = QLineEdit(party_name)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("当事人拒绝签名的理由（如有）")
        self.witness_name_edit = QLineEdit()
        self.witness_id_edit = QLineEdit()
        self.witness_id_edit.setPlaceholderText("身份证号或工作单位")
        self.pad = SignaturePad()
        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton("记录拒签",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("拒绝签名人", self.name_edit)
        form.addRow("拒签理由", self.reason_edit)
        form.addRow("见证人姓名", self.witness_name_edit)
        form.addRow("见证人身份", self.witness_id_edit)
        form.addRow(QLabel("见证人签名（可选）："))
        clear = QPushButton("清除")
        clear.clicked.connect(self.pad.clear)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.pad, 1)
        box.addWidget(clear, 0, Qt.AlignmentFlag.AlignRight)
        box.addWidget(self.buttons)
        self.resize(560, 420)

    def _confirm(self) -> None:
        missing = [label for label, edit in (("拒绝签名人", self.name_edit),
                                             ("见证人姓名", self.witness_name_edit),
                                             ("见证人身份", self.witness_id_edit))
                   if not edit.text().strip()]
        if missing:
            messages.error(self, "请填写：" + "、".join(missing))
            return
        self.accept()

    def values(self) -> dict[str, object]:
        return {"name": self.name_edit.text().strip(),
                "reason": self.reason_edit.text().strip() or None,
                "witness_name": self.witness_name_edit.text().strip(),
                "witness_id": self.witness_id_edit.text().strip(),
                "witness_png": None if self.pad.is_empty() else self.pad.to_png()}

    @classmethod
    def ask(cls, parent: QWidget | None, party_name: str) -> dict[str, object] | None:
        dialog = cls(party_name, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.values()
        finally:
            dialog.deleteLater()
