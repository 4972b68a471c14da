"""Arcs on a paragraph broken only as far as asked (partial_lines.py).

Its lines made so far carry the arcs that touch them as line_arcs gives them to a whole
paragraph: an arc whose other end lies in the lines still to come ends there as it does in
the next paragraph (past the last line made). The arcs not yet on every line they reach are
kept open, ordered by the offset of their first end: when lines are made, the open arcs
reaching them (a prefix of that order) are put on the new lines, and the line made before
that holds one end of an arc whose other end is now made is slotted again, as an eager
layout slots it (the far end's line and x change its legs and labels).

Lines made in an idle slice are slotted at once (a few at a time); those made on demand (the
screen's, a place far down) lazily when the article has many arcs, as a whole paragraph's
are, and the view settles them (arc_settling) as it does those.
"""

from __future__ import annotations

from bisect import insort
from typing import TYPE_CHECKING

from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.arc_layout import Link

if TYPE_CHECKING:
    from annotator.qt.widgets.layout_lines import Paragraph
    from annotator.qt.widgets.text_layout import TextLayout


def _first(link: Link) -> int:
    return min(link.trigger.start, link.argument.start)


def _last(link: Link) -> int:
    return max(link.trigger.start, link.argument.start)


def start(layout: TextLayout, paragraph: Paragraph, links: tuple[Link, ...]) -> None:
    """A paragraph begun anew (no line made yet) with these arcs touching it."""
    paragraph.arc_links = links
    paragraph.arcs_open = sorted(((_first(link), link) for link in links), key=_key)


def _key(item: tuple[int, Link]) -> tuple[int, int, int]:
    return (item[0], *item[1].order)


def reopen(layout: TextLayout, paragraph: Paragraph, links: tuple[Link, ...]) -> None:
    """The paragraph's lines made so far were given these arcs (line_arcs.place_paragraph):
    those reaching past them stay open."""
    end = layout.made_end(paragraph)
    paragraph.arcs_open = sorted(
        ((_first(link), link) for link in links if _last(link) >= end), key=_key
    )


def patch(paragraph: Paragraph, made_end: int, removed: list[Link], added: list[Link]) -> None:
    """An edit's arcs: those that went leave the open ones, those that came and reach past
    the lines made join them."""
    if paragraph.arcs_open is None:
        return
    if removed:
        gone = set(removed)
        paragraph.arcs_open = [item for item in paragraph.arcs_open if item[1] not in gone]
    for link in added:
        if _last(link) >= made_end:
            insort(paragraph.arcs_open, (_first(link), link), key=_key)


def extend(layout: TextLayout, paragraph: Paragraph, first: int, lazy: bool) -> int | None:
    """Lines from `first` on were just made: give them the open arcs that reach them (with
    `lazy` and many arcs, slotted when drawn or settled, as place_paragraph does), and slot
    again the earlier lines holding an end of an arc whose other end is now made. Returns
    the first earlier line whose room grew, if any."""
    assert paragraph.arcs_open is not None
    lines = paragraph.lines
    count = len(lines)
    end = layout.made_end(paragraph)
    anchored: dict[int, list[Link]] = {}
    passing: dict[int, list[Link]] = {}
    again: set[int] = set()
    still: list[tuple[int, Link]] = []
    for position, (low, link) in enumerate(paragraph.arcs_open):
        if low >= end:  # this one and those after lie wholly in lines still to come
            still.extend(paragraph.arcs_open[position:])
            break
        a = line_arcs._line_number(layout, paragraph, link.trigger)
        b = line_arcs._line_number(layout, paragraph, link.argument)
        for number, other in ((a, b), (b, a)) if a != b else ((a, b),):
            if first <= number < count:
                anchored.setdefault(number, []).append(link)
            elif 0 <= number < first and other < count:
                again.add(number)  # its other end was past the lines made: now it is made
        for number in range(max(min(a, b) + 1, first), min(max(a, b), count)):
            passing.setdefault(number, []).append(link)
        if _last(link) >= end:
            still.append((low, link))
    paragraph.arcs_open = still
    for arcs in (*anchored.values(), *passing.values()):
        arcs.sort(key=_order)  # as place_paragraph has them: the article's (event, place)
    todo = []
    for number in sorted(again):
        line = lines[number]
        now, line.arc_links = line.arc_links, ()  # slotted again, with the same arcs
        if line.arc_owner is not None:  # never drawn nor settled: its room was only a bound
            line.arc_slots = 0
        todo.append((number, now, line.arc_passing))
    # Slotted at once: it may be on screen, and a lazy line's room (one slot per arc) could
    # be more than it has; a line never moves the text below by itself.
    grew = line_arcs._set_lines(layout, paragraph, todo, [], False)
    new = [
        (number, tuple(anchored.get(number, ())), tuple(passing.get(number, ())))
        for number in range(first, count)
    ]
    line_arcs._set_lines(
        layout, paragraph, new, [], lazy and len(layout.links) > line_arcs.LAZY_ARCS
    )
    return grew


def _order(link: Link) -> tuple[int, int]:
    return link.order
