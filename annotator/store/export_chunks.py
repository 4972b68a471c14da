"""What an exporter needs of a chunk of articles, read with one query per table.

A JSONL export of 10,000 articles asked six queries of each (the article, its accepted
spans, its rejected ones, its events, their arguments, the spans' and events' attributes):
60,000 statements, a tenth of the export's time. Here a chunk of articles (an export's unit
of work, 50 articles) costs four statements, whose rows are dealt out to the articles. What
each article gets is exactly what the per-article reads give (ArticleQueries.article,
SpanQueries.spans, answered_reject, EventQueries.events, ExportQueries.annotation_meta), in
the same order, so an export reading chunks writes the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from annotator.core.model import ACCEPTED, REJECTED, Argument, Article, Event, Span
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible
from annotator.store.rows import SPAN_COLUMNS, spans_with_rows

# Bound values per statement: well under SQLite's limit (32,766 since 3.32, 999 before).
_IDS_PER_QUERY = 500


class ExportedArticle(NamedTuple):
    """One article as an export reads it, of the layer read (read_layer)."""

    article: Article
    spans: list[Span]  # accepted, ordered as SpanQueries.spans orders them
    rejected: list[Span]  # answered reject in an import: rejected, with no decision
    events: list[Event]  # with their arguments, by id
    span_meta: dict[int, dict]  # a span's attributes, notes, normalizations (non-empty only)
    event_meta: dict[int, dict]  # an event's, likewise


def _meta(raw: str | None) -> dict | None:
    """A stored meta as annotation_meta reads it: None for none ('{}' or NULL)."""
    return json.loads(raw) if raw is not None and raw != "{}" else None


class ExportChunkQueries(StoreBase):
    """ProjectStore's chunk reader for exports (a mixin)."""

    def exported_articles(self, article_ids: Sequence[int]) -> list[ExportedArticle]:
        """The articles with these ids, in the order given, each with its spans, events and
        their attributes (of the layer read). An id that is no longer a visible article
        (deleted by another connection since the export chose its articles) is left out:
        the caller compares ids and says so, rather than failing a long export for it."""
        out: list[ExportedArticle] = []
        for at in range(0, len(article_ids), _IDS_PER_QUERY):
            out += self._exported_chunk(list(article_ids[at : at + _IDS_PER_QUERY]))
        return out

    def _exported_chunk(self, ids: list[int]) -> list[ExportedArticle]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        articles = {
            row[0]: Article(
                row[0], row[1], row[2] or "", row[3], row[4], json.loads(row[5] or "{}"), row[6]
            )
            for row in self.conn.execute(
                "SELECT id, text, title, ext_id, status, meta, n_spans FROM articles "
                f"WHERE id IN ({marks}) AND {visible()}",
                ids,
            )
        }
        layer, who = self.layer_condition()
        accepted: dict[int, list[Span]] = defaultdict(list)
        rejected: dict[int, list[Span]] = defaultdict(list)
        span_meta: dict[int, dict[int, dict]] = defaultdict(dict)
        rows = self.conn.execute(
            f"SELECT {SPAN_COLUMNS}, meta FROM spans WHERE article_id IN ({marks}) "
            f"AND state IN (?, ?) {layer} ORDER BY article_id, start, end DESC, id",
            (*ids, ACCEPTED, REJECTED, *who),
        )
        for span, row in spans_with_rows(rows):
            if span.state == ACCEPTED:
                accepted[span.article_id].append(span)
            elif span.decision is None:  # a rejected suggestion has one: not exported
                rejected[span.article_id].append(span)
            else:
                continue
            meta = _meta(row[-1])
            if meta is not None and span.id is not None:  # a stored span has an id
                span_meta[span.article_id][span.id] = meta
        events, event_meta = self._exported_events(ids, marks, layer, who)
        return [
            ExportedArticle(
                articles[article_id],
                accepted.get(article_id, []),
                rejected.get(article_id, []),
                events.get(article_id, []),
                span_meta.get(article_id, {}),
                event_meta.get(article_id, {}),
            )
            for article_id in ids
            if article_id in articles
        ]

    def _exported_events(
        self, ids: list[int], marks: str, layer: str, who: tuple
    ) -> tuple[dict[int, list[Event]], dict[int, dict[int, dict]]]:
        rows = self.conn.execute(
            "SELECT id, article_id, type, trigger_id, relation, origin, annotator, meta "
            f"FROM events WHERE article_id IN ({marks}) {layer} ORDER BY id",
            (*ids, *who),
        ).fetchall()
        if not rows:
            return {}, {}
        # Arguments of any layer, as EventQueries.events reads them: an event is one
        # annotator's, and so are the roles filled in it.
        args: dict[int, list[Argument]] = defaultdict(list)
        for arg in self.conn.execute(
            "SELECT a.id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator "
            "FROM event_arguments a JOIN events e ON e.id = a.event_id "
            f"WHERE e.article_id IN ({marks}) ORDER BY a.id",
            ids,
        ):
            args[arg[1]].append(
                Argument(arg[0], arg[1], arg[2], arg[3], arg[4], bool(arg[5]), arg[6])
            )
        events: dict[int, list[Event]] = defaultdict(list)
        event_meta: dict[int, dict[int, dict]] = defaultdict(dict)
        for r in rows:
            events[r[1]].append(
                Event(r[0], r[1], r[2], r[3], tuple(args[r[0]]), bool(r[4]), r[5], r[6])
            )
            meta = _meta(r[7])
            if meta is not None:
                event_meta[r[1]][r[0]] = meta
        return events, event_meta
