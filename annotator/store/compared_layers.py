"""What agreement compares, read straight from the rows (LayerQueries.iter_compared): per
article, the named annotators' spans and events as offsets (core/agreement/layers.py),
a batch of articles per query, memory bounded by one batch.

The same records core/agreement/from_layers.article_layers makes from the store's layers
(tests/test_agree_reader.py holds them equal), without making a Span, Event and Layer per
row first: those were two thirds of the time `annotator agree` took on 100,000 articles
(benchmarks/bench_agreement.py). The rules are from_layers.py's: a trigger or a filler is
looked up among every layer's accepted spans on the article; an event whose trigger is not
an accepted span, and relations, are not compared; an annotator takes part in an article
when they have an accepted span or an event on it.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterator

from annotator.core.agreement.layers import (
    ArticleLayers,
    LayerArgument,
    LayerEvent,
    LayerSpan,
    LayerUnits,
)
from annotator.core.layers import UNNAMED
from annotator.core.model import ACCEPTED, TRIGGER
from annotator.store.import_runs import visible


def iter_compared(
    conn: sqlite3.Connection,
    names: Collection[str],
    batch: int,
    after: int = 0,
    until: int | None = None,
) -> Iterator[tuple[int, ArticleLayers | None]]:
    """(articles read so far, the article's compared layers or None when none of `names`
    touched it) for every visible article someone annotated, in id order; only ids above
    `after` and up to `until` when given (a part of the corpus, for one process)."""
    wanted = set(names)
    read = 0
    last = -1 if until is None else until
    while True:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM articles WHERE id > ? AND (? < 0 OR id <= ?) "
                f"AND (n_spans > 0 OR n_events > 0) AND {visible()} ORDER BY id LIMIT ?",
                (after, last, last, batch),
            )
        ]
        if not ids:
            return
        found = _between(conn, ids[0], ids[-1], wanted)
        marks = ",".join("?" * len(ids))
        texts = dict(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids))
        for article_id in ids:
            layers = found.get(article_id)
            if layers is None:
                continue  # nobody's accepted span or event: not an article iter_layers yields
            read += 1
            compared = {name: layers[name] for name in sorted(layers) if name in wanted}
            yield read, ArticleLayers(article_id, texts[article_id], compared) if compared else None
        after = ids[-1]


def _between(
    conn: sqlite3.Connection, first: int, last: int, wanted: set[str]
) -> dict[int, dict[str, LayerUnits]]:
    offsets: dict[int, tuple[int, int]] = {}
    spans: dict[tuple[int, str], list[LayerSpan]] = defaultdict(list)
    touched: set[tuple[int, str]] = set()
    for span_id, article, start, end, label, kind, annotator in conn.execute(
        "SELECT id, article_id, start, end, label, kind, annotator FROM spans "
        "WHERE article_id BETWEEN ? AND ? AND state = ? ORDER BY article_id, start, end DESC, id",
        (first, last, ACCEPTED),
    ):
        offsets[span_id] = (start, end)
        key = (article, UNNAMED if annotator is None else annotator)
        touched.add(key)
        if kind != TRIGGER and key[1] in wanted:
            spans[key].append(LayerSpan(start, end, label))
    events = conn.execute(
        "SELECT id, article_id, type, trigger_id, relation, annotator FROM events "
        "WHERE article_id BETWEEN ? AND ? ORDER BY id",
        (first, last),
    ).fetchall()
    triggers = {row[0]: offsets[row[3]] for row in events if row[3] in offsets}
    arguments: dict[int, list[LayerArgument]] = defaultdict(list)
    for event_id, role, span_id, arg_event_id in conn.execute(
        "SELECT a.event_id, a.role, a.span_id, a.arg_event_id FROM event_arguments a "
        "JOIN events e ON e.id = a.event_id WHERE e.article_id BETWEEN ? AND ? ORDER BY a.id",
        (first, last),
    ):
        filler = offsets.get(span_id) if span_id is not None else triggers.get(arg_event_id)
        if filler is not None:
            arguments[event_id].append(LayerArgument(role, *filler))
    compared_events: dict[tuple[int, str], list[LayerEvent]] = defaultdict(list)
    for event_id, article, event_type, _, relation, annotator in events:
        key = (article, UNNAMED if annotator is None else annotator)
        touched.add(key)
        trigger = triggers.get(event_id)
        if relation or trigger is None or key[1] not in wanted:
            continue
        compared_events[key].append(
            LayerEvent(event_type, *trigger, tuple(arguments.get(event_id, ())))
        )
    found: dict[int, dict[str, LayerUnits]] = defaultdict(dict)
    for key in touched:
        found[key[0]][key[1]] = LayerUnits(
            tuple(spans.get(key, ())), tuple(compared_events.get(key, ()))
        )
    return found


def split_points(conn: sqlite3.Connection, parts: int) -> list[int]:
    """Article ids that cut the annotated articles into `parts` runs of about the same
    size (for iter_compared's `after` and `until`): parts - 1 ids, ascending."""
    total = conn.execute(
        f"SELECT count(*) FROM articles WHERE (n_spans > 0 OR n_events > 0) AND {visible()}"
    ).fetchone()[0]
    cuts: list[int] = []
    for k in range(1, parts):
        row = conn.execute(
            "SELECT id FROM articles WHERE (n_spans > 0 OR n_events > 0) "
            f"AND {visible()} ORDER BY id LIMIT 1 OFFSET ?",
            (total * k // parts - 1,),
        ).fetchone()
        if row is not None and (not cuts or row[0] > cuts[-1]):
            cuts.append(row[0])
    return cuts
