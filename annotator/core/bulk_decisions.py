"""Deciding many suggestions at once: all of one label, in this article or the whole corpus.

Such a decision is said before it is made ("Accept 11 PERSON suggestions in this article?"),
with its scope and count, and reads as done afterwards ("Accepted 11 PERSON suggestions").
Either way it is one undo step (a Batch of Decide edits): across the corpus the batch holds
every article's decisions, and undoing it opens the article it was made from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.edits import Batch, Decide
from annotator.core.errors import EditRefused
from annotator.core.model import ACCEPTED, REJECTED
from annotator.core.outcome import Outcome
from annotator.core.twins import decide_each, places

if TYPE_CHECKING:  # the session plans with suggestions_phrase: imported at run time there
    from annotator.core.session import Session

ARTICLE, CORPUS = "article", "corpus"
PAGE = 1000  # suggestions read a page at a time from the store


def suggestions_phrase(count: int, label: str | None) -> str:
    """ "11 PERSON suggestions", "1 suggestion": counted, in plain English."""
    noun = "suggestion" if count == 1 else "suggestions"
    return f"{count} {label} {noun}" if label else f"{count} {noun}"


@dataclass(frozen=True)
class BulkScope:
    """What a decision on all of one label would touch, before it is made."""

    accept: bool
    label: str | None
    scope: str  # ARTICLE or CORPUS
    count: int
    articles: int  # how many articles hold them

    @property
    def where(self) -> str:
        if self.scope == ARTICLE:
            return "in this article"
        return "in 1 article" if self.articles == 1 else f"in {self.articles} articles"

    def question(self) -> str:
        step = self.step()
        return f"{step[:1].upper()}{step[1:]}?"  # not capitalize(): labels keep their case

    def step(self) -> str:
        """The undo step's name: "accept 11 PERSON suggestions in this article"."""
        verb = "accept" if self.accept else "reject"
        return f"{verb} {suggestions_phrase(self.count, self.label)} {self.where}"

    def done(self) -> str:
        verb = "Accepted" if self.accept else "Rejected"
        return f"{verb} {suggestions_phrase(self.count, self.label)} {self.where}"


def bulk_scope(session: Session, accept: bool, label: str | None, scope: str) -> BulkScope:
    """How many open suggestions (of `label`, or all) a decision in `scope` would take."""
    if scope == ARTICLE:
        count = places(s for s in session.suggestions if label is None or s.label == label)
        return BulkScope(accept, label, scope, count, 1 if count else 0)
    count, articles = session.store.open_suggestion_count(label)
    return BulkScope(accept, label, scope, count, articles)


def plan_bulk(session: Session, accept: bool, label: str | None, scope: str) -> Batch:
    """The decisions, as one undo step. Across the corpus the suggestions are read from the
    store (the open article's as the session shows them)."""
    if scope == ARTICLE:
        edit = session.plan_decide_all(accept, label)
        edit.description = bulk_scope(session, accept, label, ARTICLE).step()
        return edit
    if label is not None and accept and session.store.schema.label(label) is None:
        raise EditRefused(f"label {label!r} is not in the project's schema")
    chosen, after = [], 0
    while page := session.store.open_suggestions(label=label, after_id=after, limit=PAGE):
        chosen += page
        after = page[-1].id or after
    if not chosen:
        raise EditRefused(
            "no open suggestions" + (f" labelled {label}" if label else "") + " in the corpus"
        )
    state, decision = (ACCEPTED, "accepted") if accept else (REJECTED, "rejected")
    edits: list = decide_each(chosen, accept, lambda span: Decide(span, state, decision))
    opened = session.article.id if session.article is not None else chosen[0].article_id
    articles = len({span.article_id for span in chosen})
    scope_now = BulkScope(accept, label, CORPUS, places(chosen), articles)
    return Batch(edits, scope_now.step(), article_id=opened)


def decide_bulk(session: Session, accept: bool, label: str | None, scope: str) -> Outcome:
    """The decision as an intent: the batch to push, and what the status bar says once done."""
    edit = plan_bulk(session, accept, label, scope)
    articles = len(edit.articles) if scope == CORPUS else 1
    decided = places(decision.span for decision in edit.edits)  # type: ignore[attr-defined]
    done = BulkScope(accept, label, scope, decided, articles).done()
    return Outcome(edit, message=done)
