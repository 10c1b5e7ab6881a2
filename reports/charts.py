"""Bar charts for the summary, drawn with reportlab.graphics (vector, text stays searchable).

Horizontal bars, because the labels (themes, regions, unit types) are Chinese phrases that do
not fit under vertical bars.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import ReportFont

BAR = colors.HexColor("#3A6EA5")
BAR_ALT = colors.HexColor("#C0504D")
MAX_BARS = 20


def nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … not below ``raw``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= raw:
                return step * m
        step *= 10


#: The label column grows with its longest label up to this, then labels wrap.
LABEL_MAX = 62 * mm


def _wrap(label: str, font: str, size: float, width: float) -> list[str]:
    """The label in lines that fit ``width``: wrapped by the Chinese rules, never cut short."""
    from reports.cjk_wrap import word_split

    return [line for _extra, line in word_split(label, [width], font, size)] or [""]


def rate_chart(font: ReportFont, title: str, rows: Sequence[tuple[str, float | None]],
               width: float = 160 * mm) -> Drawing:
    """Compliance rates (0–1, None drawn as 0 and labelled 无数据) as percentage bars."""
    rows = list(rows)[:MAX_BARS]
    return bar_chart(font, title, [(label, (v or 0) * 100, "无数据" if v is None else
                                    f"{v * 100:.1f}%") for label, v in rows],
                     width=width, value_max=100, step=20, suffix="%")


def bar_chart(font: ReportFont, title: str, rows: Sequence[tuple[str, float, str]], *,
              width: float = 160 * mm, value_max: float | None = None, step: float | None = None,
              suffix: str = "", colour: colors.Color = BAR) -> Drawing:
    """One horizontal bar per (label, value, value text), top to bottom in the given order."""
    rows = list(rows)[:MAX_BARS]
    longest = max((stringWidth(r[0], font.body, 8) for r in rows), default=0)
    label_w = max(30 * mm, min(longest + 6 * mm, LABEL_MAX))
    labels = [_wrap(r[0], font.body, 8, label_w - 4 * mm) for r in reversed(rows)]
    bar_h = 6 * mm * max((len(lines) for lines in labels), default=1) ** 0.8
    height = max(1, len(rows)) * bar_h + 16 * mm
    d = Drawing(width, height)
    d.initialFontName = font.body  # renderPDF would otherwise start every chart in Helvetica
    d.add(String(width / 2, height - 5 * mm, title, fontName=font.heading, fontSize=10,
                 textAnchor="middle"))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 7 * mm
    chart.width, chart.height = width - label_w - 16 * mm, max(1, len(rows)) * bar_h
    values = [r[1] for r in reversed(rows)] or [0]
    chart.data = [values]
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barWidth = min(bar_h * 0.6, 4 * mm)
    chart.categoryAxis.categoryNames = ["\n".join(lines) for lines in labels] or [""]
    chart.categoryAxis.labels.fontName = font.body
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dx = -2
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    top = value_max if value_max is not None else max([*values, 1]) * 1.15
    chart.valueAxis.valueMax = top
    if step is None and value_max is None:  # counts: round ticks (1, 2, 5, 10, 20, 50 …)
        step = nice_step(top / 5)
        chart.valueAxis.valueMax = top = step * math.ceil(top / step)
    if step:
        chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font.body
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d" + suffix.replace("%", "%%")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barLabelFormat = "values"  # the texts in barLabelArray
    chart.barLabels.fontName = font.body
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabelArray = [[r[2] for r in reversed(rows)] or [""]]
    d.add(chart)
    return d
