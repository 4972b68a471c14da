"""What spans and events carry beside their offsets and labels, as the exporters see it:
attributes, notes and normalizations (brat's A, # and N lines; knowledge-base ids from
Prodigy's entity linking), kept in the store as each span's or event's meta:

    {"attributes": {name: value}, "notes": [str], "normalizations": [{"type", "ref", "text"}],
     "fragments": [[start, end], ...] (brat's discontinuous spans)}

Exporters count what they write and what their format has no place for, so a report can say
"12 normalizations, 3 notes not written: doccano has no place for them".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from annotator.core.meta_kinds import KB_TYPE, KINDS
from annotator.formats.records import SpanRecord

# spaCy exports: doc.user_data[USER_DATA_KEY] = {"version": USER_DATA_VERSION,
#   "spans": {"start:end:label": meta}, "events": {"event id": meta}}; start and end are the
#   span's characters in the doc (Span.start_char, end_char), so a span widened to whole
#   tokens is found under the offsets doc.ents gives it.
USER_DATA_KEY = "annotator"
USER_DATA_VERSION = 1


def meta_counts(metas: Iterable[dict]) -> Counter:
    """How many attributes, notes and normalizations the metas hold."""
    counts: Counter = Counter()
    for meta in metas:
        for kind in KINDS:
            value = meta.get(kind)
            if isinstance(value, (dict, list)):
                counts[kind] += len(value)
    return counts


def dropped_with(span_meta: dict, event_meta: dict, spans) -> Counter:
    """What an export without a place for meta leaves out for one article (its
    store.annotation_meta): the meta of the spans it writes and of every event."""
    written = {span.id for span in spans}
    return meta_counts(
        [meta for span_id, meta in span_meta.items() if span_id in written]
        + list(event_meta.values())
    )


def not_written_line(counts: Counter, format_name: str) -> list[str]:
    """The report's line for what `dropped_with` counted (none when nothing was)."""
    if not counts:
        return []
    return [
        f"{describe(counts)} not written: {format_name} has no place for them "
        "(export jsonl, brat or spacy keeps them)"
    ]


def describe(counts: Counter) -> str:
    """'12 normalizations, 3 notes' (kinds with none left out)."""
    return ", ".join(f"{counts[kind]} {kind}" for kind in KINDS if counts[kind])


def kb_ids(meta: dict) -> list[str]:
    """The knowledge-base ids among a span's normalizations, in order."""
    norms = meta.get("normalizations") or []
    return [str(n["ref"]) for n in norms if isinstance(n, dict) and n.get("ref")]


def span_key(start: int, end: int, label: str) -> str:
    return f"{start}:{end}:{label}"


def parse_span_key(key: str) -> tuple[int, int, str] | None:
    start, _, rest = key.partition(":")
    end, _, label = rest.partition(":")
    try:
        return int(start), int(end), label
    except ValueError:
        return None


def user_data_payload(
    spans,
    chars: dict[int, tuple[int, int]],
    span_meta: dict[int, dict],
    event_meta: dict[int, dict],
) -> dict:
    """The versioned user_data entry of one doc: the meta of the exported spans (by the
    characters `chars` says each has in the doc, widened or trimmed to tokens, as doc.ents and
    doc.spans hold them, and label) and of the article's events (by id, as in
    user_data["events"])."""
    by_key: dict[str, dict] = {}
    for span in spans:
        meta = span_meta.get(span.id)
        if meta:
            start, end = chars[span.id]
            by_key.setdefault(span_key(start, end, span.label), {}).update(meta)
    return {
        "version": USER_DATA_VERSION,
        "spans": by_key,
        "events": {str(event_id): meta for event_id, meta in event_meta.items() if meta},
    }


def add_kb_id(span: SpanRecord, kb_id, text: str = "") -> None:
    """A knowledge-base id as a normalization of the span; one it has already is not added
    again (our JSONL export writes the first normalization as "kb_id" too)."""
    if not isinstance(kb_id, (str, int)) or isinstance(kb_id, bool) or str(kb_id) == "":
        return
    norms = span.meta.setdefault("normalizations", [])
    if any(isinstance(n, dict) and n.get("ref") == str(kb_id) for n in norms):
        return
    norms.append({"type": KB_TYPE, "ref": str(kb_id), "text": text})
