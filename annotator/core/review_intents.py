"""Reviewing suggestions by key: Space / Shift+Space walk the open suggestions the review
filter wants (on to the next article that has some), `a` accepts, `x` rejects."""

from __future__ import annotations

from annotator.core.bulk_decisions import suggestions_phrase
from annotator.core.edits import Edit
from annotator.core.errors import EditRefused
from annotator.core.interaction_state import InteractionState
from annotator.core.model import Span
from annotator.core.outcome import Outcome
from annotator.core.twins import places, with_twins


class ReviewIntents(InteractionState):
    def accept(self, label: str | None = None) -> Outcome:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return Outcome(message="Select a suggestion first (Space goes to the next one)")

        def after(edit: Edit) -> str:
            said = f"Accepted {label or suggestion.label}" + (
                f" (was {suggestion.label})" if label and label != suggestion.label else ""
            )
            return self.step_suggestion(+1, after=suggestion) or said

        decision = with_twins(self.session, self.session.plan_decide(suggestion, True, label))
        return Outcome(decision, after=after)

    def reject(self) -> Outcome:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return Outcome(message="Select a suggestion first (Space goes to the next one)")

        def after(edit: Edit) -> str:
            return self.step_suggestion(+1, after=suggestion) or f"Rejected {suggestion.label}"

        return Outcome(
            with_twins(self.session, self.session.plan_decide(suggestion, False)), after=after
        )

    def decide_all(self, accept: bool, label: str | None = None) -> Outcome:
        try:
            edit = self.session.plan_decide_all(accept, label)
        except EditRefused as refusal:
            return Outcome(message=str(refusal))
        # Said as done ("Accepted 11 suggestions"), as a single decision is.
        verb = "Accepted" if accept else "Rejected"
        decided = places(decision.span for decision in edit.edits)  # type: ignore[attr-defined]
        return Outcome(edit, message=f"{verb} {suggestions_phrase(decided, label)}")

    def step_suggestion(self, direction: int, after: Span | None = None) -> str:
        """Select the next (or previous) open suggestion the review filter wants, moving on
        to the next article that has one. Returns a message only when there is none."""
        anchor = after or self.selected_span()
        position = (
            (anchor.start, anchor.end) if anchor else ((-1, -1) if direction > 0 else (10**12, 0))
        )
        ordered = self._wanted_suggestions()
        if direction > 0:
            following = [s for s in ordered if (s.start, s.end) > position]
        else:
            following = [s for s in reversed(ordered) if (s.start, s.end) < position]
        if following:
            self.select_span(following[0].id)
            return ""
        article = self.session.article
        target = (
            self.session.store.next_article_with_suggestions(
                article.id, direction, **self.review.as_arguments()
            )
            if article
            else None
        )
        if target is None:
            return "No more open suggestions" + (
                " after this one" if direction > 0 else " before this one"
            )
        self.session.open_article(target)
        ordered = self._wanted_suggestions()
        if ordered:
            self.select_span((ordered[0] if direction > 0 else ordered[-1]).id)
        return ""

    def _wanted_suggestions(self) -> list[Span]:
        """The open suggestions to walk, in text order; one of several sources suggesting
        the same text and label (drawn as one tag) is one stop, not two."""
        seen: set[tuple[int, int, str]] = set()
        wanted = []
        for s in sorted(self.session.suggestions, key=lambda s: (s.start, s.end, s.id or 0)):
            if self.review.wants(s) and (s.start, s.end, s.label) not in seen:
                seen.add((s.start, s.end, s.label))
                wanted.append(s)
        return wanted
