"""Hit testing in the article view: which character offset a point on a line means.

Every answer is a boundary of a grapheme cluster (core.tokens.cluster_at, the same clusters the
token list keeps whole): never inside a surrogate pair, a ZWJ sequence, a flag or a letter with
its combining marks. Left-to-right lines find the nearest cursor position by bisection over
Qt's cursorToX (in UTF-16 positions, through the paragraph's Utf16Map), then look at the
model's clusters around it; lines of paragraphs with right-to-left text or flags
(text_layout._GLYPH_RUNS) use where each character's glyphs are drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.tokens import cluster_at

if TYPE_CHECKING:
    from annotator.qt.widgets.layout_lines import Line, Paragraph

# How many characters of no width a click looks past on either side of Qt's answer.
MAX_LOOK = 16


def offset_on_line(
    text: str, paragraph: Paragraph, line: Line, x: float, on_character: bool
) -> int:
    """The offset at x on a line: the nearest boundary between characters, or with
    `on_character` the start of the character under x."""
    if paragraph.by_glyphs:
        return _offset_in_cells(text, paragraph, line, x, on_character)
    # Left to right: the nearest cursor position, then the model's grapheme clusters around
    # it (it may be inside a ZWJ sequence or between a letter and its marks).
    qt_line, units, local = line.line, paragraph.units, paragraph.start

    def x_at(offset: int) -> float:
        return qt_line.cursorToX(units.to_utf16(offset - local))[0]

    def edges(start: int, end: int) -> tuple[float, float, int, int]:
        return x_at(start), x_at(end), start, end

    position = _nearest(x_at, line.start, line.end, x)

    start, end = cluster_at(text, position, line.start)
    if not on_character:
        if start == position:
            return position
        x1, x2, _, _ = edges(start, end)  # inside a cluster: the nearer of its two edges
        return start if x - x1 <= x2 - x else end
    # The character under x is next to the nearest boundary: the one before it or the one
    # after, looking past characters drawn with no width (U+200B, U+FEFF) on either side.
    cells: list[tuple[float, float, int, int]] = []
    at = position
    while at > line.start and len(cells) < MAX_LOOK:
        cells.append(edges(*cluster_at(text, at - 1, line.start)))
        at = cells[-1][2]
        if cells[-1][1] > cells[-1][0]:
            break
    at = start
    while at < line.end and len(cells) < 2 * MAX_LOOK:
        first, last = cluster_at(text, at, line.start)
        cells.append(edges(first, min(last, line.end)))
        at = last
        if cells[-1][1] > cells[-1][0]:
            break
    if not cells:
        return start
    return min(cells, key=lambda c: 0.0 if c[0] <= x < c[1] else min(abs(x - c[0]), abs(x - c[1])))[
        2
    ]


def _nearest(x_at: Callable[[int], float], first: int, last: int, x: float) -> int:
    """The offset in [first, last] whose cursor x is nearest to x. Not Qt's xToCursor: after
    a keycap (#\u20e3) it answers the line's end for a click on the keycap's right half,
    where cursorToX, which only grows along a left-to-right line, is right."""
    low, high = first, last
    while low < high:  # the last offset at or left of x (past characters of no width)
        middle = (low + high + 1) // 2
        if x_at(middle) <= x:
            low = middle
        else:
            high = middle - 1
    if low < last and x_at(low + 1) - x < x - x_at(low):
        return low + 1
    return low


def _offset_in_cells(
    text: str, paragraph: Paragraph, line: Line, x: float, on_character: bool
) -> int:
    if line.cells is None:
        line.cells = _cells(text, paragraph, line)
    if not line.cells:
        return line.start
    left, right, start, end, rtl = min(
        line.cells, key=lambda c: 0.0 if c[0] <= x < c[1] else min(abs(x - c[0]), abs(x - c[1]))
    )
    if on_character:
        return start
    # Which half: a right-to-left character begins at its right edge.
    leading = x >= (left + right) / 2 if rtl else x < (left + right) / 2
    return start if leading else end


def _cells(
    text: str, paragraph: Paragraph, line: Line
) -> list[tuple[float, float, int, int, bool]]:
    """Where each character of a line drawn by glyph runs is drawn: Qt's xToCursor answers
    a character or two off on lines with right-to-left text (a left-to-right line under a
    right-to-left paragraph too), cursorToX is ambiguous where runs meet, and both are half
    a flag off between two flags after an emoji."""
    cells = []
    offset = line.start
    while offset < line.end:
        start, end = cluster_at(text, offset, line.start)
        end = max(offset + 1, min(end, line.end))
        first = paragraph.to_qt(start)
        runs = line.line.glyphRuns(first, paragraph.to_qt(end) - first)
        if runs:  # none for a line's trailing space, which is not drawn
            cells.append(
                (
                    min(run.boundingRect().left() for run in runs),
                    max(run.boundingRect().right() for run in runs),
                    start,
                    end,
                    runs[0].isRightToLeft(),
                )
            )
        offset = end
    return cells
