"""The article view's find hits (a mixin of ArticleView): the find bar's or the article
list search's hits, painted as a marker-pen background under the text, the current one
stronger and framed, as browsers and editors show theirs.

Hits are code-point offsets, like spans; the layout maps them to Qt's positions (utf16).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from annotator.qt.widgets.text_layout import TextLayout

HIT = QColor(255, 214, 0, 120)  # every hit: a yellow marker
CURRENT = QColor(255, 140, 0, 190)  # the current hit: orange, framed


class FindHits:
    text_layout: TextLayout
    hits: list[tuple[int, int]]
    current_hit: int | None

    if TYPE_CHECKING:  # provided by ArticleView (a QAbstractScrollArea)

        def viewport(self) -> QWidget: ...
        def _origin(self) -> QPointF: ...

    def set_hits(self, hits: list[tuple[int, int]], current: int | None = None) -> None:
        """Show these hits (sorted, not overlapping); `current` indexes the one chosen."""
        if hits != self.hits or current != self.current_hit:
            self.hits = list(hits)
            self.current_hit = current
            self.viewport().update()

    def hit_rects(self, index: int) -> list[QRectF]:
        """Where hit `index` is painted, in viewport coordinates (one rectangle a line, or
        more where right-to-left text splits it): what a test or a screen reader looks at."""
        start, end = self.hits[index]
        rects = []
        layout = self.text_layout
        for paragraph_index in range(layout.paragraph_index(start), len(layout.paragraphs)):
            paragraph = layout.paragraphs[paragraph_index]
            if paragraph.start >= end:
                break
            layout.ensure_broken(paragraph, min(end, paragraph.start + len(paragraph.text)))
            for line in paragraph.lines:
                if line.end < start or line.start >= end:
                    continue
                top = paragraph.top + line.y
                for x1, x2 in layout.x_extent(
                    paragraph, line, max(start, line.start), min(end, line.end)
                ):
                    rects.append(
                        QRectF(x1, top, x2 - x1, line.text_height).translated(self._origin())
                    )
        return rects


def paint_hits(painter: QPainter, view, layout: TextLayout, paragraph, lines) -> None:
    """Paint the hits on these lines of a paragraph (layout coordinates)."""
    hits = view.hits
    if not hits or not lines:
        return
    first = max(0, bisect_left(hits, (lines[0].start, -1)) - 1)
    for index in range(first, len(hits)):
        start, end = hits[index]
        if start > lines[-1].end:
            break
        current = index == view.current_hit
        for line in lines:
            if end <= line.start or start > line.end:
                continue
            top = paragraph.top + line.y
            for x1, x2 in layout.x_extent(
                paragraph, line, max(start, line.start), min(end, line.end)
            ):
                rect = QRectF(x1, top, x2 - x1, line.text_height)
                painter.fillRect(rect, CURRENT if current else HIT)
                if current:
                    painter.setPen(QPen(CURRENT.darker(140), 1.5))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
