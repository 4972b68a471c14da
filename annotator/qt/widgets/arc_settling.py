"""Closes the room left empty above lines whose arcs were slotted lazily.

An article with many arcs (line_arcs.LAZY_ARCS) opens with each line reserving one slot per arc
with an end on it, an upper bound, and slots them when they are first drawn: opening stays within
its budget and the text never moves when a line is slotted. But the bound is often a slot too
many (two arcs side by side share slot 0), so the text sat lower than it needs to: on the
benchmark's article, 498 empty rows over 750 lines with arcs.

Here, in the turns after the article opens (short slices, as the event panel fills its rows),
the lines not yet drawn are slotted and given exactly the room their arcs take. A line not yet
drawn has no pixel on screen; lines below it move up, and the scroll position follows the line
at the top of the view so that what is on screen stays where it is. Lines already drawn keep
their room (the rule of the view: text a person has seen never moves by itself).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from annotator.qt.widgets import line_arcs

SLICE_SECONDS = 0.002  # CPU per turn: the event panel fills its rows in the same turns
FIRST_SLICE_SECONDS = 0.002  # at once, for the lines on screen (a screenful takes about 1 ms)


class ArcSettling(QObject):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._pending: list | None = None  # (paragraph, line) left to settle, in order
        self._on_screen = 0  # how many of them were on screen when they were listed
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.run_slice)

    def start(self, pause_ms: int = 0) -> None:
        """Lines may have been given arcs lazily (an article opened, laid out anew): those on
        screen are settled now, before they are first drawn, and the rest in the turns after
        (after `pause_ms`: an article just opened is painted first)."""
        self._pending = self._lines_in_order()
        self.view.text_layout.unsettled = False  # every line is looked at
        # Those on screen whatever the budget (a busy machine's 2 ms may not reach them all):
        # one drawn before it is settled would keep its lazy room.
        if self.run_slice(budget=FIRST_SLICE_SECONDS, at_least=self._on_screen):
            self._timer.start(pause_ms)

    @property
    def busy(self) -> bool:
        return self._timer.isActive()

    def finish(self) -> None:
        """Every pending line at once (tests, and measures of the whole article)."""
        while self.run_slice(budget=None):
            pass

    def run_slice(self, budget: float | None = SLICE_SECONDS, at_least: int = 0) -> bool:
        """Settle lines for about `budget` seconds of CPU; True while some are left."""
        view = self.view
        layout = view.text_layout
        if self._pending is None:
            self._pending = self._lines_in_order()
        if not self._pending:
            return False
        bar = view.verticalScrollBar()
        anchor = self._anchor()
        placed = view._placed
        began = time.process_time()
        settled = []
        popped = 0
        while self._pending and (
            budget is None or popped < at_least or time.process_time() - began < budget
        ):
            paragraph, line = self._pending.pop()
            popped += 1
            if line.arc_owner is not None:  # not drawn (nor slotted) since it was given arcs
                line_arcs.slot_line(layout, paragraph, line)
                settled.append((paragraph, line))
        shown = line_arcs.settle_lines(layout, settled, *self._rows())
        was = bar.value()
        if anchor is not None:
            paragraph, line, dy = anchor
            wanted = int(round(paragraph.top + line.y + dy))
            # Signals held: what is on screen did not move, so nothing is to be scrolled.
            bar.blockSignals(True)
            bar.setValue(wanted)
            bar.blockSignals(False)
        view._update_scrollbar()
        if anchor is not None and bar.value() != wanted:
            shown = True  # near the end the range cut it short: the view moves after all
        if bar.value() != was:
            bar.update()
            if placed is not None and placed[1] == was:
                view._placed = (placed[0], bar.value())
        view._marked = view._marked_rows()
        if shown:
            view.viewport().update()
        if self._pending:
            self._timer.start(0)
            return True
        return False

    def _rows(self) -> tuple[float, float]:
        """The rows on screen, in layout coordinates."""
        origin = self.view._origin().y()
        return -origin, -origin + self.view.viewport().height()

    def _anchor(self):
        """(paragraph, line, offset from its text's top) of the line at the top of the view;
        None at the very top (it stays there)."""
        bar = self.view.verticalScrollBar()
        if bar.value() <= 0:
            return None
        top, _ = self._rows()
        found = self.view.text_layout.line_at(max(0.0, top))
        if found is None:
            return None
        paragraph, line = found
        return paragraph, line, bar.value() - (paragraph.top + line.y)

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
