"""doccano JSONL exports, in both of doccano's shapes:

    {"text": "...", "label": [[0, 6, "ORG"], ...]}                        sequence labelling
    {"text": "...", "entities": [{"id", "start_offset", "end_offset", "label"}],
     "relations": [{"id", "from_id", "to_id", "type"}]}                   relation extraction

and two shapes other tools write the same way:

    {"text": "...", "entities": [[0, 6, "ORG"], ...]}                     spaCy v2 training tuples
    {"text": "...", "ents": [{"start", "end", "label"}], "tokens": [...]}  spaCy's Doc.to_json()

one record a line or pretty-printed over several (annotator.formats.json_stream). Older doccano
writes "data" for "text". Offsets are characters, end exclusive. A "label" list of plain strings
(text classification) goes to meta["categories"]; "title" is the title (our export writes
it); every other key goes to meta.

Overlapping spans are fine in doccano and kept; the same span twice is kept once. A string
"id" is the article's external id; a number is doccano's row number, which restarts in every
doccano project, so it goes to meta["doccano_id"] instead of deciding duplicates.

Events: doccano has none, so our export writes an event as its trigger (an entity labelled
with the event type) and one relation per argument (from the trigger, type = role), and lists
the record's event types under "event_types". Reading back, an entity whose label is an event
type of the project, or one the record lists, is a trigger, and its relations are its event's
arguments; other relations are relations (Arg1 = from, Arg2 = to), as brat's. A trigger
listed in "triggers_without_event" gets no event; a relation type that is a numbered role
(Site2) is read as brat's reader reads it (formats.numbered_roles), helped by "event_roles".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import TRIGGER
from annotator.core.schema import Schema
from annotator.formats.annotation_meta import add_kb_id
from annotator.formats.fields import FieldCheck
from annotator.formats.json_stream import json_values
from annotator.formats.numbered_roles import base_role, keep_names
from annotator.formats.records import (
    ArgumentRecord,
    ArticleRecord,
    EventRecord,
    ImportReport,
    SpanRecord,
    as_offset,
    check_spans,
    drop_duplicates,
    from_utf16,
)

_READ = frozenset(
    {
        "text",
        "data",
        "label",
        "labels",
        "entities",
        "relations",
        "id",
        "meta",
        "title",
        "event_types",
        "ents",
        "tokens",  # Doc.to_json()'s tokens: made again on export; their other keys reported
        "triggers_without_event",
        "event_roles",
    }
)
# Keys our export adds (annotator.formats.doccano.writer): trigger spans that are not (yet)
# events, as [start, end, type]; the roles of the event types, when a relation type is one of
# brat's numbered roles (Site2, read as the role Site with its number kept for exports).
TRIGGERS_ALONE = "triggers_without_event"
EVENT_ROLES = "event_roles"
# Entity and relation keys read; any other is named in the import report (formats.fields).
ENTITY_KEYS = frozenset({"id", "start_offset", "end_offset", "label"})
RELATION_KEYS = frozenset({"id", "from_id", "to_id", "type"})
ENTS_KEYS = frozenset({"start", "end", "label", "kb_id"})  # Doc.to_json()'s
TOKEN_KEYS = frozenset({"id", "start", "end"})


def read_doccano(
    path: Path,
    report: ImportReport,
    encoding: str | None = None,
    *,
    types: Schema | None = None,
    offsets: str = "chars",
) -> Iterator[ArticleRecord]:
    # Top-level keys it doesn't read go to meta; another format's annotations refuse the file.
    fields = FieldCheck(path, report, "doccano", _READ, to_meta=True, needs="a 'text' or 'data'")
    for line, data in json_values(path, report, encoding):
        where = f"{path}:{line}"
        fields.record(data, where)
        if isinstance(data, dict) and "text" not in data and "data" not in data:
            fields.no_text(data)
        elif isinstance(data, dict):
            fields.items("entity", data.get("entities"), ENTITY_KEYS)
            fields.items("relation", data.get("relations"), RELATION_KEYS)
            fields.items("ents item", data.get("ents"), ENTS_KEYS)
            fields.items("token", data.get("tokens"), TOKEN_KEYS)
        try:
            record = parse_doccano(data, where, report, types, offsets)
        except OverflowError:  # 1e400 where an offset should be
            report.skip(where, "a number in it is too large to be an offset")
            continue
        if record is not None:
            yield record
    fields.finish()


def parse_doccano(
    data, where: str, report: ImportReport, types: Schema | None = None, offsets: str = "chars"
) -> ArticleRecord | None:
    if not isinstance(data, dict):
        report.skip(where, "expected a JSON object")
        return None
    text = data.get("text", data.get("data"))
    if not isinstance(text, str) or not text.strip():
        report.skip(where, "no 'text' (or it is empty)")
        return None
    meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
    meta.update({k: v for k, v in data.items() if k not in _READ})
    raw_id = data.get("id")
    ext_id = raw_id if isinstance(raw_id, str) and raw_id else None
    if raw_id is not None and ext_id is None:
        meta["doccano_id"] = raw_id
    by_id: dict = {}
    spans = _entities(data.get("entities"), by_id, where, report)
    spans += _ents(data.get("ents"), where, report)
    labels = data.get("label", data.get("labels"))
    if isinstance(labels, list):
        spans += _label_spans(labels, meta, where, report)
    elif labels is not None:
        report.skip(where, "'label' is not a list; the article is imported without it")
    if offsets == "utf16":
        from_utf16(text, spans)
    listed = data.get("event_types")
    declared = {t for t in listed if isinstance(t, str)} if isinstance(listed, list) else set()
    if listed is not None and not (
        isinstance(listed, list) and all(isinstance(t, str) for t in listed)
    ):
        report.note(where, "'event_types' is not a list of names; what is not a name is ignored")
    # The record's own list first: our export wrote it for exactly these triggers. Asked once
    # a label, not once a span (the schema's lookups were a tenth of a doccano import).
    triggers = {
        label
        for label in {span.label for span in spans}
        if label in declared
        or (types is not None and types.event_type(label) and not types.label(label))
    }
    if triggers:
        for span in spans:
            if span.label in triggers:
                span.kind = TRIGGER
    # Checked before relations find their spans: a span dropped here takes its relations.
    good = {
        id(s)
        for s in drop_duplicates(
            _one_trigger_each(check_spans(text, spans, where, report)), where, report
        )
    }
    by_id = {key: _first_same(span, spans, good) for key, span in by_id.items()}
    spans = [span for span in spans if id(span) in good]
    alone = _places(data.get(TRIGGERS_ALONE))
    events = _relations(data.get("relations"), by_id, spans, where, report, alone)
    _numbered_roles(events, data.get(EVENT_ROLES), types)
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return ArticleRecord(
        text=text, where=where, title=title, ext_id=ext_id, meta=meta, spans=spans, events=events
    )


def _one_trigger_each(spans: list[SpanRecord]) -> list[SpanRecord]:
    """A trigger entity given twice is two events on one trigger (our export writes one entity
    per event): the span is kept once, without the note a repeated entity gets."""
    seen: set[tuple] = set()
    out = []
    for span in spans:
        key = (span.start, span.end, span.label)
        if span.kind == TRIGGER:
            if key in seen:
                continue
            seen.add(key)
        out.append(span)
    return out


def _first_same(span: SpanRecord, spans: list[SpanRecord], good: set[int]) -> SpanRecord | None:
    """The kept span standing for `span` (itself, or the first one at its place), or None."""
    if id(span) in good:
        return span
    key = (span.start, span.end, span.label)
    return next((s for s in spans if id(s) in good and (s.start, s.end, s.label) == key), None)


def _span(start, end, label) -> SpanRecord:
    if not isinstance(label, (str, int)) or isinstance(label, bool) or not str(label).strip():
        raise ValueError(label)
    return SpanRecord(as_offset(start), as_offset(end), str(label))


def _entities(raw, by_id: dict, where: str, report: ImportReport) -> list[SpanRecord]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        report.skip(where, "'entities' is not a list; the article is imported without them")
        return []
    spans = []
    for number, item in enumerate(raw, start=1):
        try:
            if isinstance(item, list):  # spaCy v2's [start, end, label]
                if len(item) != 3:
                    raise ValueError(item)
                spans.append(_span(*item))
                continue
            span = _span(item["start_offset"], item["end_offset"], item["label"])
        except (KeyError, TypeError, ValueError):
            report.skip(
                where,
                f"entity {number} needs integer 'start_offset', 'end_offset' and a 'label' "
                "(or is [start, end, label])",
            )
            continue
        spans.append(span)
        if isinstance(item.get("id"), (int, str)):
            by_id[item["id"]] = span
    return spans


def _ents(raw, where: str, report: ImportReport) -> list[SpanRecord]:
    """spaCy's Doc.to_json() entities: {"start", "end", "label"} (and a "kb_id")."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        report.skip(where, "'ents' is not a list; the article is imported without them")
        return []
    spans = []
    for number, item in enumerate(raw, start=1):
        try:
            span = _span(item["start"], item["end"], item["label"])
        except (KeyError, TypeError, ValueError):
            report.skip(where, f"ents item {number} needs integer 'start', 'end' and a 'label'")
            continue
        add_kb_id(span, item.get("kb_id"))
        spans.append(span)
    return spans


def _label_spans(raw: list, meta: dict, where: str, report: ImportReport) -> list[SpanRecord]:
    spans = []
    for number, item in enumerate(raw, start=1):
        # The usual item, [start, end, label] of two integers and a name, made at once;
        # anything else goes through the checks below (_span's, the same answer).
        if type(item) is list and len(item) == 3:
            start, end, label = item
            if (
                type(start) is int
                and type(end) is int
                and type(label) is str
                and label
                and not label.isspace()
            ):
                spans.append(SpanRecord(start, end, label))
                continue
        if isinstance(item, str):
            meta.setdefault("categories", []).append(item)
            continue
        try:
            if not isinstance(item, list) or len(item) != 3:
                raise ValueError(item)
            spans.append(_span(*item))
        except (TypeError, ValueError):
            report.skip(where, f"label {number} is not [start, end, label]")
    return spans


def _places(raw) -> set[tuple]:
    """[[start, end, label], ...] as a set of tuples (what isn't one is passed over)."""
    if not isinstance(raw, list):
        return set()
    return {
        tuple(item)
        for item in raw
        if isinstance(item, list)
        and len(item) == 3
        and all(isinstance(v, (int, str)) for v in item)
    }


def _numbered_roles(events: list[EventRecord], raw_roles, types: Schema | None) -> None:
    """Site2 as brat's second Site (formats.numbered_roles): by the record's "event_roles",
    the project's schema, or a plain Site in the same event; the names are kept for exports."""
    listed = raw_roles if isinstance(raw_roles, dict) else {}
    for event in events:
        if event.relation or not event.arguments:
            continue
        roles = listed.get(event.type)
        known_here = set(roles) if isinstance(roles, list) else set()
        schema_type = types.event_type(event.type) if types is not None else None

        def known(name: str, known_here=known_here, schema_type=schema_type) -> bool:
            return name in known_here or bool(schema_type and schema_type.role(name))

        written = [arg.role for arg in event.arguments]
        for arg in event.arguments:
            arg.role = base_role(arg.role, known, set(written))
        keep_names(event, written)


def _relations(
    raw,
    by_id: dict,
    spans: list[SpanRecord],
    where: str,
    report: ImportReport,
    alone: frozenset[tuple] | set[tuple] = frozenset(),
) -> list[EventRecord]:
    # One event per trigger entity (by its id), so that two events on one trigger stay two;
    # a trigger with no id (the label shape) is one event; one the record lists as alone, none.
    events: dict[tuple, EventRecord] = {}
    for key, span in by_id.items():
        if (
            span is not None
            and span.kind == TRIGGER
            and (span.start, span.end, span.label) not in alone
        ):
            events[("entity", key)] = EventRecord(span.label, span, where=where)
    with_id = {id(e.trigger) for e in events.values()}
    for span in spans:
        if span.kind == TRIGGER and (span.start, span.end, span.label) in alone:
            continue
        if span.kind == TRIGGER and id(span) not in with_id:
            events[("span", id(span))] = EventRecord(span.label, span, where=where)
    out = list(events.values())
    if raw is None:
        return out
    if not isinstance(raw, list):
        report.skip(where, "'relations' is not a list; the article is imported without them")
        return out
    for number, item in enumerate(raw, start=1):
        here = f"{where}: relation {number}"
        try:
            head, child, kind = by_id.get(item["from_id"]), by_id.get(item["to_id"]), item["type"]
        except (KeyError, TypeError):
            report.skip(here, "needs 'from_id', 'to_id' and a 'type'")
            continue
        if head is None or child is None or not isinstance(kind, str) or not kind.strip():
            report.skip(
                here,
                "its 'from_id' or 'to_id' names no imported entity of this "
                "record, or it has no 'type'",
            )
            continue
        event = events.get(("entity", item["from_id"]))
        if event is not None:
            filler = events.get(("entity", item["to_id"]))
            event.arguments.append(
                ArgumentRecord(kind, span=None if filler else child, event=filler)
            )
        else:
            out.append(
                EventRecord(
                    kind,
                    relation=True,
                    where=here,
                    arguments=[
                        ArgumentRecord("Arg1", span=head),
                        ArgumentRecord("Arg2", span=child),
                    ],
                )
            )
    return out
