"""Where the next entity probably is: unlabelled capitalised words and figures.

Ctrl+→ jumps to the next run of them ("Kataib Hezbollah", "Joe Biden", "2,500"), so that most
names take two keys: the jump and the label's key. A capitalised word that the language's
stop-word list has ("The", "A", "This") starts sentences, not names, and is skipped; a word
inside a span (or an open suggestion) is labelled already. Tokens in a run are separated by
spaces only (not by punctuation or a line break). The scan starts at the cursor and stops at
the first run, so a jump costs what lies between, not the article.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate

from annotator.core.model import Span
from annotator.core.tokens import Tokens, blank_nlp


def _stop_words(language: str) -> frozenset[str]:
    try:
        return frozenset(blank_nlp(language).Defaults.stop_words)
    except Exception:  # a language spaCy lacks: no stop words rather than no jumps
        return frozenset()


class Candidates:
    """The candidate tokens of one text, given the spans already on it."""

    def __init__(self, text: str, tokens: Tokens, spans: Iterable[Span], language: str = "en"):
        self.text, self.tokens = text, tokens
        bounds = sorted((s.start, s.end) for s in spans)
        self._starts = [start for start, _ in bounds]
        self._reach = list(accumulate((end for _, end in bounds), max))
        self._stop = _stop_words(language)

    def covered(self, index: int) -> bool:
        start, end = self.tokens.starts[index], self.tokens.ends[index]
        before = bisect_left(self._starts, end)  # spans starting before the token ends
        return before > 0 and self._reach[before - 1] > start

    def is_candidate(self, index: int) -> bool:
        start, end = self.tokens.starts[index], self.tokens.ends[index]
        first = self.text[start]
        if not (first.isupper() or first.istitle() or first.isdigit()):
            return False
        word = self.text[start:end]
        # All capitals ("US", "UN") is an acronym even where the lower case is a stop word.
        acronym = len(word) > 1 and word.isupper()
        return (acronym or word.lower() not in self._stop) and not self.covered(index)

    def joined(self, index: int) -> bool:
        """Whether token `index` and the next one belong to one name: only spaces between."""
        gap = self.text[self.tokens.ends[index] : self.tokens.starts[index + 1]]
        return bool(gap) and gap.strip(" ") == ""

    def runs(self, begin: int, step: int) -> Iterator[tuple[int, int]]:
        """Runs of candidates as (first, last) token indices, from token `begin` on (step 1)
        or back (step -1)."""
        count = len(self.tokens)
        index = begin
        while 0 <= index < count:
            if not self.is_candidate(index):
                index += step
                continue
            first = last = index
            while first > 0 and self.joined(first - 1) and self.is_candidate(first - 1):
                first -= 1
            while last + 1 < count and self.joined(last) and self.is_candidate(last + 1):
                last += 1
            yield first, last
            index = last + 1 if step > 0 else first - 1


def next_run(
    text: str,
    tokens: Tokens,
    spans: Iterable[Span],
    begin: int,
    step: int,
    language: str = "en",
) -> tuple[int, int] | None:
    """The first run of candidates from token `begin` on (or back): (first, last) or None."""
    return next(Candidates(text, tokens, spans, language).runs(begin, step), None)
