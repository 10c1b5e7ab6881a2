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


def _start(ctx: PageContext) -> QWidget:
    from gui.pages.start import StartPage

    return StartPage(ctx)


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


def _checklists(ctx: PageContext) -> QWidget:
    from gui.pages.checklists import ChecklistPage

    return ChecklistPage(ctx)


def _templates(ctx: PageContext) -> QWidget:
    from gui.pages.templates import TemplatesPage

    return TemplatesPage(ctx)


def _entities(ctx: PageContext) -> QWidget:
    from gui.pages.entities import EntitiesPage

    return EntitiesPage(ctx)


def _roster(ctx: PageContext) -> QWidget:
    from gui.pages.roster import RosterPage

    return RosterPage(ctx)


def _rectification(ctx: PageContext) -> QWidget:
    from gui.pages.rectification import RectificationPage

    return RectificationPage(ctx)


def _inspections(ctx: PageContext) -> QWidget:
    from gui.pages.inspections import InspectionsPage

    return InspectionsPage(ctx)


def _reports(ctx: PageContext) -> QWidget:
    from gui.pages.reports import ReportsPage

    return ReportsPage(ctx)


def _overview(ctx: PageContext) -> QWidget:
    from gui.pages.overview import OverviewPage

    return OverviewPage(ctx)


def _exchange(ctx: PageContext) -> QWidget:
    from gui.pages.exchange import ExchangePage

    return ExchangePage(ctx)


def coming_soon(title: str, purpose: str) -> PageFactory:
    """A page that says plainly what will come here and what it will do."""

    def build(_ctx: PageContext) -> QWidget:
        from gui.pages.placeholder import PlaceholderPage

        return PlaceholderPage(title, purpose)

    return build


START = ""  # no heading: the first entry stands on its own
POLICY = "政策"
CHECKLIST = "清单"
INSPECTION = "检查"
FOLLOW_UP = "整改与汇总"


def default_pages() -> list[PageEntry]:
    return [
        PageEntry("start", "开始使用", START, _start,
                  "新装程序的设置步骤：辖区和机关、机关代字、号段、检查人员、被检查单位；演示数据"),
        PageEntry("library", "政策目录", POLICY, _library, "本辖区适用的政策文件及其措施"),
        PageEntry("search", "全文检索", POLICY, _search, "在全部措施中查找关键词"),
        PageEntry("departments", "部门视图", POLICY, _departments, "各部门牵头或参与的措施"),
        PageEntry("comparison", "主题对比", POLICY, _comparison, "各地政策按主题对照"),
        PageEntry("checklists", "检查清单", CHECKLIST, _checklists, "按主题和被检查单位生成清单"),
        PageEntry("templates", "模板编辑", CHECKLIST, _templates, "增改、停用检查项，可撤销"),
        PageEntry("inspections", "现场检查", INSPECTION, _inspections, "检查记录列表，新建检查"),
        PageEntry("entities", "被检查单位", INSPECTION, _entities, "被检查单位登记、导入和查重"),
        PageEntry("roster", "检查人员", INSPECTION, _roster, "检查人员名册和回避登记"),
        PageEntry("rectification", "整改跟踪", FOLLOW_UP, _rectification,
                  "开具整改文书，跟踪送达、延期、复查直至销号"),
        PageEntry("reports", "报告", FOLLOW_UP, _reports, "生成、预览、打印检查报告和整改文书"),
        PageEntry("overview", "总览", FOLLOW_UP, _overview,
                  "合并后的检查、符合率、整改和冲突一览，点击数字查看明细"),
        PageEntry("exchange", "数据交换", FOLLOW_UP, _exchange,
                  "导出、校验、合并数据包，处理冲突，管理信任的设备"),
    ]
