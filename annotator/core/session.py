"""The annotation session: which article is open, its spans, and the edits made on it.

Views call this and listen to it; it knows nothing of Qt. Listeners are plain callables, so a
test (or the Qt bridge) can follow every change.

Edits are planned first (`plan_*`: checked against the schema and the article, raising
EditRefused before anything is written) and applied after (`apply`), so the GUI pushes only
edits that can be made on its undo stack, whose first redo() applies them; a script or a
test applies them itself: `session.apply(session.plan_add_span(...))`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TypeVar

from annotator.core import edit_log
from annotator.core.annotations import Annotations, Change
from annotator.core.bulk_decisions import suggestions_phrase
from annotator.core.edit_checks import why_not
from annotator.core.edits import (
    AddSpan,
    Batch,
    Decide,
    Edit,
    RelabelSpan,
    Remove,
    RemoveSpan,
    SetStatus,
)
from annotator.core.errors import EditRefused
from annotator.core.event_plans import EventPlans, RoleRefused
from annotator.core.model import (
    ACCEPTED,
    ENTITY,
    MANUAL,
    REJECTED,
    SUGGESTED,
    TRIGGER,
    Argument,
    Article,
    ArticleFilter,
    Event,
    Span,
)
from annotator.core.storage import Store
from annotator.core.tokens import Tokens, trim_selection
from annotator.core.twins import decide_each, places, with_twins

__all__ = ["ARTICLE", "SPANS", "STATUS", "RoleRefused", "Session"]

Listener = Callable[[str, int], None]
E = TypeVar("E", bound=Edit)

# What listeners hear: ("article", id) when another article opens, ("spans", id) when the
# spans or events of an article change, ("status", id) when its status changes.
ARTICLE, SPANS, STATUS = "article", "spans", "status"
TOKEN_CACHE = 8  # articles whose tokens are kept


class Session(EventPlans):
    def __init__(self, store: Store):
        self.store = store
        self.article: Article | None = None
        # Its spans, open suggestions and events, patched in place after each edit.
        self.content = Annotations()
        # What the last SPANS notice changed (listeners draw only that anew); None when
        # everything may have (another article, a reload): listeners then draw all.
        self.last_change: Change | None = None
        self.filter = ArticleFilter()
        self.snap_to_tokens = True
        self._tokens: Tokens | None = None
        self._token_cache: dict[tuple[int | None, str, str], Tokens] = {}
        self._listeners: list[Listener] = []

    @property
    def spans(self) -> list[Span]:
        return self.content.spans

    @property
    def suggestions(self) -> list[Span]:
        return self.content.suggestions

    @property
    def events(self) -> list[Event]:
        return self.content.events

    # -- listening ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, what: str, article_id: int) -> None:
        for listener in list(self._listeners):
            listener(what, article_id)

    # -- articles ----------------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        self.article = self.store.article(article_id)
        self._read(article_id, events=True)
        self._tokens = None
        self._emit(ARTICLE, article_id)

    def reload(self) -> None:
        """Read the open article's spans and events again (a worker process wrote to it)."""
        if self.article is not None:
            self._read(self.article.id, events=True)
            self._emit(SPANS, self.article.id)

    def follow_changes(self) -> None:
        """Another program (an import, a suggestion job, another window) changed the file:
        read the open article's status, spans and events again and say what changed. An
        article that is gone leaves the session on the first one there is."""
        article = self.article
        if article is None:
            self.open_first()
            return
        try:
            status = self.store.status_of(article.id)
        except EditRefused:  # removed meanwhile
            self.article = None
            if not self.open_first():
                self.content.load([], [])
                self.last_change = None
            return
        self._read(article.id, events=True)
        self._emit(SPANS, article.id)
        if status != article.status:
            article.status = status
            self._emit(STATUS, article.id)

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
            key = (self.article.id if self.article else None, text, self.store.schema.language)
            cached = self._token_cache.pop(key, None)
            # Tokenizing a long article takes spaCy a tenth of a second: the last few
            # articles' tokens are kept, so going back and forth costs it once.
            self._tokens = cached or Tokens(text, self.store.schema.language)
            self._token_cache[key] = self._tokens
            while len(self._token_cache) > TOKEN_CACHE:
                self._token_cache.pop(next(iter(self._token_cache)))
        return self._tokens

    # -- editing -----------------------------------------------------------------------------

    def _open(self) -> Article:
        if self.article is None:
            raise EditRefused("no article is open")
        return self.article

    def span_for_selection(self, start: int, end: int, label: str, kind: str = ENTITY) -> Span:
        """The span a selection becomes: snapped to tokens (or trimmed of spaces) and checked."""
        if self.article is None:
            raise EditRefused("no article is open")
        schema = self.store.schema
        known = schema.event_type(label) if kind == TRIGGER else schema.label(label)
        if known is None:
            raise EditRefused(f"label {label!r} is not in the project's schema")
        start, end = sorted((start, end))
        bounds = (
            self.tokens.snap(start, end)
            if self.snap_to_tokens
            else trim_selection(self._open().text, start, end)
        )
        if bounds is None:
            raise EditRefused("the selection holds no text to label")
        if kind == ENTITY:
            for span in self.spans_at(*bounds):
                # While adjudicating, an annotator's span at this place is no duplicate:
                # gold may well need the very label they gave it.
                if (span.label, span.kind) == (label, kind) and self.editable(span):
                    raise EditRefused(f"this text is already labelled {label}")
        return Span(None, self._open().id, bounds[0], bounds[1], label, kind=kind, origin=MANUAL)

    def plan_label_selection(self, start: int, end: int, label: str) -> Edit:
        """Label selected text: a new span, or, where the selection overlaps an open
        suggestion, that suggestion accepted with these boundaries and this label."""
        span = self.span_for_selection(start, end, label)
        suggestion = self.suggestion_overlapping(span.start, span.end)
        if suggestion is None:
            return AddSpan(span, len(self._open().text))
        # Its twins (other sources' same suggestion) close with it: one span, not two.
        return with_twins(self, self._decision(suggestion, True, label, (span.start, span.end)))

    def plan_add_span(self, start: int, end: int, label: str) -> AddSpan:
        return AddSpan(self.span_for_selection(start, end, label), len(self._open().text))

    def plan_relabel(self, span: Span, label: str) -> RelabelSpan | AddSpan:
        """Another label for a span. While adjudicating, an annotator's span is left as it
        is (it is their layer): gold gets a span of its own there, with this label."""
        if self.store.schema.label(label) is None:
            raise EditRefused(f"label {label!r} is not in the project's schema")
        if any(
            (other.label, other.kind) == (label, span.kind)
            and other.id != span.id
            and self.editable(other)
            for other in self.spans_at(span.start, span.end)
        ):
            raise EditRefused(f"this text is already labelled {label}")
        if not self.editable(span):
            if span.kind != ENTITY:
                self.check_editable(span, "trigger")
            gold = Span(None, span.article_id, span.start, span.end, label, origin=MANUAL)
            return AddSpan(gold, len(self._open().text))
        return RelabelSpan(span, label)

    def spans_at(self, start: int, end: int) -> list[Span]:
        """The accepted spans over exactly [start, end): found by bisection, the spans being
        in the store's order (by start, longer first)."""
        spans = self.spans
        at = bisect_left(spans, (start, -end), key=lambda s: (s.start, -s.end))
        found = []
        while at < len(spans) and (spans[at].start, spans[at].end) == (start, end):
            found.append(spans[at])
            at += 1
        return found

    def plan_remove(self, span: Span) -> Remove:
        """Delete a span with the arguments it fills (and, for a trigger, its events)."""
        self.check_editable(span, "span")
        return RemoveSpan(span)

    # -- suggestions -------------------------------------------------------------------------

    def plan_decide(
        self,
        suggestion: Span,
        accept: bool,
        label: str | None = None,
        bounds: tuple[int, int] | None = None,
    ) -> Decide:
        """Accept a suggestion (as it is, with another label, or with other boundaries) or
        reject it. The row keeps its source, so provenance and precision stay known."""
        return self._decision(suggestion, accept, label, bounds)

    def _decision(
        self, suggestion: Span, accept: bool, label: str | None, bounds: tuple[int, int] | None
    ) -> Decide:
        if suggestion.state != SUGGESTED:
            raise EditRefused("this span is not an open suggestion")
        if not accept:
            return Decide(suggestion, REJECTED, "rejected")
        label = label or suggestion.label
        if self.store.schema.label(label) is None:
            raise EditRefused(f"label {label!r} is not in the project's schema")
        if bounds is not None and tuple(bounds) != (suggestion.start, suggestion.end):
            decision = "resized"
        elif label != suggestion.label:
            decision = "relabelled"
        else:
            decision = "accepted"
        return Decide(suggestion, ACCEPTED, decision, label, bounds)

    def plan_decide_all(self, accept: bool, label: str | None = None) -> Batch:
        """Accept or reject every open suggestion here (or those of one label)."""
        chosen = [s for s in self.suggestions if label is None or s.label == label]
        if not chosen:
            raise EditRefused(
                "no open suggestions" + (f" labelled {label}" if label else "") + " in this article"
            )
        verb = "accept" if accept else "reject"
        return Batch(
            decide_each(chosen, accept, lambda s: self._decision(s, accept, None, None)),
            f"{verb} {suggestions_phrase(places(chosen), label)}",
        )

    def suggestion_overlapping(self, start: int, end: int) -> Span | None:
        """An open suggestion the selection corrects (the one overlapping it most)."""
        overlapping = [s for s in self.suggestions if s.start < end and start < s.end]
        return max(overlapping, key=lambda s: min(s.end, end) - max(s.start, start), default=None)

    # -- events ------------------------------------------------------------------------------

    def span_by_id(self, span_id: int | None) -> Span | None:
        return self.content.spans_by_id.get(span_id)

    def event_by_id(self, event_id: int | None) -> Event | None:
        return self.content.events_by_id.get(event_id)

    def events_on(self, span: Span) -> list[Event]:
        return self.content.events_by_trigger.get(span.id, [])

    def filler_span(self, arg: Argument) -> Span | None:
        """The span that fills an argument: the entity, or the filling event's trigger."""
        if arg.span_id is not None:
            return self.span_by_id(arg.span_id)
        filler = self.event_by_id(arg.arg_event_id)
        return self.span_by_id(filler.trigger_id) if filler else None

    def plan_set_status(self, status: str) -> SetStatus:
        if self.article is None:
            raise EditRefused("no article is open")
        return SetStatus(self._open().id, status)

    # -- applying --------------------------------------------------------------------------

    def apply(self, edit: E, *, log: bool = False) -> E:
        """Write a planned edit (one transaction) and show the result. With `log` (the
        window's edits), its entry goes into the project's undo log in that transaction."""
        self._show(edit.article_id)
        entry = None
        try:
            with self.store.write():
                edit.apply(self.store)
                if log:
                    entry = self.store.log_edit(edit.description, edit_log.encode(edit))
        finally:  # after a failed write too: what is shown is what the file holds
            self._refresh(edit)
        if entry is not None:  # only once committed: a failed write leaves no entry
            edit.log_entry = entry
        return edit

    def reapply(self, edit: Edit) -> None:
        """Redo an undone edit, if the rows it writes are still as it left them (else
        EditRefused, nothing written); a logged edit's entry is marked done again."""
        self._check(edit, undo=False)
        self._show(edit.article_id)
        entry = edit.log_entry
        try:
            with self.store.write():
                # Again under the lock: another program may have taken a freed id while this
                # write waited for it (the check above spares opening the article for nothing).
                self._check(edit, undo=False)
                edit.apply(self.store)
                if entry is not None:
                    payload = edit_log.encode(edit)  # a redo may plan afresh (a removal)
                    if not self.store.mark_logged(*entry, done=True, payload=payload):
                        # Its entry went meanwhile (another window's edit dropped it).
                        entry = self.store.log_edit(edit.description, payload)
        finally:
            self._refresh(edit)
        edit.log_entry = entry

    def revert(self, edit: Edit) -> None:
        """Undo an edit, opening its article first so the person sees what changed. Refused
        (EditRefused, nothing written) if its rows changed since; a logged edit's entry is
        marked undone in the same transaction."""
        self._check(edit, undo=True)
        self._show(edit.article_id)
        try:
            with self.store.write():
                self._check(edit, undo=True)  # again under the lock, as in reapply
                edit.revert(self.store)
                if edit.log_entry is not None:
                    # The edit as its undo left it (a decision keeps the rows it removed):
                    # a redo after a restart reads them from here.
                    self.store.mark_logged(
                        *edit.log_entry, done=False, payload=edit_log.encode(edit)
                    )
        finally:
            self._refresh(edit)

    def _check(self, edit: Edit, *, undo: bool) -> None:
        reason = why_not(edit, self.store, undo=undo)
        if reason is not None:
            verb = "undo" if undo else "redo"
            raise EditRefused(
                f"Cannot {verb} “{edit.description}”: {reason} (changed outside this "
                "window). Nothing was changed."
            )

    def logged_edits(self) -> list[edit_log.LoggedEdit]:
        """The project's undo log, oldest first: the steps a window's undo stack starts with."""
        return [edit_log.LoggedEdit(entry) for entry in self.store.undo_log()]

    def _show(self, article_id: int) -> None:
        if self.article is None or self.article.id != article_id:
            self.open_article(article_id)

    def _refresh(self, edit: Edit) -> None:
        article = self.article
        if article is None:
            return
        article.status = self.store.status_of(edit.article_id)
        if isinstance(edit, SetStatus):
            self._emit(STATUS, edit.article_id)
            return
        touched = edit.touched()
        if touched is None:
            # Events only when the edit can have changed them.
            self._read(edit.article_id, events=edit.touches_events)
        else:
            # Only the rows the edit touched, read again and patched in place: an article
            # may hold 5,000 spans, and the views redraw only what changed.
            span_ids, event_ids = touched
            self.last_change = self.content.patch(
                article.id,
                span_ids,
                self.store.spans_by_id(span_ids) if span_ids else {},
                event_ids,
                self.store.events_by_id(event_ids) if event_ids else {},
            )
        self._emit(SPANS, edit.article_id)

    def _read(self, article_id: int, *, events: bool) -> None:
        """The article's accepted spans and open suggestions (one query), and its events."""
        both = self.store.spans(article_id, states=(ACCEPTED, SUGGESTED))
        self.content.load(both, self.store.events(article_id) if events else None)
        self.last_change = None
