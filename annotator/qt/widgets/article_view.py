"""The article view: read-only text with spans painted in their label's colour.

The text is laid out as plain text (never HTML: articles are untrusted). Spans shade the text
they cover and sit as named pills in lanes under each line, so nested and overlapping spans stay
visible and clickable; event arcs run above the lines, every event's or the selected event's
(View menu), and the one under the mouse lights up with both its ends. Selection works with the mouse (drag, double-click a word) and the
keyboard (arrow keys move a token cursor, Shift extends). The selection lives in the core
(annotator.core.interaction): the view draws it and reports what the mouse and keys did, and
the controller passes that on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip

from annotator.core.interaction import Interaction
from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.qt.user_settings import user_settings
from annotator.qt.widgets.arc_layout import Link
from annotator.qt.widgets.arc_view import ArcView
from annotator.qt.widgets.find_hits import FindHits
from annotator.qt.widgets.screen_place import LAZY_TEXT, MARGIN, ScreenPlace
from annotator.qt.widgets.shown_spans import ShownSpans
from annotator.qt.widgets.span_painter import SpanPainter
from annotator.qt.widgets.text_layout import TextLayout
from annotator.qt.widgets.view_lines import ViewLines

MAX_COLUMN_WIDTH = 760  # a readable measure: about 90 characters of body text
ROW_SLACK = 3  # px repainted beyond a changed row: a selected pill's 2 px frame


# Keys the view names for the core (as QKeySequence names them, with their modifiers);
# printable keys go as their character.
NAMED_KEYS = {
    Qt.Key.Key_Left: "Left",
    Qt.Key.Key_Right: "Right",
    Qt.Key.Key_Up: "Up",
    Qt.Key.Key_Down: "Down",
    Qt.Key.Key_Home: "Home",
    Qt.Key.Key_End: "End",
    Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Backtab: "Tab",  # Qt's name for Shift+Tab
    Qt.Key.Key_Space: "Space",
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Enter: "Enter",
    Qt.Key.Key_Delete: "Delete",
    Qt.Key.Key_Backspace: "Backspace",
}
_MODIFIERS = (
    (Qt.KeyboardModifier.ControlModifier, "Ctrl"),
    (Qt.KeyboardModifier.AltModifier, "Alt"),
    (Qt.KeyboardModifier.ShiftModifier, "Shift"),
    (Qt.KeyboardModifier.MetaModifier, "Meta"),
)


def key_name(event) -> str | None:
    """The core's name for a key press ("Alt+Shift+Left", "o", "A"), None for others."""
    key, modifiers = event.key(), event.modifiers()
    if key == Qt.Key.Key_Backtab:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    held = [name for flag, name in _MODIFIERS if modifiers & flag]
    if key in NAMED_KEYS:
        return "+".join([*held, NAMED_KEYS[Qt.Key(key)]])
    text = event.text()
    if set(held) <= {"Shift"} and len(text) == 1 and text.isprintable() and text != " ":
        # Shift+letter means the upper-case key (event types) whatever the keymap says.
        return text.upper() if held else text
    return None


class ArticleView(FindHits, ArcView, ScreenPlace, QAbstractScrollArea):
    keyPressed = Signal(str)  # a key for the core to interpret ("Shift+Tab", "o", "A")
    pressedAt = Signal(int)  # the mouse went down on text at this offset
    draggedTo = Signal(int)
    released = Signal()
    doubleClickedAt = Signal(int)
    spanClicked = Signal(object)  # the Span whose tag was clicked
    arcClicked = Signal(int)  # the event whose arc (its role's label or line) was clicked
    selectionChanged = Signal()  # the core's selection changed (drawn anew)

    def __init__(self, parent=None):
        super().__init__(parent)
        # More lines for a tag's tooltip (its attributes, note and kb id: the side panel's).
        self.tip_extra: Callable[[Span], str] | None = None
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.25)
        tag_font = QFont(self.font())
        tag_font.setPointSizeF(max(tag_font.pointSizeF(), 10.0) * 0.75)
        tag_font.setBold(True)
        self.text_layout = TextLayout(font, tag_font)
        self.painter = SpanPainter(tag_font)
        self.links: list[Link] = []  # the selected event's arcs
        self.all_links: list[Link] = []  # every event's arcs: the room above lines is theirs
        self._selected_links: set[Link] = set()
        self.selected_event_id: int | None = None
        # Every event's arcs (brat's way) or only the selected event's; kept across runs.
        self.all_arcs = user_settings().value("view/all_arcs", True, bool)
        self.hovered_link: Link | None = None  # the arc under the mouse
        self.hover_ends: set[int] = set()  # its trigger's and filler's span ids, outlined
        self.highlighted: set[int] = set()  # span ids outlined (hovered in the event panel)
        self.colours: dict[str, QColor] = {}
        self.descriptions: dict[str, str] = {}
        self._shown = ShownSpans()  # the spans drawn, by id (see spans)
        self.hits: list[tuple[int, int]] = []  # the find bar's or the list search's (find_hits)
        self.current_hit: int | None = None
        self.state: Interaction | None = None  # the core's selection, which this view draws
        self._dragging = False
        self._marked: list[tuple[float, float]] = []  # rows the selection marked when drawn
        self._init_screen_place()
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

    def set_fonts(self, font: QFont, tag_font: QFont) -> None:
        """Another text or tag font (Settings, zoom): laid out once, the same text on top."""
        scrolled = self.verticalScrollBar().value() > 0 or self._placed is not None
        place = self.first_visible_offset() if scrolled else 0
        self.text_layout.set_fonts(font, tag_font, self.spans)
        self.settle_arcs()
        self.painter = SpanPainter(tag_font)
        self._update_scrollbar()
        self.scroll_to_offset(place)
        self._marked = self._marked_rows()
        self.viewport().update()

    def set_highlighted(self, span_ids: set[int]) -> None:
        if span_ids != self.highlighted:
            self.highlighted = span_ids
            self.viewport().update()

    @property
    def spans(self) -> list[Span]:
        """The spans drawn (accepted and suggested), as a list made on each call."""
        return self._shown.as_list()

    def set_article(self, text: str, spans: list[Span], *, show: bool = True) -> None:
        """A new text and its spans, shown from the top; with `show` False nothing of a long
        article is laid out yet: the caller scrolls to its kept place next (scroll_to_offset),
        and only the lines there are laid out, not the top's as well."""
        self._shown.reset(spans)
        self.all_links = []  # the new text has no arcs until the events controller says
        self.hits, self.current_hit = [], None  # the old text's: the find controller says
        self._hover(None)
        self.text_layout.set_text(text, self._column_width(), lazy=len(text) > LAZY_TEXT)
        if self.arc_settling is not None:  # the old text's lines: not shown any more
            self.arc_settling.drop()
        self.text_layout.set_spans(self.spans)
        self._marked = []
        self._update_scrollbar()
        self.verticalScrollBar().setValue(0)
        self._placed, self._subpixel = None, 0.0
        self.pause_idle()
        if show:
            self.show_lines()
        self.viewport().update()

    def set_spans(self, spans: list[Span]) -> None:
        """Show a new set of spans, relaying out only the lines where spans differ."""
        before = set(self.spans)
        after = set(spans)
        differ = before ^ after
        changed = (min(s.start for s in differ), max(s.end for s in differ)) if differ else None
        if not differ:
            return
        self._shown.reset(spans)
        self.text_layout.set_spans(self.spans, changed)
        self._update_scrollbar()
        self.show_lines()
        self.viewport().update()

    def update_spans(self, removed: list[Span], added: list[Span]) -> None:
        """An edit's spans (as they were, as they are): only the lines they cross are laid
        out again and only the rows that look different are repainted."""
        if not removed and not added:
            return
        self._shown.update(removed, added)  # what the edit touched, not all 5,000
        if self._shown.several_annotators != self.text_layout.several_annotators:
            # Initials come onto (or leave) every tag: every line is laid out again.
            self.text_layout.set_spans(self.spans)
            self._update_scrollbar()
            self.show_lines()
            self.viewport().update()
            return
        height = self.text_layout.height
        rows = self.text_layout.update_spans(removed, added)
        if self.text_layout.height != height:
            self._update_scrollbar()
        if rows is not None:
            self.update_rows(*rows)

    # -- repainting only what changed ---------------------------------------------------------

    def update_rows(self, top: float, bottom: float) -> None:
        """Repaint the rows [top, bottom) of the layout (layout coordinates), if on screen:
        a change on one line of a long article repaints that line, not the whole view."""
        origin = self._origin().y()
        height = self.viewport().height()
        y1 = max(0.0, top + origin - ROW_SLACK)
        y2 = min(float(height), bottom + origin + ROW_SLACK)
        if y2 > y1:
            self.viewport().update(0, int(y1), self.viewport().width(), int(y2 - y1) + 1)

    def _marked_rows(self) -> list[tuple[float, float]]:
        """The rows whose look depends on the selection: the selected span's and the
        selected text's lines."""
        if self.state is None or self.state.session.article is None:
            return []
        ranges = []
        span = self.selected_span()
        if span is not None:
            ranges.append((span.start, span.end))
        selection = self.state.shown_selection()
        if selection is not None:
            ranges.append(selection)
        return [self.text_layout.rows_of(*r) for r in ranges]

    # -- selection: the core's, drawn here ----------------------------------------------------

    def show_state(self, state: Interaction) -> None:
        self.state = state

    def selection_changed(self, reveal: int | None) -> None:
        if reveal is not None:
            self.ensure_visible(reveal)
        # The lines marked before and those marked now, not the whole view.
        marked = self._marked_rows()
        for rows in [*self._marked, *marked]:
            self.update_rows(*rows)
        self._marked = marked
        self.selectionChanged.emit()

    @property
    def selected_span_id(self) -> int | None:
        return self.state.span_id if self.state else None

    def selection(self) -> tuple[int, int] | None:
        return self.state.selection() if self.state else None

    def selected_span(self) -> Span | None:
        return self.state.selected_span() if self.state else None

    def select_span(self, span_id: int | None) -> None:
        if self.state:
            self.state.select_span(span_id)

    def clear_selection(self) -> None:
        if self.state:
            self.state.clear()

    def set_text_selection(self, start: int, end: int) -> None:
        if self.state:
            self.state.select_text(start, end)

    def lines(self) -> ViewLines:
        """The lines as drawn, for the core's ↑ ↓ Home End."""
        return ViewLines(self.text_layout)

    # -- geometry ----------------------------------------------------------------------------

    def _column_width(self) -> float:
        # The scroll bar's room is kept whether it shows or not: opening a long article after
        # a short one would otherwise lay the whole text out twice (and reflow it on screen).
        bar = self.verticalScrollBar()
        room = self.viewport().width() - (0 if bar.isVisibleTo(self) else bar.sizeHint().width())
        return float(max(200, min(room - 2 * MARGIN, MAX_COLUMN_WIDTH)))

    def _origin(self) -> QPointF:
        x = max(MARGIN, (self.viewport().width() - self._column_width()) / 2)
        return QPointF(x, MARGIN - self.verticalScrollBar().value() + self._subpixel)

    def _to_layout(self, point: QPoint | QPointF) -> QPointF:
        return QPointF(point) - self._origin()

    def point_for_offset(self, offset: int) -> QPoint:
        """A viewport point just inside the character's leading edge, which the mouse maps
        back to this offset (tests drive the mouse with it): its left edge, or its right edge
        in right-to-left text, where a character begins on its right."""
        rect = self.text_layout.char_rect(offset)
        y = rect.center().y()
        for x in (rect.left() + 1.5, rect.right() - 1.5):
            if self.text_layout.offset_at(x, y) == offset:
                break
        else:
            x = rect.left() + 1.5
        return (QPointF(x, y) + self._origin()).toPoint()

    def _update_scrollbar(self) -> None:
        bar = self.verticalScrollBar()
        bar.setPageStep(self.viewport().height())
        bar.setRange(
            0, max(0, int(self.text_layout.height + 2 * MARGIN - self.viewport().height()))
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = self.text_layout.width
        scrolled = self.verticalScrollBar().value() > 0 or self._placed is not None
        place = self.first_visible_offset() if scrolled else 0
        self.text_layout.set_width(self._column_width(), self.spans)
        self._update_scrollbar()
        if self.text_layout.width != width:  # rewrapped: the same text on top
            self.settle_arcs()
            if place:
                self.scroll_to_offset(place)
        self.show_lines()

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        origin = self._origin()
        painter.translate(origin)
        # Only the lines in the region asked for (a changed line, a strip scrolled in).
        region = event.rect()
        top = region.top() - origin.y()
        self.painter.paint(
            painter,
            self,
            top,
            top + region.height(),
            self.state.shown_selection() if self.state else None,
            QColor(palette.color(QPalette.ColorRole.Highlight)),
            palette.color(QPalette.ColorRole.Text),
            palette.color(QPalette.ColorRole.Base),
        )
        painter.end()

    # -- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        point = self._to_layout(event.position())
        span = self.text_layout.pill_at(point.x(), point.y())
        if span is not None:
            self.spanClicked.emit(span)
            return
        arc = self.text_layout.arc_at(point.x(), point.y(), self.arc_shown)
        if arc is not None and arc.event_id is not None:
            self.arcClicked.emit(arc.event_id)  # as brat: clicking an arc picks its event
            return
        self._dragging = True
        self.pressedAt.emit(self.text_layout.offset_at(point.x(), point.y()))

    def mouseMoveEvent(self, event) -> None:
        point = self._to_layout(event.position())
        if not self._dragging:
            over_pill = self.text_layout.pill_at(point.x(), point.y()) is not None
            arc = (
                None if over_pill else self.text_layout.arc_at(point.x(), point.y(), self.arc_shown)
            )
            self._hover(arc)
            self.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor
                if over_pill
                else Qt.CursorShape.ArrowCursor
                if arc
                else Qt.CursorShape.IBeamCursor
            )
            return
        self.draggedTo.emit(self.text_layout.offset_at(point.x(), point.y()))

    def mouseReleaseEvent(self, event) -> None:
        if not self._dragging:
            return super().mouseReleaseEvent(event)
        self._dragging = False
        self.released.emit()

    def mouseDoubleClickEvent(self, event) -> None:
        point = self._to_layout(event.position())
        self._dragging = False
        # The character under the pointer, not the nearest gap: a double-click on the right
        # half of a word's last letter still means that word.
        self.doubleClickedAt.emit(
            self.text_layout.offset_at(point.x(), point.y(), on_character=True)
        )

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            point = self._to_layout(self.viewport().mapFrom(self, event.pos()))
            pill = self.text_layout.tag_at(point.x(), point.y())
            arc = self.text_layout.arc_at(point.x(), point.y(), self.arc_shown)
            if pill is not None:
                QToolTip.showText(event.globalPos(), self.tag_tip(pill), self)
            elif arc is not None:
                QToolTip.showText(event.globalPos(), self.arc_tip(arc), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tag_tip(self, pill) -> str:
        """A tag's tooltip: its label's description and where it came from; every source of
        a suggestion drawn once for several (Pill.twins)."""
        span = pill.span
        origins = ", ".join(s.origin for s in (span, *pill.twins))
        tip = f"{span.label}: {self.descriptions.get(span.label, '')}\n{origins}"
        return tip + (self.tip_extra(span) if self.tip_extra else "")  # attributes, note, kb id

    def leaveEvent(self, event) -> None:
        self._hover(None)
        super().leaveEvent(event)

    # -- keyboard ----------------------------------------------------------------------------

    def focusNextPrevChild(self, forward: bool) -> bool:
        return False  # Tab moves between spans here, not between widgets

    def keyPressEvent(self, event) -> None:
        name = key_name(event)
        keymap = self.state.keymap if self.state else None
        if name is not None and (len(name) == 1 or (keymap and keymap.action_for(name))):
            self.keyPressed.emit(name)
        else:
            super().keyPressEvent(event)  # PgUp, PgDown and the rest scroll as usual
