"""Cohen's kappa on tokens: each token of an article gets, from each annotator, the labels of
the spans that cover it.

IO, not BIO: a token is tagged with the label(s) covering it or O. BIO would split one label
into B- and I- categories, so a boundary moved by one token would count twice (once in the
B-/I- confusion, once at the edge), and boundaries are what span F1 exact already measures;
IO asks the question kappa answers best here: do the two annotators put the same label on
the same words? A token covered by two labels (overlapping spans) gets both as one category
("GPE+ORG"), so every token still has exactly one category per annotator. Per label, kappa is
on the binary question "is this token inside an L span?".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from annotator.core.agreement.layers import LayerSpan

OUTSIDE = "O"


class ArticleTokens(Protocol):
    """The tokens of article texts, as far as kappa needs them: how many there are, and which
    ones (named by their start offset) a stretch of text overlaps."""

    def count(self, text: str) -> int: ...
    def covering(self, text: str, start: int, end: int) -> list[int]: ...


def token_labels(
    spans: Iterable[LayerSpan], text: str, tokens: ArticleTokens
) -> dict[int, set[str]]:
    """Token (its start offset) -> the labels of the spans that overlap it (a span that cuts
    a token still covers it: the token is where the annotator put that label)."""
    labels: dict[int, set[str]] = {}
    for span in spans:
        for token in tokens.covering(text, span.start, span.end):
            labels.setdefault(token, set()).add(span.label)
    return labels


class TokenConfusion:
    """Counts of token categories for one pair of annotators, summed over articles."""

    def __init__(self) -> None:
        self.tokens = 0
        self.pairs: Counter[tuple[str, str]] = Counter()  # (a's category, b's), but O/O
        # per label: tokens inside L for both, for a only, for b only
        self.both: Counter[str] = Counter()
        self.a_only: Counter[str] = Counter()
        self.b_only: Counter[str] = Counter()

    def add(self, n_tokens: int, a: dict[int, set[str]], b: dict[int, set[str]]) -> None:
        self.tokens += n_tokens
        empty: set[str] = set()
        for index in a.keys() | b.keys():
            labels_a = a.get(index, empty)
            labels_b = b.get(index, empty)
            if labels_a == labels_b and len(labels_a) == 1:  # agreed on one label: most tokens
                (label,) = labels_a
                self.pairs[(label, label)] += 1
                self.both[label] += 1
                continue
            self.pairs[(_category(labels_a), _category(labels_b))] += 1
            for label in labels_a & labels_b:
                self.both[label] += 1
            for label in labels_a - labels_b:
                self.a_only[label] += 1
            for label in labels_b - labels_a:
                self.b_only[label] += 1

    def absorb(self, other: TokenConfusion) -> None:
        """Add another part of the corpus's counts (see UnitizedAlpha.absorb)."""
        self.tokens += other.tokens
        for name in ("pairs", "both", "a_only", "b_only"):
            getattr(self, name).update(getattr(other, name))

    def kappa(self) -> float | None:
        outside = self.tokens - sum(self.pairs.values())
        counts = self.pairs + Counter({(OUTSIDE, OUTSIDE): outside})
        return cohen_kappa(counts)

    def label_kappa(self, label: str) -> float | None:
        both, a_only, b_only = self.both[label], self.a_only[label], self.b_only[label]
        neither = self.tokens - both - a_only - b_only
        return cohen_kappa(Counter({(1, 1): both, (1, 0): a_only, (0, 1): b_only, (0, 0): neither}))


def _category(labels: set[str]) -> str:
    return "+".join(sorted(labels)) if labels else OUTSIDE


def cohen_kappa(confusion: Counter) -> float | None:
    """Cohen (1960): (p_o - p_e) / (1 - p_e), from counts of (a's category, b's category).
    None when chance agreement is already total (both put every token in one category):
    kappa is undefined there, and 1.0 or 0.0 would both mislead."""
    total = sum(confusion.values())
    if total == 0:
        return None
    observed = sum(n for (x, y), n in confusion.items() if x == y) / total
    rows: Counter = Counter()
    columns: Counter = Counter()
    for (x, y), n in confusion.items():
        rows[x] += n
        columns[y] += n
    expected = sum(rows[c] * columns[c] for c in rows) / (total * total)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)
