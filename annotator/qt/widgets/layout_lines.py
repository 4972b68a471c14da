"""What the text layout is made of: each paragraph's QTextLayout and lines, and under each line
its spans' pills in lanes, above it the room for its event arcs (text_layout.py builds them;
the painters, hit testing and line_arcs read them).

Offsets are the model's (code points); a Paragraph converts to and from Qt's UTF-16 positions
through its Utf16Map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextLayout, QTextLine

from annotator.core.model import Span
from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.arc_layout import ARC_GAP, Fragment, Link
from annotator.qt.widgets.utf16 import Utf16Map

PILL_PADDING = 4.0
LANE_GAP = 2.0
LINE_GAP = 4.0
PARAGRAPH_GAP = 8.0
# Every line with text reserves one tag lane, used or not: the first tag on a line (the common
# edit) then never pushes the text below down. Lanes and arc slots a line has held stay
# reserved until the article is laid out afresh (opened again, or the width changes): removing
# a span or an argument never pulls the text below up either. Only a line gaining more
# overlapping spans, or more stacked arcs, than it has held grows, as in brat, whose rows grow
# to fit; INCEpTION and brat users read a page that stays still while they edit it.
MIN_LANES = 1


def on_grid(value: float) -> float:
    """A height estimated (not measured) put on Qt's grid of 1/64 px, as its measures are:
    every place in the layout is then a sum done exactly in floating point, so a line held
    still while others are laid out above it keeps the very same position to the bit.
    Estimated heights off the grid left the text on screen a few thousandths of a pixel from
    where it had been drawn: a row repainted later (a line filled, a strip scrolled in) drew
    its glyphs at another subpixel place, now and then a pixel off their neighbours."""
    return round(value * 64) / 64


@dataclass
class Pill:
    """One span's mark on one line: its rectangle in lane space and whether it names the label."""

    span: Span
    rect: QRectF  # relative to the line's lane area top
    x_text: tuple[float, float]  # the span's extent on the text line (left, right)
    first: bool  # the segment where the span starts carries the label's name
    # Where its characters are drawn: one piece, or several when right-to-left text reorders
    # the line (a span over "world שלום" in a right-to-left paragraph lies in two places).
    pieces: tuple[tuple[float, float], ...] = ()
    # Open suggestions of the same text and label from other sources, drawn as this one tag
    # (its tooltip names every source): two models agreeing is one thing to review.
    twins: tuple[Span, ...] = ()

    @property
    def ids(self) -> tuple[int | None, ...]:
        return (self.span.id, *(twin.id for twin in self.twins))


@dataclass
class Line:
    line: QTextLine
    start: int  # global character offsets
    end: int
    y: float = 0.0  # top of the text line, relative to the paragraph
    lanes: int = 0
    lane_height: float = 16.0
    pills: list[Pill] = field(default_factory=list)
    # The spans on this line, in the store's order (span_order): what its pills are made of,
    # kept so that an edit re-places this line's pills alone.
    spans: list[Span] = field(default_factory=list)
    arc_slots: int = 0  # slots reserved for arcs in the room above the text
    # What its arcs were made from (line_arcs): the arcs with an end on it, slotted into
    # arc_fixed using arc_base slots, and the arcs passing over it, stacked above those.
    arc_links: tuple[Link, ...] = ()
    arc_passing: tuple[Link, ...] = ()
    arc_fixed: list[Fragment] | None = field(default_factory=list)  # None: not slotted yet
    # Where to slot its arcs when first drawn (line_arcs.slot_line): (layout, paragraph).
    arc_owner: tuple | None = None
    arc_base: int = 0
    # Its arc pieces (the property `arcs`), made when first drawn after a change: an arc
    # passing over hundreds of lines costs them a tuple each, not hundreds of fragments.
    arc_cache: list[Fragment] | None = None
    arc_width: float = 0.0
    text_h: float = 0.0  # the text line's height, asked of Qt once (restacking reads it)
    # In a paragraph with right-to-left text, where each character is drawn, made on the
    # first click on the line: (left, right, start, end, right_to_left) per grapheme cluster.
    cells: list[tuple[float, float, int, int, bool]] | None = None
    # Its pills placed for its spans (a long article fills lines as they come near the
    # screen, layout_realize.py); until then it is as tall as MIN_LANES makes it.
    filled: bool = True

    @property
    def text_height(self) -> float:
        if not self.text_h:
            self.text_h = self.line.height()
        return self.text_h

    @property
    def height(self) -> float:
        return self.text_height + self.lanes_height + LINE_GAP

    @property
    def lanes_height(self) -> float:
        return self.lanes * self.lane_height + (LANE_GAP if self.lanes else 0.0)

    @property
    def arcs(self) -> list[Fragment]:
        """Its own arcs, slotted, and one full-width run per arc passing over, above those."""
        if self.arc_cache is None:
            if self.arc_fixed is None and self.arc_owner is not None:
                line_arcs.slot_line(*self.arc_owner, self)
            number, width = self.line.lineNumber(), self.arc_width
            self.arc_cache = (self.arc_fixed or []) + [
                Fragment(link, number, 0.0, width, (), None, width, self.arc_base + i)
                for i, link in enumerate(self.arc_passing)
            ]
        return self.arc_cache

    @property
    def arc_room(self) -> float:
        """The room above the text for arcs (y is the text's top: the room is above it)."""
        return self.arc_slots * self.lane_height + (ARC_GAP if self.arc_slots else 0.0)


@dataclass
class Paragraph:
    start: int
    text: str
    layout: QTextLayout
    lines: list[Line]
    top: float = 0.0
    height: float = 0.0
    units: Utf16Map = field(default_factory=lambda: Utf16Map(""))
    # Right-to-left text or flags (see _GLYPH_RUNS): extents come from glyph runs.
    by_glyphs: bool = False
    bottoms: list[float] = field(default_factory=list)  # each line's bottom, for bisection
    ends: list[int] = field(default_factory=list)  # each line's end offset, for bisection
    arc_links: tuple[Link, ...] | None = None  # the arcs its lines were last given
    # Broken into lines at the current width; a long article's paragraphs far from the
    # screen are not yet (layout_realize.py): no lines, an estimated height.
    broken: bool = True
    # Every line made. A long paragraph of a long article (one paragraph may be the whole
    # article) is broken only as far as asked (partial_lines.py): its QTextLayout stays in
    # layout, its height is its lines' and an estimate of the rest, and it keeps what the
    # lines still to come need: its spans' sweep (ordered spans, next, active) and the arcs
    # not yet on every line they reach, by their first end's offset (partial_arcs.py).
    whole: bool = True
    sweep: tuple[list[Span], int, list[Span]] | None = None
    arcs_open: list[tuple[int, Link]] | None = None

    def to_qt(self, offset: int) -> int:
        """A global code-point offset as a UTF-16 position in this paragraph's layout."""
        return self.units.to_utf16(offset - self.start)

    def from_qt(self, position: int) -> int:
        """A UTF-16 position in this paragraph's layout as a global code-point offset."""
        return self.start + self.units.to_code_point(position)
