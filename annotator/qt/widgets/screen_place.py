"""What the article view has on screen (a mixin of ArticleView): the reading place (the text
at the top, kept per article and across a rewrap), scrolling to an offset, and a long
article's lazy layout (layout_realize.py): the lines near the screen are laid out before
they are shown, the rest in short slices while the program is idle, and the screen is held
still while lines above it are laid out.

Holding still: before lines are laid out the view notes the line at the top of the screen
(before_layout); after, it scrolls by what that line moved (after_layout), the fraction of a
pixel included (_subpixel, added to the origin), so what is on screen stays where it was to
the pixel and needs no repaint; only rows laid out anew that are on screen are repainted.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

from annotator.qt import idle_work
from annotator.qt.widgets.layout_lines import Line, Paragraph
from annotator.qt.widgets.layout_realize import Laid
from annotator.qt.widgets.text_layout import TextLayout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollBar, QWidget

    from annotator.qt.widgets.arc_settling import ArcSettling

MARGIN = 24
# An article longer than this (characters) is laid out as it comes near the screen: opening
# doccano's 100,000-character case laid out whole took 60 ms of its 100.
LAZY_TEXT = 20_000
AHEAD = 1.0  # screens laid out above and below the screen, so a scroll finds them ready
# After an article opens, the idle slices wait this long (ms): the article is painted first,
# as the event panel's rows wait for it (event_panel.FILL_PAUSE_MS). The slices are the
# window's idle job "layout" (idle_work.py), which shares each turn's budget with the others.
OPEN_PAUSE_MS = 30


class ScreenPlace:
    text_layout: TextLayout

    if TYPE_CHECKING:  # provided by ArticleView (a QAbstractScrollArea)

        def viewport(self) -> QWidget: ...
        def verticalScrollBar(self) -> QScrollBar: ...
        def _origin(self) -> QPointF: ...
        def _update_scrollbar(self) -> None: ...
        def update_rows(self, top: float, bottom: float) -> None: ...
        def settle_arcs(self, pause_ms: int = 0) -> None: ...

        arc_settling: ArcSettling | None

    def _init_screen_place(self) -> None:
        self._placed: tuple[int, int] | None = None  # (offset, scroll value) of the last place
        self._subpixel = 0.0  # added to the origin: what keeps a held screen exact
        self._quiet = False  # a scroll that moves nothing on screen (after_layout)
        self._pause = 0  # ms before the next idle slice starts (OPEN_PAUSE_MS once opened)
        self.text_layout.keep_place = self

    # -- the reading place -------------------------------------------------------------------

    def first_visible_offset(self) -> int:
        if self._placed is not None and self._placed[1] == self.verticalScrollBar().value():
            return self._placed[0]  # sent there and not scrolled since (see scroll_to_offset)
        return self.text_layout.offset_at(0, self.verticalScrollBar().value())

    def scroll_to_offset(self, offset: int) -> None:
        """Show the text from the line holding `offset` (a reading place kept). Near the end
        the scroll bar may stop short of it; the place is kept until the person scrolls, so
        that a wider or taller view (the window being laid out) still shows it on top."""
        bar = self.verticalScrollBar()
        if offset <= 0 or not self.text_layout.paragraphs:
            bar.setValue(0)
            self._placed = None
        else:
            offset = min(offset, len(self.text_layout.text))
            self.text_layout.realize_range(offset, offset + 1)
            bar.setValue(int(self.text_layout.char_rect(offset).top()))
            self._placed = (offset, bar.value())
        self.show_lines()  # the bar may not have moved: laid out afresh, lines still wait

    def ensure_visible(self, offset: int) -> None:
        rect = self.text_layout.char_rect(offset)
        bar = self.verticalScrollBar()
        top = rect.top() + MARGIN
        if top < bar.value() or top + rect.height() * 3 > bar.value() + self.viewport().height():
            bar.setValue(int(top - self.viewport().height() / 3))

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if self._quiet:
            return  # the screen was held: its pixels are right where they are
        # What stays on screen is moved, not painted again: only the strip scrolled into
        # view is (a step's repaint costs what that strip holds).
        self.viewport().scroll(dx, dy)
        self.show_lines()

    # -- a long article laid out as it comes near the screen ---------------------------------

    def show_lines(self) -> None:
        """Lay out the lines on screen and a screen above and below it, if not yet; the
        rest follows in idle slices."""
        layout = self.text_layout
        pause, self._pause = self._pause, 0
        if not layout.complete:
            height = self.viewport().height()
            # Lines laid out above the screen scroll it (after_layout) by what they grew: the
            # rows to lay out are looked at again until they are all laid out.
            for _ in range(8):
                top = -self._origin().y()
                if not layout.realize_rows(top - height * AHEAD, top + height * (1 + AHEAD)):
                    break
            layout.calibrate()
        if layout.unsettled:  # lines just laid out were given arcs lazily
            self.settle_arcs(pause)
        elif self.arc_settling is not None:  # lines scrolled into view may wait for it
            self.arc_settling.settle_on_screen()
        if not layout.complete:
            idle_work.schedule(self.viewport(), "layout", self._lay_out_more, pause)

    def pause_idle(self) -> None:
        """An article was just opened: its idle slices start after it is painted."""
        self._pause = OPEN_PAUSE_MS

    def _lay_out_more(self, deadline: float) -> bool:
        """An idle slice of the layout, until `deadline`; whether lines are left."""
        return not self.text_layout.realize_step(deadline)

    def before_layout(self) -> object:
        """The line at the top of the screen, noted before lines are laid out."""
        layout = self.text_layout
        if not layout.paragraphs:
            return None
        top = -self._origin().y()
        index = layout.paragraph_at_y(top)
        paragraph = layout.paragraphs[index]
        number, line = None, None
        if paragraph.lines:
            number = min(
                bisect_right(paragraph.bottoms, top - paragraph.top), len(paragraph.lines) - 1
            )
            line = paragraph.lines[number]
        bar = self.verticalScrollBar()
        at_end = 0 < bar.value() == bar.maximum()
        return index, paragraph, number, line, _y_of(paragraph, line) - top, at_end

    def after_layout(self, noted: object, laid: list[Laid]) -> None:
        """Scroll by what the noted line moved, so the screen shows the same text, and
        repaint the rows laid out anew; the whole screen if that line is gone or the
        scroll bar cannot follow."""
        bar = self.verticalScrollBar()
        before = bar.value()
        self._quiet = True
        try:
            self._update_scrollbar()
            held = False
            if isinstance(noted, tuple):
                index, paragraph, number, line, below, at_end = noted
                layout = self.text_layout
                same = index < len(layout.paragraphs) and layout.paragraphs[index] is paragraph
                if same and line is not None:
                    same = number < len(paragraph.lines) and paragraph.lines[number] is line
                if same:
                    top = _y_of(paragraph, line) - below  # where the screen's top must be
                    value = round(top + MARGIN)
                    # Dragged to the end, the screen stays at the end (it shows the text's
                    # real end once the lines there are laid out).
                    bar.setValue(bar.maximum() if at_end else value)
                    if bar.value() == value:
                        self._subpixel = value - MARGIN - top
                        held = True
        finally:
            self._quiet = False
        if self._placed is not None and self._placed[1] == before:
            self._placed = (self._placed[0], bar.value())  # still where it was sent
        if not held:
            self.viewport().update()
            return
        # Held: what was laid out above the screen moved nothing on it; what is on it or
        # below is repainted, to the bottom if a line there changed height.
        screen = -self._origin().y()
        top, bottom = math.inf, -math.inf
        for paragraph, line, grew in laid:
            start = paragraph.top + (line.y - line.arc_room if line is not None else 0.0)
            end = paragraph.top + (line.y + line.height if line is not None else paragraph.height)
            if end < screen:
                continue
            top = min(top, start)
            bottom = math.inf if grew else max(bottom, end)
        if top < bottom:
            self.update_rows(top, bottom)


def _y_of(paragraph: Paragraph, line: Line | None) -> float:
    return paragraph.top + (line.y if line is not None else 0.0)
