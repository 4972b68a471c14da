"""Events in JSONL records: our own "events" key, or Prodigy rel.manual "relations".

Our export writes both; "events" wins because it holds everything (types, roles, events
filling roles, relations without trigger), while "relations" is its Prodigy-shaped shadow.
Plain Prodigy data has only "relations": each one becomes a relation of type = its label
between head_span (role Arg1) and child_span (Arg2), the role names brat uses.

Arguments find their spans by (start, end, label) in the record's "spans"; a span named only
in an event or relation is added (and reported), as Prodigy itself keeps relation spans that
the "spans" list lacks.
"""

from __future__ import annotations

from annotator.core.model import ENTITY, TRIGGER
from annotator.formats.records import ArgumentRecord, EventRecord, ImportReport, SpanRecord


class _Spans:
    def __init__(self, spans: list[SpanRecord], where: str, report: ImportReport):
        self.spans, self.where, self.report = spans, where, report
        self.index = {}
        for span in spans:
            self.index.setdefault((span.start, span.end, span.label), span)

    def find(self, raw, label_key: str, kind: str, what: str) -> SpanRecord:
        """The span at raw's offsets with that label, made (and reported) if the record lacks it.
        Raises KeyError, TypeError or ValueError for offsets or labels that aren't there."""
        key = (int(raw["start"]), int(raw["end"]), str(raw[label_key]))
        span = self.index.get(key)
        if span is None:
            span = SpanRecord(*key, kind=kind)
            self.spans.append(span)
            self.index[key] = span
            self.report.note(
                self.where, f"{what} {key[0]}-{key[1]} {key[2]} is not in 'spans'; added"
            )
        if kind == TRIGGER:
            span.kind = TRIGGER  # a trigger's label is an event type, whatever the list said
        return span


def read_events(
    data: dict, spans: list[SpanRecord], where: str, report: ImportReport
) -> list[EventRecord]:
    """EventRecords for one JSONL record; `spans` grows by the spans they name."""
    found = _Spans(spans, where, report)
    if isinstance(data.get("events"), list):
        return _our_events(data["events"], found, where, report)
    if isinstance(data.get("relations"), list):
        return _prodigy_relations(data["relations"], found, where, report)
    return []


def _our_events(
    raw_events: list, spans: _Spans, where: str, report: ImportReport
) -> list[EventRecord]:
    events: list[EventRecord] = []
    by_id: dict = {}
    pending: list[tuple[EventRecord, ArgumentRecord, object, str]] = []  # filled by events
    for number, raw in enumerate(raw_events, start=1):
        here = f"{where}: event {number}"
        try:
            relation = bool(raw.get("relation", False))
            event = EventRecord(
                str(raw["type"]),
                relation=relation,
                where=here,
                meta=raw.get("meta") if isinstance(raw.get("meta"), dict) else {},
            )
            trigger = raw.get("trigger")
            if trigger is not None and not relation:
                event.trigger = spans.find(
                    {**trigger, "label": event.type}, "label", TRIGGER, "trigger"
                )
            for arg_number, arg in enumerate(raw.get("arguments") or [], start=1):
                try:
                    argument = ArgumentRecord(str(arg["role"]), override=bool(arg.get("override")))
                    if arg.get("event") is not None:
                        pending.append(
                            (event, argument, arg["event"], f"{here}, argument {arg_number}")
                        )
                    else:
                        argument.span = spans.find(arg, "label", ENTITY, "argument")
                except (KeyError, TypeError, ValueError, AttributeError):
                    report.skip(
                        here,
                        f"argument {arg_number} needs a 'role' and either 'start', "
                        "'end' and 'label' or the 'event' filling it",
                    )
                    continue
                event.arguments.append(argument)
        except (KeyError, TypeError, ValueError, AttributeError):
            report.skip(
                here,
                "needs a 'type' and, unless it is a relation, a 'trigger' with 'start' and 'end'",
            )
            continue
        events.append(event)
        if raw.get("id") is not None:
            by_id[raw["id"]] = event
    for event, argument, ref, here in pending:
        filler = by_id.get(ref)
        if filler is None:
            report.skip(here, f"no event with id {ref!r} in this record")
            event.arguments.remove(argument)
            continue
        argument.event = filler
    return events


def _prodigy_relations(
    raw_relations: list, spans: _Spans, where: str, report: ImportReport
) -> list[EventRecord]:
    events = []
    for number, raw in enumerate(raw_relations, start=1):
        here = f"{where}: relation {number}"
        try:
            head = spans.find(raw["head_span"], "label", ENTITY, "relation span")
            child = spans.find(raw["child_span"], "label", ENTITY, "relation span")
            label = str(raw["label"])
        except (KeyError, TypeError, ValueError, AttributeError):
            report.skip(
                here, "needs 'head_span' and 'child_span' (start, end, label) and a 'label'"
            )
            continue
        events.append(
            EventRecord(
                label,
                relation=True,
                where=here,
                arguments=[ArgumentRecord("Arg1", span=head), ArgumentRecord("Arg2", span=child)],
            )
        )
    return events
