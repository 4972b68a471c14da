"""Reading annotator layers (core/layers.py): who annotated the project, and each person's
spans and events per article, one article or streamed over the whole corpus in batches
(agreement and export read 100,000 articles without holding them all). A mixin of
ProjectStore."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from annotator.core.layers import UNNAMED, Layer
from annotator.core.model import ACCEPTED, Argument, Event, Span
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

    def iter_layers(
        self, annotators: Iterable[str] | None = None, batch: int = _BATCH
    ) -> Iterator[tuple[int, dict[str, Layer]]]:
        """(article id, {annotator: layer}) for every visible article someone annotated, in
        id order, `batch` articles per query: memory stays bounded by one batch."""
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
            found = self._layers_between(ids[0], ids[-1], wanted)
            for article_id in ids:
                if found.get(article_id):
                    yield article_id, found[article_id]
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
