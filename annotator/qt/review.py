"""Reviewing suggestions with the keyboard: walk them, accept, reject, relabel, correct.

Space / Shift+Space go to the next / previous open suggestion (on to the next article that has
some); `a` accepts the selected suggestion, `x` (or Delete) rejects it, a label key accepts it
with that label; selecting other boundaries over it and pressing a key accepts it resized.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.model import SUGGESTED
from annotator.core.schema import ACCEPT_KEY, REJECT_KEY


class ReviewController(QObject):
    message = Signal(str)

    def __init__(self, annotation, parent=None):
        super().__init__(parent)
        self.annotation = annotation
        self.session = annotation.session
        self.view = annotation.view
        self.filter: dict = {}  # the review queue's filter: source, label, min_score

    def _wanted(self, span) -> bool:
        flt = self.filter
        return ((not flt.get("source") or span.origin == "suggest:" + flt["source"])
                and (not flt.get("label") or span.label == flt["label"])
                and (flt.get("min_score") is None or (span.score or 0) >= flt["min_score"]))

    def selected_suggestion(self):
        span = self.view.selected_span()
        return span if span is not None and span.state == SUGGESTED else None

    def handles_key(self, key: str) -> bool:
        if key == ACCEPT_KEY:
            self.accept()
            return True
        if key == REJECT_KEY:
            self.reject()
            return True
        return False

    def accept(self, label: str | None = None) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            self.message.emit("Select a suggestion first (Space goes to the next one)")
            return
        edit = self.annotation.do(lambda: self.session.decide(suggestion, True, label))
        if edit is not None:
            self.message.emit(f"Accepted {label or suggestion.label}"
                              + (f" (was {suggestion.label})" if label and label != suggestion.label else ""))
            self.step(+1, after=suggestion)

    def reject(self) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            self.message.emit("Select a suggestion first (Space goes to the next one)")
            return
        if self.annotation.do(lambda: self.session.decide(suggestion, False)) is not None:
            self.message.emit(f"Rejected {suggestion.label}")
            self.step(+1, after=suggestion)

    def decide_all(self, accept: bool, label: str | None = None) -> None:
        edit = self.annotation.do(lambda: self.session.decide_all(accept, label))
        if edit is not None:
            self.message.emit(edit.description.capitalize())

    def step(self, direction: int, after=None) -> None:
        """Select the next (or previous) open suggestion, moving on to other articles."""
        anchor = after or self.view.selected_span()
        position = (anchor.start, anchor.end) if anchor else ((-1, -1) if direction > 0 else (10**12, 0))
        ordered = sorted((s for s in self.session.suggestions if self._wanted(s)),
                         key=lambda s: (s.start, s.end))
        if direction > 0:
            following = [s for s in ordered if (s.start, s.end) > position]
        else:
            following = [s for s in reversed(ordered) if (s.start, s.end) < position]
        if following:
            self.view.select_span(following[0].id)
            return
        article = self.session.article
        flt = {k: v for k, v in self.filter.items() if v is not None}
        target = (self.session.store.next_article_with_suggestions(article.id, direction, **flt)
                  if article else None)
        if target is None:
            self.message.emit("No more open suggestions" + (" after this one" if direction > 0 else " before this one"))
            return
        self.session.open_article(target)
        ordered = sorted((s for s in self.session.suggestions if self._wanted(s)),
                         key=lambda s: (s.start, s.end))
        if ordered:
            self.view.select_span((ordered[0] if direction > 0 else ordered[-1]).id)
