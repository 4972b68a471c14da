"""Laying out a long article as it comes near the screen (a mixin of TextLayout).

Opening a 100,000-character article used to break every paragraph into lines and place
every one of its thousands of tags before the first paint; most of that is far below the
screen. A lazy layout (TextLayout.set_text(..., lazy=True), what the view asks for a long
article) instead:
- gives a paragraph not yet broken into lines a height estimated from its length;
- breaks a paragraph into lines (with its spans sorted onto them and its arcs) when
  something asks for it: the screen's rows, an offset (find, a kept reading place, a span
  added there), a line step (Up/Down) into it;
- fills a line's tags when it comes near the screen or an edit touches it; until then it
  is as tall as its reserved lane (MIN_LANES) and its arcs' room make it;
- and does the rest in short slices while the program is idle (realize_step), from the top,
  so that soon every line is as an eager layout makes it (tests compare the two).
A line laid out late is laid out by the same code as an eager one (_place_pills, _fill_line,
line_arcs.place_paragraph), so it ends up the same.

Whatever is laid out, the screen must not jump: every change of height happens inside
`holding()`, which lets the view (keep_place) note the line at the top of the screen before
and scroll by what the lines above it grew after (as browsers' scroll anchoring does), and
repaint the rows laid out anew that are on screen.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QFontMetricsF

from annotator.core.model import Span
from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.arc_layout import Link
from annotator.qt.widgets.layout_lines import (
    LANE_GAP,
    LINE_GAP,
    MIN_LANES,
    PARAGRAPH_GAP,
    Line,
    Paragraph,
    on_grid,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QFont


class KeepPlace(Protocol):
    """What keeps the screen still while lines are laid out (the article view)."""

    def before_layout(self) -> object: ...
    def after_layout(self, noted: object, laid: list[Laid]) -> None: ...


# What a hold laid out: a paragraph broken into lines (line None), or a line filled, and
# whether its height changed.
Laid = tuple[Paragraph, Line | None, bool]


# Lines filled between two looks at the clock in an idle slice.
_CHECK_EVERY = 16


class LayoutRealize:
    paragraphs: list[Paragraph]
    width: float
    font: QFont
    lane_height: float
    links: list[Link]
    _tops: list[float]

    if TYPE_CHECKING:  # provided by TextLayout and LayoutQueries

        def _break_lines(self, paragraph: Paragraph) -> None: ...
        def _place_pills(
            self, paragraph: Paragraph, spans: list[Span], changed: tuple[int, int] | None
        ) -> None: ...
        def _fill_line(self, paragraph: Paragraph, line: Line, spans: list[Span]) -> None: ...
        def _restack_lines(self, paragraph: Paragraph, first: int) -> None: ...
        def _stack_paragraphs(self) -> None: ...
        def paragraph_index(self, offset: int) -> int: ...
        def paragraph_at_y(self, y: float) -> int: ...
        def breaks_partly(self, paragraph: Paragraph) -> bool: ...
        def begin_partial(self, paragraph: Paragraph, spans: list[Span], links: tuple) -> None: ...
        def end_partial(self, paragraph: Paragraph) -> None: ...
        def reaches(
            self, paragraph: Paragraph, offset: int | None = None, y: float | None = None
        ) -> bool: ...
        def extend(
            self,
            paragraph: Paragraph,
            *,
            offset: int | None = None,
            y: float | None = None,
            count: int | None = None,
            exact: bool = False,
        ) -> bool: ...

    def _init_lazy(self) -> None:
        self.lazy = False
        self.keep_place: KeepPlace | None = None
        # The arcs by paragraph, for paragraphs broken late: (the list it indexes, index).
        self.arc_index: tuple[list[Link], dict[int, list[Link]]] = ([], {})
        self._holding = False
        self._laid: list[Laid] = []  # what a hold laid out
        # Lines given arcs lazily (line_arcs) since the view last began settling them.
        self.unsettled = False
        self._start_lazy()

    def _start_lazy(self) -> None:
        """Nothing laid out lazily yet (a new text, width or font)."""
        # Spans of the paragraphs not yet broken into lines, by paragraph index.
        self._pending: dict[int, list[Span]] = {}
        # Every paragraph before _todo is laid out whole; in it, the lines before _todo_line.
        self._todo = 0
        self._todo_line = 0
        metrics = QFontMetricsF(self.font)
        self._text_height = metrics.height()
        self._char_width = max(metrics.averageCharWidth(), 1.0)
        self._calibrated = False
        self._chunk_seconds = 0.0  # what realize_step's last chunk took

    @property
    def complete(self) -> bool:
        """Every line laid out (always, for an eager layout)."""
        return not self.lazy or self._todo >= len(self.paragraphs)

    # -- what is not laid out yet ------------------------------------------------------------

    def unbreak(self, paragraph: Paragraph) -> None:
        """Drop a paragraph's lines: it is broken again when asked for, and meanwhile takes
        the height its length suggests."""
        self.end_partial(paragraph)
        paragraph.broken = False
        paragraph.lines, paragraph.ends, paragraph.bottoms = [], [], []
        paragraph.arc_links = None
        paragraph.height = self._estimate(paragraph)

    def _estimate(self, paragraph: Paragraph) -> float:
        """A paragraph's height before it is broken into lines: its characters at the font's
        average width, each line with its reserved tag lane. Only the scroll bar's length
        depends on it; it is corrected as the paragraph is laid out."""
        if not paragraph.text:
            return self._text_height + LINE_GAP + PARAGRAPH_GAP
        count = max(1, math.ceil(len(paragraph.text) * self._char_width / max(self.width, 1.0)))
        line = self._text_height + MIN_LANES * self.lane_height + LANE_GAP + LINE_GAP
        return count * line + PARAGRAPH_GAP

    def calibrate(self) -> None:
        """Estimate the paragraphs not broken yet again, once, from what the broken ones
        (the first screen's) turned out to take per character: tags in two lanes and arcs'
        room make a page of news a fifth taller than its lines alone, and the scroll bar's
        length is nearer the truth from the first screen on."""
        if self._calibrated or self.complete:
            return
        chars, height = 0, 0.0
        for paragraph in self.paragraphs:
            if paragraph.broken and paragraph.text and paragraph.whole:
                chars += len(paragraph.text)
                height += paragraph.height - PARAGRAPH_GAP
            elif paragraph.broken and paragraph.lines:  # broken partly: its lines made
                chars += paragraph.lines[-1].end - paragraph.start
                height += paragraph.bottoms[-1]
        if not chars:
            return
        self._calibrated = True
        per_character = height / chars
        line = self._text_height + MIN_LANES * self.lane_height + LANE_GAP + LINE_GAP
        with self.holding():
            for paragraph in self.paragraphs:
                if not paragraph.broken and paragraph.text:
                    guess = on_grid(max(line, len(paragraph.text) * per_character))
                    paragraph.height = guess + PARAGRAPH_GAP
                    self._laid.append((paragraph, None, True))
            self._stack_paragraphs()

    def keep_spans(self, by_paragraph: dict[int, list[Span]]) -> None:
        """The spans of the paragraphs not broken into lines yet, for when they are."""
        self._pending = {
            index: by_paragraph.get(index, [])
            for index, paragraph in enumerate(self.paragraphs)
            if not paragraph.broken
        }
        # Lines of broken paragraphs may have been unfilled (set_spans): look again.
        self._todo = self._todo_line = 0

    def unfill(self, paragraph: Paragraph, line: Line) -> None:
        """A line whose tags are placed when it comes near the screen; meanwhile as tall as
        the lanes it holds (at least the one every line with text reserves)."""
        if line.start == line.end:
            self._fill_line(paragraph, line, line.spans)  # no tags: nothing to wait for
            return
        line.filled = False
        line.pills = []
        line.lanes = max(line.lanes, MIN_LANES)

    # -- laying out what is asked for --------------------------------------------------------

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Lay out lines with the screen held still (see the module's docstring)."""
        if self._holding:
            yield
            return
        self._holding, self._laid = True, []
        noted = self.keep_place.before_layout() if self.keep_place is not None else None
        try:
            yield
        finally:
            self._holding = False
            laid, self._laid = self._laid, []
            if self.keep_place is not None and laid:
                self.keep_place.after_layout(noted, laid)

    def break_paragraph(self, index: int, *, stack: bool = True) -> bool:
        """Break a paragraph into lines, with its spans on them (tags not yet placed) and
        its arcs; whether it was not broken yet."""
        paragraph = self.paragraphs[index]
        if paragraph.broken:
            return False
        with self.holding():
            links, index_of = self.arc_index
            if links is not self.links:  # the arcs changed since they were indexed
                index_of = line_arcs.links_by_paragraph(self, self.links)  # type: ignore[arg-type]
                self.arc_index = (self.links, index_of)
            spans, mine = self._pending.pop(index, []), tuple(index_of.get(index, ()))
            if self.breaks_partly(paragraph):  # only its first lines now (partial_lines.py)
                self.begin_partial(paragraph, spans, mine)
                return True
            self._break_lines(paragraph)
            self._place_pills(paragraph, spans, None)
            line_arcs.place_paragraph(
                self,  # type: ignore[arg-type]
                paragraph,
                mine,
                [],
                len(self.links) > line_arcs.LAZY_ARCS,
            )
            if stack:
                self._stack_paragraphs()
            self._laid.append((paragraph, None, True))
        return True

    def fill_lines(self, paragraph: Paragraph, numbers: range) -> bool:
        """Place the tags of those of these lines not filled yet; whether any was."""
        with self.holding():
            filled, grew = self._fill_range(paragraph, numbers)
            if grew:
                self._stack_paragraphs()
        return filled

    def _fill_range(self, paragraph: Paragraph, numbers: range) -> tuple[bool, bool]:
        """Fill those of these lines not filled yet and restack the paragraph's lines once,
        from the first that grew: (whether any was filled, whether any grew)."""
        lines = paragraph.lines
        grown: int | None = None
        filled = False
        for number in numbers:
            line = lines[number]
            if line.filled:
                continue
            height = line.height
            self._fill_line(paragraph, line, line.spans)
            filled = True
            grew = line.height != height
            if grew and grown is None:
                grown = number
            self._laid.append((paragraph, line, grew))
        if grown is not None:
            self._restack_lines(paragraph, grown)
        return filled, grown is not None

    def realize_rows(self, top: float, bottom: float) -> bool:
        """Lay out every line in the rows [top, bottom] (layout coordinates): the screen and
        a margin around it. Whether anything was laid out."""
        if self.complete or not self.paragraphs:
            return False
        done = False
        with self.holding():
            # Breaking a paragraph or filling a line moves what is below it: look again
            # from the top until everything in the rows is laid out.
            while True:
                more = False
                for index in range(self.paragraph_at_y(top), len(self.paragraphs)):
                    paragraph = self.paragraphs[index]
                    if paragraph.top > bottom:
                        break
                    if self.break_paragraph(index):
                        more = True
                        break
                    if not self.reaches(paragraph, y=bottom - paragraph.top):
                        self.extend(paragraph, y=bottom - paragraph.top)
                        more = True
                        break
                    if self.fill_lines(paragraph, self._line_range(paragraph, top, bottom)):
                        more = True
                        break
                if not more:
                    break
                done = True
        return done

    def _line_range(self, paragraph: Paragraph, top: float, bottom: float) -> range:
        """The numbers of a paragraph's lines in the rows [top, bottom] (as lines_between)."""
        lines = paragraph.lines
        first = bisect_right(paragraph.bottoms, top - paragraph.top)
        last = first
        while last < len(lines) and paragraph.top + lines[last].y - lines[last].arc_room <= bottom:
            last += 1
        return range(min(first, len(lines)), last)

    def realize_range(self, start: int, end: int) -> None:
        """Lay out the lines holding the characters [start, end) (an edit's, a search
        hit's, a kept place's)."""
        if self.complete or not self.paragraphs:
            return
        with self.holding():
            first = self.paragraph_index(start)
            for index in range(first, self.paragraph_index(max(start, end - 1)) + 1):
                self.break_paragraph(index)
                paragraph = self.paragraphs[index]
                # Its lines as far as the range goes (all, if it goes on past it).
                self.extend(paragraph, offset=min(end - 1, paragraph.start + len(paragraph.text)))
                number = min(bisect_right(paragraph.ends, start), max(len(paragraph.lines) - 1, 0))
                last = number
                while last < len(paragraph.lines) and paragraph.lines[last].start < end:
                    last += 1
                self.fill_lines(paragraph, range(number, max(last, number + 1)))

    def ensure_broken(self, paragraph: Paragraph, offset: int | None = None) -> None:
        """Break a paragraph into lines if it is not yet (an offset or a line asked of it):
        if it is broken partly, as far as the line holding `offset`, or whole without one."""
        if not paragraph.broken:
            self.break_paragraph(self.paragraph_index(paragraph.start))
        if not self.reaches(paragraph, offset):
            self.extend(paragraph, offset=offset)

    def realize_step(self, deadline: float) -> bool:
        """Lay out what is left, from the top, until `deadline` (time.perf_counter()); whether
        everything is laid out now. The idle slices of a long article.

        Work goes in chunks (_CHECK_EVERY lines made and filled, 2-5 ms on the benchmark's
        article); a chunk is not begun if the last one's time would take it past `deadline`
        (at least one is done), so a slice ends near its deadline, not a chunk after it."""
        if self.complete:
            return True
        done_one = False

        def out_of_time() -> bool:
            return done_one and time.perf_counter() + self._chunk_seconds > deadline

        with self.holding():
            paragraphs = self.paragraphs
            while self._todo < len(paragraphs) and not out_of_time():
                paragraph = paragraphs[self._todo]
                self.break_paragraph(self._todo, stack=False)
                lines = paragraph.lines
                number = self._todo_line
                while number < len(lines) or not paragraph.whole:
                    if out_of_time():
                        break
                    began = time.perf_counter()
                    if number >= len(lines):  # broken partly: its next lines
                        self.extend(paragraph, count=_CHECK_EVERY, exact=True)
                    end = min(number + _CHECK_EVERY, len(lines))
                    self._fill_quietly(paragraph, number, end)
                    number = end
                    self._chunk_seconds = time.perf_counter() - began
                    done_one = True
                if number >= len(lines) and paragraph.whole:
                    self._todo, self._todo_line = self._todo + 1, 0
                else:
                    self._todo_line = number
                done_one = True  # a paragraph broken whole counts as a chunk
            self._stack_paragraphs()
        return self.complete

    def _fill_quietly(self, paragraph: Paragraph, first: int, end: int) -> None:
        """fill_lines for an idle slice: one restack for the lines filled, not one per line;
        the caller stacks the paragraphs once for the slice."""
        self._fill_range(paragraph, range(first, end))

    def realize_all(self) -> None:
        """Everything laid out now (tests; a view that needs the whole text measured)."""
        self.realize_step(math.inf)
