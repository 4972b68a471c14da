"""Painting an article: span shading, label pills under the lines; event arcs (arc_painter).

Kept apart from the view's input handling; everything here draws what the view's state says,
in layout coordinates, for the lines on screen only.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QStaticText

from annotator.core import colours
from annotator.core.layers import tag_label
from annotator.core.model import SUGGESTED, TRIGGER
from annotator.qt.widgets.arc_painter import ArcPainter
from annotator.qt.widgets.find_hits import paint_hits
from annotator.qt.widgets.layout_lines import PILL_PADDING
from annotator.qt.widgets.text_layout import TextLayout

DEFAULT_COLOUR = QColor("#cccccc")


def text_colour_on(fill: QColor, background: QColor | None = None) -> QColor:
    """Tag text that reads (WCAG 4.5:1) on `fill` as the screen shows it: a translucent fill
    (a suggestion's) blended over the view's `background` first, light or dark theme alike."""
    shown = fill.name()
    if fill.alpha() < 255 and background is not None:
        shown = colours.over(shown, fill.alphaF(), background.name())
    return QColor(colours.text_on(shown))


def wash(colour: QColor, alpha: int, text: QColor, background: QColor) -> QColor:
    """`colour` at `alpha` (0-255) under the article's text, made fainter where the text
    would not read on it (a light label's shading under a dark theme's light text)."""
    readable = colours.readable_alpha(colour.name(), text.name(), background.name(), alpha / 255)
    washed = QColor(colour)
    washed.setAlphaF(readable)
    return washed


class SpanPainter:
    def __init__(self, tag_font: QFont):
        self.tag_font = tag_font
        self.tag_metrics = QFontMetricsF(tag_font)
        self.arcs = ArcPainter(tag_font)
        self.text, self.background = QColor("#1b1b1b"), QColor("#ffffff")
        # Colours worked out per label and look, not per tag drawn: a screen of a long
        # article holds hundreds of tags, each wash and text colour a contrast computation.
        self._looks: dict[tuple, QColor] = {}
        self._looks_for: tuple = ()
        # A tag's pen, fill, corner and text colour per label and state; its words laid out
        # once per text (QStaticText): a screen of tags is 60-70 of them, and building pens
        # and laying out words for each took most of a full repaint's 4 ms.
        self._tag_looks: dict[tuple, tuple[QPen, QColor, float, QColor]] = {}
        self._tag_words: dict[str, QStaticText] = {}
        self._selected: int | None = None

    def paint(
        self,
        painter: QPainter,
        view,
        top: float,
        bottom: float,
        selection,
        highlight: QColor,
        text_colour: QColor,
        background: QColor,
    ) -> None:
        layout: TextLayout = view.text_layout
        self.text, self.background = text_colour, background  # what washes must stay readable on
        looks_for = (text_colour.rgba(), background.rgba(), highlight.rgba(), view.colours)
        if self._looks_for != looks_for:  # another theme, or the schema's colours changed
            self._looks, self._tag_looks, self._looks_for = {}, {}, looks_for
        self._selected = view.selected_span_id
        for paragraph in layout.visible(top, bottom):
            # Only the lines on screen: one paragraph may hold a whole long article.
            lines = layout.lines_between(paragraph, top, bottom)
            for line in lines:
                line_top = paragraph.top + line.y
                for pill in line.pills:
                    self._shade(painter, view, pill, line_top, line.text_height, highlight)
            for line in lines:
                line_top = paragraph.top + line.y
                if selection and selection[0] < line.end + 1 and selection[1] > line.start:
                    shade = QColor(highlight)
                    shade.setAlpha(110)
                    for x1, x2 in layout.x_extent(
                        paragraph, line, max(selection[0], line.start), min(selection[1], line.end)
                    ):
                        painter.fillRect(QRectF(x1, line_top, x2 - x1, line.text_height), shade)
            # Over the selection: the current hit is the selection, and must still look found.
            paint_hits(painter, view, layout, paragraph, lines)
            painter.setPen(text_colour)
            for line in lines:
                line.line.draw(painter, QPointF(0, paragraph.top))
            painter.setFont(self.tag_font)
            for line in lines:
                lane_top = paragraph.top + line.y + line.text_height
                for pill in line.pills:
                    self._pill(painter, view, pill, lane_top, highlight)
            self.arcs.paint(painter, view, paragraph, lines, highlight)

    def _is_selected(self, pill) -> bool:
        """The selected span's pill, or one of its twins chosen in the review queue."""
        return pill.span.id == self._selected or bool(pill.twins and self._selected in pill.ids)

    def _shade(self, painter, view, pill, line_top, height, highlight) -> None:
        colour = view.colours.get(pill.span.label, DEFAULT_COLOUR)  # read only: not copied
        selected = self._is_selected(pill)
        pieces = pill.pieces or (pill.x_text,)
        for x1, x2 in pieces:
            self._shade_piece(
                painter, pill, QRectF(x1, line_top, x2 - x1, height), colour, selected
            )
        if pill.span.id in view.highlighted or pill.span.id in view.hover_ends:
            painter.setPen(QPen(highlight, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for x1, x2 in pieces:
                painter.drawRect(QRectF(x1, line_top, x2 - x1, height).adjusted(-1, -1, 1, 1))

    def _shade_piece(self, painter, pill, rect: QRectF, colour: QColor, selected: bool) -> None:
        x1, height = rect.left(), rect.height()
        if pill.span.state == SUGGESTED:
            # Tentative until decided: a light wash and a dashed frame.
            painter.fillRect(rect, self._wash(colour, 110 if selected else 40))
            pen = QPen(QColor(colour).darker(160), 1.2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        elif pill.span.kind == TRIGGER:
            # Triggers: a light wash and a thick underline in the event's colour.
            painter.fillRect(rect, self._wash(colour, 150 if selected else 55))
            painter.fillRect(QRectF(x1, rect.top() + height - 3, rect.width(), 3), colour)
        else:
            painter.fillRect(rect, self._wash(colour, 200 if selected else 95))

    def _wash(self, colour: QColor, alpha: int) -> QColor:
        key = (colour.rgba(), alpha)
        washed = self._looks.get(key)
        if washed is None:
            washed = self._looks[key] = wash(colour, alpha, self.text, self.background)
        return washed

    def _pill(self, painter, view, pill, lane_top, highlight) -> None:
        span = pill.span
        selected = (
            self._is_selected(pill) or span.id in view.highlighted or span.id in view.hover_ends
        )
        suggested = span.state == SUGGESTED
        key = (span.label, span.kind, selected, suggested)
        look = self._tag_looks.get(key)
        if look is None:
            look = self._tag_looks[key] = self._tag_look(view, key, highlight)
        pen, fill, radius, words_colour = look
        rect = pill.rect.translated(0, lane_top)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(words_colour)
        text = tag_label(span, view.text_layout.several_annotators) + ("?" if suggested else "")
        words = self._tag_words.get(text)
        if words is None:
            words = self._tag_words[text] = QStaticText(text)
            words.prepare(font=self.tag_font)
        # Centred in the tag's height, as drawText(rect, AlignVCenter) puts it.
        painter.drawStaticText(
            QPointF(
                rect.left() + PILL_PADDING,
                rect.top() + (rect.height() - words.size().height()) / 2,
            ),
            words,
        )

    def _tag_look(self, view, key: tuple, highlight: QColor) -> tuple[QPen, QColor, float, QColor]:
        """A tag's frame, fill, corner radius and text colour for its label and state."""
        label, kind, selected, suggested = key
        colour = QColor(view.colours.get(label, DEFAULT_COLOUR))
        pen = QPen(highlight if selected else colour.darker(150), 2.0 if selected else 1.0)
        if suggested:
            pen.setStyle(Qt.PenStyle.DashLine)
            colour = colour.lighter(125)
            colour.setAlpha(150)
        radius = 1.5 if kind == TRIGGER else 4.0  # square-ish pills mark triggers
        return pen, colour, radius, text_colour_on(colour, self.background)
