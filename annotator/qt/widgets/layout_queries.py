"""Looking things up in a laid-out article (a mixin of TextLayout): which paragraph or line is
at a y or holds an offset, what is on screen, the x of an offset and the offset at an x, the
pill under the mouse. Paragraphs and lines are found by bisection, so each costs what is on
screen, not what the article holds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from annotator.core.model import Span
from annotator.core.tokens import cluster_at
from annotator.qt.widgets import hit_test
from annotator.qt.widgets.layout_lines import Line, Paragraph, Pill


class LayoutQueries:
    text: str
    paragraphs: list[Paragraph]
    _starts: list[int]
    _tops: list[float]
    lane_height: float

    if TYPE_CHECKING:  # provided by LayoutRealize: a long article's lines are made on demand

        def ensure_broken(self, paragraph: Paragraph, offset: int | None = None) -> None: ...
        def reaches(
            self, paragraph: Paragraph, offset: int | None = None, y: float | None = None
        ) -> bool: ...

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

    def lines_between(self, paragraph: Paragraph, top: float, bottom: float) -> list[Line]:
        """The paragraph's lines that reach into the rows [top, bottom] (layout coordinates),
        found by bisection: one paragraph may be a whole long article of a thousand lines."""
        lines = paragraph.lines
        # The first line whose bottom is at or below top (a line ending at top is drawn).
        first = bisect_left(paragraph.bottoms, top - paragraph.top)
        last = first
        # A line is drawn from the top of the arc room above its text.
        while last < len(lines) and paragraph.top + lines[last].y - lines[last].arc_room <= bottom:
            last += 1
        return lines[first:last]

    def line_at(self, y: float) -> tuple[Paragraph, Line] | None:
        if not self.paragraphs:
            return None
        paragraph = self.paragraphs[self.paragraph_at_y(y)]
        for _ in range(len(self.paragraphs) + 1):
            if not paragraph.broken:  # broken into lines, it may no longer reach y
                self.ensure_broken(paragraph, paragraph.start)
            elif not self.reaches(paragraph, y=y - paragraph.top):  # broken partly
                self.extend(paragraph, y=y - paragraph.top)  # type: ignore[attr-defined]
            else:
                break
            paragraph = self.paragraphs[self.paragraph_at_y(y)]
        # Bisection: one paragraph may be a whole long article of a thousand lines.
        index = bisect_right(paragraph.bottoms, y - paragraph.top)
        return paragraph, paragraph.lines[min(index, len(paragraph.lines) - 1)]

    def rows_of(self, start: int, end: int) -> tuple[float, float]:
        """The rows (top, bottom in layout coordinates, lanes included) of the lines that
        hold the characters [start, end): what to repaint when their marks change."""
        if not self.paragraphs:
            return 0.0, 0.0
        first = self.paragraphs[self.paragraph_index(start)]
        last = self.paragraphs[self.paragraph_index(max(start, end - 1))]
        if not first.lines or not last.lines:
            return first.top, last.top + last.height
        top_line = self.line_of(first, start)
        bottom_line = self.line_of(last, max(start, end - 1))
        # From the top of the arc room above the first line: its arcs end on these spans.
        return (
            first.top + top_line.y - top_line.arc_room,
            last.top + bottom_line.y + bottom_line.height,
        )

    def x_extent(
        self, paragraph: Paragraph, line: Line, start: int, end: int
    ) -> list[tuple[float, float]]:
        """Where the characters [start, end) (global offsets, within the line) are drawn on
        it: left-to-right x ranges, one unless right-to-left text splits them."""
        if paragraph.by_glyphs and end > start:
            # Each glyph run's rectangle is the selection rectangle of its characters.
            pieces = sorted(
                (run.boundingRect().left(), run.boundingRect().right())
                for run in line.line.glyphRuns(
                    paragraph.to_qt(start), paragraph.to_qt(end) - paragraph.to_qt(start)
                )
            )
            merged: list[tuple[float, float]] = []
            for a, b in pieces:
                if merged and a <= merged[-1][1] + 0.5:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], b))
                else:
                    merged.append((a, b))
            if merged:
                return merged
        x1 = line.line.cursorToX(paragraph.to_qt(start))[0]
        x2 = line.line.cursorToX(paragraph.to_qt(end))[0]
        return [(min(x1, x2), max(x1, x2))]

    def line_of(self, paragraph: Paragraph, offset: int) -> Line:
        """The line of a paragraph that holds a character offset."""
        self.ensure_broken(paragraph, offset)
        found = paragraph.layout.lineForTextPosition(paragraph.to_qt(offset))
        number = found.lineNumber() if found.isValid() else -1
        return (
            paragraph.lines[number] if 0 <= number < len(paragraph.lines) else paragraph.lines[-1]
        )

    def offset_at(self, x: float, y: float, *, on_character: bool = False) -> int:
        """The character offset at a point in layout coordinates: the nearest boundary between
        characters (where a press or a drag begins), or with `on_character` the start of the
        character under the point (what a double-click means); see hit_test.py."""
        found = self.line_at(y)
        if found is None:
            return 0
        paragraph, line = found
        return hit_test.offset_on_line(self.text, paragraph, line, x, on_character)

    def pill_at(self, x: float, y: float) -> Span | None:
        pill = self.tag_at(x, y)
        return pill.span if pill is not None else None

    def tag_at(self, x: float, y: float) -> Pill | None:
        """The pill (tag) under a point, with the twins it stands for."""
        found = self.line_at(y)
        if found is None:
            return None
        paragraph, line = found
        lane_y = y - paragraph.top - line.y - line.text_height
        for pill in line.pills:
            if pill.rect.contains(QPointF(x, lane_y)):
                return pill
        return None

    def cluster(self, offset: int) -> tuple[int, int]:
        """The grapheme cluster (what a reader sees as one character) holding an offset."""
        paragraph = self.paragraphs[self.paragraph_index(offset)]
        self.ensure_broken(paragraph, offset)
        origin = self.line_of(paragraph, offset).start if paragraph.lines else paragraph.start
        start, end = cluster_at(self.text, offset, origin)
        return start, min(end, paragraph.start + len(paragraph.text))

    def char_rect(self, offset: int) -> QRectF:
        """Where a character (its whole grapheme cluster) sits, in layout coordinates, for
        scrolling to it, drawing links to it and for tests."""
        if not self.paragraphs:
            return QRectF()
        paragraph = self.paragraphs[self.paragraph_index(offset)]
        self.ensure_broken(paragraph, offset)
        if not paragraph.lines:
            return QRectF()
        line = self.line_of(paragraph, offset)
        start, end = self.cluster(offset)
        end = max(start, min(end, line.end))
        pieces = self.x_extent(paragraph, line, start, end)
        x1 = min(a for a, _ in pieces)
        x2 = max(b for _, b in pieces)
        return QRectF(x1, paragraph.top + line.y, max(x2 - x1, 1.0), line.text_height)
