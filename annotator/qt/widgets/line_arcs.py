"""Event arcs on a laid-out article: which paragraphs an arc touches, where its ends sit on
their lines (arc_layout does the slotting), and which arc is under the mouse.

Kept out of text_layout.py, which places text and tags; these functions read its lines and
set each line's arcs and the slots it reserves above its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.qt.widgets import arc_layout
from annotator.qt.widgets.arc_layout import (
    ARC_GAP,
    LABEL_PADDING,
    ArcEnd,
    ArcSpec,
    Fragment,
    Link,
)

if TYPE_CHECKING:
    from annotator.qt.widgets.text_layout import Paragraph, TextLayout


def place_arcs(layout: TextLayout, links: list[Link]) -> bool:
    """Give each paragraph the arcs that touch it (both ends' paragraphs and those between),
    and each line the arcs that touch it, laying out again only the lines whose arcs changed
    (a long article may be one paragraph of a thousand lines). True if any line moved."""
    by_paragraph: dict[int, list[Link]] = {}
    for link in links:
        a = layout.paragraph_index(link.trigger.start)
        b = layout.paragraph_index(link.argument.start)
        for index in range(min(a, b), max(a, b) + 1):
            by_paragraph.setdefault(index, []).append(link)
    moved = False
    for index, paragraph in enumerate(layout.paragraphs):
        mine = tuple(by_paragraph.get(index, ()))
        if paragraph.arc_links == mine or (paragraph.arc_links is None and not mine):
            continue
        paragraph.arc_links = mine
        if _arcs_of(layout, paragraph, mine):
            layout.position_lines(paragraph)
            moved = True
    return moved


def _arcs_of(layout: TextLayout, paragraph: Paragraph, links: tuple[Link, ...]) -> bool:
    """Slot the arcs of the lines whose arcs changed; a line keeps the most slots it has
    held. True if a line's room grew.

    Arcs with an end on a line are slotted there (arc_layout); arcs only passing over it are
    stacked on top, one full-width slot each, so a far argument added or removed costs each
    line it passes no more than a list of runs."""
    count = len(paragraph.lines)
    anchored: dict[int, list[Link]] = {}
    passing: dict[int, list[Link]] = {}
    for link in links:
        a = _line_number(layout, paragraph, link.trigger)
        b = _line_number(layout, paragraph, link.argument)
        for number in {a, b}:
            if 0 <= number < count:
                anchored.setdefault(number, []).append(link)
        for number in range(max(min(a, b) + 1, 0), min(max(a, b), count)):
            passing.setdefault(number, []).append(link)
    grew = False
    ends: dict[tuple, ArcEnd] = {}  # a span's end is the same for every line it is used on

    def end_of(span: Span) -> ArcEnd:
        key = (span.id, span.start, span.end)
        if key not in ends:
            ends[key] = arc_end(layout, paragraph, span)
        return ends[key]

    for number, line in enumerate(paragraph.lines):
        now = tuple(anchored.get(number, ()))
        over = tuple(passing.get(number, ()))
        if line.arc_links == now and line.arc_passing == over:
            continue
        if line.arc_links != now:
            line.arc_links = now
            specs = [
                ArcSpec(
                    link,
                    end_of(link.trigger),
                    end_of(link.argument),
                    layout.tag_metrics.horizontalAdvance(link.label) + 2 * LABEL_PADDING,
                )
                for link in now
            ]
            # Slotting on one line depends on its own arcs only.
            placed = arc_layout.layout_arcs(specs, count, layout.width, only=number)
            line.arc_fixed = placed.by_line.get(number, [])
            line.arc_base = placed.slots.get(number, 0)
        line.arc_passing = over
        line.arcs = line.arc_fixed + [
            Fragment(link, number, 0.0, layout.width, (), None, layout.width, line.arc_base + i)
            for i, link in enumerate(over)
        ]
        slots = line.arc_base + len(over)
        if slots > line.arc_slots:
            line.arc_slots = slots
            grew = True
    return grew


def _line_number(layout: TextLayout, paragraph: Paragraph, span: Span) -> int:
    """The line of a span's start; -1 before the paragraph, the line count after it."""
    if not paragraph.lines or span.start < paragraph.start:
        return -1
    if span.start > paragraph.start + len(paragraph.text):
        return len(paragraph.lines)
    return layout.line_of(paragraph, span.start).line.lineNumber()


def arc_end(layout: TextLayout, paragraph: Paragraph, span: Span) -> ArcEnd:
    """Where an arc meets a span: its first line and its extent there; a span in another
    paragraph lies before the first line or after the last."""
    if not paragraph.lines or span.start < paragraph.start:
        return ArcEnd(-1, 0.0, 0.0, span.id)
    if span.start > paragraph.start + len(paragraph.text):
        return ArcEnd(len(paragraph.lines), layout.width, layout.width, span.id)
    line = layout.line_of(paragraph, span.start)
    end = max(span.start, min(span.end, line.end))
    pieces = layout.x_extent(paragraph, line, span.start, end)
    return ArcEnd(line.line.lineNumber(), pieces[0][0], max(b for _, b in pieces), span.id)


def arc_at(layout: TextLayout, x: float, y: float, shown) -> Link | None:
    """The arc whose label (or run) is under a point, among those `shown(link)` accepts."""
    found = layout.line_at(y)
    if found is None:
        return None
    paragraph, line = found
    dy = y - paragraph.top - line.y  # negative in the room above the text
    half = (layout.lane_height - 3) / 2
    near = None
    for fragment in line.arcs:
        if not shown(fragment.key):
            continue
        run_y = arc_layout.slot_y(fragment.slot, layout.lane_height, ARC_GAP)
        label = fragment.label
        if label and label[0] <= x <= label[1] and abs(dy - run_y) <= half:
            return fragment.key
        if fragment.x1 - 2 <= x <= fragment.x2 + 2 and abs(dy - run_y) <= 3:
            near = fragment.key
    return near
