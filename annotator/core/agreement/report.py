"""Agreement between annotators, added to article by article: the figures for each pair and
overall, as one plain dict (what `annotator agree --json` prints and the panel shows).

Which articles count: for a pair, those both annotators touched, i.e. that are in both
annotators' layers (ArticleLayers.layers); the store decides what touching is (see
annotator/store/layers.py). Overall: span and event F1 pool the matched and total counts of
every pair; kappa is Light's (1971) kappa, the mean of the pairs' Cohen's kappas; uα is
computed with all the annotators as observers, over the articles every one of them touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

from annotator.core.agreement.layers import ArticleLayers, LayerEvent, LayerSpan, LayerUnits
from annotator.core.agreement.matching import (
    argument_matches,
    exact_matches,
    matched_events,
    overlap_matches,
)
from annotator.core.agreement.token_kappa import ArticleTokens, TokenConfusion, token_labels
from annotator.core.agreement.unitized import UnitizedAlpha, joint_alpha


def f1(matched: int, a: int, b: int) -> float | None:
    """2·matched / (a + b); None when neither annotator has anything to compare."""
    return 2 * matched / (a + b) if a + b else None


class _Counts:
    """Span and event counts of one pair (or pooled over pairs)."""

    def __init__(self) -> None:
        self.spans_a: Counter[str] = Counter()
        self.spans_b: Counter[str] = Counter()
        self.exact: Counter[str] = Counter()
        self.overlap: Counter[str] = Counter()
        self.events_a: Counter[str] = Counter()
        self.events_b: Counter[str] = Counter()
        self.events_matched: Counter[str] = Counter()
        # arguments of matched events only: argument F1 is "given matched triggers"
        self.arguments_a: Counter[str] = Counter()
        self.arguments_b: Counter[str] = Counter()
        self.arguments_matched: Counter[str] = Counter()

    def add_article(self, a: LayerUnits, b: LayerUnits) -> None:
        for span in a.spans:
            self.spans_a[span.label] += 1
        for span in b.spans:
            self.spans_b[span.label] += 1
        self.exact += exact_matches(a.spans, b.spans)
        self.overlap += overlap_matches(list(a.spans), list(b.spans))
        for event in a.events:
            self.events_a[event.type] += 1
        for event in b.events:
            self.events_b[event.type] += 1
        for x, y in matched_events(a.events, b.events):
            self.events_matched[x.type] += 1
            for argument in x.arguments:
                self.arguments_a[argument.role] += 1
            for argument in y.arguments:
                self.arguments_b[argument.role] += 1
            self.arguments_matched += argument_matches(x, y)

    def pool(self, other: _Counts) -> None:
        for name, counter in vars(other).items():
            getattr(self, name).update(counter)

    def spans(self) -> dict:
        labels = sorted(self.spans_a.keys() | self.spans_b.keys())
        by_label = {}
        for label in labels:
            a, b = self.spans_a[label], self.spans_b[label]
            by_label[label] = {
                "a": a,
                "b": b,
                "matched_exact": self.exact[label],
                "f1_exact": f1(self.exact[label], a, b),
                "matched_overlap": self.overlap[label],
                "f1_overlap": f1(self.overlap[label], a, b),
            }
        a, b = sum(self.spans_a.values()), sum(self.spans_b.values())
        exact, overlap = sum(self.exact.values()), sum(self.overlap.values())
        return {
            "a": a,
            "b": b,
            "matched_exact": exact,
            "f1_exact": f1(exact, a, b),
            "matched_overlap": overlap,
            "f1_overlap": f1(overlap, a, b),
            "by_label": by_label,
        }

    def events(self) -> dict:
        by_type = {
            kind: {
                "a": self.events_a[kind],
                "b": self.events_b[kind],
                "matched": self.events_matched[kind],
                "trigger_f1": f1(
                    self.events_matched[kind], self.events_a[kind], self.events_b[kind]
                ),
            }
            for kind in sorted(self.events_a.keys() | self.events_b.keys())
        }
        by_role = {
            role: {
                "a": self.arguments_a[role],
                "b": self.arguments_b[role],
                "matched": self.arguments_matched[role],
                "argument_f1": f1(
                    self.arguments_matched[role], self.arguments_a[role], self.arguments_b[role]
                ),
            }
            for role in sorted(self.arguments_a.keys() | self.arguments_b.keys())
        }
        a, b = sum(self.events_a.values()), sum(self.events_b.values())
        matched = sum(self.events_matched.values())
        args_a, args_b = sum(self.arguments_a.values()), sum(self.arguments_b.values())
        args_matched = sum(self.arguments_matched.values())
        return {
            "a": a,
            "b": b,
            "matched": matched,
            "trigger_f1": f1(matched, a, b),
            "arguments_a": args_a,
            "arguments_b": args_b,
            "arguments_matched": args_matched,
            "argument_f1": f1(args_matched, args_a, args_b),
            "by_type": by_type,
            "by_role": by_role,
        }


class _Unitized:
    """uα per label for a fixed group of observers, and the lengths of their articles."""

    def __init__(self, observers: int) -> None:
        self.observers = observers
        self.corpus: Counter[int] = Counter()
        self.labels: dict[str, UnitizedAlpha] = {}

    def add(self, length: int, layers: Sequence[LayerUnits]) -> None:
        self.corpus[length] += 1
        units: dict[str, list[list[tuple[int, int]]]] = {}
        for i, layer in enumerate(layers):
            for span in layer.spans:
                units.setdefault(span.label, [[] for _ in layers])[i].append((span.start, span.end))
        for label, by_observer in units.items():
            if label not in self.labels:
                self.labels[label] = UnitizedAlpha(self.observers)
            self.labels[label].add(length, by_observer)

    def absorb(self, other: _Unitized) -> None:
        self.corpus.update(other.corpus)
        for label, part in other.labels.items():
            self.labels.setdefault(label, UnitizedAlpha(self.observers)).absorb(part)

    def alpha(self, label: str | None = None) -> float | None:
        if label is None:
            return joint_alpha(list(self.labels.values()), self.corpus)
        part = self.labels.get(label)
        return part.alpha(self.corpus) if part else None


class _Pair:
    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b
        self.articles = 0
        self.counts = _Counts()
        self.tokens = TokenConfusion()
        self.unitized = _Unitized(2)

    def absorb(self, other: _Pair) -> None:
        self.articles += other.articles
        self.counts.pool(other.counts)
        self.tokens.absorb(other.tokens)
        self.unitized.absorb(other.unitized)

    def result(self) -> dict:
        spans = self.counts.spans()
        spans["tokens"] = self.tokens.tokens
        spans["kappa_tokens"] = self.tokens.kappa()
        spans["alpha_u"] = self.unitized.alpha()
        for label, figures in spans["by_label"].items():
            figures["kappa_tokens"] = self.tokens.label_kappa(label)
            figures["alpha_u"] = self.unitized.alpha(label)
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "spans": spans,
            "events": self.counts.events(),
        }


class Agreement:
    """Feed it articles with add(), read the figures with result()."""

    def __init__(
        self, annotators: Sequence[str], tokens: ArticleTokens, label: str | None = None
    ) -> None:
        if len(set(annotators)) < 2:
            raise ValueError("agreement needs two annotators or more")
        self.annotators = list(annotators)
        self.label = label
        self.tokens = tokens
        self.pairs = [_Pair(a, b) for a, b in combinations(self.annotators, 2)]
        self.everyone = _Unitized(len(self.annotators))
        self.articles_everyone = 0
        self.articles_seen = 0

    def add(self, article: ArticleLayers) -> None:
        self.articles_seen += 1
        layers = {
            name: self._filtered(layer)
            for name, layer in article.layers.items()
            if name in self.annotators
        }
        if len(layers) < 2:
            return
        text = article.text
        n_tokens = self.tokens.count(text)
        labels = {
            name: token_labels(layer.spans, text, self.tokens) for name, layer in layers.items()
        }
        for pair in self.pairs:
            a, b = layers.get(pair.a), layers.get(pair.b)
            if a is None or b is None:
                continue
            pair.articles += 1
            pair.counts.add_article(a, b)
            pair.tokens.add(n_tokens, labels[pair.a], labels[pair.b])
            pair.unitized.add(len(article.text), [a, b])
        if len(layers) == len(self.annotators) and len(self.annotators) > 2:
            self.articles_everyone += 1
            self.everyone.add(len(article.text), [layers[name] for name in self.annotators])

    def absorb(self, other: Agreement) -> None:
        """Add what `other` counted over other articles (the same annotators and label): a
        corpus measured in parts, one per process, gives exactly the figures measured
        whole (every sum is of integers; the figures are computed from them at the end)."""
        if other.annotators != self.annotators or other.label != self.label:
            raise ValueError("agreement parts measure different annotators or labels")
        self.articles_seen += other.articles_seen
        self.articles_everyone += other.articles_everyone
        for mine, theirs in zip(self.pairs, other.pairs, strict=True):
            mine.absorb(theirs)
        self.everyone.absorb(other.everyone)

    def add_all(self, articles: Iterable[ArticleLayers]) -> Agreement:
        for article in articles:
            self.add(article)
        return self

    def _filtered(self, layer: LayerUnits) -> LayerUnits:
        if self.label is None:
            return layer
        spans: tuple[LayerSpan, ...] = tuple(s for s in layer.spans if s.label == self.label)
        events: tuple[LayerEvent, ...] = tuple(e for e in layer.events if e.type == self.label)
        return LayerUnits(spans, events)

    def result(self) -> dict:
        pairs = [pair.result() for pair in self.pairs]
        pooled = _Counts()
        for pair in self.pairs:
            pooled.pool(pair.counts)
        spans = pooled.spans()
        kappas = [
            p["spans"]["kappa_tokens"] for p in pairs if p["spans"]["kappa_tokens"] is not None
        ]
        spans["kappa_tokens"] = sum(kappas) / len(kappas) if kappas else None
        if len(self.annotators) == 2:
            articles_everyone = self.pairs[0].articles
            spans["alpha_u"] = pairs[0]["spans"]["alpha_u"]
        else:
            articles_everyone = self.articles_everyone
            spans["alpha_u"] = self.everyone.alpha()
        for label, figures in spans["by_label"].items():
            label_kappas = [
                k
                for p in pairs
                if (k := p["spans"]["by_label"].get(label, {}).get("kappa_tokens")) is not None
            ]
            figures["kappa_tokens"] = (
                sum(label_kappas) / len(label_kappas) if label_kappas else None
            )
            figures["alpha_u"] = (
                pairs[0]["spans"]["by_label"][label]["alpha_u"]
                if len(self.annotators) == 2
                else self.everyone.alpha(label)
            )
        return {
            "annotators": self.annotators,
            "label": self.label,
            "articles": self.articles_seen,
            "pairs": pairs,
            "overall": {
                "annotators": self.annotators,
                "articles_all_annotators": articles_everyone,
                "spans": spans,
                "events": pooled.events(),
            },
        }
