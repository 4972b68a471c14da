"""Matching two annotators' spans and events, counted for F1.

Every F1 here is 2·matched / (a + b): with one-to-one matching it is the same whichever
annotator is taken as the reference, so a pair needs no "gold" side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from annotator.core.agreement.layers import LayerEvent, LayerSpan


def exact_matches(a: Iterable[LayerSpan], b: Iterable[LayerSpan]) -> Counter[str]:
    """Matched spans per label: same offsets and same label, counted as multisets (a span
    written twice by one annotator matches at most once per copy in the other layer)."""
    shared = Counter((s.start, s.end, s.label) for s in a) & Counter(
        (s.start, s.end, s.label) for s in b
    )
    matched: Counter[str] = Counter()
    for (_, _, label), n in shared.items():
        matched[label] += n
    return matched


def overlap_matches(a: list[LayerSpan], b: list[LayerSpan]) -> Counter[str]:
    """Matched spans per label when overlapping spans of the same label count as agreeing.

    One to one, greedily by the longest shared stretch (then the earliest), so that a long
    span overlapping three short ones counts once, not three times."""
    matched: Counter[str] = Counter()
    by_label_b: dict[str, list[tuple[int, LayerSpan]]] = {}
    for j, span in enumerate(b):
        by_label_b.setdefault(span.label, []).append((j, span))
    candidates = []
    for i, x in enumerate(a):
        for j, y in by_label_b.get(x.label, ()):
            shared = min(x.end, y.end) - max(x.start, y.start)
            if shared > 0:
                candidates.append((-shared, x.start, i, j, x.label))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, i, j, label in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched[label] += 1
    return matched


def matched_events(
    a: Iterable[LayerEvent], b: Iterable[LayerEvent]
) -> list[tuple[LayerEvent, LayerEvent]]:
    """Pairs of events with the same trigger offsets and the same type. Where one annotator
    wrote several such events, they pair up by the most arguments in common."""
    groups_b: dict[tuple[int, int, str], list[LayerEvent]] = {}
    for event in b:
        groups_b.setdefault((event.start, event.end, event.type), []).append(event)
    groups_a: dict[tuple[int, int, str], list[LayerEvent]] = {}
    for event in a:
        groups_a.setdefault((event.start, event.end, event.type), []).append(event)
    pairs = []
    for key, events_a in groups_a.items():
        events_b = groups_b.get(key)
        if not events_b:
            continue
        if len(events_a) == 1 and len(events_b) == 1:
            pairs.append((events_a[0], events_b[0]))
            continue
        scored = sorted(
            (-sum(argument_matches(x, y).values()), i, j)
            for i, x in enumerate(events_a)
            for j, y in enumerate(events_b)
        )
        used_a: set[int] = set()
        used_b: set[int] = set()
        for _, i, j in scored:
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                pairs.append((events_a[i], events_b[j]))
    return pairs


def argument_matches(a: LayerEvent, b: LayerEvent) -> Counter[str]:
    """Matched arguments per role of two matched events: same role, same filler offsets."""
    shared = Counter((x.role, x.start, x.end) for x in a.arguments) & Counter(
        (y.role, y.start, y.end) for y in b.arguments
    )
    matched: Counter[str] = Counter()
    for (role, _, _), n in shared.items():
        matched[role] += n
    return matched
