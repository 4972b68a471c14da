"""The queries "label all occurrences" needs (a mixin of ProjectStore): the articles that may
hold a text, found through the FTS5 index and paged by key, the places already taken in them,
and the propagated suggestions written in short batches.

FTS5 only narrows the search: its words are compared without case or accents, so it finds a
superset of the articles, and the exact matching is done on the text (suggest.propagate).
"""

from __future__ import annotations

import time

import regex

from annotator.core.model import ACCEPTED, REJECTED, SUGGESTED
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible

PROPAGATED = "suggest:propagated"  # the origin of label-all suggestions: a source of its own

# unicode61 (the index's tokenizer) makes words of letters and digits; a mark stays with them.
_FTS_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def fts_phrase(needle: str, whole_word: bool) -> str | None:
    """An FTS5 phrase query that every article holding `needle` matches, or None when the
    index can't narrow the search (no word in it, or one word that may sit inside another).

    Matching inside words, the needle's first word may be the end of a longer word (FTS5 has
    no suffix query: it is left out) and its last word the start of one (a prefix query)."""
    words = _FTS_WORD.findall(needle)
    if not words:
        return None
    prefix = False
    if not whole_word:
        if _FTS_WORD.match(needle) is not None:
            words = words[1:]
        prefix = _FTS_WORD.fullmatch(needle[-1]) is not None
    if not words:
        return None
    # Quoted, so that FTS5 syntax in the text (AND, NEAR, *) is taken as words.
    phrase = " ".join(words).replace('"', '""')
    return f'"{phrase}"' + (" *" if prefix else "")


class OccurrenceQueries(StoreBase):
    """ProjectStore's part for label all (a mixin)."""

    def candidate_count(self, phrase: str | None) -> int:
        """How many visible articles a phrase query selects (every article for None): the
        progress bar's total."""
        sql, args = self._candidates("SELECT count(*) FROM articles a", phrase)
        return self.conn.execute(sql, args).fetchone()[0]

    def candidate_page(
        self, phrase: str | None, after_id: int = 0, limit: int = 50
    ) -> list[tuple[int, str]]:
        """(id, text) of the next `limit` candidate articles after `after_id`, by key."""
        sql, args = self._candidates("SELECT a.id, a.text FROM articles a", phrase)
        sql += " AND a.id > ? ORDER BY a.id LIMIT ?"
        return list(self.conn.execute(sql, [*args, after_id, limit]))

    def _candidates(self, select: str, phrase: str | None) -> tuple[str, list]:
        sql = f"{select} WHERE {visible('a')}"
        if phrase is None:
            return sql, []
        sql += " AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        return sql, [phrase]

    def taken_places(self, article_id: int, label: str) -> tuple[list[tuple[int, int]], set]:
        """Where an article already has a span or an open suggestion (any label, any
        annotator), and where a propagated `label` was rejected (not suggested again)."""
        taken = [
            (start, end)
            for start, end in self.conn.execute(
                "SELECT start, end FROM spans WHERE article_id = ? AND state IN (?, ?)",
                (article_id, ACCEPTED, SUGGESTED),
            )
        ]
        rejected = set(
            self.conn.execute(
                "SELECT start, end FROM spans WHERE article_id = ? AND state = ? "
                "AND origin = ? AND coalesce(suggested_label, label) = ?",
                (article_id, REJECTED, PROPAGATED, label),
            ).fetchall()
        )
        return taken, rejected

    def add_propagated(
        self, rows: list[tuple[int, int, int]], label: str
    ) -> list[tuple[int, int, int]]:
        """Write suggestions of `label` at (article id, start, end) in one short transaction;
        a place that got a span or suggestion since it was read is left alone. Returns the
        rows written."""
        if not rows:
            return []
        now = time.time()
        written = []
        with self.write():
            for article_id, start, end in rows:
                cursor = self.conn.execute(
                    "INSERT INTO spans (article_id, start, end, label, suggested_label, kind, "
                    "origin, state, created, updated) SELECT ?, ?, ?, ?, ?, 'entity', ?, ?, ?, ? "
                    "WHERE NOT EXISTS (SELECT 1 FROM spans WHERE article_id = ? AND start < ? "
                    "AND end > ? AND state IN (?, ?))",
                    (
                        article_id,
                        start,
                        end,
                        label,
                        label,
                        PROPAGATED,
                        SUGGESTED,
                        now,
                        now,
                        article_id,
                        end,
                        start,
                        ACCEPTED,
                        SUGGESTED,
                    ),
                )
                if cursor.rowcount:
                    written.append((article_id, start, end))
        return written

    def has_open_propagated(self) -> bool:
        """Whether any propagated suggestion is open (the review queue offers the source)."""
        row = self.conn.execute(
            "SELECT 1 FROM spans WHERE state = ? AND origin = ? LIMIT 1", (SUGGESTED, PROPAGATED)
        ).fetchone()
        return row is not None
