"""Events as plain data for the exporters: the structure spaCy's user_data and the JSONL
"events" key carry, and Prodigy-style relations derived from it.

One event:
    {"id", "type", "relation": bool, "trigger": PLACE or None (relations have none),
     "arguments": [{"role", "label", "override", **PLACE, "event": id when an event fills it}],
     "meta": {...} only when the event has attributes or notes}
PLACE = {"start", "end" (characters, end exclusive), "token_start", "token_end", "text"}.
token_end is exclusive (as spaCy's Span.end) unless the caller asks for Prodigy's inclusive
end. Token offsets are None for a span that covers no token (the exporters report those).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.model import Event, Span

TokenBounds = Callable[[int], "tuple[int, int] | None"]  # span id -> (start, exclusive end)


def _place(text: str, span: Span, bounds: TokenBounds, inclusive: bool) -> dict:
    tokens = bounds(span.id)
    start, end = tokens if tokens else (None, None)
    if tokens and inclusive:
        end -= 1
    return {
        "start": span.start,
        "end": span.end,
        "token_start": start,
        "token_end": end,
        "text": text[span.start : span.end],
    }


def event_structures(
    text: str,
    spans: list[Span],
    events: list[Event],
    bounds: TokenBounds,
    *,
    inclusive: bool = False,
    event_meta: dict[int, dict] | None = None,
    problems: list[str] | None = None,
) -> list[dict]:
    """The article's events as plain data. An event whose trigger is not among `spans` (the
    exported ones), or an argument whose filler isn't exported, is left out and described in
    `problems`."""
    by_id = {span.id: span for span in spans}
    problems = problems if problems is not None else []
    exported = {e.id: e for e in events if e.relation or e.trigger_id in by_id}
    out = []
    for event in events:
        if event.id not in exported:
            problems.append(
                f"event {event.id} ({event.type}): its trigger is not an accepted "
                "span; not exported"
            )
            continue
        trigger = by_id.get(event.trigger_id)
        item = {
            "id": event.id,
            "type": event.type,
            "relation": event.relation,
            "trigger": None if trigger is None else _place(text, trigger, bounds, inclusive),
            "arguments": [],
        }
        for arg in event.arguments:
            entry = {"role": arg.role, "label": None, "override": arg.override}
            if arg.arg_event_id is not None:
                filler = exported.get(arg.arg_event_id)
                filler_trigger = by_id.get(filler.trigger_id) if filler else None
                if filler is None:
                    problems.append(
                        f"event {event.id} ({event.type}), {arg.role}: the event "
                        f"filling it ({arg.arg_event_id}) is not exported"
                    )
                    continue
                entry["label"] = filler.type
                entry.update(
                    _place(text, filler_trigger, bounds, inclusive)
                    if filler_trigger
                    else dict.fromkeys(("start", "end", "token_start", "token_end", "text"))
                )
                entry["event"] = filler.id
            else:
                span = by_id.get(arg.span_id)
                if span is None:
                    problems.append(
                        f"event {event.id} ({event.type}), {arg.role}: the span "
                        f"filling it ({arg.span_id}) is not an accepted span"
                    )
                    continue
                entry["label"] = span.label
                entry.update(_place(text, span, bounds, inclusive))
            item["arguments"].append(entry)
        if event_meta and event_meta.get(event.id):
            item["meta"] = event_meta[event.id]
        out.append(item)
    return out


def _prodigy_span(place: dict, label: str) -> dict:
    return {
        "start": place["start"],
        "end": place["end"],
        "token_start": place["token_start"],
        "token_end": place["token_end"],
        "label": label,
    }


def prodigy_relations(structures: list[dict]) -> tuple[list[dict], int]:
    """Prodigy rel.manual relations from event structures made with inclusive=True.

    An event gives one relation per argument: head = trigger, child = argument, label = role.
    A relation gives head = its first argument, child = each other one, label = its type.
    Returns the relations and how many links could not be written (a side covering no
    token, or an event filling a role that has no trigger of its own).
    """
    out, missed = [], 0
    for event in structures:
        args = event["arguments"]
        if event["relation"]:
            if not args:
                continue
            head, head_label = args[0], args[0]["label"]
            links = [(arg, event["type"]) for arg in args[1:]]
        else:
            head, head_label = event["trigger"], event["type"]
            links = [(arg, arg["role"]) for arg in args]
        for child, label in links:
            if head["token_end"] is None or child["token_end"] is None:
                missed += 1
                continue
            out.append(
                {
                    "head": head["token_end"],
                    "child": child["token_end"],
                    "head_span": _prodigy_span(head, head_label),
                    "child_span": _prodigy_span(child, child["label"]),
                    "label": label,
                }
            )
    return out, missed
