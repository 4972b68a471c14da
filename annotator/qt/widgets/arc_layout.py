"""Where event arcs go above the text lines of one paragraph: plain geometry, no Qt.

Drawn as brat draws them: each text line reserves room above itself, cut into horizontal
slots; an arc rises from its trigger, runs along one slot and comes down on its argument with
the role written on the run. Every line lays out only the arc pieces ("fragments") it carries:
an arc between two lines leaves its first line at the right edge and comes in on its last
line from the left edge (and crosses the lines between along a slot), so each line's room
depends on its own fragments only and one edit never reflows the whole article.

Placement, line by line: the shortest fragments take the lowest slots (nested arcs stay
inside one another, as in brat); a fragment goes into the lowest slot where its run and label
clear the runs already there, where its legs (the vertical strokes down to the text) cross no
label below it, and where its own label can sit clear of the legs that come down through it.
Labels then slide along their run, nearest its middle, to a gap between those legs. A last
pass on the line (arc_tidy) moves the few pieces that still leave a leg behind a label and
brings every piece down to the lowest slot free for it. An arc across lines names its role on
each end piece long enough to hold the label beside its leg (the longer one if neither is).
Several arcs ending on one span get their own leg positions across the span (arcs going
left on its left side, arcs going right on its right side, the farthest nearest its middle),
so their legs never run into each other's runs.

Coordinates: x as on the text line; y upward counted in slots (slot 0 is the lowest, right
above the text). The painter turns a slot into pixels with slot_y().
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.model import Span
from annotator.qt.widgets import arc_tidy
from annotator.qt.widgets.arc_label_spots import LABEL_GAP, LEG_CLEARANCE
from annotator.qt.widgets.arc_label_spots import centred as _centred
from annotator.qt.widgets.arc_label_spots import label_spot as _label_spot

ARC_GAP = 3.0  # px between the lowest slot and the text
LABEL_PADDING = 4.0  # px either side of a role's name in its box


@dataclass(frozen=True)
class Link:
    """An arc from an event's trigger to one argument, with the role written on it."""

    trigger: Span
    argument: Span
    role: str
    colour: str
    override: bool = False
    event_id: int | None = None
    event_type: str = ""
    # Its place among its event's arguments: arcs are kept in (event, place) order on every
    # line, whether laid out whole or patched after an edit.
    index: int = field(default=0, compare=False)

    @property
    def order(self) -> tuple[int, int]:
        return (self.event_id or 0, self.index)

    @property
    def label(self) -> str:
        return ("⚠ " if self.override else "") + self.role


@dataclass(frozen=True)
class ArcEnd:
    """One end of an arc: the line (index in the paragraph) and the span's x range on it.
    A line index before 0 or past the last line means the end lies in another paragraph."""

    line: int
    x1: float
    x2: float
    span_key: object = None  # ends with one key share the span's width for their legs


@dataclass(frozen=True)
class ArcSpec:
    key: object  # whatever identifies the arc to its caller (the painter's Link)
    source: ArcEnd  # the trigger
    target: ArcEnd  # the argument: the arrow head
    label_width: float


@dataclass
class Fragment:
    """One arc's piece on one line: a run along a slot between x1 and x2, legs down to the
    text at some of its ends, and maybe the label."""

    key: object
    line: int
    x1: float
    x2: float
    legs: tuple[tuple[float, bool], ...]  # (x, arrow head here)
    label_width: float | None  # None: no label on this piece (a line crossed in the middle)
    width: float = 0.0  # the line's: labels stay inside it
    slot: int = 0
    label_x: float = 0.0  # left edge of the label, once placed

    @property
    def extent(self) -> tuple[float, float]:
        """What the piece takes along its slot: the run, widened to hold its label (centred
        on the run, moved inwards at the line's ends)."""
        if self.label_width is None:
            return self.x1, self.x2
        left = _centred(self, self.width)
        return min(self.x1, left), max(self.x2, left + self.label_width)

    @property
    def label(self) -> tuple[float, float] | None:
        if self.label_width is None:
            return None
        return self.label_x, self.label_x + self.label_width


@dataclass
class ParagraphArcs:
    """The fragments of one paragraph, by line, and how many slots each line uses."""

    by_line: dict[int, list[Fragment]] = field(default_factory=dict)
    slots: dict[int, int] = field(default_factory=dict)


def slot_y(slot: int, slot_height: float, gap: float) -> float:
    """The y of a slot's run, relative to the top of the text line (negative: above it)."""
    return -(gap + slot * slot_height + slot_height / 2)


def layout_arcs(
    arcs: list[ArcSpec], line_count: int, width: float, only: int | None = None
) -> ParagraphArcs:
    """Cut the arcs into per-line fragments and give each a slot and a label position; with
    `only`, just that line's (an arc across hundreds of lines costs one fragment there)."""
    legs = _leg_positions(arcs)
    result = ParagraphArcs()
    for arc in arcs:
        for fragment in _fragments(arc, legs[id(arc)], line_count, width, only):
            fragment.width = width
            result.by_line.setdefault(fragment.line, []).append(fragment)
    for line, fragments in result.by_line.items():
        result.slots[line] = _place(fragments, width)
    return result


def _leg_positions(arcs: list[ArcSpec]) -> dict[int, tuple[float, float]]:
    """Each arc's leg x at its source and at its target, spread across shared spans."""
    # (line, x1, x2, key) -> [(direction, distance, arc id, which end)]
    ends: dict[tuple, list[tuple[int, float, int, int]]] = {}

    def reading(end: ArcEnd, x: float) -> tuple[int, float]:
        return end.line, x

    for arc in arcs:
        for which, end, other in ((0, arc.source, arc.target), (1, arc.target, arc.source)):
            here = reading(end, (end.x1 + end.x2) / 2)
            there = reading(other, (other.x1 + other.x2) / 2)
            direction = -1 if there < here else 1
            # How far the other end is: other lines count as farther than any x on this one.
            distance = abs(there[0] - here[0]) * 1e6 + abs(there[1] - here[1])
            key = (end.line, end.x1, end.x2, end.span_key)
            ends.setdefault(key, []).append((direction, distance, id(arc), which))
    positions: dict[int, list[float]] = {id(arc): [0.0, 0.0] for arc in arcs}
    for (_, x1, x2, _), attached in ends.items():
        # Left-going arcs from the left edge inwards, nearest first; then right-going ones
        # from the middle outwards, farthest first: a wider arc (higher slot) then comes
        # down inside the narrower ones' runs and crosses none of them.
        left = sorted((a for a in attached if a[0] < 0), key=lambda a: a[1])
        right = sorted((a for a in attached if a[0] > 0), key=lambda a: -a[1])
        order = left + right
        margin = min(3.0, (x2 - x1) * 0.2)
        a, b = x1 + margin, x2 - margin
        count = len(order)
        for index, (_, _, arc_id, which) in enumerate(order):
            x = (a + b) / 2 if count == 1 else a + (b - a) * index / (count - 1)
            positions[arc_id][which] = x
    return {arc_id: (xs[0], xs[1]) for arc_id, xs in positions.items()}


def _fragments(
    arc: ArcSpec, legs: tuple[float, float], line_count: int, width: float, only: int | None
) -> list[Fragment]:
    source_x, target_x = legs
    ends = [(arc.source.line, source_x, False), (arc.target.line, target_x, True)]
    (first, first_x, first_head), (last, last_x, last_head) = sorted(
        ends, key=lambda e: (e[0], e[1])
    )
    if first == last:
        if not 0 <= first < line_count or (only is not None and first != only):
            return []
        return [
            Fragment(
                arc.key,
                first,
                first_x,
                last_x,
                ((first_x, first_head), (last_x, last_head)),
                arc.label_width,
            )
        ]
    first_label, last_label = _edge_labels(arc.label_width, first_x, last_x, width)
    if not (0 <= first and last < line_count):  # an end in another paragraph: both named
        first_label = last_label = arc.label_width
    if only is not None:  # one line: clip the arc's line range to it
        line_count = min(line_count, only + 1)
    low = 0 if only is None else only
    pieces = []
    if low <= first < line_count:
        pieces.append(
            Fragment(arc.key, first, first_x, width, ((first_x, first_head),), first_label)
        )
    for line in range(max(first + 1, low), min(last, line_count)):
        pieces.append(Fragment(arc.key, line, 0.0, width, (), None))
    if low <= last < line_count:
        pieces.append(Fragment(arc.key, last, 0.0, last_x, ((last_x, last_head),), last_label))
    return pieces


def _edge_labels(
    label_width: float, first_x: float, last_x: float, width: float
) -> tuple[float | None, float | None]:
    """The label widths of an arc's first piece (its leg to the right edge) and last piece
    (the left edge to its leg): each names the role, unless it is too short to hold the label
    beside its leg and the other is not; then only the other does (the short piece's label
    would sit over its own leg and across the legs near the edge). If neither is long
    enough, the longer one alone names it."""
    need = label_width + 2 * LEG_CLEARANCE
    first_room, last_room = width - first_x, last_x
    if first_room >= need and last_room >= need:
        return label_width, label_width
    if first_room >= last_room:
        return label_width, None
    return None, label_width


def _place(fragments: list[Fragment], width: float) -> int:
    """Give each fragment of one line a slot and its label a place; returns the slots used."""
    # Arcs only passing over the line (no leg, no label) span it whole: each takes a slot of
    # its own, on top, where it crosses nothing.
    through = [f for f in fragments if not f.legs]
    fragments = [f for f in fragments if f.legs]
    if len(fragments) <= 1:  # most lines: nothing to keep clear of
        for only in fragments:
            only.slot = 0
            only.label_x = _centred(only, width) if only.label_width is not None else 0.0
        for index, fragment in enumerate(through):
            fragment.slot = len(fragments) + index
        return len(fragments) + len(through)
    slots: list[list[Fragment]] = []
    queue = sorted(fragments, key=lambda f: (f.extent[1] - f.extent[0], f.x1), reverse=True)
    evicted: dict[int, int] = {}
    lifted: set[int] = set()
    while queue:
        fragment = queue.pop()
        if id(fragment) in lifted:  # lifted out from under a leg: straight to the top
            lifted.discard(id(fragment))
            chosen = len(slots)
        else:
            chosen = next(
                (i for i in range(len(slots) + 1) if _fits(fragment, i, slots, width)), None
            )
        if chosen is None:
            # Its legs would cross a label below whatever the slot: lift those labelled
            # pieces out and place them again afterwards, above it (twice at most each, then
            # the top, where a crossing covers the least).
            blockers = [
                other
                for lower in slots
                for other in lower
                if other.label_width is not None
                and evicted.get(id(other), 0) < 2
                and _label_spot(
                    other, _legs_above(other, slots) + [x for x, _ in fragment.legs], width
                )
                is None
            ]
            for other in blockers:
                slots[other.slot].remove(other)
                evicted[id(other)] = evicted.get(id(other), 0) + 1
                lifted.add(id(other))
            queue.extend(reversed(blockers))
            chosen = next(
                (i for i in range(len(slots) + 1) if _fits(fragment, i, slots, width)),
                len(slots),
            )
        if chosen == len(slots):
            slots.append([])
        fragment.slot = chosen
        slots[chosen].append(fragment)
        # Labels below whose legs now come down through them slide out of the way.
        for lower in range(chosen):
            for other in slots[lower]:
                spot = _label_spot(other, _legs_above(other, slots), width)
                if spot is not None:
                    other.label_x = spot
        spot = _label_spot(fragment, _legs_above(fragment, slots), width)
        fragment.label_x = spot if spot is not None else _centred(fragment, width)
    arc_tidy.tidy(fragments, slots, width)  # no leg behind a label, no piece raised
    # Slots emptied by lifting pieces out close up.
    used = [slot for slot in slots if slot]
    for index, slot in enumerate(used):
        for fragment in slot:
            fragment.slot = index
    for index, fragment in enumerate(through):
        fragment.slot = len(used) + index
    return len(used) + len(through)


def _fits(fragment: Fragment, index: int, slots: list[list[Fragment]], width: float) -> bool:
    a, b = fragment.extent
    if index < len(slots):
        for other in slots[index]:
            c, d = other.extent
            if a < d + LABEL_GAP and c < b + LABEL_GAP:
                return False
    # Its legs must leave every label below a gap to sit in.
    for lower in range(min(index, len(slots))):
        for other in slots[lower]:
            if other.label_width is None:
                continue
            crossing = _legs_above(other, slots) + [x for x, _ in fragment.legs]
            if _label_spot(other, crossing, width) is None:
                return False
    # Its own label must clear the legs of what is already above it.
    above = [x for upper in slots[index + 1 :] for other in upper for x, _ in other.legs]
    return fragment.label_width is None or _label_spot(fragment, above, width) is not None


def _legs_above(fragment: Fragment, slots: list[list[Fragment]]) -> list[float]:
    return [x for upper in slots[fragment.slot + 1 :] for other in upper for x, _ in other.legs]
