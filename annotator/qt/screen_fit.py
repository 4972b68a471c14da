"""How the window fits the screen it opens on: its size, each pane's share of the width, and
whether a geometry saved last time still fits.

Plain functions of rectangles, so the rules are read (and tested) apart from the window.
Laptops are the case to design for: 1366x768 and 1280x720 screens, minus a task bar, where
the window's usual 1400x860 would put the right-hand panels and the status bar off screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

USUAL = QSize(1400, 860)  # where there is room
# Of a smaller screen's free area: room left for the title bar and the window's frame.
WIDTH_SHARE, HEIGHT_SHARE = 0.95, 0.92
# The article list and the right-hand panels take a share of the width within these bounds;
# the article text takes the rest (it has the splitter's stretch). The list at 250 px still
# shows a title's first twenty-odd characters beside its status and counts.
LIST_SHARE, LIST_MIN, LIST_MAX = 0.27, 250, 380
SIDE_SHARE, SIDE_MAX = 0.25, 340
TEXT_MIN = 320  # narrower, the article's lines hold four or five words
FIT_SLACK = 8  # pixels a saved frame may stick out (shadows, rounding) and still count as fitting


def window_size(room: QRect) -> QSize:
    """The window's size on a screen whose free area (task bars left out) is `room`."""
    return QSize(
        min(USUAL.width(), int(room.width() * WIDTH_SHARE)),
        min(USUAL.height(), int(room.height() * HEIGHT_SHARE)),
    )


HANDLES = 16  # the splitter's two handles and the window's margins


def pane_minimums(width: int, side_min: int) -> tuple[int, int, int]:
    """The least the article list, the text and the right-hand panels may have in a window
    `width` wide. Where they don't add up (1024x768 at 125 % or 1280x720 at 150 % scaling
    leave about 820 px), each gives up the same share, the palette then scrolling sideways,
    rather than the window sticking out of the screen."""
    wanted = LIST_MIN + TEXT_MIN + side_min
    room = width - HANDLES
    if room >= wanted:
        return LIST_MIN, TEXT_MIN, side_min
    share = max(room, 0) / wanted
    return int(LIST_MIN * share), int(TEXT_MIN * share), int(side_min * share)


def pane_widths(width: int, side_min: int) -> list[int]:
    """The article list's, the text's and the right-hand panels' widths in a window `width`
    wide; `side_min` is what the label palette needs to show its chips whole."""
    list_min, text_min, side_least = pane_minimums(width, side_min)
    listed = max(list_min, min(LIST_MAX, int(width * LIST_SHARE)))
    side = max(side_least, min(SIDE_MAX, int(width * SIDE_SHARE)))
    if listed + side + text_min > width - HANDLES:  # a narrow window: the minimums only
        return [list_min, max(text_min, width - HANDLES - list_min - side_least), side_least]
    return [listed, max(text_min, width - listed - side), side]


def fits(frame: QRect, room: QRect | None, slack: int = FIT_SLACK) -> bool:
    """Whether a window frame lies within a screen's free area (None: on no screen at all),
    give or take `slack` pixels on each side."""
    return room is not None and room.contains(frame.adjusted(slack, slack, -slack, -slack))
