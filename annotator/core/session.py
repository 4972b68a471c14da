"""The annotation session: which article is open, its spans, and the edits made on it.

Views call this and listen to it; it knows nothing of Qt. Listeners are plain callables, so a
test (or the Qt bridge) can follow every change.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.edits import AddSpan, Edit, RelabelSpan, RemoveSpan, SetStatus
from annotator.core.errors import EditRefused
from annotator.core.model import MANUAL, Article, Span
from annotator.core.tokens import Tokens, trim_whitespace
from annotator.store.articles import ArticleFilter

Listener = Callable[[str, int], None]

# What listeners hear: ("article", id) when another article opens, ("spans", id) when the
# spans of an article change, ("status", id) when its status changes.
ARTICLE, SPANS, STATUS = "article", "spans", "status"


class Session:
    def __init__(self, store):
        self.store = store
        self.article: Article | None = None
        self.spans: list[Span] = []
        self.filter = ArticleFilter()
        self.snap_to_tokens = True
        self._tokens: Tokens | None = None
        self._listeners: list[Listener] = []

    # -- listening ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, what: str, article_id: int) -> None:
        for listener in list(self._listeners):
            listener(what, article_id)

    # -- articles ----------------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        self.article = self.store.article(article_id)
        self.spans = self.store.spans(article_id)
        self._tokens = None
        self._emit(ARTICLE, article_id)

    def open_first(self) -> bool:
        first = self.store.first_article_id(self.filter) or self.store.first_article_id()
        if first is None:
            return False
        self.open_article(first)
        return True

    def go(self, step: int) -> bool:
        """Open the next (+1) or previous (-1) article in the list's order; False at the end."""
        if self.article is None:
            return self.open_first()
        target = self.store.neighbour(self.article.id, step, self.filter)
        if target is None:
            return False
        self.open_article(target)
        return True

    @property
    def tokens(self) -> Tokens:
        if self._tokens is None:
            text = self.article.text if self.article else ""
            self._tokens = Tokens(text, self.store.schema.language)
        return self._tokens

    # -- editing -----------------------------------------------------------------------------

    def span_for_selection(self, start: int, end: int, label: str) -> Span:
        """The span a selection becomes: snapped to tokens (or trimmed of spaces) and checked."""
        if self.article is None:
            raise EditRefused("no article is open")
        if self.store.schema.label(label) is None:
            raise EditRefused(f"label {label!r} is not in the project's schema")
        start, end = sorted((start, end))
        bounds = (
            self.tokens.snap(start, end)
            if self.snap_to_tokens
            else trim_whitespace(self.article.text, start, end)
        )
        if bounds is None:
            raise EditRefused("the selection holds no text to label")
        for span in self.spans:
            if (span.start, span.end, span.label) == (*bounds, label):
                raise EditRefused(f"this text is already labelled {label}")
        return Span(None, self.article.id, bounds[0], bounds[1], label, origin=MANUAL)

    def add_span(self, start: int, end: int, label: str) -> AddSpan:
        edit = AddSpan(self.span_for_selection(start, end, label), len(self.article.text))
        self.apply(edit)
        return edit

    def relabel(self, span: Span, label: str) -> RelabelSpan:
        if self.store.schema.label(label) is None:
            raise EditRefused(f"label {label!r} is not in the project's schema")
        edit = RelabelSpan(span, label)
        self.apply(edit)
        return edit

    def remove(self, span: Span) -> RemoveSpan:
        edit = RemoveSpan(span)
        self.apply(edit)
        return edit

    def set_status(self, status: str) -> SetStatus:
        if self.article is None:
            raise EditRefused("no article is open")
        edit = SetStatus(self.article.id, status)
        self.apply(edit)
        return edit

    def apply(self, edit: Edit) -> None:
        self._show(edit.article_id)
        edit.apply(self.store)
        self._refresh(edit)

    def revert(self, edit: Edit) -> None:
        """Undo an edit, opening its article first so the person sees what changed."""
        self._show(edit.article_id)
        edit.revert(self.store)
        self._refresh(edit)

    def _show(self, article_id: int) -> None:
        if self.article is None or self.article.id != article_id:
            self.open_article(article_id)

    def _refresh(self, edit: Edit) -> None:
        if isinstance(edit, SetStatus):
            self.article.status = self.store.status_of(edit.article_id)
            self._emit(STATUS, edit.article_id)
            return
        self.spans = self.store.spans(edit.article_id)
        self.article.status = self.store.status_of(edit.article_id)
        self._emit(SPANS, edit.article_id)
