"""Article records as plain rows, made where the file is read (formats/reader_process.py).

An import of a big file reads it in a process of its own. Sending each ArticleRecord there
as objects (a SpanRecord per span) cost as much to pickle and to rebuild here as parsing
did, and the writer then made a NewSpan and a row of each. A record without events (most
corpora: entities only) travels instead as one PackedRecord whose spans are already the
store's span rows (NewSpan's fields, in order, meta as JSON), with its title, text hash and
meta worked out the way record_writer.new_article works them out: the writer checks the
labels as a set and hands the rows on untouched. A record with events or a schema of its own
(events point at spans by identity) travels as itself, and takes the writer's full path.
"""

from __future__ import annotations

import json
import sys
from typing import NamedTuple

from annotator.core.model import ACCEPTED, REJECTED, title_from_text
from annotator.formats.records import ArticleRecord
from annotator.store.articles import text_hash
from annotator.store.imports import SpanRow


class PackedRecord(NamedTuple):
    where: str  # file:line, for messages
    ext_id: str | None
    digest: str  # store.articles.text_hash of the text
    title: str  # the record's, else the text's first line (new_article's rule)
    text: str
    meta: str  # JSON, as new_article writes it
    status: str
    spans: list[SpanRow]
    labels: frozenset[tuple[str, str]]  # (kind, label) of its spans, checked at once
    # Counted here, where the file is read, not by the process that writes (whose work
    # decides an import's time): its accepted spans, and those the report counts.
    accepted: int
    counted: int  # not rejected


def meta_json(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False) if meta else "{}"


def packed(record: ArticleRecord) -> ArticleRecord | PackedRecord:
    """The record as a PackedRecord, or as itself when it has events or a schema."""
    if record.events or record.schema is not None:
        return record
    dumps = json.dumps
    intern = sys.intern  # one string per label: pickled once a batch, not once a span
    spans = [
        (
            s.start,
            s.end,
            intern(s.label),
            s.kind,
            s.state,
            s.score,
            dumps(s.meta, ensure_ascii=False) if s.meta else "{}",
        )
        for s in record.spans
    ]
    return PackedRecord(
        record.where,
        record.ext_id,
        text_hash(record.text),
        record.title or title_from_text(record.text),
        record.text,
        meta_json(record.meta),
        record.status,
        spans,
        frozenset((span[3], span[2]) for span in spans),
        sum(1 for span in spans if span[4] == ACCEPTED),
        sum(1 for span in spans if span[4] != REJECTED),
    )
