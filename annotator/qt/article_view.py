"""The article view: read-only text with spans painted in their label's colour.

The text is laid out as plain text (never HTML: articles are untrusted). Spans shade the text
they cover and sit as named pills in lanes under each line, so nested and overlapping spans stay
visible and clickable. Selection works with the mouse (drag, double-click a word) and the
keyboard (arrow keys move a token cursor, Shift extends); the view only reports intents
(label key, delete) and the controller turns them into edits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip

from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.core.tokens import Tokens
from annotator.qt.span_painter import Link, SpanPainter
from annotator.qt.text_layout import TextLayout

MARGIN = 24
MAX_COLUMN_WIDTH = 760  # a readable measure: about 90 characters of body text


class ArticleView(QAbstractScrollArea):
    labelKeyPressed = Signal(str)
    deleteRequested = Signal()
    selectionChanged = Signal()
    spanClicked = Signal(object)  # the Span a click (or Enter on a selected span) picked
    reviewStep = Signal(int)  # Space / Shift+Space: next or previous suggestion
    cancelled = Signal()  # Esc

    def __init__(self, parent=None):
        super().__init__(parent)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.25)
        tag_font = QFont(self.font())
        tag_font.setPointSizeF(max(tag_font.pointSizeF(), 10.0) * 0.75)
        tag_font.setBold(True)
        self.text_layout = TextLayout(font, tag_font)
        self.painter = SpanPainter(tag_font)
        self.links: list[Link] = []  # event links to draw (the selected event's)
        self.highlighted: set[int] = set()  # span ids outlined (hovered in the event panel)
        self.colours: dict[str, QColor] = {}
        self.descriptions: dict[str, str] = {}
        self.spans: list[Span] = []
        self.selected_span_id: int | None = None
        self.anchor: int | None = None
        self.cursor: int | None = None
        self.snap = True
        self.tokens_provider: Callable[[], Tokens | None] = lambda: None
        self._dragging = False
        self._token_anchor: int | None = None
        self._token_cursor: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.viewport().setMouseTracking(True)  # a hand over pills says they can be clicked
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.verticalScrollBar().setSingleStep(20)
        self.setAccessibleName("Article text")

    # -- content -----------------------------------------------------------------------------

    def set_schema(self, schema: Schema) -> None:
        kinds = [*schema.entities, *schema.events]
        self.colours = {kind.name: QColor(kind.color) for kind in kinds}
        self.descriptions = {kind.name: kind.description for kind in kinds}
        self.viewport().update()

    def set_links(self, links: list[Link]) -> None:
        if links != self.links:
            self.links = links
            self.viewport().update()

    def set_highlighted(self, span_ids: set[int]) -> None:
        if span_ids != self.highlighted:
            self.highlighted = span_ids
            self.viewport().update()

    def set_article(self, text: str, spans: list[Span]) -> None:
        self.spans = list(spans)
        self.selected_span_id = None
        self._clear_text_selection()
        self.text_layout.set_text(text, self._column_width())
        self.text_layout.set_spans(self.spans)
        self._update_scrollbar()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_spans(self, spans: list[Span]) -> None:
        """Show a new set of spans, relaying out only the lines where spans differ."""
        before = set(self.spans)
        after = set(spans)
        differ = before ^ after
        changed = (min(s.start for s in differ), max(s.end for s in differ)) if differ else None
        if not differ:
            return
        self.spans = list(spans)
        if self.selected_span_id is not None and self.selected_span() is None:
            self.selected_span_id = None
        self.text_layout.set_spans(self.spans, changed)
        self._update_scrollbar()
        self.viewport().update()

    # -- selection ---------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected text range as dragged (the session snaps it to tokens)."""
        if self.anchor is None or self.cursor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def selected_span(self) -> Span | None:
        return next((s for s in self.spans if s.id == self.selected_span_id), None)

    def select_span(self, span_id: int | None) -> None:
        self.selected_span_id = span_id
        self._clear_text_selection()
        span = self.selected_span()
        if span is not None:
            self.ensure_visible(span.start)
        self.viewport().update()
        self.selectionChanged.emit()

    def clear_selection(self) -> None:
        self.selected_span_id = None
        self._clear_text_selection()
        self.viewport().update()
        self.selectionChanged.emit()

    def set_text_selection(self, start: int, end: int) -> None:
        self.selected_span_id = None
        self.anchor, self.cursor = start, end
        self.ensure_visible(start)
        self.viewport().update()
        self.selectionChanged.emit()

    def _clear_text_selection(self) -> None:
        self.anchor = self.cursor = None
        self._token_anchor = self._token_cursor = None

    def _shown_selection(self) -> tuple[int, int] | None:
        selection = self.selection()
        if selection and self.snap:
            tokens = self.tokens_provider()
            if tokens is not None and len(tokens):
                return tokens.snap(*selection) or selection
        return selection

    # -- geometry ----------------------------------------------------------------------------

    def _column_width(self) -> float:
        return float(max(200, min(self.viewport().width() - 2 * MARGIN, MAX_COLUMN_WIDTH)))

    def _origin(self) -> QPointF:
        x = max(MARGIN, (self.viewport().width() - self._column_width()) / 2)
        return QPointF(x, MARGIN - self.verticalScrollBar().value())

    def _to_layout(self, point: QPoint | QPointF) -> QPointF:
        return QPointF(point) - self._origin()

    def point_for_offset(self, offset: int) -> QPoint:
        """A viewport point just inside the character's left edge, which the mouse maps back
        to this offset (tests drive the mouse with it)."""
        rect = self.text_layout.char_rect(offset).translated(self._origin())
        return QPointF(rect.left() + 1.5, rect.center().y()).toPoint()

    def ensure_visible(self, offset: int) -> None:
        rect = self.text_layout.char_rect(offset)
        bar = self.verticalScrollBar()
        top = rect.top() + MARGIN
        if top < bar.value() or top + rect.height() * 3 > bar.value() + self.viewport().height():
            bar.setValue(int(top - self.viewport().height() / 3))

    def _update_scrollbar(self) -> None:
        bar = self.verticalScrollBar()
        bar.setPageStep(self.viewport().height())
        bar.setRange(0, max(0, int(self.text_layout.height + 2 * MARGIN - self.viewport().height())))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.text_layout.set_width(self._column_width(), self.spans)
        self._update_scrollbar()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        origin = self._origin()
        painter.translate(origin)
        top = -origin.y()
        self.painter.paint(painter, self, top, top + self.viewport().height(),
                           self._shown_selection(),
                           QColor(palette.color(QPalette.ColorRole.Highlight)),
                           palette.color(QPalette.ColorRole.Text))
        painter.end()

    # -- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        point = self._to_layout(event.position())
        span = self.text_layout.pill_at(point.x(), point.y())
        if span is not None:
            self.select_span(span.id)
            self.spanClicked.emit(span)
            return
        offset = self.text_layout.offset_at(point.x(), point.y())
        self._token_anchor = self._token_cursor = None
        self.anchor = self.cursor = offset
        self._dragging = True
        self.viewport().update()

    def mouseMoveEvent(self, event) -> None:
        point = self._to_layout(event.position())
        if not self._dragging:
            over_pill = self.text_layout.pill_at(point.x(), point.y()) is not None
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over_pill
                                      else Qt.CursorShape.IBeamCursor)
            return
        self.cursor = self.text_layout.offset_at(point.x(), point.y())
        self.viewport().update()

    def mouseReleaseEvent(self, event) -> None:
        if not self._dragging:
            return super().mouseReleaseEvent(event)
        self._dragging = False
        if self.selection() is None:
            # A click (no drag) on labelled text selects the innermost span there.
            offset = self.anchor
            self._clear_text_selection()
            inner = [s for s in self.spans if s.start <= offset < s.end]
            picked = min(inner, key=lambda s: s.length) if inner else None
            self.selected_span_id = picked.id if picked else None
        else:
            picked = None
            self.selected_span_id = None
        self.viewport().update()
        self.selectionChanged.emit()
        if picked is not None:
            self.spanClicked.emit(picked)

    def mouseDoubleClickEvent(self, event) -> None:
        point = self._to_layout(event.position())
        offset = self.text_layout.offset_at(point.x(), point.y())
        tokens = self.tokens_provider()
        word = tokens.word_at(offset) if tokens is not None else None
        if word is not None:
            self._dragging = False
            self.set_text_selection(*word)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            point = self._to_layout(self.viewport().mapFrom(self, event.pos()))
            span = self.text_layout.pill_at(point.x(), point.y())
            if span is not None:
                tip = f"{span.label}: {self.descriptions.get(span.label, '')}\n{span.origin}"
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # -- keyboard ----------------------------------------------------------------------------

    def focusNextPrevChild(self, forward: bool) -> bool:
        return False  # Tab moves between spans here, not between widgets

    def keyPressEvent(self, event) -> None:
        key = event.key()
        modifiers = event.modifiers()
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        plain = not modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                 | Qt.KeyboardModifier.MetaModifier)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and plain:
            self._move_token(-1 if key == Qt.Key.Key_Left else 1, shift)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and plain:
            self._step_span(-1 if key == Qt.Key.Key_Backtab or shift else 1)
        elif key == Qt.Key.Key_Space and plain:
            self.reviewStep.emit(-1 if shift else 1)
        elif key == Qt.Key.Key_Escape:
            self.clear_selection()
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and self.selected_span():
            self.spanClicked.emit(self.selected_span())
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.deleteRequested.emit()
        elif plain and len(event.text()) == 1 and event.text().isprintable() and event.text() != " ":
            text = event.text()
            # Shift+letter means the upper-case key (event types) whatever the keymap says.
            self.labelKeyPressed.emit(text.upper() if shift else text)
        else:
            super().keyPressEvent(event)

    def _move_token(self, step: int, extend: bool) -> None:
        tokens = self.tokens_provider()
        if tokens is None or not len(tokens):
            return
        if self._token_cursor is None:
            span = self.selected_span()
            start = span.start if span else (self.selection() or (None,))[0]
            if start is None:
                start = self.text_layout.offset_at(0, self.verticalScrollBar().value())
                step = 0
            self._token_cursor = tokens.index_at(start)
            self._token_anchor = self._token_cursor
        cursor = min(max(self._token_cursor + step, 0), len(tokens) - 1)
        anchor = self._token_anchor if extend else cursor
        self.selected_span_id = None
        self.anchor, self.cursor = tokens.token_range(anchor, cursor)
        self._token_anchor, self._token_cursor = anchor, cursor
        self.ensure_visible(tokens.starts[cursor])
        self.viewport().update()
        self.selectionChanged.emit()

    def _step_span(self, step: int) -> None:
        if not self.spans:
            return
        ordered = sorted(self.spans, key=lambda s: (s.start, -s.end, s.id or 0))
        ids = [s.id for s in ordered]
        if self.selected_span_id in ids:
            index = (ids.index(self.selected_span_id) + step) % len(ids)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.select_span(ids[index])
