"""What a long job (a suggestion run over the corpus) asks of the store: article texts a page
at a time by key, a connection that trades durability for speed, a check that SQLite can
unpack JSON batches, and one batch written as one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from annotator.core.errors import AnnotatorError
from annotator.store.base import StoreBase
from annotator.store.import_runs import visible

PAGE = 64
# Suggestions written per transaction, about: 1,000 hold the write lock some 15 ms. A page of
# 64 articles of 100,000 characters can bring 100,000 suggestions (1.9 s in one transaction).
ROWS_PER_TRANSACTION = 1000


class JobQueries(StoreBase):
    """ProjectStore's reads and writes for long jobs (a mixin)."""

    conn: sqlite3.Connection

    def iter_texts(
        self, article_ids: Iterable[int] | None = None, page: int = PAGE
    ) -> Iterator[tuple[str, int]]:
        """(text, article id) of these articles (all when None, in id order), read a page at
        a time by key: a corpus never sits in memory, and no OFFSET scan grows with it."""
        if article_ids is not None:
            ids = list(article_ids)
            for i in range(0, len(ids), page):
                chunk = ids[i : i + page]
                marks = ",".join("?" * len(chunk))
                yield from self.conn.execute(
                    f"SELECT text, id FROM articles WHERE id IN ({marks}) AND {visible()} "
                    "ORDER BY id",
                    chunk,
                ).fetchall()
            return
        after = 0
        while True:
            rows = self.conn.execute(
                f"SELECT text, id FROM articles WHERE id > ? AND {visible()} ORDER BY id LIMIT ?",
                (after, page),
            ).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][1]

    def use_fast_writes(self) -> None:
        """For this connection only: commit without waiting for the disk (synchronous=NORMAL).
        For writes that can be made again (suggestions): a power cut may lose the last batch,
        the file stays consistent either way; fsyncing each batch would cost more than spaCy."""
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def check_json_support(self) -> None:
        """Batches travel as JSON for SQLite to unpack: say so plainly where SQLite can't."""
        try:
            self.conn.execute("SELECT value FROM json_each('[1]')").fetchall()
        except sqlite3.OperationalError as error:
            raise AnnotatorError(
                f"this Python's SQLite {sqlite3.sqlite_version} has no JSON functions "
                f"({error}); suggestions need SQLite 3.38 or newer, or one built "
                "with JSON1"
            ) from None

    def write_suggestion_batch(
        self, origin: str, article_ids: list[int], rows: list[tuple]
    ) -> dict[str, int]:
        """One batch of a suggestion run (replace_suggestions) in transactions of whole
        articles, about ROWS_PER_TRANSACTION suggestions each, so a cancel or a crash leaves
        whole articles done or untouched and a person's edit never waits for a whole batch of
        long articles. Returns the new ones per label."""
        by_article: dict[int, list[tuple]] = {}
        for row in rows:
            by_article.setdefault(row[0], []).append(row)
        added: dict[str, int] = {}
        ids: list[int] = []
        chunk: list[tuple] = []
        for article_id in [*article_ids, None]:  # None: write what is left
            mine = by_article.get(article_id, []) if article_id is not None else []
            if ids and (article_id is None or len(chunk) + len(mine) > ROWS_PER_TRANSACTION):
                with self.write():
                    for label, count in self.replace_suggestions(origin, ids, chunk).items():
                        added[label] = added.get(label, 0) + count
                ids, chunk = [], []
            if article_id is not None:
                ids.append(article_id)
                chunk += mine
        return added
