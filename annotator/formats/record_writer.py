"""Checking one article record's spans and events against the schema, and writing them.

Runs inside write_records' transaction. Records point at each other by identity (an event at
its trigger's SpanRecord, an argument at a SpanRecord or EventRecord), so a span that is
skipped takes with it exactly what depended on it, and each loss is reported.

Records are written a batch at a time (BatchWriter): one query per batch finds the duplicates,
one executemany inserts the articles and one the spans of articles without events. Per-record
queries were most of an import's time (benchmarks/bench_formats.py).
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING

from annotator.core.model import ACCEPTED, TRIGGER, title_from_text
from annotator.store.articles import text_hash

if TYPE_CHECKING:
    from annotator.formats.records import (
        ArgumentRecord, ArticleRecord, EventRecord, ImportReport, SpanRecord,
    )
    from annotator.formats.schema_growth import SchemaGrowth

    Kept = list[tuple[EventRecord, list[ArgumentRecord]]]

BATCH = 1000  # records per batch: large enough to amortise the queries, small in memory
_LOOKUP = 500  # keys per IN (...) query, under SQLite's old limit of 999 parameters
_ARTICLE_SQL = ("INSERT INTO articles (id, ext_id, text_hash, title, text, source, meta, status, "
                "n_spans, n_events, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_SPAN_SQL = ("INSERT INTO spans (article_id, start, end, label, kind, origin, state, score, "
             "meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def kept_spans(record: ArticleRecord, growth: SchemaGrowth, skipped: list[str]) -> list[SpanRecord]:
    kept = []
    for span in record.spans:
        if span.kind == TRIGGER:
            problem = growth.event_type(span.label, False, record.where)
        else:
            problem = growth.label(span.label, record.where)
        if problem:
            skipped.append(f"{record.where}: span {span.start}-{span.end}: {problem}")
            continue
        kept.append(span)
    return kept


def kept_events(record: ArticleRecord, spans: list[SpanRecord], growth: SchemaGrowth,
                skipped: list[str], exceptions: dict[str, int] | None = None) -> Kept:
    """The events whose type and trigger made it, each with the arguments that can be kept.
    An argument its role doesn't allow (a GPE where the schema wants a PERSON) is kept as an
    exception, marked as one the GUI shows with ⚠, and counted per "Type/Role" in
    `exceptions`."""
    span_ids = {id(span) for span in spans}
    alive: dict[int, EventRecord] = {}
    for event in record.events:
        where = event.where or record.where
        what = "relation" if event.relation else "event"
        problem = growth.event_type(event.type, event.relation, where)
        if problem is None and event.relation and event.trigger is not None:
            problem = "a relation has no trigger"
        if problem is None and not event.relation:
            if event.trigger is None:
                problem = "an event needs a trigger"
            elif id(event.trigger) not in span_ids:
                problem = "its trigger was not imported"
        if problem:
            skipped.append(f"{where}: {what} {event.type}: {problem}")
            continue
        alive[id(event)] = event
    kept = []
    for event in alive.values():
        where = event.where or record.where
        arguments = []
        for arg in event.arguments:
            if (arg.span is None) == (arg.event is None):
                problem = "it must be filled by one span or one event"
            elif arg.span is not None and id(arg.span) not in span_ids:
                problem = "the span filling it was not imported"
            elif arg.event is not None and id(arg.event) not in alive:
                problem = "the event filling it was not imported"
            elif arg.event is event:
                problem = "an event cannot fill a role of its own"
            else:
                problem = growth.role(event.type, event.relation, arg.role, where)
            if problem:
                skipped.append(f"{where}: {event.type}, argument {arg.role}: {problem}")
                continue
            if not arg.override and not _allowed(growth.schema, event, arg):
                arg.override = True
                if exceptions is not None:
                    key = f"{event.type}/{arg.role}"
                    exceptions[key] = exceptions.get(key, 0) + 1
            arguments.append(arg)
        kept.append((event, arguments))
    return kept


def _allowed(schema, event: EventRecord, arg) -> bool:
    kind = schema.type_named(event.type, event.relation)
    role = kind.role(arg.role) if kind is not None else None
    if role is None:
        return True
    filler = arg.span.label if arg.span is not None else arg.event.type
    return role.allows(filler, arg.event is not None)


def _meta(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False) if meta else "{}"


def _span_rows(article_id: int, spans: list[SpanRecord], origin: str) -> list[tuple]:
    return [(article_id, s.start, s.end, s.label, s.kind, origin, s.state, s.score, _meta(s.meta))
            for s in spans]


def insert_annotations(conn: sqlite3.Connection, article_id: int, spans: list[SpanRecord],
                       events: Kept, origin: str) -> None:
    """Spans, events and arguments of one article whose events need its span ids."""
    rows = _span_rows(article_id, spans, origin)
    span_ids = {id(span): conn.execute(_SPAN_SQL, row).lastrowid for span, row in zip(spans, rows)}
    now = time.time()
    event_ids = {}
    for event, _ in events:
        trigger_id = span_ids[id(event.trigger)] if event.trigger is not None else None
        event_ids[id(event)] = conn.execute(
            "INSERT INTO events (article_id, type, trigger_id, relation, origin, meta, created, "
            "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, event.type, trigger_id, int(event.relation), origin, _meta(event.meta),
             now, now)).lastrowid
    # Events first, then arguments: an argument may point at any event of the article.
    conn.executemany(
        "INSERT INTO event_arguments (event_id, role, span_id, arg_event_id, override) "
        "VALUES (?, ?, ?, ?, ?)",
        [(event_ids[id(event)], arg.role,
          span_ids[id(arg.span)] if arg.span is not None else None,
          event_ids[id(arg.event)] if arg.event is not None else None, int(arg.override))
         for event, arguments in events for arg in arguments])


class BatchWriter:
    """Writes one file's records, a batch at a time, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, growth: SchemaGrowth, written: ImportReport,
                 source: str):
        self.conn, self.growth, self.written = conn, growth, written
        self.source, self.origin = source, f"import:{source}"
        self.next_id: int | None = None
        self.exceptions: dict[str, int] = {}  # "Type/Role" -> arguments its role doesn't allow

    def _existing(self, column: str, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(keys), _LOOKUP):
            chunk = keys[i:i + _LOOKUP]
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(
                f"SELECT {column}, id FROM articles WHERE {column} IN ({marks})", chunk))
        return found

    def write(self, batch: list[ArticleRecord]) -> None:
        if not batch:
            return
        conn, written = self.conn, self.written
        digests = [text_hash(record.text) for record in batch]
        by_ext = self._existing("ext_id", list({r.ext_id for r in batch if r.ext_id is not None}))
        by_hash = self._existing("text_hash", list(set(digests)))
        if self.next_id is None:
            # Read inside the file's transaction: should another connection write first,
            # SQLite refuses our stale snapshot's writes, so ids can't collide.
            self.next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
        now = time.time()
        articles, span_rows, with_events = [], [], []
        for record, digest in zip(batch, digests):
            # The id first, then the text, as a record's id says which article it is.
            if record.ext_id is not None and record.ext_id in by_ext:
                duplicate = (by_ext[record.ext_id], f"id {record.ext_id!r}")
            elif digest in by_hash:
                duplicate = (by_hash[digest], "the same text")
            else:
                duplicate = None
            if duplicate:
                written.duplicates.append(
                    f"{record.where}: same as article {duplicate[0]} ({duplicate[1]})")
                continue
            if record.schema is not None:
                written.notes += [f"{record.where}: {n}" for n in self.growth.merge(record.schema)]
            spans = kept_spans(record, self.growth, written.skipped)
            events = kept_events(record, spans, self.growth, written.skipped, self.exceptions)
            accepted = sum(1 for span in spans if span.state == ACCEPTED)
            status = record.status if record.status != "new" or not accepted else "in_progress"
            article_id = self.next_id
            self.next_id += 1
            by_hash[digest] = article_id  # later records of the batch are checked against it
            if record.ext_id is not None:
                by_ext[record.ext_id] = article_id
            articles.append((article_id, record.ext_id, digest,
                             record.title or title_from_text(record.text), record.text,
                             self.source, _meta(record.meta), status, accepted, len(events),
                             now, now))
            if events:
                with_events.append((article_id, spans, events))
            else:
                # Nothing refers to these spans by id: they go in with the batch's executemany.
                span_rows += _span_rows(article_id, spans, self.origin)
            written.articles += 1
            written.spans += len(spans)
            for event, arguments in events:
                if event.relation:
                    written.relations += 1
                else:
                    written.events += 1
                    written.arguments += len(arguments)
        conn.executemany(_ARTICLE_SQL, articles)  # before the spans: foreign keys are on
        conn.executemany(_SPAN_SQL, span_rows)
        for article_id, spans, events in with_events:
            insert_annotations(conn, article_id, spans, events, self.origin)
