"""The last step of slotting one line's arcs (arc_layout._place): the greedy pass leaves a few
legs behind labels where arcs interleave (about 5% of labels on lines dense with events) and
some pieces a slot higher than they need (a piece lifted out from under a leg goes straight to
the top). Here, on that line alone:

1. while a leg passes behind a label, the one move that takes away the most such crossings is
   made: the label's piece up above the leg's, or the leg's piece down below the label's (into
   a slot its run and label fit in, or a new one on top); labels then slide again to the gap
   nearest their run's middle;
2. each piece then comes down to the lowest slot where it fits and no crossing comes back,
   lowest pieces first, so no arc is drawn higher than it needs;
3. rows left empty close up (the caller renumbers).

A line holds a handful of pieces (a paragraph dense with events, a dozen or two), so each try is
counted again in full; lines with one piece never come here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.qt.widgets.arc_label_spots import LABEL_GAP, LEG_CLEARANCE, nearest_free
from annotator.qt.widgets.arc_label_spots import centred as _centred
from annotator.qt.widgets.arc_label_spots import label_spot as _label_spot

if TYPE_CHECKING:
    from annotator.qt.widgets.arc_layout import Fragment

# Moves tried at most, per crossing on the line at the start: enough for any line seen in the
# dense paragraph and the random tests, and a bound on the time a pathological line can take.
ROUNDS_PER_CROSSING = 3


def tidy(fragments: list[Fragment], slots: list[list[Fragment]], width: float) -> None:
    """Move pieces between slots (fragment.slot and slots kept in step) and set labels."""
    relabel(fragments, width)
    crossings = count_crossings(fragments)
    rounds = crossings * ROUNDS_PER_CROSSING
    while crossings and rounds > 0:
        rounds -= 1
        move = _best_move(fragments, slots, width, crossings)
        if move is None:
            break
        piece, slot, crossings = move
        _move(piece, slot, slots)
        relabel(fragments, width)
    _lower(fragments, slots, width, crossings)


def count_crossings(fragments: list[Fragment]) -> int:
    """Legs coming down from a higher slot behind a label of this line."""
    found = 0
    for f in fragments:
        if f.label_width is None:
            continue
        a, b = f.label_x, f.label_x + f.label_width
        for g in fragments:
            if g.slot > f.slot:
                for x, _ in g.legs:
                    if a < x < b:
                        found += 1
    return found


def relabel(fragments: list[Fragment], width: float) -> None:
    """Each label at the place nearest its run's middle clear of the legs above it; where none
    is clear within its run, anywhere its middle stays on the run and it keeps clear of the
    pieces beside it; where none is clear at all, where it hides the fewest legs."""
    legs_by_slot: dict[int, list[float]] = {}
    for g in fragments:
        legs_by_slot.setdefault(g.slot, []).extend(x for x, _ in g.legs)
    for f in fragments:
        if f.label_width is None:
            continue
        above = [x for slot, xs in legs_by_slot.items() if slot > f.slot for x in xs]
        spot = _label_spot(f, above, width) if above else _centred(f, width)
        if spot is None:
            low, high = _room(f, fragments, width)
            spot = _clear_spot(f, above, low, high)
            if spot is None:
                spot = _fewest_hidden(f, above, low, high)
        f.label_x = spot


def _room(f: Fragment, fragments: list[Fragment], width: float) -> tuple[float, float]:
    """Where the label's left edge may go: its middle on the run, inside the line, clear of
    what its slot's other pieces take (their runs and labels as they are now)."""
    w = f.label_width or 0.0
    low, high = max(0.0, f.x1 - w / 2), min(width - w, f.x2 - w / 2)
    for other in fragments:
        if other is f or other.slot != f.slot:
            continue
        c, d = _occupied(other)
        if d <= f.x1:
            low = max(low, d + LABEL_GAP)
        elif c >= f.x2:
            high = min(high, c - LABEL_GAP - w)
    if high < low:  # no more room than the label's own extent: stay within that
        a, b = f.extent
        low, high = a, max(a, b - w)
    return low, high


def _clear_spot(f: Fragment, legs: list[float], low: float, high: float) -> float | None:
    """The left edge in [low, high] nearest the run's middle keeping the label off every leg."""
    w = f.label_width or 0.0
    ideal = (f.x1 + f.x2) / 2 - w / 2
    blocked = [(x - LEG_CLEARANCE - w, x + LEG_CLEARANCE) for x in legs]
    return nearest_free(low, high, blocked, ideal)


def _fewest_hidden(f: Fragment, legs: list[float], low: float, high: float) -> float:
    w = f.label_width or 0.0
    ideal = min(max((f.x1 + f.x2) / 2 - w / 2, low), high)
    candidates = {ideal}
    for x in legs:
        candidates.update((x + LEG_CLEARANCE, x - LEG_CLEARANCE - w))
    placed = [min(max(c, low), high) for c in candidates]
    return min(placed, key=lambda c: (sum(c < x < c + w for x in legs), abs(c - ideal)))


def _occupied(f: Fragment) -> tuple[float, float]:
    """What a piece takes along its slot: its extent, and its label where it sits now (which
    may lie beyond the extent, see relabel)."""
    a, b = f.extent
    if f.label_width is not None:
        a, b = min(a, f.label_x), max(b, f.label_x + f.label_width)
    return a, b


def _best_move(fragments, slots, width, crossings):
    """(piece, slot, crossings after) of the move that leaves the fewest crossings, if any
    leaves fewer than now."""
    best = None
    tried: set[tuple[int, int]] = set()
    for f in fragments:
        if f.label_width is None:
            continue
        a, b = f.label_x, f.label_x + f.label_width
        for g in fragments:
            if g.slot <= f.slot or not any(a < x < b for x, _ in g.legs):
                continue
            # The label's piece above the leg's, or the leg's piece below the label's.
            for piece, targets in (
                (f, range(g.slot + 1, len(slots) + 1)),
                (g, range(f.slot)),
            ):
                for slot in targets:
                    if (id(piece), slot) in tried or not _clear(piece, slot, slots):
                        continue
                    tried.add((id(piece), slot))
                    after = _try(piece, slot, fragments, slots, width)
                    if after < crossings and (best is None or after < best[2]):
                        best = (piece, slot, after)
    return best


def _lower(fragments, slots, width, crossings) -> None:
    """Each piece down to the lowest slot it fits in without a crossing more."""
    moved = True
    while moved:
        moved = False
        for piece in sorted(fragments, key=lambda f: (f.slot, f.x1, f.x2)):
            if not piece.legs:
                continue
            for slot in range(piece.slot):
                if not _clear(piece, slot, slots):
                    continue
                after = _try(piece, slot, fragments, slots, width)
                if after <= crossings:
                    _move(piece, slot, slots)
                    relabel(fragments, width)
                    crossings, moved = after, True
                    break


def _try(piece, slot, fragments, slots, width) -> int:
    """The crossings there would be with the piece in `slot` (everything put back after)."""
    old = piece.slot
    labels = [(f, f.label_x) for f in fragments]
    _move(piece, slot, slots)
    relabel(fragments, width)
    after = count_crossings(fragments)
    _move(piece, old, slots)
    for f, x in labels:
        f.label_x = x
    return after


def _clear(piece: Fragment, slot: int, slots: list[list[Fragment]]) -> bool:
    """Whether the piece's run and label fit in `slot` beside what is there (a slot past the
    top is a new, empty one)."""
    if slot >= len(slots):
        return True
    a, b = _occupied(piece)
    for other in slots[slot]:
        if other is piece:
            continue
        c, d = _occupied(other)
        if a < d + LABEL_GAP and c < b + LABEL_GAP:
            return False
    return True


def _move(piece: Fragment, slot: int, slots: list[list[Fragment]]) -> None:
    if piece.slot == slot:
        return
    # By identity: two pieces may be equal field by field (a Fragment is a dataclass).
    slots[piece.slot] = [other for other in slots[piece.slot] if other is not piece]
    while slot >= len(slots):
        slots.append([])
    slots[slot].append(piece)
    piece.slot = slot
    while slots and not slots[-1]:  # a new slot on top tried and left
        slots.pop()
