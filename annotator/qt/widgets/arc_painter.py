"""Painting event arcs in the room above the text lines, as arc_layout placed them.

Runs and legs first, labels last: a label's box sits over any line passing behind it,
so the role stays readable. Only the lines on screen are painted, and only the arcs the view
shows (every event's, or the selected event's); the hovered arc is drawn in the highlight
colour, the selected event's arcs a little heavier.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from annotator.qt.widgets.arc_layout import ARC_GAP, Fragment, slot_y

CORNER = 4.0  # radius of the bends where a leg meets its run


class ArcPainter:
    def __init__(self, tag_font: QFont):
        self.tag_font = tag_font
        self.tag_metrics = QFontMetricsF(tag_font)

    def paint(self, painter: QPainter, view, paragraph, lines, highlight: QColor) -> None:
        layout = view.text_layout
        height = layout.lane_height
        shown = [
            (paragraph.top + line.y, fragment)
            for line in lines
            for fragment in line.arcs
            if view.arc_shown(fragment.key)
        ]
        if not shown:
            return
        selected = view.selected_event_id
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # A shade darker than the label's colour on a light page; on a dark one a shade
        # lighter, or a brown event's lines would sink into the background.
        dark = view.palette().color(view.palette().ColorRole.Base).lightnessF() < 0.5
        for text_top, fragment in shown:
            link = fragment.key
            hovered = link == view.hovered_link
            own = QColor(link.colour)
            colour = highlight if hovered else own.lighter(130) if dark else own.darker(120)
            weight = 2.6 if hovered else 1.8 if link.event_id == selected else 1.2
            pen = QPen(colour, weight)
            if link.override:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            run = text_top + slot_y(fragment.slot, height, ARC_GAP)
            painter.drawPath(self._path(fragment, run, text_top))
            for x, head in fragment.legs:
                if head:
                    self._arrow_head(painter, QPointF(x, text_top), colour)
        painter.setFont(self.tag_font)
        box_height = height - 3
        # The role's box in the text's own colours: white on a light theme, dark on a dark one.
        palette = view.palette()
        box_fill, box_text = (
            palette.color(palette.ColorRole.Base),
            palette.color(palette.ColorRole.Text),
        )
        for text_top, fragment in shown:
            label = fragment.label
            if label is None:
                continue
            link = fragment.key
            hovered = link == view.hovered_link
            run = text_top + slot_y(fragment.slot, height, ARC_GAP)
            box = QRectF(label[0], run - box_height / 2, label[1] - label[0], box_height)
            colour = QColor(link.colour)
            painter.setPen(QPen(highlight if hovered else colour.darker(130), 2 if hovered else 1))
            painter.setBrush(box_fill)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(box_text)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), link.label)

    @staticmethod
    def _path(fragment: Fragment, run: float, text_top: float) -> QPainterPath:
        """Up from the text at a leg, a rounded bend, along the run, and down at the other."""
        x1, x2 = fragment.x1, fragment.x2
        legs = [x for x, _ in fragment.legs]
        r = max(0.0, min(CORNER, abs(x2 - x1) / 2, text_top - run))
        path = QPainterPath()
        if x1 in legs:
            path.moveTo(x1, text_top)
            path.lineTo(x1, run + r)
            path.quadTo(x1, run, x1 + r, run)
        else:
            path.moveTo(x1, run)
        if x2 in legs and x2 != x1:
            path.lineTo(x2 - r, run)
            path.quadTo(x2, run, x2, run + r)
            path.lineTo(x2, text_top)
        else:
            path.lineTo(x2, run)
        return path

    @staticmethod
    def _arrow_head(painter: QPainter, tip: QPointF, colour: QColor) -> None:
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(
            QPolygonF(
                [tip, QPointF(tip.x() - 3.5, tip.y() - 6), QPointF(tip.x() + 3.5, tip.y() - 6)]
            )
        )
        painter.restore()
