"""The main window: a sidebar of pages, the pages, a toolbar, and a status bar.

The window knows pages only through their :class:`~gui.pages.PageEntry` (label and factory);
it builds each page the first time it is shown. It owns the two actions that change the
catalog or the settings (import, settings) and tells the pages through ``AppEvents``.

At start-up the window is shown before its database is opened (opening loads the ORM and may
run a migration): ``MainWindow(None)`` is the frame with a "正在打开" notice, and
:meth:`MainWindow.attach` gives it the database and shows the first page.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gui import format as fmt
from gui import messages
from gui.context import AppEvents, PageContext
from gui.pages import PageEntry, default_pages

if TYPE_CHECKING:
    from gui.workers import Task
    from models.db import Database
    from services.first_page import FirstPage
    from services.integrity import IntegrityCheck

APP_TITLE = "积极生育支持措施落实检查"
#: How long after start-up the background integrity check begins: the first page comes first.
INTEGRITY_DELAY_MS = 5000
_KEY = Qt.ItemDataRole.UserRole + 30


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database | None,
        *,
        demo: bool = False,
        pages: Sequence[PageEntry] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self.events = AppEvents(self)
        self.context: PageContext | None = None
        self._entries = {e.key: e for e in (pages if pages is not None else default_pages())}
        self._built: dict[str, QWidget] = {}
        self._remembered: QWidget | None = None  # the catalog shown before the database opens
        self.setWindowTitle(APP_TITLE + ("（演示数据）" if demo else ""))
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1024, 640))

        # Built top down, each widget inside its final parent: with the application's style
        # sheet, every widget moved into another parent has its style worked out again, with
        # all the widgets inside it.
        central = QWidget(self)
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # What the background integrity check found, and what to do about it.
        self.integrity_label = QLabel(central)
        self.integrity_label.setObjectName("integrityBanner")
        self.integrity_label.setWordWrap(True)
        self.integrity_label.setTextFormat(Qt.TextFormat.RichText)
        self.integrity_label.setStyleSheet("background:#fdecea; color:#8a1c1c; padding:6px 12px;"
                                           " border-bottom:1px solid #f1a8a0;")
        self.integrity_label.linkActivated.connect(self._integrity_link)
        self.integrity_label.hide()
        self._integrity_task: Task | None = None
        outer.addWidget(self.integrity_label)
        self.read_only_label = QLabel(central)
        self.read_only_label.setObjectName("readOnlyBanner")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setStyleSheet("background:#fff4e5; color:#8a4b00; padding:6px 12px;"
                                           " border-bottom:1px solid #f0c58a;")
        self.read_only_label.hide()
        outer.addWidget(self.read_only_label)
        box = QHBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        outer.addLayout(box, 1)

        self.sidebar = QListWidget(central)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(168)
        box.addWidget(self.sidebar)
        self.stack = QStackedWidget(central)
        box.addWidget(self.stack, 1)
        self._opening = QLabel("正在打开数据库…", self.stack)
        self._opening.setObjectName("openingNotice")
        self._opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._opening)
        self._fill_sidebar()
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)

        self.import_action = QAction("导入政策文件…", self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.setToolTip("导入 .txt、.docx、.pdf 政策文件或粘贴的文本")
        self.import_action.triggered.connect(self.import_policy)
        self.settings_action = QAction("设置…", self)
        self.settings_action.setToolTip("本单位辖区、机关名称和机关代字")
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction("退出", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction("关于", self)
        self.about_action.triggered.connect(self._about)
        self._build_menus()

        self.db_label = QLabel(self.statusBar())
        self.jurisdiction_label = QLabel(self.statusBar())
        self.statusBar().addPermanentWidget(self.jurisdiction_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.events.settingsChanged.connect(self._update_status)
        self.events.openPage.connect(self.open_filtered)
        self.events.actionRequested.connect(self._requested)
        self._set_enabled(False)
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """Give the window its (opened) database and show the first page."""
        self._db = db
        self.context = PageContext(db=db, events=self.events)
        self._set_enabled(True)
        if db.read_only:
            self.setWindowTitle(self.windowTitle() + "（只读）")
            self.read_only_label.setText(
                "数据库以只读方式打开（文件、所在文件夹或磁盘不可写）：可以查看、打印和导出，"
                "不能录入或修改。如需修改，请把数据库复制到可写的位置后再打开。"
                if db.is_sqlite else
                "服务器上的数据库以只读方式打开：可以查看、打印和导出，不能录入或修改。")
            self.read_only_label.show()
            self.import_action.setEnabled(False)
        self.stack.removeWidget(self._opening)
        self._opening.deleteLater()
        if self._remembered is not None:  # the page built from the database takes its place
            self.stack.removeWidget(self._remembered)
            self._remembered.deleteLater()
            self._remembered = None
        self._update_status()
        self.show_page(self._first_page(db))

    def show_remembered(self, page: FirstPage) -> None:
        """Before the database is open: show the catalog page as the last run left it (see
        :mod:`services.first_page`); :meth:`attach` replaces it with the page built from the
        database."""
        from gui.pages.library import LibraryPage

        if self._db is not None or "library" not in self._entries:
            return
        self._remembered = LibraryPage(None, self.stack, remembered=page)  # built in place
        self.stack.addWidget(self._remembered)
        self.stack.setCurrentWidget(self._remembered)
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(_KEY) == "library":
                with QSignalBlocker(self.sidebar):
                    self.sidebar.setCurrentRow(row)
                break

    # --- integrity ----------------------------------------------------------------------

    def check_integrity_later(self, delay_ms: int = INTEGRITY_DELAY_MS) -> None:
        """Once the window has settled, check the whole database in the background if the
        last sound check is old (see :func:`check_integrity_in_background`)."""
        QTimer.singleShot(delay_ms, self, self.check_integrity_in_background)

    def check_integrity_in_background(self) -> Task | None:
        """Read the whole database on a worker thread, on a connection of its own, if no check
        found it sound within the last days; a problem shows in a banner. None when nothing
        was started (not due, already running, no database)."""
        from gui.workers import run_in_background
        from models.db import STORAGE_ERRORS
        from services.integrity import check_database, check_due

        db = self._db
        if db is None or db.path is None or self._integrity_task is not None:
            return None  # a server database is looked after by its operator
        try:
            with db.session() as session:
                due = check_due(session)
        except STORAGE_ERRORS:
            return None
        if not due:
            return None
        path = db.path
        task = run_in_background(lambda _progress, stop: check_database(path, None, stop),
                                 on_success=self._integrity_checked,
                                 on_failure=self._integrity_not_checked)
        task.finished.connect(self._integrity_done)
        self._integrity_task = task
        return task

    def show_integrity_problem(self, text: str) -> None:
        self.integrity_label.setText(
            f"{fmt.esc(text)}　<a href=\"settings\">打开设置…</a>")
        self.integrity_label.show()

    def _integrity_link(self, _link: str) -> None:
        self.open_settings()

    def _integrity_checked(self, check: IntegrityCheck) -> None:
        if not shiboken6.isValid(self) or self._db is None:
            return
        if not check.ok:
            self.show_integrity_problem(check.message())
            return
        if not self._db.read_only:
            from models.db import STORAGE_ERRORS
            from services.integrity import record_check

            try:
                with self._db.session() as session:
                    record_check(session, check)
            except STORAGE_ERRORS:
                pass  # only the date is lost: the next start checks again

    def _integrity_not_checked(self, exc: BaseException) -> None:
        # Not a finding about the file (it was busy, say): said on stderr, the next start
        # tries again.
        print(f"后台完整性检查未能完成：{exc}", file=sys.stderr)

    def _integrity_done(self) -> None:
        if shiboken6.isValid(self):
            self._integrity_task = None

    def stop_integrity_check(self) -> None:
        """Stop a background check still running (it stops within a moment)."""
        if self._integrity_task is not None:
            self._integrity_task.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_integrity_check()
        super().closeEvent(event)

    def _first_page(self, db: Database) -> str:
        """开始使用 on a new database, else the first page after it."""
        keys = list(self._entries)
        if "start" not in keys:
            return keys[0]
        from services.first_steps import is_new_database

        with db.session() as session:
            new = is_new_database(session)
        return "start" if new else next((k for k in keys if k != "start"), "start")

    def _requested(self, action: str) -> None:
        if action == "settings":
            self.open_settings()
        elif action == "import_policy":
            self.import_policy()

    def _set_enabled(self, enabled: bool) -> None:
        self.sidebar.setEnabled(enabled)
        for action in (self.import_action, self.settings_action):
            action.setEnabled(enabled)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        tools = self.menuBar().addMenu("工具(&T)")
        tools.addAction(self.settings_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self.about_action)
        toolbar = QToolBar("常用", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.settings_action)
        self.addToolBar(toolbar)

    def _fill_sidebar(self) -> None:
        group = None
        for entry in self._entries.values():
            if entry.group != group and entry.group:  # an empty group has no heading
                group = entry.group
                heading = QListWidgetItem(group)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setSizeHint(QSize(0, 40 if self.sidebar.count() else 30))
                heading.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
                self.sidebar.addItem(heading)
            item = QListWidgetItem(entry.label)
            item.setData(_KEY, entry.key)
            item.setToolTip(entry.tooltip)
            item.setSizeHint(QSize(0, 36))
            self.sidebar.addItem(item)

    # --- public API -------------------------------------------------------------------------

    def page_keys(self) -> list[str]:
        return list(self._entries)

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        if self.context is None:
            raise RuntimeError("the window has no database yet")
        if key not in self._built:
            widget = self._entries[key].factory(self.context)
            self._built[key] = widget
            self.stack.addWidget(widget)
        return self._built[key]

    def show_page(self, key: str) -> QWidget:
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(_KEY) == key:
                self.sidebar.setCurrentRow(row)  # builds and shows it through _sidebar_changed
                break
        return self.page(key)

    def open_filtered(self, key: str, preset: object) -> None:
        """Show a page with the filter a clicked figure asks for."""
        if key not in self._entries:
            return
        page = self.show_page(key)
        apply = getattr(page, "apply_preset", None)
        if apply is not None and isinstance(preset, dict):
            apply(preset)

    def current_page_key(self) -> str | None:
        item = self.sidebar.currentItem()
        key = item.data(_KEY) if item is not None else None
        return str(key) if key is not None else None

    def import_policy(self) -> None:
        from gui.dialogs.import_policy import ImportPolicyDialog

        assert self._db is not None
        result = ImportPolicyDialog.ask(self, self._db)
        if result is not None:
            self.events.catalogChanged.emit()
            reveal = getattr(self.show_page("library"), "reveal_document", None)
            if reveal is not None:
                reveal(result.document_id)
            self.statusBar().showMessage(
                f"已导入《{result.title}》，共 {result.measures} 项措施。", 8000
            )

    def open_settings(self) -> None:
        from gui.dialogs.settings import RESTORED, SAVED, SettingsDialog

        assert self._db is not None
        outcome = SettingsDialog.ask(self, self._db,
                                     before_restore=self._close_inspection_windows)
        if outcome == RESTORED:
            self.integrity_label.hide()  # the restored backup was checked whole
            self.reload_everything()
            self.statusBar().showMessage("已恢复备份，所有页面已重新载入。", 8000)
        elif outcome == SAVED:
            self.events.settingsChanged.emit()
            self.statusBar().showMessage("设置已保存。", 5000)

    def reload_everything(self) -> None:
        """After the database file was replaced (a restore): every page is built again."""
        key = self.current_page_key() or next(iter(self._entries))
        for widget in self._built.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._update_status()
        for signal in (self.events.settingsChanged, self.events.catalogChanged,
                       self.events.registryChanged, self.events.inspectionsChanged,
                       self.events.rectificationChanged):
            signal.emit()
        self._sidebar_changed(self.sidebar.currentItem(), None)
        if self.current_page_key() != key:
            self.show_page(key)

    def _close_inspection_windows(self) -> bool:
        """Close the inspection windows (each saves what is being typed); False if one stays."""
        from gui.inspection import close_all

        return close_all()

    # --- internals --------------------------------------------------------------------------

    def _sidebar_changed(self, current: QListWidgetItem | None, _prev: object) -> None:
        key = current.data(_KEY) if current is not None else None
        if key is None:
            return
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)

    def _update_status(self) -> None:
        from services.settings import JURISDICTION, ORGANISATION, get_setting

        if self._db is None:
            return
        with self._db.session() as session:
            code = get_setting(session, JURISDICTION)
            org = get_setting(session, ORGANISATION)
        where = fmt.region_path(code) if code else "未设置（显示全部文件）"
        self.jurisdiction_label.setText(f"辖区：{where}" + (f"　{org}" if org else ""))
        self.db_label.setText(f"数据库：{self._db.location}")
        self.db_label.setToolTip(self._db.location)

    def _about(self) -> None:
        where = self._db.location if self._db is not None else "（尚未打开）"
        messages.info(self, f"{APP_TITLE}（离线版）\n\n数据库：{where}", title="关于")
