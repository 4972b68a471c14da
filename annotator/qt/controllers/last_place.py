"""Reopening a project returns to where it was left: the article, what was selected in it
(a span, an event, a stretch of text) and the scroll position (the article's reading
place). Saved when the window closes (quitting, switching or closing the project) in one
short write that never waits for the lock, as reading places are."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError
from annotator.core.last_place import LastPlace, saved_place
from annotator.core.model import TRIGGER
from annotator.qt.controllers.annotation import AnnotationController


class PlaceKeeper:
    def __init__(self, controller: AnnotationController):
        self.controller = controller
        self.session = controller.session
        self.interaction = controller.interaction

    def current(self) -> LastPlace | None:
        article = self.session.article
        if article is None:
            return None
        state = self.interaction
        span = state.selected_span()
        event = state.current_event() if span is not None and span.kind == TRIGGER else None
        return LastPlace(
            article=article.id,
            span=span.id if span else None,
            event=event.id if event else None,
            text=(state.anchor, state.cursor) if state.selection() else None,  # type: ignore[arg-type]
        )

    def save(self) -> bool:
        place = self.current()
        return place is not None and self.session.store.save_last_place(place.to_json())

    def reopen(self) -> bool:
        """Open the article the project was left on, with its selection and scroll; the
        first article when there is no place (or its article is gone). False: no articles."""
        place = saved_place(self.session.store)
        if place is None or not self._open(place.article):
            return self.session.open_first()
        state = self.interaction
        if place.event is not None and self.session.event_by_id(place.event) is not None:
            state.select_event(place.event)
        elif place.span is not None and self.session.span_by_id(place.span) is not None:
            state.select_span(place.span)
        elif place.text is not None:
            state.select_text(*place.text)
        # Selecting reveals what it selects; the person's scroll position wins over that.
        self.controller.view.scroll_to_offset(self.controller.places.place(place.article))
        return True

    def _open(self, article_id: int) -> bool:
        try:
            self.session.open_article(article_id)
        except AnnotatorError:  # removed since: the first article instead
            return False
        return self.session.article is not None
