"""Reading annotator layers (core/layers.py): who annotated the project, and each person's
spans and events per article, one article or streamed over the whole corpus in batches
(agreement and export read 100,000 articles without holding them all); iter_layers_with_text
adds each article's text (agreement counts tokens). write_layers builds layers from offsets,
for tests and benchmarks. A mixin of ProjectStore."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator

from annotator.core.agreement.layers import ArticleLayers, LayerUnits
from annotator.core.errors import EditRefused
from annotator.core.layers import UNNAMED, Layer
from annotator.core.model import ACCEPTED, ENTITY, TRIGGER, Argument, Event, Span
from annotator.store import compared_layers
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible
from annotator.store.rows import SPAN_COLUMNS, span_from_row

_BATCH = 500  # articles per query when streaming layers


def _name(annotator: str | None) -> str:
    return UNNAMED if annotator is None else annotator


class LayerQueries(StoreBase):
    def layer_condition(self, table: str = "") -> tuple[str, tuple]:
        """The SQL (`AND ...`) and parameters that keep a query on spans or events to
        `read_layer`; nothing when every layer is read."""
        column = f"{table}.annotator" if table else "annotator"
        if self.read_layer is None:
            return "", ()
        if self.read_layer == UNNAMED:
            return f"AND {column} IS NULL", ()
        return f"AND {column} = ?", (self.read_layer,)

    def annotators(self) -> list[str]:
        """Everyone with an accepted span or an event in the project, sorted; rows stored
        before names were kept count as UNNAMED. Reads the annotator index, not the rows."""
        names = {
            _name(row[0])
            for row in self.conn.execute(
                "SELECT DISTINCT annotator FROM spans WHERE state = ?", (ACCEPTED,)
            )
        }
        names |= {
            _name(row[0]) for row in self.conn.execute("SELECT DISTINCT annotator FROM events")
        }
        return sorted(names)

    def layers(self, article_id: int, annotators: Iterable[str] | None = None) -> dict[str, Layer]:
        """Each annotator's layer on one article (only those who annotated it), by name."""
        return self._layers_between(article_id, article_id, annotators).get(article_id, {})

    def layer(self, article_id: int, annotator: str) -> Layer:
        """One annotator's layer on one article (empty if they did not annotate it)."""
        return self.layers(article_id, [annotator]).get(annotator, Layer(annotator, article_id))

    def annotated_article_count(self) -> int:
        """How many articles iter_layers reads (a job's total, for its progress)."""
        return self.conn.execute(
            f"SELECT count(*) FROM articles WHERE (n_spans > 0 OR n_events > 0) AND {visible()}"
        ).fetchone()[0]

    def iter_layers(
        self, annotators: Iterable[str] | None = None, batch: int = _BATCH
    ) -> Iterator[tuple[int, dict[str, Layer]]]:
        """(article id, {annotator: layer}) for every visible article someone annotated, in
        id order, `batch` articles per query: memory stays bounded by one batch."""
        for ids, found in self._layer_batches(annotators, batch):
            for article_id in ids:
                if found.get(article_id):
                    yield article_id, found[article_id]

    def iter_layers_with_text(
        self, annotators: Iterable[str] | None = None, batch: int = _BATCH
    ) -> Iterator[tuple[int, str, dict[str, Layer]]]:
        """As iter_layers, with each article's text (agreement counts tokens), read with
        its batch."""
        for ids, found in self._layer_batches(annotators, batch):
            wanted = [article_id for article_id in ids if found.get(article_id)]
            if not wanted:
                continue
            marks = ",".join("?" * len(wanted))
            texts = dict(
                self.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", wanted)
            )
            for article_id in wanted:
                yield article_id, texts[article_id], found[article_id]

    def iter_compared(
        self,
        names: Collection[str],
        batch: int = _BATCH,
        after: int = 0,
        until: int | None = None,
    ) -> Iterator[tuple[int, ArticleLayers | None]]:
        """What agreement compares of `names`' layers, article by article, read from the
        rows directly (store/compared_layers.py): (articles read, ArticleLayers or None);
        ids above `after` and up to `until` only, when given."""
        return compared_layers.iter_compared(self.conn, names, batch, after, until)

    def agreement_parts(self, parts: int) -> list[tuple[int, int | None]]:
        """(after, until) bounds that cut the annotated articles into about `parts` runs of
        the same size, for iter_compared in as many processes."""
        cuts = compared_layers.split_points(self.conn, parts)
        starts = [0, *cuts]
        return list(zip(starts, [*cuts, None], strict=True))

    def _layer_batches(
        self, annotators: Iterable[str] | None, batch: int
    ) -> Iterator[tuple[list[int], dict[int, dict[str, Layer]]]]:
        wanted = None if annotators is None else list(annotators)
        after = 0
        while True:
            ids = [
                row[0]
                for row in self.conn.execute(
                    f"SELECT id FROM articles WHERE id > ? AND (n_spans > 0 OR n_events > 0) "
                    f"AND {visible()} ORDER BY id LIMIT ?",
                    (after, batch),
                )
            ]
            if not ids:
                return
            yield ids, self._layers_between(ids[0], ids[-1], wanted)
            after = ids[-1]

    def _layers_between(
        self, first: int, last: int, annotators: Iterable[str] | None
    ) -> dict[int, dict[str, Layer]]:
        wanted = None if annotators is None else set(annotators)
        spans: dict[tuple[int, str], list[Span]] = defaultdict(list)
        for row in self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id BETWEEN ? AND ? AND state = ? "
            "ORDER BY article_id, start, end DESC, id",
            (first, last, ACCEPTED),
        ):
            span = span_from_row(row)
            name = _name(span.annotator)
            if wanted is None or name in wanted:
                spans[(span.article_id, name)].append(span)
        arguments: dict[int, list[Argument]] = defaultdict(list)
        for row in self.conn.execute(
            "SELECT a.id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator "
            "FROM event_arguments a JOIN events e ON e.id = a.event_id "
            "WHERE e.article_id BETWEEN ? AND ? ORDER BY a.id",
            (first, last),
        ):
            arguments[row[1]].append(
                Argument(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
            )
        events: dict[tuple[int, str], list[Event]] = defaultdict(list)
        for row in self.conn.execute(
            "SELECT id, article_id, type, trigger_id, relation, origin, annotator FROM events "
            "WHERE article_id BETWEEN ? AND ? ORDER BY id",
            (first, last),
        ):
            name = _name(row[6])
            if wanted is None or name in wanted:
                event = Event(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    tuple(arguments[row[0]]),
                    bool(row[4]),
                    row[5],
                    row[6],
                )
                events[(row[1], name)].append(event)
        found: dict[int, dict[str, Layer]] = defaultdict(dict)
        for article_id, name in sorted({*spans, *events}):
            found[article_id][name] = Layer(
                name,
                article_id,
                tuple(spans[(article_id, name)]),
                tuple(events[(article_id, name)]),
            )
        return found

    def write_layers(self, layers: Iterable[tuple[int, str, LayerUnits]]) -> int:
        """Add annotators' layers, (article id, annotator, layer) each, in one transaction
        (tests and the agreement benchmark build projects with it; real layers arrive by
        import --annotator, merge or the window):
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

    def _write_layer(self, article_id: int, name: str, layer: LayerUnits, now: float) -> int:
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
                "annotator, created, updated) VALUES (?, ?, ?, 0, 'manual', '{}', ?, ?, ?)",
                (article_id, event.type, cursor.lastrowid, name, now, now),
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
                    "override, annotator) VALUES (?, ?, ?, ?, 0, ?)",
                    (event_id, argument.role, span_id, arg_event_id, name),
                )
        n_spans = len(layer.spans) + len(layer.events)
        self.conn.execute(
            "UPDATE articles SET n_spans = n_spans + ?, n_events = n_events + ? WHERE id = ?",
            (n_spans, len(layer.events), article_id),
        )
        return n_spans
