"""Suggestions in the store: sources, open suggestions per article, decisions, statistics.

A suggestion is a span with state 'suggested' and origin 'suggest:<source>'. Deciding on it
keeps the row (so provenance stays): accepted as it was, relabelled, resized, or rejected.
Re-running a source replaces its open suggestions and leaves every decision alone.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError, EditRefused
from annotator.core.model import ACCEPTED, REJECTED, SUGGESTED, Span

SUGGEST_PREFIX = "suggest:"
DECISIONS = ("accepted", "relabelled", "resized", "rejected")


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


@dataclass(frozen=True)
class Suggested:
    start: int
    end: int
    label: str
    score: float | None = None


class SuggestionQueries:
    conn: sqlite3.Connection

    # -- sources -----------------------------------------------------------------------------

    def add_source(self, name: str, kind: str, location: str, mapping: dict | None = None) -> Source:
        """Register (or update) a suggestion source under a name."""
        with self.db.atomic():
            self.conn.execute(
                "INSERT INTO sources (name, kind, location, mapping, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, location = excluded.location, "
                "mapping = excluded.mapping",
                (name, kind, location, json.dumps(mapping or {}), time.time()))
        return self.source(name)

    def source(self, name: str) -> Source:
        row = self.conn.execute(
            "SELECT id, name, kind, location, mapping FROM sources WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AnnotatorError(f"no suggestion source named {name!r}")
        return Source(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"))

    def sources(self) -> list[Source]:
        return [Source(r[0], r[1], r[2], r[3], json.loads(r[4] or "{}")) for r in self.conn.execute(
            "SELECT id, name, kind, location, mapping FROM sources ORDER BY name")]

    # -- writing suggestions (the worker, in batches) ----------------------------------------

    def replace_suggestions(self, origin: str,
                            found: dict[int, list[Suggested]]) -> dict[int, list[Suggested]]:
        """Swap this source's open suggestions on these articles for what it found now; call
        inside a transaction. Spans already accepted, or rejected from this source, are not
        suggested again. Returns what was new, per article. One statement per batch of
        articles, not per article: this is the hot loop of a corpus-wide run."""
        if not found:
            return {}
        ids = list(found)
        marks = ",".join("?" * len(ids))
        # "+state": keep SQLite on the per-article index rather than walking every open
        # suggestion in the corpus.
        self.conn.execute(f"DELETE FROM spans WHERE article_id IN ({marks}) AND +origin = ? "
                          "AND +state = ?", (*ids, origin, SUGGESTED))
        known = {(r[0], r[1], r[2], r[3]) for r in self.conn.execute(
            f"SELECT article_id, start, end, label FROM spans WHERE article_id IN ({marks}) "
            "AND (state = ? OR (origin = ? AND state = ?))", (*ids, ACCEPTED, origin, REJECTED))}
        fresh = {article_id: [s for s in items if (article_id, s.start, s.end, s.label) not in known]
                 for article_id, items in found.items()}
        now = time.time()
        self.conn.executemany(
            "INSERT INTO spans (article_id, start, end, label, suggested_label, kind, origin, "
            "state, score, created, updated) VALUES (?, ?, ?, ?, ?, 'entity', ?, ?, ?, ?, ?)",
            [(article_id, s.start, s.end, s.label, s.label, origin, SUGGESTED, s.score, now, now)
             for article_id, items in fresh.items() for s in items])
        return fresh

    # -- deciding ----------------------------------------------------------------------------

    def decide(self, span_id: int, state: str, decision: str | None, label: str | None = None,
               bounds: tuple[int, int] | None = None) -> Span:
        """Set a suggestion's state and decision (and label/offsets); returns it as it was."""
        with self.db.atomic():
            span = self.span(span_id)
            if span is None:
                raise EditRefused(f"span {span_id} does not exist")
            start, end = bounds or (span.start, span.end)
            self.conn.execute(
                "UPDATE spans SET state = ?, decision = ?, label = ?, start = ?, end = ?, "
                "updated = ? WHERE id = ?",
                (state, decision, label or span.label, start, end, time.time(), span_id))
            delta = (state == ACCEPTED) - (span.state == ACCEPTED)
            if delta:
                self._bump_count(span.article_id, delta)
        return span

    def next_article_with_suggestions(self, after_article_id: int, step: int = 1, *,
                                      source: str | None = None, label: str | None = None,
                                      min_score: float | None = None) -> int | None:
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = f"SELECT article_id FROM spans WHERE state = ? AND article_id {op} ?"
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

    def open_suggestions(self, *, source: str | None = None, label: str | None = None,
                         min_score: float | None = None, after_id: int = 0,
                         limit: int = 200) -> list[Span]:
        """Open suggestions of the whole corpus by key, for the review queue."""
        sql = ("SELECT id, article_id, start, end, label, kind, origin, state, score FROM spans "
               "WHERE state = ? AND id > ?")
        sql, args = self._queue_filter(sql, source, label, min_score, after_id, limit)
        return [Span(*row) for row in self.conn.execute(sql, args)]

    def queue_rows(self, *, source: str | None = None, label: str | None = None,
                   min_score: float | None = None, after_id: int = 0, limit: int = 200) -> list[tuple]:
        """(span id, article id, the suggested text, label, score, source) for the queue."""
        sql = ("SELECT s.id, s.article_id, substr(a.text, s.start + 1, s.end - s.start), s.label, "
               "s.score, substr(s.origin, 9) FROM spans s JOIN articles a ON a.id = s.article_id "
               "WHERE s.state = ? AND s.id > ?")
        sql, args = self._queue_filter(sql, source, label, min_score, after_id, limit, prefix="s.")
        return self.conn.execute(sql, args).fetchall()

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
            "FROM spans WHERE origin LIKE ? GROUP BY origin, given, state, decision",
            (SUGGEST_PREFIX + "%",)).fetchall()
        table: dict[tuple[str, str], dict] = {}
        for origin, label, state, decision, count in rows:
            entry = table.setdefault((origin, label), {
                "source": origin[len(SUGGEST_PREFIX):], "label": label, "open": 0,
                **dict.fromkeys(DECISIONS, 0)})
            if state == SUGGESTED:
                entry["open"] += count
            elif decision in DECISIONS:
                entry[decision] += count
        for entry in table.values():
            decided = sum(entry[d] for d in DECISIONS)
            entry["precision"] = round(entry["accepted"] / decided, 3) if decided else None
        return sorted(table.values(), key=lambda e: (e["source"], e["label"]))
