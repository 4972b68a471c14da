"""spaCy DocBin (.spacy) import: one article per Doc.

Spans come from doc.ents and from every span group (doc.spans[key]); the same characters with
the same label in both count once. The group "triggers" holds event triggers (labelled with
the event type), as our export writes it; every other group holds entities. What our export
keeps in doc.user_data comes back too: the external id, title and status, and the events
(user_data["events"], the structure of annotator.formats.event_export, read as JSONL's
"events"), the attributes, notes and normalizations of spans and events
(user_data["annotator"], version 1: annotator.formats.annotation_meta), and the parts of an
article cut for spaCy's length limit are joined back (annotator.formats.spacy.parts). A span's
kb_id_ (a DocBin from spaCy's entity linking, or ours) is a normalization of it. A DocBin from
elsewhere has none of that and needs none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.model import ENTITY, NEW, STATUSES, TRIGGER
from annotator.formats.annotation_meta import USER_DATA_KEY, add_kb_id, parse_span_key
from annotator.formats.jsonl.answers import VIEW_KEY
from annotator.formats.jsonl.events import read_events
from annotator.formats.records import ArticleRecord, ImportReport, SpanRecord, check_spans
from annotator.formats.spacy.parts import PART, join_parts

TRIGGER_KEY = "triggers"  # as annotator.formats.spacy.writer writes it
MISSING = "a part of a long article whose other parts are not all here, in order"


def load_docs(path: Path) -> list:
    """The Docs of a DocBin file; ImportFailed for anything that isn't one."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read ({error.strerror})") from error
    if not data:
        return []
    try:
        return list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
    # Bytes that aren't a DocBin fail deep in zlib, msgpack or numpy, each with its own
    # exception type; all of them mean the same thing here.
    except Exception as error:  # noqa: BLE001
        raise ImportFailed(
            f"{path}: not a spaCy DocBin, or a damaged one ({type(error).__name__}: {error})"
        ) from error


def read_docbin(
    path: Path, report: ImportReport, encoding: str | None = None
) -> Iterator[ArticleRecord]:
    docs = load_docs(path)
    if not docs:
        report.skip(f"{path}:1", "empty file (no documents)")
        return
    parts: list[ArticleRecord] = []  # of an article our export cut (formats.spacy.parts)
    for number, doc in enumerate(docs, start=1):
        where = f"{path}: doc {number}"
        part = doc.user_data.get(PART)
        if isinstance(part, dict) and isinstance(part.get("of"), int) and part["of"] > 1:
            if part.get("index") != len(parts):  # parts missing: never join pieces of two
                if parts:
                    report.skip(parts[0].where, f"{MISSING}; left out")
                parts = []
                if part.get("index") != 0:
                    report.skip(where, f"{MISSING}; left out")
                    continue
            parts.append(doc_record(doc, where, report))
            if part.get("index") == part["of"] - 1:
                yield join_parts(parts)
                parts = []
            continue
        if not doc.text.strip():
            report.skip(where, "no text")
            continue
        yield doc_record(doc, where, report)
    if parts:
        report.skip(parts[0].where, f"{MISSING}; left out")


def _user_data(doc) -> dict:
    # Extension attributes live in user_data under tuple keys; ours are plain strings.
    return {k: _plain(v) for k, v in doc.user_data.items() if isinstance(k, str)}


def _plain(value):
    """msgpack gives lists back as tuples: lists again, as they were written."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def doc_record(doc, where: str, report: ImportReport) -> ArticleRecord:
    spans: list[SpanRecord] = []
    seen: set[tuple] = set()

    data = _user_data(doc)
    payload = data.get(USER_DATA_KEY) if isinstance(data.get(USER_DATA_KEY), dict) else {}
    if payload and payload.get("version") != 1:
        report.note(
            where,
            f"user_data[{USER_DATA_KEY!r}] has version {payload.get('version')!r}, not 1: "
            "its attributes, notes and normalizations are not read",
        )
        payload = {}
    span_meta = _span_meta(payload)

    def add(span, kind: str) -> None:
        key = (span.start_char, span.end_char, span.label_, kind)
        if key not in seen and span.label_:
            seen.add(key)
            record = SpanRecord(span.start_char, span.end_char, span.label_, kind=kind)
            record.meta = dict(span_meta.get(key[:3], {}))
            add_kb_id(record, span.kb_id_)
            spans.append(record)

    for ent in doc.ents:
        add(ent, ENTITY)
    for key, group in doc.spans.items():
        for span in group:
            add(span, TRIGGER if key == TRIGGER_KEY else ENTITY)
    events = []
    if isinstance(data.get("events"), list):
        # The triggers as exported: their labels are event types, and read_events finds
        # each by its characters and type.
        events = read_events({"events": data["events"]}, spans, where, report)
    ext_id = data.get("ext_id")
    title = data.get("title")
    status = data.get("status")
    view = data.get(VIEW_KEY)  # an article answered for its spans only (our export)
    return ArticleRecord(
        text=doc.text,
        where=where,
        meta={VIEW_KEY: view} if isinstance(view, str) and view else {},
        title=title if isinstance(title, str) else "",
        ext_id=str(ext_id) if isinstance(ext_id, (str, int)) and ext_id != "" else None,
        status=status if status in STATUSES else NEW,
        spans=check_spans(doc.text, spans, where, report),
        events=events,
    )


def _span_meta(payload: dict) -> dict[tuple[int, int, str], dict]:
    spans = payload.get("spans")
    if not isinstance(spans, dict):
        return {}
    out = {}
    for key, meta in spans.items():
        place = parse_span_key(key) if isinstance(key, str) else None
        if place is not None and isinstance(meta, dict):
            out[place] = meta
    return out
