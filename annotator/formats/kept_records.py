"""What of an imported record the project keeps, as the store's rows.

Each span and event of a record is checked against the schema (growing it as the import's
policy allows); what is skipped takes with it exactly what depended on it (records point at
each other by identity), and each loss is noted for the report. new_article then turns what is
kept into the store's NewArticle, events pointing at spans and events by index. Split from
record_writer.py, which hands these rows to the store a batch per transaction.
"""

from __future__ import annotations

import json

from annotator.core.model import TRIGGER, title_from_text
from annotator.formats.packed import PackedRecord
from annotator.formats.records import ArgumentRecord, ArticleRecord, EventRecord, SpanRecord
from annotator.formats.schema_growth import SchemaGrowth
from annotator.store.imports import NewArgument, NewArticle, NewEvent, NewSpan, SpanRow

Kept = list[tuple[EventRecord, list[ArgumentRecord]]]


def kept_spans(record: ArticleRecord, growth: SchemaGrowth, skipped: list[str]) -> list[SpanRecord]:
    kept = []
    usable = growth.usable
    for span in record.spans:
        if (span.kind, span.label) in usable:  # most spans: a label seen before
            kept.append(span)
            continue
        if span.kind == TRIGGER:
            problem = growth.event_type(span.label, False, record.where)
        else:
            problem = growth.label(span.label, record.where)
        if problem:
            skipped.append(f"{record.where}: span {span.start}-{span.end}: {problem}")
            continue
        usable.add((span.kind, span.label))
        kept.append(span)
    return kept


def kept_span_rows(record: PackedRecord, growth: SchemaGrowth, skipped: list[str]) -> list[SpanRow]:
    """kept_spans for a packed record: its rows as they are when every label is usable (most
    records: labels seen before, checked as one set)."""
    usable = growth.usable
    if record.labels <= usable:
        return record.spans
    kept = []
    for span in record.spans:
        start, end, label, kind = span[:4]
        if (kind, label) not in usable:
            if kind == TRIGGER:
                problem = growth.event_type(label, False, record.where)
            else:
                problem = growth.label(label, record.where)
            if problem:
                skipped.append(f"{record.where}: span {start}-{end}: {problem}")
                continue
            usable.add((kind, label))
        kept.append(span)
    return kept


def kept_events(
    record: ArticleRecord,
    spans: list[SpanRecord],
    growth: SchemaGrowth,
    skipped: list[str],
    exceptions: dict[str, int] | None = None,
) -> Kept:
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


def new_article(
    record: ArticleRecord, digest: str, spans: list[SpanRecord], events: Kept
) -> NewArticle:
    """The store's row for a kept record: events point at spans and events by index."""
    dumps = json.dumps  # _meta inlined: it ran for each of 200,000 spans of a big import
    rows = [
        NewSpan(
            s.start,
            s.end,
            s.label,
            s.kind,
            s.state,
            s.score,
            dumps(s.meta, ensure_ascii=False) if s.meta else "{}",
        )
        for s in spans
    ]
    article = NewArticle(
        record.ext_id,
        digest,
        record.title or title_from_text(record.text),
        record.text,
        _meta(record.meta),
        record.status,
        rows,
        [],
    )
    if not events:
        return article
    span_index = {id(span): n for n, span in enumerate(spans)}
    event_index = {id(event): n for n, (event, _) in enumerate(events)}
    return article._replace(
        events=[
            NewEvent(
                event.type,
                None if event.trigger is None else span_index[id(event.trigger)],
                event.relation,
                _meta(event.meta),
                [
                    NewArgument(
                        arg.role,
                        None if arg.span is None else span_index[id(arg.span)],
                        None if arg.event is None else event_index[id(arg.event)],
                        arg.override,
                    )
                    for arg in arguments
                ],
            )
            for event, arguments in events
        ]
    )
