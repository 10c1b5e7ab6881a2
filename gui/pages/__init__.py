"""The pages of the main window's sidebar, in order.

A page is any QWidget built by a factory ``factory(ctx: PageContext) -> QWidget``. Pages are
built the first time they are shown, so a factory should import its module lazily. To add a
page, add a :class:`PageEntry` to :func:`default_pages` (or replace a placeholder with the
real one); the main window needs no change. A page that shows catalog data or depends on the
settings connects to ``ctx.events.catalogChanged`` / ``ctx.events.settingsChanged`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from gui.context import PageContext

PageFactory = Callable[[PageContext], QWidget]


@dataclass(frozen=True)
class PageEntry:
    key: str  # stable identifier, used by MainWindow.show_page()
    label: str  # sidebar text
    group: str  # sidebar heading the entry sits under
    factory: PageFactory
    tooltip: str = ""


def _library(ctx: PageContext) -> QWidget:
    from gui.pages.library import LibraryPage

    return LibraryPage(ctx)


def _search(ctx: PageContext) -> QWidget:
    from gui.pages.search import SearchPage

    return SearchPage(ctx)


def _departments(ctx: PageContext) -> QWidget:
    from gui.pages.departments import DepartmentsPage

    return DepartmentsPage(ctx)


def _comparison(ctx: PageContext) -> QWidget:
    from gui.pages.comparison import ComparisonPage

    return ComparisonPage(ctx)


def coming_soon(title: str, purpose: str) -> PageFactory:
    """A page that says plainly what will come here and what it will do."""

    def build(_ctx: PageContext) -> QWidget:
        from gui.pages.placeholder import PlaceholderPage

        return PlaceholderPage(title, purpose)

    return build


POLICY = "政策"
INSPECTION = "检查"


def default_pages() -> list[PageEntry]:
    return [
        PageEntry("library", "政策目录", POLICY, _library, "本辖区适用的政策文件及其措施"),
        PageEntry("search", "全文检索", POLICY, _search, "在全部措施中查找关键词"),
        PageEntry("departments", "部门视图", POLICY, _departments, "各部门牵头或参与的措施"),
        PageEntry("comparison", "主题对比", POLICY, _comparison, "各地政策按主题对照"),
        PageEntry(
            "checklists",
            "检查清单",
            INSPECTION,
            coming_soon(
                "检查清单",
                "按检查主题（母婴设施、托育机构消防安全、女职工劳动保护等）从政策措施生成检查清单，"
                "每个检查项注明所依据的措施和法律条款。",
            ),
        ),
        PageEntry(
            "inspections",
            "现场检查",
            INSPECTION,
            coming_soon("现场检查", "逐项记录现场检查结果、照片和签名，生成现场检查记录。"),
        ),
        PageEntry(
            "rectification",
            "整改跟踪",
            INSPECTION,
            coming_soon("整改跟踪", "开具整改通知，跟踪送达、复查直至销号。"),
        ),
        PageEntry(
            "reports",
            "报告",
            INSPECTION,
            coming_soon("报告", "打印现场检查记录、整改通知书和督查通报（PDF）。"),
        ),
        PageEntry(
            "exchange",
            "数据交换",
            INSPECTION,
            coming_soon(
                "数据交换", "在不联网的情况下，用数据包文件在各台电脑之间导出、校验、合并检查数据。"
            ),
        ),
    ]
