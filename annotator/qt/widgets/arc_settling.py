"""Closes the room left empty above lines whose arcs were slotted lazily.

An article with many arcs (line_arcs.LAZY_ARCS) opens with each line reserving one slot per arc
with an end on it, an upper bound, and slots them when they are first drawn: opening stays within
its budget and the text never moves when a line is slotted. But the bound is often a slot too
many (two arcs side by side share slot 0), so the text sat lower than it needs to: on the
benchmark's article, 498 empty rows over 750 lines with arcs.

Here, in the turns after the article opens (short slices: the window's idle job "arc
settling", idle_work.py, first of the jobs that share each turn's budget),
the lines not yet drawn are slotted and given exactly the room their arcs take. A line not yet
drawn has no pixel on screen; lines below it move up, and the scroll position follows the line
at the top of the view so that what is on screen stays where it is. Lines already drawn keep
their room (the rule of the view: text a person has seen never moves by itself).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject

from annotator.qt import idle_work
from annotator.qt.widgets import line_arcs
from annotator.qt.widgets.screen_place import MARGIN

JOB = "arc settling"
FIRST_SLICE_SECONDS = 0.002  # at once, for the lines on screen (a screenful takes about 1 ms)
# Rounds of lines brought into view by those on screen closing up (each round reveals a line
# or two at the top and bottom: a slot's height each).
_REVEALS = 8


class ArcSettling(QObject):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._pending: list | None = None  # (paragraph, line) left to settle, in order
        self._on_screen = 0  # how many of them were on screen when they were listed

    def start(self, pause_ms: int = 0) -> None:
        """Lines may have been given arcs lazily (an article opened, laid out anew): those on
        screen are settled now, before they are first drawn, and the rest in the turns after
        (after `pause_ms`: an article just opened is painted first)."""
        self._pending = self._lines_in_order()
        self.view.text_layout.unsettled = False  # every line is looked at
        # Those on screen whatever the budget (a busy machine's 2 ms may not reach them all):
        # one drawn before it is settled would keep its lazy room.
        deadline = time.perf_counter() + FIRST_SLICE_SECONDS
        if self.run_slice(deadline, at_least=self._on_screen):
            idle_work.schedule(self.view.viewport(), JOB, self.run_slice, pause_ms)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def drop(self) -> None:
        """Another text is shown (an article opened): the old text's lines left to settle
        are forgotten. Its idle steps would otherwise go on slotting lines no longer shown,
        until the new text's arcs started settling (never, for an article without events).
        A step already scheduled finds nothing to do; start() lists the new text's lines."""
        self._pending = []
        self._on_screen = 0

    def finish(self) -> None:
        """Every pending line at once (tests, and measures of the whole article)."""
        while self.run_slice(None):
            pass

    def run_slice(self, deadline: float | None, at_least: int = 0) -> bool:
        """Settle lines until `deadline` (time.perf_counter(); None: all); True while some
        are left."""
        layout = self.view.text_layout
        if self._pending is None:
            self._pending = self._lines_in_order()
        if not self._pending:
            return False
        settled = []
        popped = 0
        while self._pending and (
            deadline is None or popped < at_least or time.perf_counter() < deadline
        ):
            paragraph, line = self._pending.pop()
            popped += 1
            if line.arc_owner is not None:  # not drawn (nor slotted) since it was given arcs
                line_arcs.slot_line(layout, paragraph, line)
                settled.append((paragraph, line))
        self._settle(settled)
        return bool(self._pending)

    def settle_on_screen(self) -> None:
        """Lines scrolled into view while others wait to be settled (the view asks before it
        draws them): those given arcs lazily are settled now, before they are first drawn."""
        if self._pending:
            self._settle([])

    def _settle(self, lines: list) -> None:
        """Give these lines exactly their arcs' room, the line at the top of the view held
        where it is. A line on screen that closes up brings lines into view (above it when it
        is the top one, its room shrinking under the held text; below it at the bottom): they
        are settled too, before they are first drawn, or they would keep their lazy room (a
        slot more than an eager layout gives them) whenever the next paint came."""
        view = self.view
        layout = view.text_layout
        bar = view.verticalScrollBar()
        anchor = self._anchor()
        placed = view._placed
        was = bar.value()
        shown = moved = settled = False
        for _ in range(_REVEALS):
            lines = lines or self._unsettled_on_screen()
            if not lines:
                break
            shown = line_arcs.settle_lines(layout, lines, *self._rows()) or shown
            moved = self._hold(anchor) or moved
            lines, settled = [], True
        if not settled:
            return
        if moved:
            shown = True  # near the end the range cut it short: the view moves after all
        if bar.value() != was:
            bar.update()
            if placed is not None and placed[1] == was:
                view._placed = (placed[0], bar.value())
        view._marked = view._marked_rows()
        if shown:
            view.viewport().update()

    def _hold(self, anchor) -> bool:
        """Scroll so the anchor line's text is where it was, to the fraction of a pixel (as
        screen_place.after_layout holds it: the rest goes to the view's _subpixel); whether
        the scroll bar's range cut that short (near the end), so that what is on screen
        moved. Rounded to whole pixels only, a line closing up above the screen (a slot is
        15.625 px) left the text on screen a fraction of a pixel from where it was drawn:
        a later repaint of one row drew its glyphs a pixel off their neighbours'."""
        view = self.view
        bar = view.verticalScrollBar()
        view._update_scrollbar()
        if anchor is None:
            return False
        paragraph, line, below = anchor
        top = paragraph.top + line.y - below  # where the screen's top must be
        wanted = round(top + MARGIN)
        # Signals held: what is on screen did not move, so nothing is to be scrolled.
        bar.blockSignals(True)
        bar.setValue(wanted)
        bar.blockSignals(False)
        if bar.value() != wanted:
            return True
        view._subpixel = wanted - MARGIN - top
        return False

    def _unsettled_on_screen(self) -> list:
        """The lines the view would draw now that were given arcs lazily and are not slotted."""
        layout = self.view.text_layout
        top, bottom = self._rows()
        return [
            (paragraph, line)
            for paragraph in layout.visible(top, bottom)
            for line in layout.lines_between(paragraph, top, bottom)
            if line.arc_owner is not None
        ]

    def _rows(self) -> tuple[float, float]:
        """The rows on screen, in layout coordinates."""
        origin = self.view._origin().y()
        return -origin, -origin + self.view.viewport().height()

    def _anchor(self):
        """(paragraph, line, its text's top below the screen's top) of the line at the top of
        the view; None at the very top (it stays there)."""
        bar = self.view.verticalScrollBar()
        if bar.value() <= 0:
            return None
        top, _ = self._rows()
        found = self.view.text_layout.line_at(max(0.0, top))
        if found is None:
            return None
        paragraph, line = found
        return paragraph, line, paragraph.top + line.y - top

    def _lines_in_order(self) -> list:
        """Lines waiting to be slotted, as a stack: those on screen first (not drawn yet, they
        are about to be), then those below, then those above, nearest first."""
        top, bottom = self._rows()
        on, below, above = [], [], []
        for paragraph in self.view.text_layout.paragraphs:
            for line in paragraph.lines:
                if line.arc_owner is None:
                    continue
                text_top = paragraph.top + line.y
                if text_top + line.height < top:
                    above.append((paragraph, line))
                elif text_top - line.arc_room > bottom:
                    below.append((paragraph, line))
                else:
                    on.append((paragraph, line))
        # Popped from the end: on screen, then below top-down, then above bottom-up.
        self._on_screen = len(on)
        return above + below[::-1] + on[::-1]
