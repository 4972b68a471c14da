"""Event arcs on a laid-out article: which paragraphs an arc touches, where its ends sit on
their lines (arc_layout does the slotting), and which arc is under the mouse.

Kept out of text_layout.py, which places text and tags; these functions read its lines and
set each line's arcs and the slots it reserves above its text.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.qt.widgets import arc_layout
from annotator.qt.widgets.arc_layout import (
    ARC_GAP,
    LABEL_PADDING,
    ArcEnd,
    ArcSpec,
    Link,
)

if TYPE_CHECKING:
    from annotator.qt.widgets.layout_lines import Line, Paragraph
    from annotator.qt.widgets.text_layout import TextLayout


# A paragraph's arcs patched line by line (update_arcs): the next place_arcs compares its
# lines one by one instead of trusting the paragraph's tuple.
_PATCHED = ("patched",)
# An article with more arcs than this has its lines' own arcs slotted when they are first
# drawn (opening a long article stays within its budget); fewer are slotted when it opens, and
# each line's room is exactly what its arcs take.
LAZY_ARCS = 150


def place_arcs(layout: TextLayout, links: list[Link]) -> tuple[list[tuple[Paragraph, Line]], bool]:
    """Give each paragraph the arcs that touch it (both ends' paragraphs and those between),
    and each line the arcs that touch it, laying out again only the lines whose arcs changed
    (a long article may be one paragraph of a thousand lines). Returns the lines whose arcs
    changed, and whether a line's room grew (the text below it moved). A paragraph not yet
    broken into lines gets its arcs when it is (place_paragraph, from layout_realize)."""
    by_paragraph = links_by_paragraph(layout, links)
    layout.arc_index = (links, by_paragraph)
    moved = False
    changed: list[tuple[Paragraph, Line]] = []
    lazy = len(links) > LAZY_ARCS
    for index, paragraph in enumerate(layout.paragraphs):
        if paragraph.broken and place_paragraph(
            layout, paragraph, tuple(by_paragraph.get(index, ())), changed, lazy
        ):
            moved = True
    return changed, moved


def links_by_paragraph(layout: TextLayout, links: list[Link]) -> dict[int, list[Link]]:
    """The arcs touching each paragraph: both ends' paragraphs and those between."""
    by_paragraph: dict[int, list[Link]] = {}
    for link in links:
        a = layout.paragraph_index(link.trigger.start)
        b = layout.paragraph_index(link.argument.start)
        for index in range(min(a, b), max(a, b) + 1):
            by_paragraph.setdefault(index, []).append(link)
    return by_paragraph


def place_paragraph(
    layout: TextLayout,
    paragraph: Paragraph,
    mine: tuple[Link, ...],
    changed: list[tuple[Paragraph, Line]],
    lazy: bool,
) -> bool:
    """One paragraph's arcs (`mine`, in the article's order); whether a line's room grew."""
    if paragraph.arc_links == mine or (paragraph.arc_links is None and not mine):
        return False
    paragraph.arc_links = mine
    anchored: dict[int, list[Link]] = {}
    passing: dict[int, list[Link]] = {}
    for link in mine:
        _sort_in(layout, paragraph, link, anchored, passing)
    lines = [
        (number, tuple(anchored.get(number, ())), tuple(passing.get(number, ())))
        for number in range(len(paragraph.lines))
    ]
    grown = _set_lines(layout, paragraph, lines, changed, lazy)
    if not paragraph.whole:  # broken partly: the arcs reaching past its lines wait for them
        layout.reopen_arcs(paragraph, mine)
    if grown is not None:
        layout.position_lines(paragraph, grown)
        return True
    return False


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
            if not layout.paragraphs[index].broken:
                continue  # gets the whole list when it is broken into lines
            anchored, passing = touched.setdefault(index, ({}, {}))
            _sort_in(layout, layout.paragraphs[index], link, anchored, passing)
    for index in touched:
        paragraph = layout.paragraphs[index]
        if not paragraph.whole:  # the lines still to come get the arcs as they are now
            layout.patch_open_arcs(paragraph, removed, added)
    gone = set(removed) - set(added)  # an arc of a touched event may come back as it was
    gone_events = {link.event_id for link in gone}
    # Whether an arc is gone, asked once per arc object, not on each of the hundreds of lines
    # a far arc passes over (a Link hashes and compares its two spans field by field).
    verdicts: dict[int, bool] = {}

    def is_gone(link: Link) -> bool:
        verdict = verdicts.get(id(link))
        if verdict is None:
            verdict = verdicts[id(link)] = link in gone
        return verdict

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
                    _patched(line.arc_links, is_gone, gone_events, anchored.get(number, ())),
                    _patched(line.arc_passing, is_gone, gone_events, passing.get(number, ())),
                )
            )
        grown = _set_lines(layout, paragraph, lines, changed)
        if grown is not None:
            layout.position_lines(paragraph, grown)
            moved = True
    return changed, moved


def _patched(
    now: tuple[Link, ...], is_gone, gone_events: set[int | None], came
) -> tuple[Link, ...]:
    """A line's arcs without those that went, with those that came, in (event, place) order.
    Called for every line a far arc passes over: an arc's event id is checked before the
    arc itself is hashed or compared (a Link compares its two spans field by field)."""
    if gone_events and any(link.event_id in gone_events for link in now):
        kept = [link for link in now if link.event_id not in gone_events or not is_gone(link)]
    elif not came:
        return now  # the same tuple: the line is seen as unchanged without comparing arcs
    elif len(came) == 1:  # the common case, an arc passing over: kept tight
        link = came[0]
        event_id = link.event_id
        if is_gone(link) or any(k.event_id == event_id and k == link for k in now):
            return now
        order = link.order
        if not now or now[-1].order <= order:
            return (*now, link)
        kept = list(now)
        insort(kept, link, key=_order)
        return tuple(kept)
    else:
        kept = list(now)
    for link in came:
        if is_gone(link) or any(k.event_id == link.event_id and k == link for k in kept):
            continue  # gone, or an arc of a touched event that came back as it was
        insort(kept, link, key=_order)
    return tuple(kept)


def first_and_last(changed: list[tuple[Paragraph, Line]]) -> list[tuple[Paragraph, Line, Line]]:
    """Each paragraph's first and last changed line. They come together and in order
    (place_arcs and update_arcs go paragraph by paragraph, line by line): a far arc changes
    hundreds of lines, each only compared with its neighbour here."""
    bounds: list[tuple[Paragraph, Line, Line]] = []
    previous: Paragraph | None = None
    first = last = changed[0][1]
    for paragraph, line in changed:
        if paragraph is not previous:
            if previous is not None:
                bounds.append((previous, first, last))
            previous, first = paragraph, line
        last = line
    if previous is not None:
        bounds.append((previous, first, last))
    return bounds


def _order(link: Link) -> tuple[int, int]:
    return link.order


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


def _set_lines(
    layout: TextLayout, paragraph: Paragraph, lines, changed, lazy: bool = False
) -> int | None:
    """Give lines (number, arcs ending on it, arcs passing over it) their arcs, in order; a
    line keeps the most slots it has held. Returns the first line whose room grew, if any.

    Arcs with an end on a line are slotted there (arc_layout); arcs only passing over it are
    stacked on top, one full-width slot each, so a far argument added or removed costs each
    line it passes no more than a list of runs (made when the line is drawn). With `lazy`
    (opening an article with many arcs), the lines' own arcs are slotted when first drawn."""
    grew: int | None = None
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
            if lazy:
                # Slotted when first drawn; meanwhile the room of one slot per arc, which
                # slotting never exceeds (each arc is one piece on the line), so the text
                # never moves when it is done.
                line.arc_fixed, line.arc_base = None, len(now)
                line.arc_owner = (layout, paragraph)
                layout.unsettled = True  # the view settles them (arc_settling)
            else:
                slot_line(layout, paragraph, line, end_of)
        line.arc_passing = over
        line.arc_cache = None  # its fragments are made again when it is drawn
        line.arc_width = layout.width
        changed.append((paragraph, line))
        slots = line.arc_base + len(over)
        if slots > line.arc_slots:
            line.arc_slots = slots
            if grew is None:
                grew = number
    return grew


def slot_line(layout: TextLayout, paragraph: Paragraph, line: Line, end_of=None) -> None:
    """Slot the arcs with an end on a line (arc_layout): its fragments and slots used."""
    if end_of is None:

        def end_of(span: Span) -> ArcEnd:
            return arc_end(layout, paragraph, span)

    number = line.line.lineNumber()
    specs = [
        ArcSpec(
            link,
            end_of(link.trigger),
            end_of(link.argument),
            layout.tag_metrics.horizontalAdvance(link.label) + 2 * LABEL_PADDING,
        )
        for link in line.arc_links
    ]
    # Slotting on one line depends on its own arcs only.
    placed = arc_layout.layout_arcs(specs, len(paragraph.lines), layout.width, only=number)
    line.arc_fixed = placed.by_line.get(number, [])
    line.arc_base = placed.slots.get(number, 0)
    line.arc_owner = None


def settle_lines(layout: TextLayout, lines, top: float, bottom: float) -> bool:
    """Lines given arcs lazily and not drawn yet (slotted now if not yet), each with exactly
    the room its arcs take (the lazy room is one slot per arc, often a slot too many); the lines below move up
    (arc_settling keeps the view where it was). Returns whether a line on screen (rows top
    to bottom, layout coordinates) changed."""
    firsts: dict[int, tuple[Paragraph, int]] = {}
    shown = False
    for paragraph, line in lines:
        if line.arc_owner is not None:
            slot_line(layout, paragraph, line)
        line.arc_cache = None
        need = line.arc_base + len(line.arc_passing)
        if need >= line.arc_slots:
            continue
        text_top = paragraph.top + line.y
        shown = shown or (text_top + line.height >= top and text_top - line.arc_room <= bottom)
        line.arc_slots = need
        number = line.line.lineNumber()
        if id(paragraph) not in firsts or number < firsts[id(paragraph)][1]:
            firsts[id(paragraph)] = (paragraph, number)
    for paragraph, first in firsts.values():
        layout.position_lines(paragraph, first)
    if firsts:
        layout._stack_paragraphs()
    return shown


def _line_number(layout: TextLayout, paragraph: Paragraph, span: Span) -> int:
    """The line of a span's start; -1 before the paragraph, the line count after it."""
    if not paragraph.lines or span.start < paragraph.start:
        return -1
    if span.start > paragraph.start + len(paragraph.text) or (
        not paragraph.whole and span.start >= paragraph.lines[-1].end
    ):  # in another paragraph, or on a line not made yet (partial_lines.py)
        return len(paragraph.lines)
    # By bisection on the lines' ends (as text_layout._lines_of), not by asking Qt: an
    # article's thousands of arc ends pass here when it opens.
    return min(bisect_right(paragraph.ends, span.start), len(paragraph.lines) - 1)


def arc_end(layout: TextLayout, paragraph: Paragraph, span: Span) -> ArcEnd:
    """Where an arc meets a span: its first line and its extent there; a span in another
    paragraph lies before the first line or after the last."""
    if not paragraph.lines or span.start < paragraph.start:
        return ArcEnd(-1, 0.0, 0.0, span.id)
    if span.start > paragraph.start + len(paragraph.text) or (
        not paragraph.whole and span.start >= paragraph.lines[-1].end
    ):
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
