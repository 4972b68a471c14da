"""The Statistics panel's charts, drawn with pyqtgraph (MIT; Qt Charts is GPL or commercial).

Bars are horizontal, so label names read on the left axis however many there are; each bar
has its figure written at its end and its label's own colour from the schema. A chart keeps
the figures it draws (`Chart.series`), which tests read instead of pixels.

Colours follow the application's palette (a dark theme gets a dark chart): the background is
the window colour, axes and text the window's text colour. Drawn for a file (`on_paper`,
`chart_image`) a chart is dark on white whatever the theme, and twice the size shown: a PNG
goes into reports and slides, not back onto the screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QSizePolicy

NEUTRAL = "#8c9bab"  # a bar whose name the schema does not know (a label since removed)
# Series of grouped bars that are no label (annotators' spans, events, articles done).
SERIES_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1")
BAR = 0.8  # the share of a row a bar (or a group of bars) takes
PAPER, PAPER_INK = QColor("#ffffff"), QColor("#202020")
_paper: list[bool] = []  # not empty while charts are drawn for a file (on_paper)


@dataclass
class Series:
    name: str
    values: list  # numbers; None where there is no figure (a share of nothing decided)
    colours: list[str]
    legend: str = ""  # the legend's colour when the bars have each their own (else the first)


@dataclass
class Chart:
    """A plot and what it shows: its title, the row (or column) names and each series."""

    title: str
    names: list[str]
    widget: pg.PlotWidget
    series: list[Series] = field(default_factory=list)

    def values(self, series: int = 0) -> dict[str, float]:
        """One series' figures by row name, as drawn (read back from the bar item)."""
        return dict(zip(self.names, self.series[series].values, strict=True))


@contextmanager
def on_paper() -> Iterator[None]:
    """Charts made inside are drawn dark on white, for a file, whatever the theme."""
    _paper.append(True)
    try:
        yield
    finally:
        _paper.pop()


def chart_image(chart: Chart, size: QSize, scale: float = 2.0) -> QImage:
    """The chart drawn at `size` (as shown) and `scale` times the pixels: the scene painted
    again, as vectors, so text and lines are sharp, not a grab of the screen. (pyqtgraph's
    ImageExporter scales the text but not the axes' room for it: long label names lost.)"""
    item = chart.widget.getPlotItem()
    chart.widget.resize(size)
    # pyqtgraph sizes its axes to their text as it paints, and lays them out in a posted
    # event: paint once off screen and let the layout follow, or long names are cut.
    chart.widget.grab()
    QApplication.sendPostedEvents()
    image = QImage(
        round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32
    )
    image.fill(PAPER)
    if item.legend is not None:  # a legend keeps its screen size at any scale: not here
        item.legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    chart.widget.scene().render(painter, QRectF(image.rect()), item.sceneBoundingRect())
    painter.end()
    return image


def _ink() -> tuple[QColor, QColor]:
    if _paper:
        return PAPER, PAPER_INK
    palette = QApplication.palette()
    return palette.window().color(), palette.windowText().color()


def _plot(title: str, axis_label: str, horizontal: bool) -> pg.PlotWidget:
    background, ink = _ink()
    widget = pg.PlotWidget(background=background)
    item = widget.getPlotItem()
    item.setTitle(title, color=ink.name(), size="11pt")
    item.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen(ink))
        axis.setTextPen(pg.mkPen(ink))
    item.setLabel("bottom" if horizontal else "left", axis_label, color=ink.name())
    item.showGrid(x=horizontal, y=not horizontal, alpha=0.2)
    item.disableAutoRange()  # the ranges are set to the bars (and their figures), once
    widget.setMinimumSize(240, 220)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return widget


def _nothing(item: pg.PlotItem, text: str) -> None:
    """An empty chart: says so in its middle, and its axes show no figures (the 0.2, 0.4…
    of a range that counts nothing)."""
    _, ink = _ink()
    note = pg.TextItem(text, color=ink, anchor=(0.5, 0.5))
    note.setPos(0.5, 0.5)
    item.addItem(note)
    item.setXRange(0, 1)
    item.setYRange(0, 1)
    for side in ("left", "bottom"):
        item.getAxis(side).setTicks([[], []])


def whole_step(top: float) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving at most about eight ticks: counts
    are whole, so never 0.5."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if top / step <= 8:
                return step
        power *= 10


def _figure(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}"


def bar_chart(
    title: str,
    axis_label: str,
    names: list[str],
    series: list[Series],
    percent: bool = False,
    empty: str = "Nothing to show yet",
) -> Chart:
    """Horizontal bars, one row per name; several series side by side within a row (a legend
    names them). `percent`: values are shares (0..1), written as percentages."""
    widget = _plot(title, axis_label, horizontal=True)
    item = widget.getPlotItem()
    _, ink = _ink()
    rows = len(names)
    # The first name at the top, as a table reads.
    ticks = [(rows - 1 - i, name) for i, name in enumerate(names)]
    item.getAxis("left").setTicks([ticks, []])
    groups = max(len(series), 1)
    height = BAR / groups
    if len(series) > 1:
        # One line in the top right, over the room left above the first row (see the Y
        # range): it covers no bar and no figure.
        item.addLegend(offset=(-10, 2), labelTextColor=ink, colCount=len(series))
    top = 0.0
    font = QFont()
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    for n, one in enumerate(series if rows else []):  # (pyqtgraph fails on no bars)
        ys = [rows - 1 - i + BAR / 2 - height * (n + 0.5) for i in range(rows)]
        widths = [value or 0 for value in one.values]
        bars = pg.BarGraphItem(
            x0=0,
            y=ys,
            height=height * 0.92,
            width=widths,
            brush=pg.mkBrush(one.legend or (one.colours[0] if one.colours else NEUTRAL)),
            brushes=[pg.mkBrush(c) for c in one.colours],
            pens=[pg.mkPen(QColor(c).darker(140)) for c in one.colours],
            name=one.name,
        )
        item.addItem(bars)
        for y, value in zip(ys, one.values, strict=True):
            shown = "none decided" if value is None else _figure(value, percent)
            text = pg.TextItem(shown, color=ink, anchor=(0, 0.5))
            text.setFont(font)
            text.setPos(value or 0, y)
            item.addItem(text)
        top = max([top, *widths])
    if not rows:
        _nothing(item, empty)
    else:
        # Room on the right for the figure written after the longest bar.
        item.setXRange(0, (1.0 if percent else max(top, 1)) * 1.18, padding=0)
        bottom = item.getAxis("bottom")
        if percent:
            bottom.setTicks([[(v / 4, f"{v * 25}%") for v in range(5)], []])
        else:
            bottom.setTickSpacing(whole_step(top), whole_step(top))
        item.setYRange(-0.6, rows - 0.4 + (1.0 if len(series) > 1 else 0), padding=0)
        widget.setMinimumHeight(min(120 + 26 * rows * max(1, groups // 2), 900))
    return Chart(title, names, widget, series)


def column_chart(title: str, axis_label: str, names: list[str], values: list[float]) -> Chart:
    """Vertical bars over time (days); with many, only some days are named on the axis."""
    widget = _plot(title, axis_label, horizontal=False)
    item = widget.getPlotItem()
    _, ink = _ink()
    colour = SERIES_COLOURS[0]
    if names:
        item.addItem(
            pg.BarGraphItem(
                x=list(range(len(names))),
                height=values,
                width=BAR,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen(QColor(colour).darker(140)),
            )
        )
        step = max(1, len(names) // 8)
        item.getAxis("bottom").setTicks(
            [[(i, name) for i, name in enumerate(names) if i % step == 0], []]
        )
        item.setXRange(-0.6, len(names) - 0.4, padding=0)
        item.setYRange(0, max(max(values), 1) * 1.1, padding=0)
        item.getAxis("left").setTickSpacing(whole_step(max(values)), whole_step(max(values)))
        if len(names) <= 31:  # a month or less: each day's figure fits above its bar
            for i, value in enumerate(values):
                text = pg.TextItem(f"{value:,.0f}", color=ink, anchor=(0.5, 1))
                text.setPos(i, value)
                item.addItem(text)
    else:
        _nothing(item, "No article marked done yet")
    return Chart(title, names, widget, [Series(axis_label, values, [colour] * len(values))])


def line_chart(title: str, axis_label: str, names: list[str], values: list[float]) -> Chart:
    """A running total over time, points marked."""
    widget = _plot(title, axis_label, horizontal=False)
    item = widget.getPlotItem()
    colour = SERIES_COLOURS[2]
    if names:
        item.plot(
            list(range(len(names))),
            values,
            pen=pg.mkPen(colour, width=2),
            symbol="o",
            symbolSize=6,
            symbolBrush=colour,
        )
        step = max(1, len(names) // 8)
        item.getAxis("bottom").setTicks(
            [[(i, name) for i, name in enumerate(names) if i % step == 0], []]
        )
        item.setXRange(-0.5, len(names) - 0.5, padding=0)
        item.setYRange(0, max(max(values), 1) * 1.1, padding=0)
        item.getAxis("left").setTickSpacing(whole_step(max(values)), whole_step(max(values)))
    else:
        _nothing(item, "No article marked done yet")
    return Chart(title, names, widget, [Series(axis_label, values, [colour] * len(values))])
