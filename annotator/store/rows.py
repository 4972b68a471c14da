"""The one INSERT of each table that several paths write, and the one mapping from a row to
a core record: an edit, an undo and an import all add spans through INSERT_SPAN, and every
query that returns spans selects SPAN_COLUMNS and maps them with `span_from_row`."""

from __future__ import annotations

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
