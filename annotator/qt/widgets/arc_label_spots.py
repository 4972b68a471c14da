"""Where a role's label sits on its arc's run (arc_layout places runs in slots, arc_tidy
moves them): centred on the run, kept inside the line, slid clear of the legs coming down
through its slot. Plain geometry over arc_layout's fragments."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.qt.widgets.arc_layout import Fragment

LABEL_GAP = 4.0  # px kept clear between two labels or runs in one slot
LEG_CLEARANCE = 3.0  # px kept between a label and a leg passing it


def centred(fragment: Fragment, width: float) -> float:
    assert fragment.label_width is not None
    middle = (fragment.x1 + fragment.x2) / 2
    return min(max(0.0, middle - fragment.label_width / 2), max(0.0, width - fragment.label_width))


def label_spot(fragment: Fragment, legs: list[float], width: float) -> float | None:
    """The label's left edge nearest the run's middle that keeps it off every leg in `legs`
    and inside the line, along the fragment's extent; None if there is no such place."""
    if fragment.label_width is None:
        return 0.0
    w = fragment.label_width
    a, b = fragment.extent
    a, b = max(a, 0.0), min(b, max(width, w))
    if b - a < w:
        a, b = max(0.0, b - w), max(b, w)
    ideal = centred(fragment, width)
    blocked = sorted(
        (x - LEG_CLEARANCE - w, x + LEG_CLEARANCE)
        for x in legs
        if a - LEG_CLEARANCE < x < b + LEG_CLEARANCE
    )
    return nearest_free(a, b - w, blocked, ideal)


def nearest_free(
    low: float, high: float, blocked: list[tuple[float, float]], ideal: float
) -> float | None:
    """The left edge in [low, high], outside every blocked interval, nearest `ideal`; None if
    the blocked intervals leave no room."""
    free = [(low, high)]
    for lo, hi in blocked:
        free = [
            piece
            for s, e in free
            for piece in ((s, min(e, lo)), (max(s, hi), e))
            if piece[1] >= piece[0]
        ]
    if not free:
        return None
    return min((min(max(ideal, s), e) for s, e in free), key=lambda x: abs(x - ideal))
