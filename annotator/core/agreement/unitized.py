"""Krippendorff's alpha for unitized data (uα), as defined in Krippendorff (2004), "Measuring
the reliability of qualitative text analysis data", Quality & Quantity 38, 787-800, and
recalled in Krippendorff et al. (2016), "On the reliability of unitizing textual continua:
further developments", Quality & Quantity 50 (the per-category coefficient, called |uα_k
there, is the 2004 one).

Why uα and not γ: uα has a closed form, so it streams over a corpus in one pass, whereas γ
(Mathet et al. 2015) needs an optimal alignment per article and a sampled expected
disagreement, minutes on a large corpus.

The continuum is the article text in code points; one annotator's sections for a label are
its units (the label's spans, overlapping ones merged into their union, since uα needs the
sections of one observer not to overlap) and the gaps between them. Several articles are
several continua: L is their total length, and the expected disagreement pairs units and gaps
across the whole corpus, as the 2004 formula does over its sum of continua.

    uD_o = Σ_{i≠j} Σ_g Σ_h δ²(ig, jh) / (m (m-1) L²)
    δ²   = (b_i - b_j)² + (e_i - e_j)²   two units that overlap
         = l_i²                          a unit inside a gap of the other (or l_j², reversed)
         = 0                             otherwise
    uD_e = (2 / L) · Σ_units [ (N-1)/3 · (2l³ - 3l² + l) + l² Σ_{gaps g ≥ l} (g - l + 1) ]
                     / (mL (mL - 1) - Σ_units l (l - 1))
    uα_k = 1 - uD_o / uD_e;   joint uα = 1 - Σ_k uD_o / Σ_k uD_e

N is the number of units of the label over every annotator; checked against the example of
the 2004 paper in tests/core/test_agreement_unitized.py. Memory is bounded by the number of
distinct unit and gap lengths (at most the longest article), never by the corpus.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence


def merged(units: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) units sorted, overlapping or touching ones merged."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(units):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def sections(units: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """The continuum [0, length) cut into (start, end, is_unit) sections."""
    out = []
    position = 0
    for start, end in units:
        if start > position:
            out.append((position, start, False))
        out.append((start, end, True))
        position = end
    if position < length:
        out.append((position, length, False))
    return out


def squared_differences(
    first: list[tuple[int, int, bool]], second: list[tuple[int, int, bool]]
) -> int:
    """Σ_g Σ_h δ² between two observers' sections. Sections partition the continuum, so
    only overlapping ones can differ from zero: one walk over both lists."""
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        b1, e1, unit1 = first[i]
        b2, e2, unit2 = second[j]
        if b1 < e2 and b2 < e1:  # they overlap
            if unit1 and unit2:
                total += (b1 - b2) ** 2 + (e1 - e2) ** 2
            elif unit1 and b2 <= b1 and e1 <= e2:
                total += (e1 - b1) ** 2
            elif unit2 and b1 <= b2 and e2 <= e1:
                total += (e2 - b2) ** 2
        if e1 <= e2:
            i += 1
        else:
            j += 1
    return total


class UnitizedAlpha:
    """uα for one label and a fixed set of m observers, added to article by article.

    Only articles where some observer used the label are added; every other article of the
    corpus is one whole gap per observer, given at the end as `corpus` (a Counter of article
    lengths), so that a label first seen late needs nothing from the articles before it."""

    def __init__(self, observers: int):
        self.m = observers
        self.squared = 0  # Σ_{i≠j} Σ δ²
        self.units: Counter[int] = Counter()  # unit lengths over every observer
        self.gaps: Counter[int] = Counter()  # gap lengths in the articles added
        self.added: Counter[int] = Counter()  # lengths of the articles added

    def add(self, length: int, units_by_observer: Sequence[Sequence[tuple[int, int]]]) -> None:
        """One article: its length and, per observer, its units of this label."""
        if len(units_by_observer) != self.m:
            raise ValueError(f"expected {self.m} observers, got {len(units_by_observer)}")
        self.added[length] += 1
        cut = []
        for units in units_by_observer:
            parts = sections(merged(units), length)
            cut.append(parts)
            for start, end, is_unit in parts:
                (self.units if is_unit else self.gaps)[end - start] += 1
        for i in range(self.m):
            for j in range(i + 1, self.m):
                # δ² is symmetric: the ordered pairs (i, j) and (j, i) give the same sum.
                self.squared += 2 * squared_differences(cut[i], cut[j])

    def absorb(self, other: UnitizedAlpha) -> None:
        """Add what `other` counted (the same label and observers, other articles): the
        sums are sums, so a corpus measured in parts gives the figures measured whole."""
        self.squared += other.squared
        self.units.update(other.units)
        self.gaps.update(other.gaps)
        self.added.update(other.added)

    def disagreements(self, corpus: Counter[int]) -> tuple[float, float] | None:
        """(uD_o, uD_e) over the corpus (every article's length, those added included), or
        None when uD_e is zero (no unit at all: nothing to agree on)."""
        m = self.m
        total = sum(length * n for length, n in corpus.items())
        n_units = sum(self.units.values())
        if total == 0 or n_units == 0 or m < 2:
            return None
        observed = self.squared / (m * (m - 1) * total * total)
        gaps = Counter(self.gaps)
        for length, n in corpus.items():
            untouched = n - self.added.get(length, 0)
            if untouched > 0:
                gaps[length] += m * untouched
        gap_lengths = sorted(gaps)
        # suffix sums over gap lengths: how many gaps are at least l long, and their total
        counts = [0] * (len(gap_lengths) + 1)
        sums = [0] * (len(gap_lengths) + 1)
        for k in range(len(gap_lengths) - 1, -1, -1):
            g = gap_lengths[k]
            counts[k] = counts[k + 1] + gaps[g]
            sums[k] = sums[k + 1] + gaps[g] * g
        numerator = 0.0
        within = 0
        for length, n in self.units.items():
            numerator += n * (n_units - 1) / 3 * (2 * length**3 - 3 * length**2 + length)
            k = bisect_left(gap_lengths, length)
            numerator += n * length**2 * (sums[k] - (length - 1) * counts[k])
            within += n * length * (length - 1)
        denominator = m * total * (m * total - 1) - within
        if denominator <= 0 or numerator <= 0:
            return None
        return observed, (2 / total) * numerator / denominator

    def alpha(self, corpus: Counter[int]) -> float | None:
        found = self.disagreements(corpus)
        if found is None:
            return None
        observed, expected = found
        return 1.0 - observed / expected


def joint_alpha(parts: Sequence[UnitizedAlpha], corpus: Counter[int]) -> float | None:
    """uα over all labels: 1 - Σ uD_o / Σ uD_e (Krippendorff 2004)."""
    found = [d for d in (part.disagreements(corpus) for part in parts) if d is not None]
    if not found:
        return None
    expected = sum(e for _, e in found)
    return 1.0 - sum(o for o, _ in found) / expected if expected else None
