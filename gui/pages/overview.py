"""总览: the merged data at a glance, every figure a click away from the list behind it.

Inspections counted as the 督查通报 counts them, the compliance rate, open and overdue
notices and the conflicts waiting; inspections by month, by county and by theme as charts.
Clicking a figure or a bar opens the inspections list (or the 整改跟踪 board) filtered to it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.context import PageContext
from rules.china_time import chinese_date
from services.dashboard import Dashboard, Group, dashboard
from sync.conflicts import count_conflicts

BAR = QColor("#3b6db3")
LABEL = QColor("#1f2937")
TOP = 8  # bars per chart (the rest are summed as 其他)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class Figure(QPushButton):
    """A headline number that opens the list behind it."""

    def __init__(self, caption: str, tip: str) -> None:
        super().__init__()
        self.setObjectName("figureCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tip)
        self.setMinimumHeight(72)
        self._caption = caption

    def show_value(self, value: str, aside: str = "") -> None:
        """The number over its caption; ``aside`` follows the caption (另有…)."""
        self.setText(f"{value}\n{self._caption}" + (f" · {aside}" if aside else ""))


class OverviewPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: Dashboard | None = None
        self.title_label = QLabel("总览")
        self.title_label.setObjectName("pageTitle")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("pageSubtitle")
        self.inspections_figure = Figure("计入统计的检查", "已签名检查的最新版本；点击查看清单")
        self.rate_figure = Figure("符合率", "符合计1、部分符合计0.5、不符合计0，按检查项加权")
        self.open_figure = Figure("待跟进的整改文书",
                                  "含整改建议书和待反馈的移送函（督查通报中的“未办结”只计"
                                  "责令、指令、督办类文书）；点击在“整改跟踪”中查看")
        self.overdue_figure = Figure("整改逾期", "点击在“整改跟踪”中查看逾期文书")
        self.conflict_figure = Figure("待处理冲突", "点击在“数据交换”中处理")
        self.inspections_figure.clicked.connect(lambda: self.open("inspections",
                                                                  {"status": "signed"}))
        self.rate_figure.clicked.connect(lambda: self.open("inspections", {"status": "signed"}))
        self.open_figure.clicked.connect(lambda: self.open("rectification", {"status": "open"}))
        self.overdue_figure.clicked.connect(
            lambda: self.open("rectification", {"status": "overdue"}))
        self.conflict_figure.clicked.connect(lambda: self.open("exchange", {}))
        self.month_view = self._chart_view()
        self.region_view = self._chart_view()
        self.theme_view = self._chart_view()
        self.empty_label = QLabel("还没有已签名的检查记录。导入各检查人员的数据包，或完成并签名"
                                  "检查记录后，这里会显示汇总。")
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setWordWrap(True)

        figures = QHBoxLayout()
        for f in (self.inspections_figure, self.rate_figure, self.open_figure,
                  self.overdue_figure, self.conflict_figure):
            figures.addWidget(f)
        charts = QGridLayout()
        charts.addWidget(self.month_view, 0, 0, 1, 2)
        charts.addWidget(self.region_view, 1, 0)
        charts.addWidget(self.theme_view, 1, 1)
        charts.setRowStretch(0, 4)
        charts.setRowStretch(1, 5)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addWidget(self.title_label)
        box.addWidget(self.subtitle_label)
        box.addLayout(figures)
        box.addWidget(self.empty_label)
        box.addLayout(charts, 1)
        for signal in (ctx.events.inspectionsChanged, ctx.events.rectificationChanged,
                       ctx.events.registryChanged):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        with self._ctx.db.session() as s:
            self.data = d = dashboard(s)
            conflicts = count_conflicts(s)
        self.subtitle_label.setText(
            f"截至 {chinese_date(d.as_of)}；另有 {d.drafts_and_unsigned} 次检查为草稿、"
            "待签名或已被更正，不计入统计。")
        self.inspections_figure.show_value(str(d.inspections))
        self.rate_figure.show_value(percent(d.rate))
        self.open_figure.show_value(str(d.open_notices))
        self.overdue_figure.show_value(str(d.overdue_notices),
                                       f"复查超期 {d.late_rechecks}" if d.late_rechecks else "")
        self.conflict_figure.show_value(str(conflicts))
        self.empty_label.setVisible(d.inspections == 0)
        self._fill(self.month_view, "近12个月的检查次数（已签名）", list(d.by_month),
                   horizontal=False)
        self._fill(self.region_view, "按县区", _top(d.by_region), horizontal=True)
        self._fill(self.theme_view, "按检查主题", _top(d.by_theme), horizontal=True)

    def open(self, page: str, preset: dict[str, Any]) -> None:
        """Show the list behind a figure (the main window opens the page)."""
        self._ctx.events.openPage.emit(page, preset)

    # --- internals --------------------------------------------------------------------------

    def _chart_view(self) -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(150)
        return view

    def _fill(self, view: QChartView, title: str, groups: list[Group], *,
              horizontal: bool) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        bars = QBarSet("检查次数")
        bars.setColor(BAR)
        for g in groups:
            bars.append(g.inspections)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        # beyond each bar's end, so that a short bar (one inspection) is labelled too
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        bars.setLabelColor(LABEL)
        chart.addSeries(series)
        labels = [g.label for g in groups]
        categories = QBarCategoryAxis()
        categories.append(labels if not horizontal else list(reversed(labels)))
        if horizontal:  # the largest at the top
            bars.remove(0, bars.count())
            for g in reversed(groups):
                bars.append(g.inspections)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max([g.inspections for g in groups] + [1]) * 1.15)
        values.setTickCount(3)
        values.applyNiceNumbers()
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal
                      else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if horizontal
                      else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        ordered = list(reversed(groups)) if horizontal else groups
        series.clicked.connect(lambda index, _set: self._bar_clicked(ordered, index))
        series.hovered.connect(lambda state, index, _set: view.setToolTip(
            _tip(ordered[index]) if state and 0 <= index < len(ordered) else ""))
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _bar_clicked(self, groups: list[Group], index: int) -> None:
        if 0 <= index < len(groups) and groups[index].preset is not None:
            self.open("inspections", groups[index].preset)


def _tip(g: Group) -> str:
    return f"{g.label}：{g.inspections} 次检查，符合率 {percent(g.rate)}\n点击查看这些检查"


def _top(groups: tuple[Group, ...]) -> list[Group]:
    if len(groups) <= TOP:
        return list(groups)
    head, rest = list(groups[:TOP - 1]), groups[TOP - 1:]
    return [*head, Group("其他", sum(g.inspections for g in rest), sum(g.passed for g in rest),
                         sum(g.partial for g in rest), sum(g.failed for g in rest),
                         {"status": "signed"})]
