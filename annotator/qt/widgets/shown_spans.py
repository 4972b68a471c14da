"""The spans the article view shows, by id, and how many are each annotator's.

An edit changes one or two of an article's 5,000 spans: keeping them by id makes the view's
copy follow it in what the edit touched (a list rebuilt without the removed ones walked all
5,000, 1-2 ms an edit), and counting annotators as spans come and go says whether tags carry
initials (more than one person's spans shown) without walking them all again either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from annotator.core.model import Span


def _key(span: Span) -> object:
    # Shown spans come from the store and have ids; one that has none yet is its own key.
    return span.id if span.id is not None else ("unsaved", id(span))


class ShownSpans:
    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._by_key: dict[object, Span] = {}
        self._annotators: Counter[str] = Counter()
        self.reset(spans)

    def reset(self, spans: Iterable[Span]) -> None:
        self._by_key = {_key(span): span for span in spans}
        self._annotators = Counter(s.annotator for s in self._by_key.values() if s.annotator)

    def update(self, removed: Iterable[Span], added: Iterable[Span]) -> None:
        """An edit's spans as they were and as they are (the same id may be in both)."""
        for span in removed:
            gone = self._by_key.pop(_key(span), None)
            if gone is not None:
                self._count(gone, -1)
        for span in added:
            key = _key(span)
            old = self._by_key.get(key)
            if old is not None:
                self._count(old, -1)
            self._by_key[key] = span
            self._count(span, +1)

    def _count(self, span: Span, step: int) -> None:
        if span.annotator:
            self._annotators[span.annotator] += step
            if self._annotators[span.annotator] <= 0:
                del self._annotators[span.annotator]

    @property
    def several_annotators(self) -> bool:
        """As core.layers.several_annotators() of the list: more than one person's spans."""
        return len(self._annotators) > 1

    def as_list(self) -> list[Span]:
        return list(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)
