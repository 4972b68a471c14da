"""The one INSERT of each table that several paths write, and the one mapping from a row to
a core record: an edit, an undo and an import all add spans through INSERT_SPAN, and every
query that returns spans selects SPAN_COLUMNS and maps them with `span_from_row` (or
`spans_from_rows`, for many)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields

from annotator.core.model import Span

INSERT_ARTICLE = (
    "INSERT INTO articles (id, ext_id, text_hash, title, text, source, meta, status, n_spans, "
    "n_events, created, updated, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

# A row: (id or None, article_id, origin, start, end, label, kind, state, score, decision,
# meta JSON ("{}" for none), created, updated, annotator).
INSERT_SPAN = (
    "INSERT INTO spans (id, article_id, origin, start, end, label, kind, state, score, decision, "
    "meta, created, updated, annotator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

SPAN_COLUMNS = "id, article_id, start, end, label, kind, origin, state, score, decision, annotator"


def span_from_row(row: tuple) -> Span:
    """A Span from a row of SPAN_COLUMNS."""
    return Span(*row)


_SPAN_FIELDS = tuple(field.name for field in fields(Span))
assert ", ".join(_SPAN_FIELDS) == SPAN_COLUMNS  # a row's values are the fields, in order


def spans_from_rows(rows: list[tuple]) -> list[Span]:
    """Spans from rows of SPAN_COLUMNS, many at once (an article's 5,000 when it opens).
    A frozen dataclass's __init__ sets each field through object.__setattr__, which made
    this a third of reading doccano's long article; the fields go straight into each new
    instance's __dict__ instead: the same Span, equal and hashing as Span(*row) does."""
    new, names = object.__new__, _SPAN_FIELDS
    spans = []
    for row in rows:
        span = new(Span)
        span.__dict__.update(zip(names, row, strict=True))
        spans.append(span)
    return spans


def spans_with_rows(rows: Iterable[tuple]) -> Iterator[tuple[Span, tuple]]:
    """(Span, its row) from rows of SPAN_COLUMNS followed by more columns (read by index
    past len(SPAN_COLUMNS)), each Span made as spans_from_rows makes it (an export reads
    200,000 of them: the row whole, not a slice of its rest, is a third less of this)."""
    new, names = object.__new__, _SPAN_FIELDS
    for row in rows:
        span = new(Span)
        span.__dict__.update(zip(names, row, strict=False))  # the first len(names) values
        yield span, row
