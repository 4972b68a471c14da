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
    from annotator.qt.widgets.text_layout import Line, Paragraph, TextLayout


# A paragraph's arcs patched line by line (update_arcs): the next place_arcs compares its
# lines one by one instead of trusting the paragraph's tuple.
_PATCHED = ("patched",)


def place_arcs(layout: TextLayout, links: list[Link]) -> tuple[list[tuple[Paragraph, Line]], bool]:
    """Give each paragraph the arcs that touch it (both ends' paragraphs and those between),
    and each line the arcs that touch it, laying out again only the lines whose arcs changed
    (a long article may be one paragraph of a thousand lines). Returns the lines whose arcs
    changed, and whether a line's room grew (the text below it moved)."""
    by_paragraph: dict[int, list[Link]] = {}
    for link in links:
        a = layout.paragraph_index(link.trigger.start)
        b = layout.paragraph_index(link.argument.start)
        for index in range(min(a, b), max(a, b) + 1):
            by_paragraph.setdefault(index, []).append(link)
    moved = False
    changed: list[tuple[Paragraph, Line]] = []
    for index, paragraph in enumerate(layout.paragraphs):
        mine = tuple(by_paragraph.get(index, ()))
        if paragraph.arc_links == mine or (paragraph.arc_links is None and not mine):
            continue
        paragraph.arc_links = mine
        anchored: dict[int, list[Link]] = {}
        passing: dict[int, list[Link]] = {}
        for link in mine:
            _sort_in(layout, paragraph, link, anchored, passing)
        lines = [
            (number, tuple(anchored.get(number, ())), tuple(passing.get(number, ())))
            for number in range(len(paragraph.lines))
        ]
        if _set_lines(layout, paragraph, lines, changed):
            layout.position_lines(paragraph)
            moved = True
    return changed, moved


def update_arcs(
    layout: TextLayout, removed: list[Link], added: list[Link]
) -> tuple[list[tuple[Paragraph, Line]], bool]:
    """An edit's arcs (those that went, those that came): only the lines they touch get their
    arcs again, and a line they only pass over is given a new list of runs, not re-slotted.
    The same lines as place_arcs() of the whole list; returns what place_arcs() returns."""
    touched: dict[int, tuple[dict[int, list[Link]], dict[int, list[Link]]]] = {}
    for link in [*removed, *added]:
        a = layout.paragraph_index(link.trigger.start)
        b = layout.paragraph_index(link.argument.start)
        for index in range(min(a, b), max(a, b) + 1):
            anchored, passing = touched.setdefault(index, ({}, {}))
            _sort_in(layout, layout.paragraphs[index], link, anchored, passing)
    gone = set(removed) - set(added)  # an arc of a touched event may come back as it was
    moved = False
    changed: list[tuple[Paragraph, Line]] = []
    for index, (anchored, passing) in touched.items():
        paragraph = layout.paragraphs[index]
        paragraph.arc_links = _PATCHED
        lines = []
        for number in sorted({*anchored, *passing}):
            line = paragraph.lines[number]
            lines.append(
                (
                    number,
                    _patched(line.arc_links, gone, anchored.get(number, ())),
                    _patched(line.arc_passing, gone, passing.get(number, ())),
                )
            )
        if _set_lines(layout, paragraph, lines, changed):
            layout.position_lines(paragraph)
            moved = True
    return changed, moved


def _patched(now: tuple[Link, ...], gone: set[Link], came) -> tuple[Link, ...]:
    """A line's arcs without those that went, with those that came, in (event, place) order."""
    kept = {link for link in now if link not in gone}
    kept.update(link for link in came if link not in gone)
    return tuple(sorted(kept, key=lambda link: link.order))


def _sort_in(layout, paragraph, link, anchored, passing) -> None:
    """Put a link on the lines of a paragraph it ends on and on those it passes over."""
    count = len(paragraph.lines)
    a = _line_number(layout, paragraph, link.trigger)
    b = _line_number(layout, paragraph, link.argument)
    for number in {a, b}:
        if 0 <= number < count:
            anchored.setdefault(number, []).append(link)
    for number in range(max(min(a, b) + 1, 0), min(max(a, b), count)):
        passing.setdefault(number, []).append(link)


def _set_lines(layout: TextLayout, paragraph: Paragraph, lines, changed) -> bool:
    """Give lines (number, arcs ending on it, arcs passing over it) their arcs; a line keeps
    the most slots it has held. True if a line's room grew.

    Arcs with an end on a line are slotted there (arc_layout); arcs only passing over it are
    stacked on top, one full-width slot each, so a far argument added or removed costs each
    line it passes no more than a list of runs (made when the line is drawn)."""
    count = len(paragraph.lines)
    grew = False
    ends: dict[tuple, ArcEnd] = {}  # a span's end is the same for every line it is used on

    def end_of(span: Span) -> ArcEnd:
        key = (span.id, span.start, span.end)
        if key not in ends:
            ends[key] = arc_end(layout, paragraph, span)
        return ends[key]

    for number, now, over in lines:
        line = paragraph.lines[number]
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
        line.arc_cache = None  # its fragments are made again when it is drawn
        line.arc_width = layout.width
        changed.append((paragraph, line))
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
