"""A long paragraph broken into lines only as far as asked (a mixin of TextLayout).

A long article may be one paragraph: the benchmark's is 1,200 lines of 99,200 characters,
which took 13 ms to break into lines at open and as much again to give every line its
spans and arcs, for the 40 lines on screen. Qt lets a QTextLayout be laid out a line at a
time (createLine) and its lines be drawn and measured while the rest are still to come, so
such a paragraph (PARTIAL_TEXT characters or more, in a lazily laid out article) keeps its
layout open: its lines are made as far as something asks (the screen's rows, an offset, a
line step, an idle slice), each new line getting its spans (the sweep of _place_pills,
continued) and its arcs (partial_arcs.py), and the layout is ended when its last line is
made. Meanwhile the paragraph's height is its lines' and, for the text still to come, what
its lines so far took per character.

Qt makes a line the same whether the lines after it exist or not (line breaking is greedy
from the line's start), so a line made late is the one an eager layout makes (tests compare
them). Paragraphs with right-to-left text or flags (by_glyphs) are broken whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.qt.widgets import partial_arcs
from annotator.qt.widgets.layout_lines import (
    LANE_GAP,
    LINE_GAP,
    MIN_LANES,
    Line,
    Paragraph,
    on_grid,
)

if TYPE_CHECKING:
    from annotator.core.model import Span
    from annotator.qt.widgets.layout_realize import Laid

# A paragraph at least this long (characters) is broken as far as asked: shorter ones take
# under 1.5 ms whole.
PARTIAL_TEXT = 8_000
FIRST_LINES = 24  # lines made when such a paragraph is first broken


class PartialLines:
    width: float
    lane_height: float
    lazy: bool
    _laid: list[Laid]

    if TYPE_CHECKING:  # provided by TextLayout and LayoutRealize

        def _sweep_lines(
            self, paragraph: Paragraph, first: int, changed: tuple[int, int] | None
        ) -> None: ...
        def _restack_lines(self, paragraph: Paragraph, first: int) -> None: ...
        def _stack_paragraphs(self) -> None: ...
        def holding(self): ...

    def breaks_partly(self, paragraph: Paragraph) -> bool:
        """Whether a paragraph is broken only as far as asked when it is broken."""
        return self.lazy and len(paragraph.text) >= PARTIAL_TEXT and not paragraph.by_glyphs

    def begin_partial(self, paragraph: Paragraph, spans: list[Span], links: tuple) -> None:
        """Start breaking a paragraph into lines, with the spans and arcs its lines will get;
        its first lines are made."""
        layout = paragraph.layout
        layout.clearLayout()
        layout.beginLayout()
        paragraph.lines, paragraph.ends, paragraph.bottoms = [], [], []
        paragraph.broken, paragraph.whole = True, False
        # Outer spans first (as _place_pills orders them).
        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.id or 0))
        paragraph.sweep = (ordered, 0, [])
        partial_arcs.start(self, paragraph, links)  # type: ignore[arg-type]
        self.extend(paragraph, count=FIRST_LINES)

    def reopen_arcs(self, paragraph: Paragraph, links: tuple) -> None:
        """Its lines made were given these arcs anew (line_arcs.place_paragraph)."""
        partial_arcs.reopen(self, paragraph, links)  # type: ignore[arg-type]

    def patch_open_arcs(self, paragraph: Paragraph, removed: list, added: list) -> None:
        """An edit's arcs (line_arcs.update_arcs), for the lines still to come."""
        partial_arcs.patch(paragraph, self.made_end(paragraph), removed, added)

    def end_partial(self, paragraph: Paragraph) -> None:
        """Its layout ended (the paragraph laid out afresh)."""
        if not paragraph.whole:
            paragraph.layout.endLayout()
        paragraph.whole = True
        paragraph.sweep = paragraph.arcs_open = None

    def rest_height(self, paragraph: Paragraph) -> float:
        """The estimated height of the lines not made yet (only the scroll bar's length
        depends on it): the characters left at what the lines made took per character
        without their arcs' room, a slot for each arc still to come, and for an arc from the
        lines made into the rest a slot on each line it passes. Arcs cluster: the top's room
        per character said little of the rest's (the benchmark's article, whose last third
        has no arc, came out a fifth too long)."""
        if paragraph.whole or not paragraph.lines:
            return 0.0
        lines = paragraph.lines
        end = lines[-1].end
        made = end - paragraph.start
        bottom = paragraph.bottoms[-1] if len(paragraph.bottoms) == len(lines) else 0.0
        room = sum(line.arc_room for line in lines)
        per_line = max(made / len(lines), 1.0)  # characters
        arcs = 0.0  # slots
        for low, link in paragraph.arcs_open or ():
            far = max(link.trigger.start, link.argument.start)
            arcs += (far - end) / per_line if low < end else 1.0
        rest = (len(paragraph.text) - made) * (bottom - room) / max(made, 1)
        return on_grid(rest + arcs * self.lane_height)

    def made_end(self, paragraph: Paragraph) -> int:
        """The offset where the lines made so far end."""
        if paragraph.whole or not paragraph.lines:
            return paragraph.start + len(paragraph.text)
        return paragraph.lines[-1].end

    def reaches(self, paragraph: Paragraph, offset: int | None = None, y: float | None = None):
        """Whether the lines made hold `offset`, reach `y` (relative to the paragraph), or with
        neither, are every line."""
        if paragraph.whole:
            return True
        if offset is not None:
            return offset < paragraph.lines[-1].end
        if y is not None:
            return bool(paragraph.bottoms) and y < paragraph.bottoms[-1]
        return False

    def extend(
        self,
        paragraph: Paragraph,
        *,
        offset: int | None = None,
        y: float | None = None,
        count: int | None = None,
        exact: bool = False,
    ) -> bool:
        """Make more lines of a paragraph broken partly: up to the one holding `offset`, down
        to `y` (relative to the paragraph), `count` more, or with none of them all. Each gets
        its spans (tags placed when it is filled) and arcs (slotted now if `exact`, else as
        place_paragraph slots a paragraph's); whether any was made."""
        if paragraph.whole:
            return False
        with self.holding():
            first = len(paragraph.lines)
            if self._make_lines(paragraph, offset, y, count):
                # The last line is made: the layout is ended (the lines just made still
                # take their spans and arcs from what the paragraph kept for them).
                paragraph.layout.endLayout()
                paragraph.whole = True
            if len(paragraph.lines) > first:
                grew = partial_arcs.extend(self, paragraph, first, not exact)  # type: ignore[arg-type]
                self._sweep_lines(paragraph, first, None)
                if grew is not None:  # a line made before whose arc's far end now is
                    self._restack_lines(paragraph, grew)
                self._stack_paragraphs()
                lines = paragraph.lines
                self._laid.extend((paragraph, lines[n], True) for n in range(first, len(lines)))
            if paragraph.whole:
                paragraph.sweep = paragraph.arcs_open = None
        return len(paragraph.lines) > first

    def _make_lines(
        self, paragraph: Paragraph, offset: int | None, y: float | None, count: int | None
    ) -> bool:
        """Make the lines asked for; whether the last one is made (Qt has no more)."""
        layout, lines, ends = paragraph.layout, paragraph.lines, paragraph.ends
        # A line is at least this tall (text, its reserved tag lane, no arcs): lines are made
        # until they surely reach y.
        least = MIN_LANES * self.lane_height + LANE_GAP + LINE_GAP
        bottom = paragraph.bottoms[-1] if paragraph.bottoms else 0.0
        made = 0
        while True:
            if count is not None and made >= count:
                break
            if offset is not None and lines and offset < lines[-1].end:
                break
            if y is not None and bottom > y:
                break
            line = layout.createLine()
            if not line.isValid():
                return True
            line.setLineWidth(self.width)
            begin = line.textStart()  # UTF-16 positions
            new = Line(line, paragraph.from_qt(begin), paragraph.from_qt(begin + line.textLength()))
            lines.append(new)
            ends.append(new.end)
            bottom += new.text_height + least
            made += 1
        return False
