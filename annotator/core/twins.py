"""Twins: open suggestions of the same characters and label from different sources. The view
draws them as one tag, Space stops at them once, and a decision on one is a decision on all:

- rejected, every twin is rejected (each source was wrong, and its precision says so);
- accepted (as it is, relabelled or resized), the one decided becomes the span and its twins
  are closed as duplicates (state rejected, decision "duplicate"): never a second accepted
  span on the same text, never exported, not counted for or against their sources' precision
  (suggestion statistics count the four decisions only), and not suggested again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from annotator.core.edits import Batch, Decide, Edit
from annotator.core.model import ACCEPTED, REJECTED, Span

if TYPE_CHECKING:
    from annotator.core.session import Session

DUPLICATE = "duplicate"


def twin_key(span: Span) -> tuple[int, int, int, str]:
    return (span.article_id, span.start, span.end, span.label)


def places(spans: Iterable[Span]) -> int:
    """How many tags the person sees for `spans`: twins are drawn as one, so count once."""
    return len({twin_key(span) for span in spans})


def twins_of(session: Session, span: Span) -> list[Span]:
    """The open article's other open suggestions that are `span`'s twins."""
    key = twin_key(span)
    return [s for s in session.suggestions if s.id != span.id and twin_key(s) == key]


def _closing(twin: Span, accepted: bool) -> Decide:
    return Decide(twin, REJECTED, DUPLICATE if accepted else "rejected")


def with_twins(session: Session, edit: Decide) -> Edit:
    """A decision on one suggestion, its twins decided alongside it in the same undo step."""
    twins = twins_of(session, edit.span)
    if not twins:
        return edit
    accepted = edit.state == ACCEPTED
    return Batch([edit, *(_closing(t, accepted) for t in twins)], edit.description)


def decide_each(
    spans: Iterable[Span], accept: bool, decide: Callable[[Span], Decide]
) -> list[Edit]:
    """Decisions on many suggestions: `decide` for each, but accepting, only the first of
    each set of twins becomes a span; the others are closed as duplicates."""
    if not accept:
        return [decide(span) for span in spans]
    seen: set[tuple[int, int, int, str]] = set()
    decisions: list[Edit] = []
    for span in spans:
        key = twin_key(span)
        decisions.append(_closing(span, True) if key in seen else decide(span))
        seen.add(key)
    return decisions
