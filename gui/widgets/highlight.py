"""Lists of rich-text cards: search results with highlighted matches, document cards."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
PAD_X, PAD_Y = 10, 8
#: How many laid-out cards a list keeps: the view asks for each card's size several times
#: while it lays itself out, and again for each paint.
_KEPT = 64


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item's HTML (from ``html_role``) word-wrapped to the width of the view."""

    def __init__(self, view: RichTextList, html_role: int) -> None:
        super().__init__(view)
        self._view = view
        self._role = html_role
        self._laid_out: dict[tuple[str, float, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        """The card laid out at ``width`` (the same HTML, width and font: the same layout)."""
        html = str(index.data(self._role) or "")
        text_width = max(width - 2 * PAD_X, 80)
        key = (html, text_width, option.font.key())
        doc = self._laid_out.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDefaultFont(option.font)
            doc.setDocumentMargin(0)
            doc.setHtml(html)
            doc.setTextWidth(text_width)
            if len(self._laid_out) >= _KEPT:
                del self._laid_out[next(iter(self._laid_out))]  # the oldest
            self._laid_out[key] = doc
        return doc

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.text = ""  # the card is drawn over the item, as laid-out HTML

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)  # the item's background, selection and focus
        rect = option.rect
        width = min(rect.width(), self._view.viewport_width())
        doc = self._document(option, index, width)
        painter.save()
        painter.setClipRect(rect)
        painter.translate(QPointF(rect.left() + PAD_X, rect.top() + PAD_Y))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text,
                             option.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._view.viewport_width()
        doc = self._document(option, index, width)
        return QSize(width, int(doc.size().height()) + 2 * PAD_Y)


class RichTextList(QListView):
    """A single-column list whose items are rich-text cards that wrap to its width.

    The width the cards wrap to is the viewport's, as its resize events give it: asking for
    ``viewport()`` the first time makes PySide6 look the plain QWidget up among all the widget
    classes it knows, loading each of them, which costs a start-up about 10 ms.
    """

    def __init__(
        self, model: QAbstractItemModel, html_role: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(RichTextDelegate(self, html_role))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._viewport_width = 0  # until the viewport is first laid out (before it is shown)

    def viewport_width(self) -> int:
        return self._viewport_width

    def resizeEvent(self, event: QResizeEvent) -> None:
        # a scroll area's resize events are its viewport's: the size is the viewport's
        self._viewport_width = event.size().width()
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # heights depend on the width
