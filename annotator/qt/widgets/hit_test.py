"""Hit testing in the article view: which character offset a point on a line means.

Every answer is a boundary of a grapheme cluster (core.tokens.cluster_at, the same clusters the
token list keeps whole): never inside a surrogate pair, a ZWJ sequence, a flag or a letter with
its combining marks. Left-to-right lines ask Qt (xToCursor, in UTF-16 positions, mapped back by
the paragraph's Utf16Map) and then the model's clusters around its answer; lines of paragraphs
with right-to-left text or flags (text_layout._GLYPH_RUNS) use where each character's glyphs
are drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.tokens import cluster_at

if TYPE_CHECKING:
    from annotator.qt.widgets.text_layout import Line, Paragraph

# How many characters of no width a click looks past on either side of Qt's answer.
MAX_LOOK = 16


def offset_on_line(
    text: str, paragraph: Paragraph, line: Line, x: float, on_character: bool
) -> int:
    """The offset at x on a line: the nearest boundary between characters, or with
    `on_character` the start of the character under x."""
    if paragraph.by_glyphs:
        return _offset_in_cells(text, paragraph, line, x, on_character)
    # Left to right: Qt's nearest cursor position, then the model's grapheme clusters
    # around it (Qt may stop inside a ZWJ sequence or between a letter and its marks).
    qt_line, units, local = line.line, paragraph.units, paragraph.start
    position = local + units.to_code_point(qt_line.xToCursor(x))

    def edges(start: int, end: int) -> tuple[float, float, int, int]:
        x1 = qt_line.cursorToX(units.to_utf16(start - local))[0]
        x2 = qt_line.cursorToX(units.to_utf16(end - local))[0]
        return x1, x2, start, end

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
