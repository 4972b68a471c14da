"""Annotators' layers: each annotator's accepted spans and events per article, read for
agreement (and for anything else that compares or merges annotators), and written whole.

Who made an annotation is the spans' `annotator` column; an event belongs to the annotator of
its trigger span (events have no column of their own yet; where a later format gives them
one, it is read first). An annotator *touched* an article when at least one of their accepted
spans is in it: a person who read an article and found nothing to mark leaves no trace in the
file, so such an article cannot count for them (the article status is one for the whole
project, not per annotator). Relations (events without a trigger) are not read.

Articles are paged by key over the articles that have annotated spans (`article_id > ?`), a
few hundred at a time, so reading two 100,000-article layers holds one page in memory.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence

from annotator.core.agreement.layers import (
    ArticleLayers,
    Layer,
    LayerArgument,
    LayerEvent,
    LayerSpan,
)
from annotator.core.errors import EditRefused
from annotator.core.model import ACCEPTED, ENTITY, TRIGGER
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible

PAGE = 300


def _marks(n: int) -> str:
    return ",".join("?" * n)


class LayerQueries(StoreBase):
    def annotator_names(self) -> list[str]:
        """Every annotator with an accepted span, in name order."""
        rows = self.conn.execute(
            "SELECT DISTINCT annotator FROM spans WHERE annotator IS NOT NULL "
            f"AND state = '{ACCEPTED}' ORDER BY annotator"
        )
        return [row[0] for row in rows]

    def annotated_article_count(self) -> int:
        """Articles holding an accepted span with an annotator's name (a job's total)."""
        return self.conn.execute(
            "SELECT count(DISTINCT article_id) FROM spans WHERE annotator IS NOT NULL "
            f"AND state = '{ACCEPTED}'"
        ).fetchone()[0]

    def _events_have_annotator(self) -> bool:
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(events)")}
        return "annotator" in columns

    def layer_articles(
        self, names: Sequence[str] | None = None, page: int = PAGE
    ) -> Iterator[ArticleLayers]:
        """Articles touched by at least one of `names` (every annotator when None), in id
        order, each with the layers of those of `names` who touched it."""
        wanted = list(names) if names is not None else None
        only = f" AND s.annotator IN ({_marks(len(wanted))})" if wanted else ""
        id_sql = (
            "SELECT DISTINCT s.article_id FROM spans s JOIN articles ON articles.id = "
            f"s.article_id WHERE s.article_id > ? AND s.state = '{ACCEPTED}' AND "
            f"s.annotator IS NOT NULL{only} AND {visible()} ORDER BY s.article_id LIMIT ?"
        )
        event_owner = (
            "COALESCE(e.annotator, t.annotator)"
            if self._events_have_annotator()
            else ("t.annotator")
        )
        after = 0
        while True:
            ids = [row[0] for row in self.conn.execute(id_sql, (after, *(wanted or ()), page))]
            if not ids:
                return
            yield from self._layer_page(ids, wanted, event_owner)
            after = ids[-1]

    def _layer_page(
        self, ids: list[int], wanted: list[str] | None, event_owner: str
    ) -> Iterator[ArticleLayers]:
        marks = _marks(len(ids))
        texts = dict(self.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids))
        # Every accepted span of the page, annotated or not: arguments may point at any.
        offsets: dict[int, tuple[int, int]] = {}
        spans: dict[int, dict[str, list[LayerSpan]]] = {}
        for span_id, article_id, start, end, label, kind, name in self.conn.execute(
            "SELECT id, article_id, start, end, label, kind, annotator FROM spans "
            f"WHERE article_id IN ({marks}) AND state = '{ACCEPTED}'",
            ids,
        ):
            offsets[span_id] = (start, end)
            if name is None or (wanted is not None and name not in wanted):
                continue
            layer = spans.setdefault(article_id, {}).setdefault(name, [])
            if kind != TRIGGER:
                layer.append(LayerSpan(start, end, label))
        events: dict[int, tuple[int, str, str, int]] = {}
        for event_id, article_id, kind, trigger_id, name in self.conn.execute(
            # CROSS JOIN: events first, by article (SQLite would otherwise start from every
            # accepted span in the file, on each page: quadratic on a large project).
            f"SELECT e.id, e.article_id, e.type, e.trigger_id, {event_owner} FROM events e "
            "CROSS JOIN spans t ON t.id = e.trigger_id "
            f"WHERE e.article_id IN ({marks}) AND e.relation = 0 AND t.state = '{ACCEPTED}'",
            ids,
        ):
            events[event_id] = (article_id, kind, name, trigger_id)
        arguments: dict[int, list[LayerArgument]] = {}
        for event_id, role, span_id, arg_event_id in self.conn.execute(
            "SELECT a.event_id, a.role, a.span_id, a.arg_event_id FROM event_arguments a "
            f"JOIN events e ON e.id = a.event_id WHERE e.article_id IN ({marks}) "
            "ORDER BY a.id",
            ids,
        ):
            if span_id is not None:
                filler = offsets.get(span_id)
            else:
                target = events.get(arg_event_id)
                filler = offsets.get(target[3]) if target else None
            if filler is not None:  # a suggested or rejected filler is no argument yet
                arguments.setdefault(event_id, []).append(LayerArgument(role, *filler))
        layer_events: dict[int, dict[str, list[LayerEvent]]] = {}
        for event_id, (article_id, kind, name, trigger_id) in events.items():
            if name is None or (wanted is not None and name not in wanted):
                continue
            start, end = offsets[trigger_id]
            layer_events.setdefault(article_id, {}).setdefault(name, []).append(
                LayerEvent(kind, start, end, tuple(arguments.get(event_id, ())))
            )
        for article_id in ids:
            by_name = spans.get(article_id, {})
            owned = layer_events.get(article_id, {})
            yield ArticleLayers(
                article_id,
                texts[article_id],
                {
                    name: Layer(tuple(by_name.get(name, ())), tuple(owned.get(name, ())))
                    for name in sorted(by_name.keys() | owned.keys())
                },
            )

    def write_layers(self, layers: Iterable[tuple[int, str, Layer]]) -> int:
        """Add annotators' layers, (article id, annotator, layer) each, in one transaction:
        the spans accepted and attributed to the annotator, each event's trigger a span of
        kind trigger, each argument filled by the layer's span (or event trigger) at its
        offsets. Returns the number of spans written. Adds to what is there (replacing a
        layer is the merge's business). All or nothing: a span outside its article's text,
        an unknown article or an argument with no filler refuses the whole batch
        (EditRefused). Labels are not checked against the schema."""
        now = time.time()
        written = 0
        with self.write():
            for article_id, name, layer in layers:
                written += self._write_layer(article_id, name, layer, now)
        return written

    def _write_layer(self, article_id: int, name: str, layer: Layer, now: float) -> int:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise EditRefused(f"{name}'s layer: there is no article {article_id}")
        length = len(row[0])  # measured by Python: SQLite's length() stops at a NUL
        for start, end in [(s.start, s.end) for s in layer.spans] + [
            (e.start, e.end) for e in layer.events
        ]:
            if not 0 <= start < end <= length:
                raise EditRefused(
                    f"{name}'s layer, article {article_id}: span {start}-{end} is not inside "
                    f"the text (0-{length})"
                )
        insert = (
            "INSERT INTO spans (article_id, origin, start, end, label, kind, state, meta, "
            "annotator, created, updated) VALUES (?, 'manual', ?, ?, ?, ?, ?, '{}', ?, ?, ?)"
        )
        entity_ids: dict[tuple[int, int], int] = {}
        for span in layer.spans:
            cursor = self.conn.execute(
                insert,
                (article_id, span.start, span.end, span.label, ENTITY, ACCEPTED, name, now, now),
            )
            entity_ids.setdefault((span.start, span.end), int(cursor.lastrowid or 0))
        event_ids: dict[tuple[int, int], int] = {}
        pending = []
        for event in layer.events:
            cursor = self.conn.execute(
                insert,
                (article_id, event.start, event.end, event.type, TRIGGER, ACCEPTED, name, now, now),
            )
            cursor = self.conn.execute(
                "INSERT INTO events (article_id, type, trigger_id, relation, origin, meta, "
                "created, updated) VALUES (?, ?, ?, 0, 'manual', '{}', ?, ?)",
                (article_id, event.type, cursor.lastrowid, now, now),
            )
            event_ids.setdefault((event.start, event.end), int(cursor.lastrowid or 0))
            pending.append((cursor.lastrowid, event))
        for event_id, event in pending:
            for argument in event.arguments:
                key = (argument.start, argument.end)
                span_id = entity_ids.get(key)
                arg_event_id = None if span_id is not None else event_ids.get(key)
                if span_id is None and arg_event_id is None:
                    raise EditRefused(
                        f"article {article_id}, {name}: argument {argument.role} at "
                        f"{key} fills with no span or event of that layer"
                    )
                self.conn.execute(
                    "INSERT INTO event_arguments (event_id, role, span_id, arg_event_id, "
                    "override) VALUES (?, ?, ?, ?, 0)",
                    (event_id, argument.role, span_id, arg_event_id),
                )
        n_spans = len(layer.spans) + len(layer.events)
        self.conn.execute(
            "UPDATE articles SET n_spans = n_spans + ?, n_events = n_events + ? WHERE id = ?",
            (n_spans, len(layer.events), article_id),
        )
        return n_spans
