"""Hit testing in the article view: which character offset a point on a line means.

Every answer is a boundary of a grapheme cluster (core.tokens.cluster_at, the same clusters the
token list keeps whole): never inside a surrogate pair, a ZWJ sequence, a flag or a letter with
its combining marks. Left-to-right lines ask Qt (xToCursor, in UTF-16 positions, mapped back by
the paragraph's Utf16Map) and then the model's clusters around its answer; lines of paragraphs
with right-to-left text use where each character's glyphs are drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.tokens import cluster_at

if TYPE_CHECKING:
    from annotator.qt.widgets.text_layout import Line, Paragraph


def offset_on_line(
    text: str, paragraph: Paragraph, line: Line, x: float, on_character: bool
) -> int:
    """The offset at x on a line: the nearest boundary between characters, or with
    `on_character` the start of the character under x."""
    if paragraph.bidi:
        return _offset_in_cells(text, paragraph, line, x, on_character)
    # Left to right: Qt's nearest cursor position, then the model's grapheme clusters
    # around it (Qt may stop inside a flag that follows an emoji).
    qt_line, units, local = line.line, paragraph.units, paragraph.start
    position = local + units.to_code_point(qt_line.xToCursor(x))
    start, end = cluster_at(text, position, line.start)
    candidates = [(start, end)]
    if on_character:
        if position > line.start:
            candidates.append(cluster_at(text, position - 1, line.start))
        if end < line.end:  # past a character of no width (U+200B) to the next one
            candidates.append(cluster_at(text, end, line.start))
    elif start == position:
        return position
    best, distance = start, float("inf")
    for start, end in candidates:
        end = min(end, line.end)
        if not line.start <= start < end:
            continue
        x1 = qt_line.cursorToX(units.to_utf16(start - local))[0]
        x2 = qt_line.cursorToX(units.to_utf16(end - local))[0]
        if not on_character:  # inside a cluster: the nearer of its two edges
            return start if x - x1 <= x2 - x else end
        gap = 0.0 if x1 <= x < x2 else min(abs(x - x1), abs(x - x2))
        if gap < distance:
            best, distance = start, gap
    return best


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
    """Where each character of a line with right-to-left text is drawn, from its glyph
    runs: Qt's xToCursor answers a character or two off on such lines (a left-to-right
    line under a right-to-left paragraph too), and cursorToX is ambiguous where runs
    meet."""
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
