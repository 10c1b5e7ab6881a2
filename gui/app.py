"""Starting the desktop application: QApplication, Qt's own Chinese, a font that renders Chinese,
the style."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from gui import messages
from gui.errors import error_text
from resources import resource_path

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from models.db import Database

#: Fonts that render Simplified Chinese well, in order of preference.
CJK_FONTS = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Noto Sans SC",
)
FONT_POINT_SIZE = 10


def choose_font() -> QFont:
    """The application font: the first installed of the Chinese UI fonts, else the system's.

    The fonts are given to Qt as a list that its font matching walks in order, so the start
    does not wait for the list of every installed font to be read."""
    font = QFont()
    font.setFamilies(list(CJK_FONTS))
    font.setPointSize(FONT_POINT_SIZE)
    if sys.platform.startswith("linux"):
        # drawn unhinted, as WenQuanYi's own fontconfig rules ask (CJK faces read well
        # without hinting): the light autohinter Qt otherwise runs on each new glyph costs a
        # page of Chinese text, the first one on screen included, some 8 ms
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def stylesheet() -> str:
    path = resource_path("gui", "style.qss")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""  # a missing stylesheet leaves the native look, not a broken program


def install_translations(app: QApplication) -> QTranslator | None:
    """Qt's own Chinese (qtbase_zh_CN, shipped with PySide6): 确定/取消 in message boxes, file
    and print dialogs in Chinese, Chinese dates in calendars. None when it is not found."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase",
                           "_", folder):
        return None
    app.installTranslator(translator)
    return translator


#: The style on every system, chosen as the application is made (``-style``): set afterwards,
#: a second style is made and handed to Python, whose enums alone cost a start some 5 ms.
STYLE = "Fusion"


def create_application() -> QApplication:
    """The application, in :data:`STYLE`; :func:`configure` does the rest."""
    return QApplication([*sys.argv[:1], "-style", STYLE, *sys.argv[1:]])


def configure(app: QApplication, *, style: bool = True) -> None:
    """Qt's Chinese, the names, the font, the style (unless ``app`` was made in it by
    :func:`create_application`), the style sheet and the icon."""
    install_translations(app)
    app.setApplicationName("积极生育支持措施落实检查")
    app.setOrganizationName("shengyu-jiancha")
    app.setFont(choose_font())
    if style:
        app.setStyle(STYLE)
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(QIcon(str(resource_path("resources", "app.png"))))


#: Set in the environment, the program quits as soon as its first page is on screen (or, set
#: to "window", as soon as its window frame is, before the database is opened): the start-up
#: benchmarks time a real start of the program (also the bundled one) with it.
QUIT_WHEN_SHOWN = "SHENGYU_QUIT_WHEN_SHOWN"


def run_gui(open_db: Callable[[], Database], *, demo: bool = False,
            db_file: Path | None = None) -> int:
    """Show the main window, then open the database ``open_db()`` names in it.

    The window frame appears first, so a slow first open (a migration and its backup) is
    seen to be happening; for a database file (``db_file``) that is as the last run left it,
    the catalog page that run remembered is on screen before the database opens. Returns the
    application's exit code.
    """
    from gui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else create_application()
    configure(app, style=existing is not None)
    window = MainWindow(None, demo=demo)
    previous_hook = install_error_dialog(window)
    try:
        if os.environ.get(QUIT_WHEN_SHOWN) != "window":
            show_remembered(window, db_file)  # before the first paint: painted once, with it
        window.show()
        app.processEvents()  # paint the window before the database and the ORM load
        if os.environ.get(QUIT_WHEN_SHOWN) == "window":
            return 0
        db = open_in(window, open_db)
        if db is None:
            return 1
        if os.environ.get(QUIT_WHEN_SHOWN):  # start-up timing: stop once the page is shown
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, app.quit)
        else:
            window.check_integrity_later()
        try:
            return app.exec()
        finally:
            window.stop_integrity_check()
            close_database(db, db_file)
    finally:
        sys.excepthook = previous_hook


def show_remembered(window: MainWindow, db_file: Path | None) -> bool:
    """Show the catalog page remembered for ``db_file`` if the file is as it was left."""
    if db_file is None:
        return False
    from services.first_page import recall

    page = recall(db_file)
    if page is None:
        return False
    window.show_remembered(page)
    return True


def close_database(db: Database, db_file: Path | None) -> None:
    """Close the database; for a file, remember the catalog page for the next start."""
    page = None
    if db_file is not None and db.path is not None:
        from checklists.datafiles import DataFileError
        from models.db import STORAGE_ERRORS
        from services.first_page import compute

        try:
            with db.session() as session:
                page = compute(session)
        except (*STORAGE_ERRORS, DataFileError):
            page = None  # the next start waits for the database, as it would anyway
    db.dispose()
    if page is not None and db_file is not None:
        from services.first_page import remember

        remember(db_file, page)


def open_in(window: MainWindow, open_db: Callable[[], Database]) -> Database | None:
    """Open the database and attach it to ``window``; on failure say why in Chinese."""
    from checklists.datafiles import DataFileError
    from models.db import DatabaseError

    try:
        db = open_db()
    except DatabaseError as exc:
        messages.error(window, str(exc), title="无法打开数据库")
        return None
    except DataFileError as exc:
        messages.error(window, f"程序自带的数据文件有误，无法启动：{exc}", title="无法启动")
        return None
    try:
        window.attach(db)
    except DataFileError as exc:
        db.dispose()
        messages.error(window, f"程序自带的数据文件有误，无法启动：{exc}", title="无法启动")
        return None
    return db


def install_error_dialog(window: QWidget) -> Callable[..., object]:
    """Show any error that reaches the event loop in a Chinese dialog instead of losing it on
    stderr (where a slot's exception would otherwise go); the traceback still goes there.
    Returns the hook it replaced."""
    import traceback

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        traceback.print_exception(kind, exc, tb)
        if isinstance(exc, KeyboardInterrupt):
            return
        messages.error(window if shiboken6.isValid(window) else None, error_text(exc),
                       title="操作未完成")

    previous = sys.excepthook
    sys.excepthook = hook
    return previous
