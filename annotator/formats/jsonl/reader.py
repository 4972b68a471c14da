"""Prodigy-style JSONL: one JSON object a line with `text` and optional `id`, `title`, `meta`
and `spans` ([{"start", "end", "label"}], end exclusive), the shape Prodigy and spaCy's
tooling read and write. A span's "text", when given, must be the text at its offsets; a span
with only token offsets takes its characters from the record's "tokens" (which are not kept:
our exports make them again). Prodigy's answers, per record and per span, and entity-linking
ids are read by annotator.formats.jsonl.answers, and records answering one input are merged
into one article by annotator.formats.jsonl.merge. A span with "kind": "trigger" is an event
trigger; events come from our own "events" key or Prodigy's "relations"
(annotator.formats.jsonl.events).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.model import ACCEPTED, ENTITY, STATUSES, TRIGGER
from annotator.formats.annotation_meta import add_kb_id
from annotator.formats.fields import FieldCheck
from annotator.formats.json_stream import json_values
from annotator.formats.jsonl.answers import (
    VIEW_KEY,
    AnsweredRecord,
    input_key,
    linked_choice,
    record_answer,
    record_status,
    record_view,
    span_state,
)
from annotator.formats.jsonl.events import read_events
from annotator.formats.jsonl.merge import AnswerMerger
from annotator.formats.reading import read_lines
from annotator.formats.records import (
    ArticleRecord,
    ImportReport,
    SpanRecord,
    check_spans,
    from_utf16,
)

# The keys read (or knowingly passed over: Prodigy's bookkeeping, our export's token list);
# any other is named in the import report (annotator.formats.fields).
RECORD_KEYS = frozenset(
    {"text", "id", "title", "meta", "status", "spans", "tokens", "relations", "events"}
    | {"answer", "accept", "options", "config"}
    | {"_input_hash", "_task_hash", "_view_id", "_session_id", "_timestamp"}
)
SPAN_KEYS = frozenset(
    {"start", "end", "token_start", "token_end", "label", "text", "kind", "meta"}
    | {"answer", "kb_id"}  # Prodigy's span-level answer, entity linking's id
    | {"source", "input_hash", "type"}  # Prodigy's: where a suggestion came from
)
# "head"/"child" are the spans' last tokens (head_span/child_span say it all), "color" drawing.
RELATION_KEYS = frozenset({"head", "child", "head_span", "child_span", "label", "color"})
EVENT_KEYS = frozenset({"id", "type", "relation", "trigger", "arguments", "meta"})


def read_jsonl(
    path: Path, report: ImportReport, encoding: str | None = None, *, offsets: str = "chars"
) -> Iterator[ArticleRecord]:
    """offsets: "chars" (Python's, Prodigy's, spaCy's) or "utf16" (JavaScript's)."""
    fields = FieldCheck(path, report, "jsonl", RECORD_KEYS)
    # The last answers are held, to merge those to one input (merge.OPEN_INPUTS).
    merger = AnswerMerger(report)
    if one_record_a_line(path, encoding):
        values = _lines(path, report, encoding)
    else:  # a JSON array of records, or records pretty-printed over several lines
        values = json_values(path, report, encoding)
    for number, data in values:
        where = f"{path}:{number}"
        fields.record(data, where)
        try:
            record = parse_record(data, where, report, offsets, fields)
        except OverflowError:  # Infinity or 1e400 where an offset should be
            report.skip(where, "a number in it is too large to be an offset")
            continue
        if record is not None:
            yield from merger.add(record)
    yield from merger.finish()
    fields.finish()


def one_record_a_line(path: Path, encoding: str | None = None) -> bool:
    """Whether the file is JSONL proper (streamed a line at a time): its first line is a
    whole JSON object, or (that one broken) its second is."""
    tried = 0
    for _, line in read_lines(path, encoding):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        if not line.startswith("{"):
            return False  # "[": an array
        try:
            json.loads(line)
            return True
        except (json.JSONDecodeError, RecursionError):
            tried += 1
            if tried == 2:
                return False
    return True


def _lines(path: Path, report: ImportReport, encoding: str | None):
    # Streamed: a 300 MB file is never held in memory, only the record being written.
    empty = True
    for number, line in read_lines(path, encoding):
        if not line.strip():
            continue
        empty = False
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            report.skip(where, f"not valid JSON ({error.msg} at column {error.colno})")
            continue
        except RecursionError:
            report.skip(where, "not valid JSON (nested too deeply)")
            continue
        if "\\ud" in line.lower() and _lone_surrogate(data):
            # SQLite stores UTF-8, which has no code for half of a UTF-16 pair.
            report.skip(where, "a \\uXXXX escape is half of a UTF-16 surrogate pair")
            continue
        yield number, data
    if empty:
        report.skip(f"{path}:1", "empty file")


def _offset(value) -> int:
    """A character offset: an integer (3 or 3.0), never a fraction silently cut (3.7)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(value)


def _span_offsets(raw: dict, tokens: list | None, text: str) -> tuple[int, int]:
    """Characters, or when a span has only token offsets (token_end inclusive, as Prodigy
    writes it), the characters of those tokens, if the tokens are this text's."""
    if "start" in raw or "end" in raw or tokens is None:
        return _offset(raw["start"]), _offset(raw["end"])
    first_i, last_i = _offset(raw["token_start"]), _offset(raw["token_end"])
    if not 0 <= first_i <= last_i < len(tokens):
        raise ValueError("token offsets outside the tokens")
    first, last = tokens[first_i], tokens[last_i]
    start, end = _offset(first["start"]), _offset(last["end"])
    for token in (first, last):
        if text[_offset(token["start"]) : _offset(token["end"])] != token.get("text", ""):
            raise ValueError("the tokens are not this text's")
    return start, end


def _label(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)  # a null label must not become the label "None"
    return value


def _lone_surrogate(data) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_record(
    data,
    where: str,
    report: ImportReport,
    offsets: str = "chars",
    fields: FieldCheck | None = None,
) -> AnsweredRecord | None:
    if not isinstance(data, dict):
        report.skip(where, "expected a JSON object")
        return None
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        if fields is not None and "text" not in data:
            fields.no_text(data)
        report.skip(where, "no 'text' (or it is empty)")
        return None
    answer = record_answer(data)
    meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
    if answer is not None:
        meta["answer"] = answer
    view = record_view(data)
    ext_id = data.get("id", meta.get("id"))
    spans = []
    raw_spans = data.get("spans") or []
    if not isinstance(raw_spans, list):
        report.skip(where, "'spans' is not a list; the article is imported without spans")
        raw_spans = []
    tokens = data.get("tokens") if isinstance(data.get("tokens"), list) else None
    if fields is not None:
        fields.items("span", raw_spans, SPAN_KEYS)
        if isinstance(data.get("events"), list):  # read instead of "relations", its shadow
            fields.items("event", data["events"], EVENT_KEYS)
        else:
            fields.items("relation", data.get("relations"), RELATION_KEYS)
    for number, raw in enumerate(raw_spans, start=1):
        try:
            start, end = _span_offsets(raw, tokens, text)
            span = SpanRecord(
                start,
                end,
                _label(raw["label"]),
                kind=TRIGGER if raw.get("kind") == TRIGGER else ENTITY,
                state=span_state(raw, answer),
                meta=dict(raw["meta"]) if isinstance(raw.get("meta"), dict) else {},
                # Prodigy writes the span's text: check_spans compares it.
                given=raw["text"] if isinstance(raw.get("text"), str) else None,
            )
        except (KeyError, TypeError, ValueError):
            tokens_too = isinstance(raw, dict) and "token_start" in raw and "start" not in raw
            report.skip(
                where,
                f"span {number} needs integer 'start', 'end' and a 'label'"
                + (
                    " (or token offsets into the record's 'tokens', whose text is the record's)"
                    if tokens_too
                    else ""
                ),
            )
            continue
        add_kb_id(span, raw.get("kb_id"))
        spans.append(span)
    if offsets == "utf16":
        from_utf16(text, spans)
    if linked_choice(data, spans, raw_spans, meta, where, report) and view is None:
        view = "choice"  # entity_linker.manual's interface: the answer is about one mention
    if view is not None:
        meta[VIEW_KEY] = view
    events = _accepted_events(read_events(data, spans, where, report), answer, where, report)
    ext_id = None if ext_id is None else str(ext_id)
    return AnsweredRecord(
        text=text,
        where=where,
        title=str(data.get("title") or meta.get("title") or ""),
        ext_id=ext_id,
        meta=meta,
        spans=check_spans(text, spans, where, report),
        status=record_status(data, answer),
        events=events,
        answer=answer,
        view=view,
        input_key=input_key(data, text, ext_id, answer),
        status_given=data.get("status") in STATUSES,
    )


def _accepted_events(events, answer, where: str, report: ImportReport) -> list:
    """Events of an accepted record, without what rests on a rejected span: a rejected
    trigger takes its event, a rejected filler its argument (both noted)."""
    if answer in ("reject", "ignore"):
        if events:
            report.note(where, f"answer is {answer!r}: its {len(events)} event(s) left out")
        return []
    kept = []
    for event in events:
        if event.trigger is not None and event.trigger.state != ACCEPTED:
            report.note(where, f"event {event.type}: its trigger was rejected; left out")
            continue
        arguments = [a for a in event.arguments if a.span is None or a.span.state == ACCEPTED]
        if len(arguments) != len(event.arguments):
            report.note(
                where,
                f"{event.type}: {len(event.arguments) - len(arguments)} argument(s) filled "
                "by a rejected span left out",
            )
            event.arguments = arguments
        kept.append(event)
    return kept


def looks_like_jsonl(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    return head.startswith(b"{")
