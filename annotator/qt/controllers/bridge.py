"""Turns the core session's plain callbacks into Qt signals for the widgets."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.session import ARTICLE, SPANS, STATUS, Session


class SessionSignals(QObject):
    articleOpened = Signal(int)
    spansChanged = Signal(int)
    statusChanged = Signal(int)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        signals = {
            ARTICLE: self.articleOpened,
            SPANS: self.spansChanged,
            STATUS: self.statusChanged,
        }
        session.subscribe(lambda what, article_id: signals[what].emit(article_id))
