"""Spans by key: read, insert, delete, relabel, with the article's counter and status kept in
step in the same transaction (a mixin of ProjectStore)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from annotator.core.errors import EditRefused
from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, TRIGGER, Span
from annotator.store.base import StoreBase
from annotator.store.rows import INSERT_SPAN, SPAN_COLUMNS, span_from_row, spans_from_rows


class SpanQueries(StoreBase):
    """ProjectStore's spans (a mixin)."""

    def spans(self, article_id: int, states: Iterable[str] = (ACCEPTED,)) -> list[Span]:
        states = tuple(states)
        marks = ",".join("?" * len(states))
        layer, who = self.layer_condition()
        rows = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ? AND state IN ({marks}) "
            f"{layer} ORDER BY start, end DESC, id",
            (article_id, *states, *who),
        ).fetchall()
        return spans_from_rows(rows)

    def spans_by_id(self, span_ids: Iterable[int]) -> dict[int, Span]:
        """The spans with these ids that exist (any state), by id: what an edit touched, read
        again without reading the article's other spans."""
        ids = list(span_ids)
        found: dict[int, Span] = {}
        for at in range(0, len(ids), 500):  # well under SQLite's limit of bound values
            chunk = ids[at : at + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT {SPAN_COLUMNS} FROM spans WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = span_from_row(row)
        return found

    def span(self, span_id: int) -> Span | None:
        row = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)
        ).fetchone()
        return span_from_row(row) if row else None

    def insert_span(self, span: Span, text_length: int | None = None) -> Span:
        """Store a span (keeping span.id when given, so a redo restores the same row)."""
        with self.write():
            return self._insert_span(span, text_length)

    def _insert_span(self, span: Span, text_length: int | None = None) -> Span:
        self._check_span(span, text_length)
        now = time.time()
        cursor = self.conn.execute(
            INSERT_SPAN,
            (
                span.id,
                span.article_id,
                span.origin,
                span.start,
                span.end,
                span.label,
                span.kind,
                span.state,
                span.score,
                span.decision,
                "{}",
                now,
                now,
                span.annotator or self.annotator,  # a restored row keeps its author
            ),
        )
        if span.state == ACCEPTED:
            self._bump_count(span.article_id, +1)
        return replace(span, id=cursor.lastrowid, annotator=span.annotator or self.annotator)

    def delete_span(self, span_id: int) -> Span:
        with self.write():
            return self._delete_span(span_id)

    def _delete_span(self, span_id: int) -> Span:
        span = self.span(span_id)
        if span is None:
            raise EditRefused(f"span {span_id} does not exist")
        self.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
        if span.state == ACCEPTED:
            self._bump_count(span.article_id, -1)
        return span

    def start_work(self, article_id: int) -> bool:
        """A new article's first annotation means work on it has started: 'new' becomes
        'in_progress'. True if it did (an undo then sets it back). Call inside write()."""
        self._inside_write()
        cursor = self.conn.execute(
            "UPDATE articles SET status = ?, updated = ? WHERE id = ? AND status = ?",
            (IN_PROGRESS, time.time(), article_id, NEW),
        )
        return cursor.rowcount > 0

    def undo_start_work(self, article_id: int) -> None:
        """The undo of start_work: 'in_progress' goes back to 'new', but only while the
        article holds no accepted span or event (so the status never says new of an article
        with annotations, whatever order undos and other writers come in)."""
        self._inside_write()
        self.conn.execute(
            "UPDATE articles SET status = ?, updated = ? WHERE id = ? AND status = ? "
            "AND n_spans = 0 AND n_events = 0",
            (NEW, time.time(), article_id, IN_PROGRESS),
        )

    def relabel_span(self, span_id: int, label: str) -> Span:
        """Give a span another label (a trigger another event type); returns it as it was."""
        with self.write():
            span = self.span(span_id)
            if span is None:
                raise EditRefused(f"span {span_id} does not exist")
            # The schema as stored now, under the write lock: another process may have
            # removed the label since this store cached it.
            schema = self.current_schema()
            known = schema.event_type(label) if span.kind == TRIGGER else schema.label(label)
            if known is None:
                raise EditRefused(f"label {label!r} is not in the project's schema")
            self.conn.execute(
                "UPDATE spans SET label = ?, updated = ? WHERE id = ?",
                (label, time.time(), span_id),
            )
        return span

    def move_span(self, span_id: int, start: int, end: int) -> Span:
        """Give a span other edges (a key moved one by a token); returns it as it was. Its id
        stays, so the arguments it fills stay with it."""
        with self.write():
            span = self.span(span_id)
            if span is None:
                raise EditRefused(f"span {span_id} does not exist")
            self._check_span(replace(span, start=start, end=end), None)
            self.conn.execute(
                "UPDATE spans SET start = ?, end = ?, updated = ? WHERE id = ?",
                (start, end, time.time(), span_id),
            )
        return span

    def _bump_count(self, article_id: int, delta: int) -> None:
        # articles.updated is left alone: it says when the status was last set (the
        # statistics' articles done per day), not when a span last changed.
        self.conn.execute(
            "UPDATE articles SET n_spans = n_spans + ? WHERE id = ?", (delta, article_id)
        )

    def _check_span(self, span: Span, text_length: int | None) -> None:
        if text_length is None:
            # The text itself, measured by Python: SQLite's length() stops at the first NUL
            # (U+0000), which made every span after one "outside the article".
            row = self.conn.execute(
                "SELECT text FROM articles WHERE id = ?", (span.article_id,)
            ).fetchone()
            if row is None:
                raise EditRefused(f"article {span.article_id} does not exist")
            text_length = len(row[0] or "")
        if not 0 <= span.start < span.end <= text_length:
            raise EditRefused(
                f"span {span.start}-{span.end} is outside article {span.article_id} "
                f"(0-{text_length})"
            )
        # The schema as stored now (called inside write(), under the lock): a label another
        # process removed since this store cached the schema is refused, not saved.
        schema = self.current_schema()
        known = schema.event_type(span.label) if span.kind == TRIGGER else schema.label(span.label)
        if known is None:
            raise EditRefused(f"label {span.label!r} is not in the project's schema")

    def adjust_span_count(self, article_id: int, delta: int) -> None:
        """Keep an article's accepted-span counter right after a change that removes or adds
        accepted spans by SQL of its own (a schema rename folding twins); call inside write()."""
        self._inside_write()
        self._bump_count(article_id, delta)
