"""Checking one article record's spans and events against the schema, and writing them.

Runs inside write_records' transaction. Records point at each other by identity (an event at
its trigger's SpanRecord, an argument at a SpanRecord or EventRecord), so a span that is
skipped takes with it exactly what depended on it, and each loss is reported.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING

from annotator.core.model import TRIGGER

if TYPE_CHECKING:
    from annotator.formats.records import (
        ArgumentRecord, ArticleRecord, EventRecord, SpanRecord,
    )
    from annotator.formats.schema_growth import SchemaGrowth

    Kept = list[tuple[EventRecord, list[ArgumentRecord]]]


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
                skipped: list[str]) -> Kept:
    """The events whose type and trigger made it, each with the arguments that can be kept."""
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
            arguments.append(arg)
        kept.append((event, arguments))
    return kept


def _meta(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False) if meta else "{}"


def insert_annotations(conn: sqlite3.Connection, article_id: int, spans: list[SpanRecord],
                       events: Kept, origin: str) -> None:
    span_sql = ("INSERT INTO spans (article_id, start, end, label, kind, origin, state, score, "
                "meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    rows = [(article_id, s.start, s.end, s.label, s.kind, origin, s.state, s.score, _meta(s.meta))
            for s in spans]
    if not events:
        # Nothing refers to the spans by id: one executemany (the path of big JSONL imports).
        conn.executemany(span_sql, rows)
        return
    span_ids = {id(span): conn.execute(span_sql, row).lastrowid for span, row in zip(spans, rows)}
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
    conn.execute("UPDATE articles SET n_events = ? WHERE id = ?", (len(events), article_id))
