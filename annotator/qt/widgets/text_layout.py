"""Lays out an article's text and its spans for the article view.

Each paragraph is a QTextLayout broken into lines once per width. Under every line the spans
on it get lanes: one pill per span segment, stacked so that nested and overlapping spans each
stay readable and clickable. Above every line, room for the event arcs it carries
(line_arcs.py and arc_layout.py place them). Lanes are recomputed only for the paragraphs a span change touches,
and paragraphs are found by bisection, so painting and hit-testing cost what is on screen.

Offsets here are the model's (code points into the article text); Qt's positions count UTF-16
units. Every crossing between the two goes through the paragraph's Utf16Map (utf16.py), and
the places that need an x for an offset or an offset for an x are the methods below
(x_extent, offset_at, char_rect): the painter and the view call those, never the QTextLine.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

from annotator.core.annotations import span_order, take_sorted
from annotator.core.layers import several_annotators, tag_label
from annotator.core.model import SUGGESTED, Span
from annotator.qt.qstring import as_qstring
from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.arc_layout import Link
from annotator.qt.widgets.layout_lines import (
    LANE_GAP,
    MIN_LANES,
    PARAGRAPH_GAP,
    PILL_PADDING,
    Line,
    Paragraph,
    Pill,
)
from annotator.qt.widgets.layout_queries import LayoutQueries
from annotator.qt.widgets.layout_realize import LayoutRealize
from annotator.qt.widgets.partial_lines import PartialLines
from annotator.qt.widgets.utf16 import Utf16Map

# Paragraphs whose positions come from glyph runs rather than QTextLine.cursorToX:
# - right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, ... and their presentation
#   forms, the astral RTL scripts) and the explicit RTL marks and embeddings: a span's
#   characters may lie apart on the line;
# - regional indicators (flags): after an emoji or a symbol (😀🇩🇪🇫🇷, ©🇩🇪🇩🇪), Qt 6's cursorToX
#   puts the boundary between two flags half a flag or more too far right. Random emoji
#   sequences (ZWJ, skin tones, keycaps, tags, variation selectors) showed no other such
#   defect (tests/qt/test_emoji_positions.py checks cursorToX against the glyph runs).
# A paragraph with none of them (nearly all) keeps the fast path: two cursorToX per span.
_GLYPH_RUNS = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff"
    "\U0001e800-\U0001efff\u200f\u202b\u202e\u2067\U0001f1e6-\U0001f1ff]"
)


class TextLayout(LayoutRealize, PartialLines, LayoutQueries):
    def __init__(self, font: QFont, tag_font: QFont):
        self._use_fonts(font, tag_font)
        # Tags carry the annotator's initials while several people's spans are shown.
        self.several_annotators = False
        self.text = ""
        self.width = 600.0
        self.paragraphs: list[Paragraph] = []
        self._starts: list[int] = []
        self._tops: list[float] = []
        self.height = 0.0
        self.links: list[Link] = []  # every arc of the article (room is kept for all)
        self._init_lazy()

    def _use_fonts(self, font: QFont, tag_font: QFont) -> None:
        self.font = font
        self.tag_font = tag_font
        self.tag_metrics = QFontMetricsF(tag_font)
        self.lane_height = self.tag_metrics.height() + 4
        self._label_widths: dict[str, float] = {}  # a label's name in the tag font, padded

    def set_fonts(self, font: QFont, tag_font: QFont, spans: list[Span]) -> None:
        """Another text or tag font (Settings, zoom): every line is broken and every pill and
        arc placed again, once."""
        self._use_fonts(font, tag_font)
        links = self.links
        self.set_text(self.text, self.width, self.lazy)
        line_arcs.place_arcs(self, links)
        self.links = links
        self.set_spans(spans)

    # -- building ----------------------------------------------------------------------------

    def set_text(self, text: str, width: float, lazy: bool = False) -> None:
        """The text, broken into lines at `width`; with `lazy` (a long article) only as far
        as it is asked for, the rest as it comes near the screen (layout_realize.py)."""
        self.text = text
        self.width = width
        self.lazy = lazy
        self._start_lazy()
        self.paragraphs = []
        offset = 0
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        for chunk in text.split("\n"):
            layout = QTextLayout(as_qstring(chunk), self.font)
            layout.setTextOption(option)
            layout.setCacheEnabled(True)
            by_glyphs = not chunk.isascii() and _GLYPH_RUNS.search(chunk) is not None
            self.paragraphs.append(
                Paragraph(offset, chunk, layout, [], units=Utf16Map(chunk), by_glyphs=by_glyphs)
            )
            offset += len(chunk) + 1
        self._starts = [p.start for p in self.paragraphs]
        self.links = []
        for paragraph in self.paragraphs:
            if lazy:
                self.unbreak(paragraph)
            else:
                self._break_lines(paragraph)

    def set_width(self, width: float, spans: list[Span]) -> None:
        if abs(width - self.width) < 0.5:
            return
        self.width = width
        self._start_lazy()
        for paragraph in self.paragraphs:
            if self.lazy:
                self.unbreak(paragraph)
            else:
                self._break_lines(paragraph)
        line_arcs.place_arcs(self, self.links)
        self.set_spans(spans)

    def _break_lines(self, paragraph: Paragraph) -> None:
        layout = paragraph.layout
        self.end_partial(paragraph)
        layout.clearLayout()
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(self.width)
            begin = line.textStart()  # UTF-16 positions
            lines.append(
                Line(line, paragraph.from_qt(begin), paragraph.from_qt(begin + line.textLength()))
            )
        layout.endLayout()
        paragraph.lines = lines
        paragraph.ends = [line.end for line in lines]
        paragraph.arc_links = None  # new lines: arcs go on them again
        paragraph.broken = True

    def set_spans(self, spans: list[Span], changed: tuple[int, int] | None = None) -> None:
        """Place spans in lanes; with `changed` (a character range) only the lines it touches
        get new pills, and the rest of its paragraph only moves up or down."""
        several = several_annotators(spans)
        if several != self.several_annotators:  # every tag changes: lay out every line
            self.several_annotators, changed = several, None
        by_paragraph: dict[int, list[Span]] = {}
        starts = self._starts
        for span in spans:
            # paragraph_index() inlined: an article's 5,000 spans pass here when it opens.
            first = bisect_right(starts, span.start) - 1
            last = bisect_right(starts, span.end - 1) - 1 if span.end > span.start + 1 else first
            for index in range(max(first, 0), max(last, first, 0) + 1):
                by_paragraph.setdefault(index, []).append(span)
        if changed is None:
            indices = range(len(self.paragraphs))
        else:
            indices = range(
                self.paragraph_index(changed[0]),
                self.paragraph_index(max(changed[0], changed[1] - 1)) + 1,
            )
        for index in indices:
            paragraph = self.paragraphs[index]
            if paragraph.broken:
                self._place_pills(paragraph, by_paragraph.get(index, []), changed)
        if self.lazy:  # the others get theirs when they are broken into lines
            self.keep_spans(by_paragraph)
        self._stack_paragraphs()

    def _place_pills(
        self, paragraph: Paragraph, spans: list[Span], changed: tuple[int, int] | None
    ) -> None:
        # Outer spans first, so that a span nested in another sits in a lane of its own.
        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.id or 0))
        paragraph.sweep = (ordered, 0, [])
        paragraph.bottoms = []
        self._sweep_lines(paragraph, 0, changed)

    def _sweep_lines(
        self, paragraph: Paragraph, first: int, changed: tuple[int, int] | None
    ) -> None:
        """Put the spans of the paragraph's sweep on its lines from `first` on and stack
        those lines; a paragraph not broken whole keeps the sweep for the lines to come."""
        assert paragraph.sweep is not None
        ordered, following, active = paragraph.sweep
        # following: the first span not yet started by the current line
        y = paragraph.bottoms[first - 1] if first else 0.0
        del paragraph.bottoms[first:]
        for line in paragraph.lines[first:]:
            # Sweep: spans enter as the lines reach their start and leave after their end.
            while following < len(ordered) and ordered[following].start < line.end:
                active.append(ordered[following])
                following += 1
            active = [span for span in active if span.end > line.start]
            line.spans = list(active)  # its own list: update_spans edits it
            if changed is None or (changed[0] <= line.end and changed[1] >= line.start):
                if self.lazy:  # filled when it comes near the screen (layout_realize)
                    self.unfill(paragraph, line)
                else:
                    self._fill_line(paragraph, line, active)
            y += line.arc_room
            line.y = y
            line.line.setPosition(QPointF(0, y))
            y += line.height
            paragraph.bottoms.append(y)
        paragraph.sweep = None if paragraph.whole else (ordered, following, active)
        paragraph.height = y + PARAGRAPH_GAP + self.rest_height(paragraph)

    def update_spans(self, removed: list[Span], added: list[Span]) -> tuple[float, float] | None:
        """An edit's spans: the ones that went (as they were) and the ones that came (as they
        are). Only the lines they cross get new pills, and only the lines below one whose
        height changed move: the same lines and pills as set_spans() of the whole list.
        Returns the rows (top, bottom in layout coordinates) that look different now: to
        the end of the text if lines moved; None if nothing changed."""
        for span in [*removed, *added]:  # lines not laid out yet are, as they were
            self.realize_range(span.start, span.end)
        touched: dict[int, set[int]] = {}  # paragraph index -> line indices
        for span in removed:
            for index, number in self._lines_of(span):
                take_sorted(self.paragraphs[index].lines[number].spans, span, span_order)
                touched.setdefault(index, set()).add(number)
        for span in added:
            for index, number in self._lines_of(span):
                insort(self.paragraphs[index].lines[number].spans, span, key=span_order)
                touched.setdefault(index, set()).add(number)
        moved = False
        top, bottom = float("inf"), float("-inf")
        for index, numbers in touched.items():
            paragraph = self.paragraphs[index]
            heights = {n: paragraph.lines[n].height for n in numbers}
            for number in numbers:
                line = paragraph.lines[number]
                self._fill_line(paragraph, line, line.spans)
            grown = [n for n in sorted(numbers) if paragraph.lines[n].height != heights[n]]
            if grown:
                self._restack_lines(paragraph, grown[0])
                moved = True
            first, last = paragraph.lines[min(numbers)], paragraph.lines[max(numbers)]
            top = min(top, paragraph.top + first.y)
            bottom = max(bottom, paragraph.top + last.y + last.height)
        if moved:
            self._stack_paragraphs()
            bottom = float("inf")
        return (top, bottom) if touched else None

    def _lines_of(self, span: Span):
        """(paragraph index, line index) of every line a span has characters on, as the
        sweep in _place_pills puts it there (line.start < span.end, span.start < line.end)."""
        first = self.paragraph_index(span.start)
        last = self.paragraph_index(max(span.start, span.end - 1))
        for index in range(first, last + 1):
            paragraph = self.paragraphs[index]
            number = bisect_right(paragraph.ends, span.start)
            while number < len(paragraph.lines) and paragraph.lines[number].start < span.end:
                yield index, number
                number += 1

    def _restack_lines(self, paragraph: Paragraph, first: int) -> None:
        """Lines from `first` on take their places below their taller or shorter neighbour."""
        # Kept tight: a long article is one paragraph of 1,600 lines, restacked whenever an
        # arc passing over hundreds of them gives them a slot more.
        y = paragraph.bottoms[first - 1] if first else 0.0
        lines, bottoms = paragraph.lines, paragraph.bottoms
        for number in range(first, len(lines)):
            line = lines[number]
            if line.arc_slots:
                y += line.arc_room
            line.y = y
            line.line.setPosition(QPointF(0, y))
            y += line.height
            bottoms[number] = y
        paragraph.height = y + PARAGRAPH_GAP + self.rest_height(paragraph)

    def _tag_width(self, label: str) -> float:
        width = self._label_widths.get(label)
        if width is None:
            width = self.tag_metrics.horizontalAdvance(label + "?") + 2 * PILL_PADDING
            self._label_widths[label] = width
        return width

    def _fill_line(self, paragraph: Paragraph, line: Line, spans: list[Span]) -> None:
        line.pills = []
        line.filled = True
        line.lane_height = self.lane_height
        if line.start == line.end:
            line.lanes = 0
            return
        if not paragraph.by_glyphs:
            self._fill_plain_line(paragraph, line, spans)
            return
        # Per lane, the x ranges taken on this line: right-to-left runs can place a later
        # span further left, so every range in the lane is checked (a line holds a handful).
        lanes: list[list[tuple[float, float]]] = []
        suggested: dict[tuple, Pill] = {}
        for span in spans:
            if span.state == SUGGESTED and _twin(span, suggested):
                continue
            start, end = max(span.start, line.start), min(span.end, line.end)
            pieces = self.x_extent(paragraph, line, start, end)
            x1, x2 = pieces[0][0], max(b for _, b in pieces)
            first = span.start >= line.start
            # Every piece of a span names its label (a span wrapped onto the next line is
            # still readable there), and a tag never runs past the text's right edge: one
            # wider than what is left of the line is drawn ending at the edge.
            width = max(x2 - x1, self._tag_width(tag_label(span, self.several_annotators)))
            left = max(0.0, min(x1, self.width - width))
            taken = (left, left + width + 3)
            lane = next(
                (
                    i
                    for i, ranges in enumerate(lanes)
                    if all(b <= taken[0] or a >= taken[1] for a, b in ranges)
                ),
                len(lanes),
            )
            if lane == len(lanes):
                lanes.append([])
            lanes[lane].append(taken)
            rect = QRectF(left, LANE_GAP + lane * self.lane_height, width, self.lane_height - 3)
            line.pills.append(Pill(span, rect, (x1, x2), first, tuple(pieces)))
            if span.state == SUGGESTED:
                suggested[(span.start, span.end, span.label)] = line.pills[-1]
        line.lanes = max(len(lanes), MIN_LANES, line.lanes)

    # -- arcs ------------------------------------------------------------------------------

    def set_arcs(self, links: list[Link]) -> tuple[float, float] | None:
        """Every event arc of the article: each paragraph an arc touches reserves room above
        its lines for it (drawn or not: showing only the selected event's arcs moves no
        text). Only paragraphs whose arcs differ are laid out again."""
        self.links = list(links)
        return self._arc_rows(line_arcs.place_arcs(self, self.links))

    def update_arcs(
        self, links: list[Link], removed: list[Link], added: list[Link]
    ) -> tuple[float, float] | None:
        """An edit's arcs (those that went, those that came; `links` is the whole list now):
        only the lines they touch are laid out again, as set_arcs(links) would lay them.
        Returns the rows that look different, as set_arcs does."""
        self.links = links
        return self._arc_rows(line_arcs.update_arcs(self, removed, added))

    def _arc_rows(
        self, placed: tuple[list[tuple[Paragraph, Line]], bool]
    ) -> tuple[float, float] | None:
        """The rows (layout coordinates) of the lines whose arcs changed, from the top of
        their room; to the end of the text if a line's room grew (the text below moved)."""
        changed, moved = placed
        if moved:
            self._stack_paragraphs()
        if not changed:
            return None
        bounds = line_arcs.first_and_last(changed)  # each line's room starts at the one above
        top = min(p.top + first.y - first.arc_room for p, first, _ in bounds)
        if moved:
            return top, float("inf")
        return top, max(p.top + last.y + last.height for p, _, last in bounds)

    def position_lines(self, paragraph: Paragraph, first: int = 0) -> None:
        """Each line's y, from `first` on, once the room above it grew (pills stay as they
        are)."""
        if len(paragraph.bottoms) != len(paragraph.lines):
            paragraph.bottoms, first = [0.0] * len(paragraph.lines), 0
        self._restack_lines(paragraph, first)

    def arc_at(self, x: float, y: float, shown) -> Link | None:
        """The arc whose label (or run) is under a point, among those `shown(link)` accepts."""
        return line_arcs.arc_at(self, x, y, shown)

    def _fill_plain_line(self, paragraph: Paragraph, line: Line, spans: list[Span]) -> None:
        """_fill_line for left-to-right text, the common case, kept tight: an article's
        thousands of spans pass here when it opens. Pills arrive in x order, so in each lane
        only the last range taken matters."""
        cursor_to_x = line.line.cursorToX
        units, local = paragraph.units, paragraph.start
        plain = units.identity
        line_start, line_end = line.start, line.end
        lane_height, pills = self.lane_height, line.pills
        text_width = self.width
        last: list[tuple[float, float]] = []  # per lane, the last range taken
        suggested: dict[tuple, Pill] = {}  # open suggestions' pills by text and label
        for span in spans:
            if span.state == SUGGESTED and _twin(span, suggested):
                continue
            start = span.start if span.start > line_start else line_start
            end = span.end if span.end < line_end else line_end
            if plain:
                x1 = cursor_to_x(start - local)[0]
                x2 = cursor_to_x(end - local)[0]
            else:
                x1 = cursor_to_x(units.to_utf16(start - local))[0]
                x2 = cursor_to_x(units.to_utf16(end - local))[0]
            first = span.start >= line_start
            # Every piece names its label (see _fill_line), kept inside the text's width.
            width = x2 - x1
            tag = self._tag_width(tag_label(span, self.several_annotators))
            if tag > width:
                width = tag
            left = x1 if x1 + width <= text_width else max(0.0, text_width - width)
            right = left + width + 3
            for lane, (a, b) in enumerate(last):
                if b <= left or a >= right:
                    last[lane] = (left, right)
                    break
            else:
                lane = len(last)
                last.append((left, right))
            rect = QRectF(left, LANE_GAP + lane * lane_height, width, lane_height - 3)
            pills.append(Pill(span, rect, (x1, x2), first, ((x1, x2),)))
            if span.state == SUGGESTED:
                suggested[(span.start, span.end, span.label)] = pills[-1]
        # Lanes a line has held stay reserved (MIN_LANES): the text below never moves.
        line.lanes = max(len(last), MIN_LANES, line.lanes)

    def _stack_paragraphs(self) -> None:
        top = 0.0
        self._tops = []
        for paragraph in self.paragraphs:
            paragraph.top = top
            self._tops.append(top)
            top += paragraph.height
        self.height = top


def _twin(span: Span, suggested: dict[tuple, Pill]) -> bool:
    """Whether an open suggestion repeats one already drawn on the line (same characters and
    label, another source): it joins that pill's twins instead of drawing a second tag."""
    pill = suggested.get((span.start, span.end, span.label))
    if pill is None:
        return False
    pill.twins = (*pill.twins, span)
    return True
