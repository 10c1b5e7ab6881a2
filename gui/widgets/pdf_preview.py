"""A PDF preview with Qt's PDF module, and printing of the same document.

:class:`PdfPreview` shows a report file page by page (QPdfView in multi-page mode) with zoom
buttons. :func:`print_pdf` renders every page of a loaded :class:`QPdfDocument` to a printer
(or any QPagedPaintDevice) at the printer's resolution, each page fitted into the printable
area with its aspect kept, so what comes out of the printer is what the preview shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPagedPaintDevice, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

ZOOM_STEP = 1.25


class PdfPreview(QWidget):
    """The pages of one PDF, scrollable, with 适合宽度 / 放大 / 缩小."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.fit_button = QPushButton("适合宽度")
        self.zoom_in_button = QPushButton("放大")
        self.zoom_out_button = QPushButton("缩小")
        self.pages_label = QLabel("尚未生成报告")
        self.pages_label.setObjectName("previewPages")
        self.fit_button.clicked.connect(self.fit_width)
        self.zoom_in_button.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        bar = QHBoxLayout()
        bar.addWidget(self.pages_label, 1)
        for b in (self.fit_button, self.zoom_out_button, self.zoom_in_button):
            bar.addWidget(b)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        self._set_enabled(False)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def load(self, path: str | Path) -> int:
        """Show ``path``; returns its page count (0 and a message when it cannot be read)."""
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.pages_label.setText("无法打开该 PDF 文件")
            self._set_enabled(False)
            return 0
        self.fit_width()
        self.pages_label.setText(f"共 {self.page_count} 页")
        self._set_enabled(True)
        return self.page_count

    def clear(self, text: str = "尚未生成报告") -> None:
        self.document.close()
        self.pages_label.setText(text)
        self._set_enabled(False)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            # Start from what is shown: the width-fitted scale of the first page.
            size = self.document.pagePointSize(0)
            width = self.view.viewport().width()
            current = width / (size.width() * self.logicalDpiX() / 72) if size.width() else 1.0
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, current * factor)))

    def _set_enabled(self, on: bool) -> None:
        for b in (self.fit_button, self.zoom_in_button, self.zoom_out_button):
            b.setEnabled(on)


def print_pdf(document: QPdfDocument, device: QPagedPaintDevice, *,
              first: int = 1, last: int = 0, dpi: int | None = None) -> int:
    """Render pages ``first``..``last`` (1-based; 0 = to the end) onto ``device``.

    Each page is rendered at the device's resolution (or ``dpi``), fitted into the page area
    and centred. Returns the number of pages printed.
    """
    count = document.pageCount()
    if count == 0:
        return 0
    last = count if last <= 0 else min(last, count)
    first = max(1, first)
    resolution = dpi or device.logicalDpiX()
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始打印：打印机不可用。")
    printed = 0
    try:
        for index in range(first - 1, last):
            if printed:
                device.newPage()
            points = document.pagePointSize(index)
            pixels = QSize(round(points.width() * resolution / 72),
                           round(points.height() * resolution / 72))
            image = document.render(index, pixels)
            target = QRectF(painter.viewport())
            scale = min(target.width() / image.width(), target.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            origin = QPointF(target.x() + (target.width() - w) / 2,
                             target.y() + (target.height() - h) / 2)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(QRectF(origin.x(), origin.y(), w, h), image)
            printed += 1
    finally:
        painter.end()
    return printed


__all__ = ["PdfPreview", "print_pdf"]
