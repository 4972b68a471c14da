"""Lays out an article's text and its spans for the article view.

Each paragraph is a QTextLayout broken into lines once per width. Under every line the spans
on it get lanes: one pill per span segment, stacked so that nested and overlapping spans each
stay readable and clickable. Lanes are recomputed only for the paragraphs a span change touches,
and paragraphs are found by bisection, so painting and hit-testing cost what is on screen.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextLine, QTextOption

from annotator.core.model import Span

PILL_PADDING = 4.0
LANE_GAP = 2.0
LINE_GAP = 4.0
PARAGRAPH_GAP = 8.0


@dataclass
class Pill:
    """One span's mark on one line: its rectangle in lane space and whether it names the label."""

    span: Span
    rect: QRectF  # relative to the line's lane area top
    x_text: tuple[float, float]  # the span's extent on the text line
    first: bool  # the segment where the span starts carries the label's name


@dataclass
class Line:
    line: QTextLine
    start: int  # global character offsets
    end: int
    y: float = 0.0  # top of the text line, relative to the paragraph
    lanes: int = 0
    lane_height: float = 16.0
    pills: list[Pill] = field(default_factory=list)

    @property
    def text_height(self) -> float:
        return self.line.height()

    @property
    def height(self) -> float:
        return self.text_height + self.lanes_height + LINE_GAP

    @property
    def lanes_height(self) -> float:
        return self.lanes * self.lane_height + (LANE_GAP if self.lanes else 0.0)


@dataclass
class Paragraph:
    start: int
    text: str
    layout: QTextLayout
    lines: list[Line]
    top: float = 0.0
    height: float = 0.0


class TextLayout:
    def __init__(self, font: QFont, tag_font: QFont):
        self.font = font
        self.tag_font = tag_font
        self.tag_metrics = QFontMetricsF(tag_font)
        self.lane_height = self.tag_metrics.height() + 4
        self.text = ""
        self.width = 600.0
        self.paragraphs: list[Paragraph] = []
        self._starts: list[int] = []
        self._tops: list[float] = []
        self.height = 0.0

    # -- building ----------------------------------------------------------------------------

    def set_text(self, text: str, width: float) -> None:
        self.text = text
        self.width = width
        self.paragraphs = []
        offset = 0
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        for chunk in text.split("\n"):
            layout = QTextLayout(chunk, self.font)
            layout.setTextOption(option)
            layout.setCacheEnabled(True)
            self.paragraphs.append(Paragraph(offset, chunk, layout, []))
            offset += len(chunk) + 1
        self._starts = [p.start for p in self.paragraphs]
        for paragraph in self.paragraphs:
            self._break_lines(paragraph)

    def set_width(self, width: float, spans: list[Span]) -> None:
        if abs(width - self.width) < 0.5:
            return
        self.width = width
        for paragraph in self.paragraphs:
            self._break_lines(paragraph)
        self.set_spans(spans)

    def _break_lines(self, paragraph: Paragraph) -> None:
        layout = paragraph.layout
        layout.clearLayout()
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(self.width)
            start = paragraph.start + line.textStart()
            lines.append(Line(line, start, start + line.textLength()))
        layout.endLayout()
        paragraph.lines = lines

    def set_spans(self, spans: list[Span], changed: tuple[int, int] | None = None) -> None:
        """Place spans in lanes; with `changed` (a character range) only the lines it touches
        get new pills, and the rest of its paragraph only moves up or down."""
        by_paragraph: dict[int, list[Span]] = {}
        for span in spans:
            first = self.paragraph_index(span.start)
            last = self.paragraph_index(max(span.start, span.end - 1))
            for index in range(first, last + 1):
                by_paragraph.setdefault(index, []).append(span)
        if changed is None:
            indices = range(len(self.paragraphs))
        else:
            indices = range(
                self.paragraph_index(changed[0]),
                self.paragraph_index(max(changed[0], changed[1] - 1)) + 1,
            )
        for index in indices:
            self._place_pills(self.paragraphs[index], by_paragraph.get(index, []), changed)
        self._stack_paragraphs()

    def _place_pills(
        self, paragraph: Paragraph, spans: list[Span], changed: tuple[int, int] | None
    ) -> None:
        # Outer spans first, so that a span nested in another sits in a lane of its own.
        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.id or 0))
        following = 0  # index of the first span not yet started by the current line
        active: list[Span] = []
        y = 0.0
        for line in paragraph.lines:
            # Sweep: spans enter as the lines reach their start and leave after their end.
            while following < len(ordered) and ordered[following].start < line.end:
                active.append(ordered[following])
                following += 1
            active = [span for span in active if span.end > line.start]
            if changed is None or (changed[0] <= line.end and changed[1] >= line.start):
                self._fill_line(paragraph, line, active)
            line.y = y
            line.line.setPosition(QPointF(0, y))
            y += line.height
        paragraph.height = y + PARAGRAPH_GAP

    def _fill_line(self, paragraph: Paragraph, line: Line, spans: list[Span]) -> None:
        line.pills = []
        line.lane_height = self.lane_height
        lane_ends: list[float] = []
        for span in spans:
            if line.start == line.end:
                break
            seg_start = max(span.start, line.start) - paragraph.start
            seg_end = min(span.end, line.end) - paragraph.start
            x1 = line.line.cursorToX(seg_start)[0]
            x2 = line.line.cursorToX(seg_end)[0]
            first = span.start >= line.start
            width = x2 - x1
            if first:
                width = max(
                    width, self.tag_metrics.horizontalAdvance(span.label + "?") + 2 * PILL_PADDING
                )
            lane = next((i for i, end in enumerate(lane_ends) if end <= x1), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(0.0)
            lane_ends[lane] = x1 + width + 3
            rect = QRectF(x1, LANE_GAP + lane * self.lane_height, width, self.lane_height - 3)
            line.pills.append(Pill(span, rect, (x1, x2), first))
        line.lanes = len(lane_ends)

    def _stack_paragraphs(self) -> None:
        top = 0.0
        self._tops = []
        for paragraph in self.paragraphs:
            paragraph.top = top
            self._tops.append(top)
            top += paragraph.height
        self.height = top

    # -- looking things up -------------------------------------------------------------------

    def paragraph_index(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def paragraph_at_y(self, y: float) -> int:
        return max(0, bisect_right(self._tops, y) - 1)

    def visible(self, top: float, bottom: float):
        """Paragraphs intersecting [top, bottom), in order."""
        if not self.paragraphs:
            return
        for index in range(self.paragraph_at_y(top), len(self.paragraphs)):
            paragraph = self.paragraphs[index]
            if paragraph.top > bottom:
                break
            yield paragraph

    def line_at(self, y: float) -> tuple[Paragraph, Line] | None:
        if not self.paragraphs:
            return None
        paragraph = self.paragraphs[self.paragraph_at_y(y)]
        local = y - paragraph.top
        for line in paragraph.lines:
            if local < line.y + line.height:
                return paragraph, line
        return paragraph, paragraph.lines[-1]

    def offset_at(self, x: float, y: float) -> int:
        """The character offset nearest to a point in layout coordinates."""
        found = self.line_at(y)
        if found is None:
            return 0
        paragraph, line = found
        local = line.line.xToCursor(x)
        return paragraph.start + local

    def pill_at(self, x: float, y: float) -> Span | None:
        found = self.line_at(y)
        if found is None:
            return None
        paragraph, line = found
        lane_y = y - paragraph.top - line.y - line.text_height
        for pill in line.pills:
            if pill.rect.contains(QPointF(x, lane_y)):
                return pill.span
        return None

    def char_rect(self, offset: int) -> QRectF:
        """Where a character sits, in layout coordinates (for scrolling to it and for tests)."""
        paragraph = self.paragraphs[self.paragraph_index(offset)]
        local = offset - paragraph.start
        for line in paragraph.lines:
            if offset < line.end or line is paragraph.lines[-1]:
                x1 = line.line.cursorToX(local)[0]
                x2 = line.line.cursorToX(min(local + 1, len(paragraph.text)))[0]
                top = paragraph.top + line.y
                return QRectF(x1, top, max(x2 - x1, 1.0), line.text_height)
        return QRectF()
