"""Suggestions in the store: sources, open suggestions per article, decisions, statistics.

A suggestion is a span with state 'suggested' and origin 'suggest:<source>'. Deciding on it
keeps the row (so provenance stays): accepted as it was, relabelled, resized, or rejected.
Re-running a source replaces its open suggestions and leaves every decision alone.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError, EditRefused
from annotator.core.model import ACCEPTED, REJECTED, SUGGESTED, Span
from annotator.store.base import StoreBase
from annotator.store.import_runs import HIDDEN_IDS, visible
from annotator.store.rows import SPAN_COLUMNS, span_from_row

SUGGEST_PREFIX = "suggest:"
DECISIONS = ("accepted", "relabelled", "resized", "rejected")

# One row of the JSON batch is [article id, start, end, label, score]. Named parameters:
# numbered ones (?1) given as a sequence are deprecated from Python 3.12.
_INSERT_SUGGESTIONS = """
INSERT INTO spans (article_id, start, end, label, suggested_label, kind, origin, state, score,
                   created, updated)
SELECT r.article_id, r.start, r.end, r.label, r.label, 'entity', :origin, :suggested, r.score, :now, :now
FROM (SELECT json_extract(value, '$[0]') AS article_id, json_extract(value, '$[1]') AS start,
             json_extract(value, '$[2]') AS end, json_extract(value, '$[3]') AS label,
             json_extract(value, '$[4]') AS score FROM json_each(:rows)) AS r
WHERE NOT EXISTS (SELECT 1 FROM spans s WHERE s.article_id = r.article_id AND s.start = r.start
                  AND s.end = r.end AND s.label = r.label
                  AND (s.state = :accepted OR (s.origin = :origin AND s.state = :rejected)))
"""


@dataclass(frozen=True)
class Source:
    id: int
    name: str
    kind: str  # "model" | "patterns"
    location: str
    mapping: dict  # the model's label -> the project's label (missing or None: ignored)

    @property
    def origin(self) -> str:
        return SUGGEST_PREFIX + self.name


class SuggestionQueries(StoreBase):
    # -- sources -----------------------------------------------------------------------------

    def add_source(
        self, name: str, kind: str, location: str, mapping: dict | None = None
    ) -> Source:
        """Register (or update) a suggestion source under a name."""
        with self.write():
            self.conn.execute(
                "INSERT INTO sources (name, kind, location, mapping, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, location = excluded.location, "
                "mapping = excluded.mapping",
                (name, kind, location, json.dumps(mapping or {}), time.time()),
            )
        return self.source(name)

    def source(self, name: str) -> Source:
        row = self.conn.execute(
            "SELECT id, name, kind, location, mapping FROM sources WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise AnnotatorError(f"no suggestion source named {name!r}")
        return Source(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"))

    def sources(self) -> list[Source]:
        return [
            Source(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}"))
            for r in self.conn.execute(
                "SELECT id, name, kind, location, mapping FROM sources ORDER BY name"
            )
        ]

    # -- writing suggestions (the worker, in batches) ----------------------------------------

    def replace_suggestions(
        self, origin: str, article_ids: list[int], rows: list[tuple]
    ) -> dict[str, int]:
        """Swap this source's open suggestions on these articles for `rows`, each (article id,
        start, end, label, score); call inside a transaction. Spans already accepted, or
        rejected from this source, are not suggested again. Returns the new ones per label.

        This is the hot loop of a corpus-wide run and it runs in a thread beside spaCy, so the
        batch travels as one JSON text and SQLite unpacks it: binding rows one by one from
        Python would hold the GIL that spaCy needs."""
        self._inside_write()
        if not article_ids:
            return {}
        ids = json.dumps(article_ids)
        # "+origin", "+state": keep SQLite on the per-article index rather than walking every
        # open suggestion in the corpus.
        self.conn.execute(
            "DELETE FROM spans WHERE article_id IN (SELECT value FROM json_each(?)) "
            "AND +origin = ? AND +state = ?",
            (ids, origin, SUGGESTED),
        )
        now = time.time()
        self.conn.execute(
            _INSERT_SUGGESTIONS,
            {
                "origin": origin,
                "suggested": SUGGESTED,
                "now": now,
                "rows": json.dumps(rows),
                "accepted": ACCEPTED,
                "rejected": REJECTED,
            },
        )
        return dict(
            self.conn.execute(
                "SELECT label, count(*) FROM spans WHERE article_id IN (SELECT value FROM json_each(?)) "
                "AND +origin = ? AND state = ? GROUP BY label",
                (ids, origin, SUGGESTED),
            ).fetchall()
        )

    # -- deciding ----------------------------------------------------------------------------

    def decide(
        self,
        span_id: int,
        state: str,
        decision: str | None,
        label: str | None = None,
        bounds: tuple[int, int] | None = None,
    ) -> Span:
        """Set a suggestion's state and decision (and label/offsets); returns it as it was."""
        with self.write():
            span = self.span(span_id)
            if span is None:
                raise EditRefused(f"span {span_id} does not exist")
            start, end = bounds or (span.start, span.end)
            # The decision is the decider's: it joins their layer. Undone (back to an open
            # suggestion), it belongs to nobody again.
            who = None if state == SUGGESTED else self.annotator
            self.conn.execute(
                "UPDATE spans SET state = ?, decision = ?, label = ?, start = ?, end = ?, "
                "annotator = ?, updated = ? WHERE id = ?",
                (state, decision, label or span.label, start, end, who, time.time(), span_id),
            )
            delta = (state == ACCEPTED) - (span.state == ACCEPTED)
            if delta:
                self._bump_count(span.article_id, delta)
        return span

    def next_article_with_suggestions(
        self,
        after_article_id: int,
        step: int = 1,
        *,
        source: str | None = None,
        label: str | None = None,
        min_score: float | None = None,
    ) -> int | None:
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = (
            f"SELECT article_id FROM spans WHERE state = ? AND article_id {op} ? "
            f"AND article_id NOT IN {HIDDEN_IDS}"
        )
        args: list = [SUGGESTED, after_article_id]
        if source:
            sql += " AND origin = ?"
            args.append(SUGGEST_PREFIX + source)
        if label:
            sql += " AND label = ?"
            args.append(label)
        if min_score is not None:
            sql += " AND score >= ?"
            args.append(min_score)
        row = self.conn.execute(sql + f" ORDER BY article_id {order} LIMIT 1", args).fetchone()
        return row[0] if row else None

    def decision_of(self, span_id: int) -> str | None:
        row = self.conn.execute("SELECT decision FROM spans WHERE id = ?", (span_id,)).fetchone()
        return row[0] if row else None

    # -- reviewing across the corpus ---------------------------------------------------------

    def open_suggestions(
        self,
        *,
        source: str | None = None,
        label: str | None = None,
        min_score: float | None = None,
        after_id: int = 0,
        limit: int = 200,
    ) -> list[Span]:
        """Open suggestions of the whole corpus by key, for the review queue."""
        sql = (
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE state = ? AND id > ? "
            f"AND article_id NOT IN {HIDDEN_IDS}"
        )
        sql, args = self._queue_filter(sql, source, label, min_score, after_id, limit)
        return [span_from_row(row) for row in self.conn.execute(sql, args)]

    def open_suggestion_count(self, label: str | None = None) -> tuple[int, int]:
        """(open suggestions, articles holding them) in the corpus, of one label or all: what
        a decision on all of them would touch, said before it is made. Twins (the same text
        and label from several sources) count once: the person sees them as one tag."""
        sql = (
            "SELECT DISTINCT article_id, start, end, label FROM spans WHERE state = ? "
            f"AND article_id NOT IN {HIDDEN_IDS}"
        )
        args: list = [SUGGESTED]
        if label:
            sql += " AND label = ?"
            args.append(label)
        sql = f"SELECT count(*), count(DISTINCT article_id) FROM ({sql})"
        found, articles = self.conn.execute(sql, args).fetchone()
        return found, articles

    def open_suggestion_labels(self) -> list[str]:
        """The labels of the corpus's open suggestions, sorted."""
        return [
            row[0]
            for row in self.conn.execute(
                f"SELECT DISTINCT label FROM spans WHERE state = ? AND article_id NOT IN "
                f"{HIDDEN_IDS} ORDER BY label",
                (SUGGESTED,),
            )
        ]

    def queue_rows(
        self,
        *,
        source: str | None = None,
        label: str | None = None,
        min_score: float | None = None,
        after_id: int = 0,
        limit: int = 200,
    ) -> list[tuple]:
        """(span id, article id, the suggested text, label, score, source) for the queue."""
        sql = (
            "SELECT s.id, s.article_id, substr(a.text, s.start + 1, s.end - s.start), s.label, "
            "s.score, substr(s.origin, 9), s.start, s.end FROM spans s "
            f"JOIN articles a ON a.id = s.article_id WHERE s.state = ? AND s.id > ? AND {visible('a')}"
        )
        sql, args = self._queue_filter(sql, source, label, min_score, after_id, limit, prefix="s.")
        rows = []
        for *row, start, end in self.conn.execute(sql, args).fetchall():
            if len(row[2] or "") != end - start:
                # SQLite's substr() stops at a NUL (U+0000) in the text: cut it in Python.
                (text,) = self.conn.execute(
                    "SELECT text FROM articles WHERE id = ?", (row[1],)
                ).fetchone()
                row[2] = text[start:end]
            rows.append(tuple(row))
        return rows

    def _queue_filter(self, sql, source, label, min_score, after_id, limit, prefix=""):
        args: list = [SUGGESTED, after_id]
        if source:
            sql += f" AND {prefix}origin = ?"
            args.append(SUGGEST_PREFIX + source)
        if label:
            sql += f" AND {prefix}label = ?"
            args.append(label)
        if min_score is not None:
            sql += f" AND {prefix}score >= ?"
            args.append(min_score)
        sql += f" ORDER BY {prefix}id LIMIT ?"
        args.append(limit)
        return sql, args

    def suggestion_stats(self) -> list[dict]:
        """Per source and label: open, accepted, relabelled, resized, rejected, precision."""
        rows = self.conn.execute(
            "SELECT origin, coalesce(suggested_label, label) AS given, state, decision, count(*) "
            f"FROM spans WHERE origin LIKE ? AND article_id NOT IN {HIDDEN_IDS} "
            "GROUP BY origin, given, state, decision",
            (SUGGEST_PREFIX + "%",),
        ).fetchall()
        table: dict[tuple[str, str], dict] = {}
        for origin, label, state, decision, count in rows:
            entry = table.setdefault(
                (origin, label),
                {
                    "source": origin[len(SUGGEST_PREFIX) :],
                    "label": label,
                    "open": 0,
                    **dict.fromkeys(DECISIONS, 0),
                },
            )
            if state == SUGGESTED:
                entry["open"] += count
            elif decision in DECISIONS:
                entry[decision] += count
        for entry in table.values():
            decided = sum(entry[d] for d in DECISIONS)
            entry["precision"] = round(entry["accepted"] / decided, 3) if decided else None
        return sorted(table.values(), key=lambda e: (e["source"], e["label"]))
