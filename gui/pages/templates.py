"""模板编辑: the items of one theme, shipped and the user's own, to add, edit, disable,
enable or revert, with undo and redo (Ctrl+Z / Ctrl+Shift+Z).

Every change goes to the user's template layer in the database (services.user_templates) and
never to the shipped theme files; after each one the page emits ``templatesChanged`` so the
checklist page regenerates.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from checklists.catalog_view import DocumentView
from checklists.template_model import TemplateError, Theme, applies_text
from checklists.templates import find_theme, load_themes, resolve_refs
from checklists.vocabulary import load_vocabulary
from gui import messages
from gui.context import PageContext
from gui.dialogs.template_item_editor import TemplateItemEditor, error_text
from gui.models.base import ROW_ROLE
from gui.models.template_items import TemplateRow, TemplateTreeModel, template_rows
from gui.undo import LayerCommand, layer_state
from gui.widgets.checklist_detail import ItemDetail, template_item_html
from gui.widgets.columns import size_columns
from models.db import Session
from services.catalog import load_catalog
from services.user_templates import (
    UserEdit,
    apply_layer,
    disable_item,
    enable_item,
    layer_problems,
    revert_item,
    save_user_item,
    user_layer,
)


class TemplatesPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._vocab = load_vocabulary()
        self._shipped = tuple(t for t in load_themes() if t.kind == "onsite")
        self._effective: tuple[Theme, ...] = self._shipped
        self._edits: dict[str, dict[str, UserEdit]] = {}
        self._catalog: tuple[DocumentView, ...] = ()
        self._emitting = False

        self.title_label = QLabel("模板编辑")
        self.title_label.setObjectName("pageTitle")
        self.subtitle_label = QLabel(
            "修改保存在本机数据库的用户模板层，不改动随程序提供的模板文件；"
            "“恢复内置”即回到随程序提供的内容。"
        )
        self.subtitle_label.setObjectName("pageSubtitle")
        self.subtitle_label.setWordWrap(True)
        self.theme_combo = QComboBox()
        for theme in self._shipped:
            self.theme_combo.addItem(theme.name, theme.code)
        self.theme_combo.currentIndexChanged.connect(lambda _i: self._fill())
        self.problems_label = QLabel()
        self.problems_label.setObjectName("warningText")
        self.problems_label.setWordWrap(True)
        self.problems_label.setVisible(False)

        self.add_button = QPushButton("新增检查项…")
        self.edit_button = QPushButton("编辑…")
        self.disable_button = QPushButton("停用")
        self.disable_button.setToolTip("停用的检查项不再列入生成的检查清单")
        self.enable_button = QPushButton("启用")
        self.revert_button = QPushButton("恢复内置")
        self.add_button.clicked.connect(lambda: self.add_item())
        self.edit_button.clicked.connect(lambda: self.edit_current())
        self.disable_button.clicked.connect(self.disable_current)
        self.enable_button.clicked.connect(self.enable_current)
        self.revert_button.clicked.connect(self.revert_current)

        self.undo_stack = QUndoStack(self)
        self.undo_action: QAction = self.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action: QAction = self.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_buttons = []
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.undo_buttons.append(button)

        self.model = TemplateTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        size_columns(self.tree.header(), (7, 20, 6, 5, 5), stretch=1)
        self.tree.selectionModel().currentChanged.connect(self._row_selected)
        self.tree.doubleClicked.connect(lambda _index: self.edit_current())
        self.detail = ItemDetail("选择一个检查项查看其内容和依据。")

        self._build_layout()
        ctx.events.templatesChanged.connect(self._templates_changed)
        ctx.events.catalogChanged.connect(self._catalog_changed)
        self._catalog_changed()
        self.reload()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.subtitle_label)
        top.addLayout(heading, 1)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("检查主题"))
        bar.addWidget(self.theme_combo)
        bar.addSpacing(16)
        for button in (
            self.add_button,
            self.edit_button,
            self.disable_button,
            self.enable_button,
            self.revert_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        for button in self.undo_buttons:
            bar.addWidget(button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setChildrenCollapsible(False)
        split.setSizes([620, 540])
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addLayout(top)
        box.addLayout(bar)
        box.addWidget(self.problems_label)
        box.addWidget(split, 1)

    # --- public API -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the user layer again and show the current theme, keeping the selection."""
        with self._ctx.db.session() as session:
            self._edits = user_layer(session)
            problems = layer_problems(session, self._shipped)
        self._effective = apply_layer(self._shipped, self._edits)
        self.problems_label.setText(
            "以下用户修改已不符合模板规则，未生效：\n" + "\n".join(problems)
        )
        self.problems_label.setVisible(bool(problems))
        self._fill()

    def theme(self) -> Theme:
        theme = find_theme(self._effective, str(self.theme_combo.currentData()))
        assert theme is not None
        return theme

    def select_theme(self, name_or_code: str) -> bool:
        for i in range(self.theme_combo.count()):
            if name_or_code in (self.theme_combo.itemText(i), self.theme_combo.itemData(i)):
                self.theme_combo.setCurrentIndex(i)
                return True
        return False

    def select_item(self, code: str) -> bool:
        index = self.model.index_of(code)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        return index.isValid()

    def current_row(self) -> TemplateRow | None:
        index = self.tree.currentIndex()
        row = index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, TemplateRow) else None

    def add_item(self, payload: dict | None = None) -> bool:
        """Add an item: ``payload`` (already in template form) or what the dialog returns."""
        theme = self.theme()
        if payload is None:
            taken = {i.code for t in self._effective for i in t.items}
            payload = TemplateItemEditor.ask(self, theme, None, taken)
        if payload is None:
            return False
        code = str(payload.get("code", ""))
        return self._change(
            f"新增检查项 {code}", code, lambda s: save_user_item(s, theme.code, payload)
        )

    def edit_current(self, payload: dict | None = None) -> bool:
        row = self.current_row()
        if row is None:
            return False
        theme = self.theme()
        if payload is None:
            payload = TemplateItemEditor.ask(self, theme, row.item)
        if payload is None:
            return False
        return self._change(
            f"修改检查项 {row.code}", row.code, lambda s: save_user_item(s, theme.code, payload)
        )

    def disable_current(self) -> bool:
        row = self.current_row()
        if row is None or row.disabled:
            return False
        theme = self.theme()
        return self._change(
            f"停用检查项 {row.code}", row.code, lambda s: disable_item(s, theme.code, row.code)
        )

    def enable_current(self) -> bool:
        row = self.current_row()
        if row is None or not row.disabled:
            return False
        theme = self.theme()
        return self._change(
            f"启用检查项 {row.code}", row.code, lambda s: enable_item(s, theme.code, row.code)
        )

    def revert_current(self) -> bool:
        row = self.current_row()
        if row is None or not (row.edited or row.disabled or not row.shipped):
            return False
        theme = self.theme()
        text = f"{'恢复' if row.shipped else '删除新增的'}检查项 {row.code}"
        return self._change(text, row.code, lambda s: revert_item(s, theme.code, row.code))

    # --- internals --------------------------------------------------------------------------

    def _change(self, text: str, code: str, action: Callable[[Session], object]) -> bool:
        theme_code = self.theme().code
        try:
            with self._ctx.db.session() as session:
                before = layer_state(session, theme_code, code)
                action(session)
                after = layer_state(session, theme_code, code)
        except TemplateError as exc:
            messages.error(self, error_text(exc), title="无法保存", details=str(exc))
            return False
        self.undo_stack.push(
            LayerCommand(self._ctx.db, theme_code, code, before, after, text, self._after_change)
        )
        self._after_change(code)
        return True

    def _after_change(self, code: str) -> None:
        self.reload()
        self.select_item(code)
        self._emitting = True
        try:
            self._ctx.events.templatesChanged.emit()
        finally:
            self._emitting = False

    def _templates_changed(self) -> None:
        if not self._emitting:
            self.reload()

    def _catalog_changed(self) -> None:
        with self._ctx.db.session() as session:
            self._catalog = load_catalog(session)
        self._row_selected(self.tree.currentIndex(), QModelIndex())

    def _fill(self) -> None:
        current = self.current_row()
        code = str(self.theme_combo.currentData())
        shipped = find_theme(self._shipped, code)
        assert shipped is not None
        self.model.set_groups(template_rows(shipped, self.theme(), self._edits.get(code, {})))
        self.tree.expandAll()
        if not (current and self.select_item(current.code)):
            first = self.model.first_row_index()
            if first.isValid():
                self.tree.setCurrentIndex(first)
        self._update_buttons()

    def _row_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.current_row() if current.isValid() else None
        if row is None:
            self.detail.show_html(None)
        else:
            found = resolve_refs(row.item.measures, self._catalog)
            titles = {d.id: d.title for d in self._catalog}
            self.detail.show_html(
                template_item_html(
                    row.item, applies_text(row.item.applies_to, self._vocab), found, titles
                )
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None)
        self.disable_button.setEnabled(row is not None and not row.disabled)
        self.enable_button.setEnabled(row is not None and row.disabled)
        can_revert = row is not None and (row.edited or row.disabled or not row.shipped)
        self.revert_button.setEnabled(can_revert)
        self.revert_button.setText(
            "删除新增项" if row is not None and not row.shipped else "恢复内置"
        )
