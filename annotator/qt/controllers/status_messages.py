"""A status-bar message speaks of the action that caused it; the next action replaces it.

Qt keeps a temporary message for its whole timeout whatever happens meanwhile, so "No more
articles in the list" was still there seconds after the person had moved on and labelled a
span. Here the next action (a selection, an edit, another article) clears a message shown
before it. A message shown by that very action (in the same turn of the event loop) stays,
as does one about an edit waiting for the lock: it speaks of the present.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from annotator.core.interaction import Interaction
from annotator.core.session import Session


class StaleMessages(QObject):
    def __init__(
        self,
        status: QStatusBar,
        session: Session,
        interaction: Interaction,
        keep: Callable[[], bool] = lambda: False,
    ):
        super().__init__(status)
        self.status = status
        self.keep = keep
        self.fresh = False  # shown in this turn of the event loop: the action's own message
        status.messageChanged.connect(self._shown)
        session.subscribe(lambda _what, _article: self.action())
        interaction.subscribe(self.action)

    def _shown(self, text: str) -> None:
        if text and not self.fresh:
            self.fresh = True
            QTimer.singleShot(0, self._settled)

    def _settled(self) -> None:
        self.fresh = False

    def action(self) -> None:
        if not self.fresh and self.status.currentMessage() and not self.keep():
            self.status.clearMessage()
