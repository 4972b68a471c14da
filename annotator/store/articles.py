"""Queries over the article table that stay fast on 100,000 articles.

Lists page by key (`WHERE id > ? LIMIT ?`), never with OFFSET or a full load; text search
goes through the FTS5 index that the migrations keep in step with the table.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

from annotator.core.errors import EditRefused, ProjectError
from annotator.core.model import STATUSES, Article, ArticleFilter, ArticleRow
from annotator.store.base import StoreBase
from annotator.store.import_runs import STAGING_RUNS, visible

_WORD = re.compile(r"\w+", re.UNICODE)


def _where(flt: ArticleFilter | None, *, visible_only: bool = True) -> tuple[str, list]:
    """The SQL condition (and its arguments) that selects a filter's articles; the visible
    ones only (an import's articles are invisible until its run is published) unless the
    caller subtracts the invisible itself. Checked on each row the query reads anyway: a page
    or a neighbour costs nothing more. (Telling them by id from the articles_run index
    instead cost every page 6 ms while 20,000 articles were staged; this way only a page past
    the last visible article pays, reading the staged rows: 40 ms.)"""
    clauses: list[str] = [visible()] if visible_only else []
    args: list = []
    if flt is not None and flt.status:
        clauses.append("status = ?")
        args.append(flt.status)
    if flt is not None and flt.folder:
        # The folder a file was imported from (formats.importer), or one inside it. Read
        # from each row the query reads anyway (paging goes by key); no index, no migration.
        clauses.append(
            "(json_extract(meta, '$.folder') = ? OR "
            "substr(json_extract(meta, '$.folder'), 1, ?) = ?)"
        )
        args += [flt.folder, len(flt.folder) + 1, flt.folder + "/"]
    match = fts_query(flt.query) if flt is not None else ""
    if match:
        # The text and title, or a note or knowledge-base id of one of its annotations
        # (annotation_search), each on its own full-text index.
        clauses.append(
            "(id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) OR id IN "
            "(SELECT article_id FROM annotation_search WHERE annotation_search MATCH ?))"
        )
        args += [match, match]
    return (" AND ".join(clauses), args)


def fts_query(text: str) -> str:
    """Turn what a person types into an FTS5 query: every word must appear, the last as a prefix.

    Quoting each word keeps FTS5 syntax (AND, NEAR, quotes, *) in the search box harmless.
    """
    words = _WORD.findall(text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class ArticleQueries(StoreBase):
    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        """The articles under the filter, less the invisible ones among them: both counted
        on narrow indexes in one statement (one snapshot). Checking each row's run instead
        would read every row (a search: 27 -> 55 ms on 80,000 articles). The invisible ones
        are found on the articles_run index, which SQLite would otherwise pass over for the
        search index and then read each match's row."""
        cond, args = _where(flt, visible_only=False)
        every = f" WHERE {cond}" if cond else ""
        hidden = f" AND {cond}" if cond else ""
        return self.conn.execute(
            f"SELECT (SELECT count(*) FROM articles{every}) - (SELECT count(*) FROM articles "
            f"INDEXED BY articles_run WHERE run_id IN {STAGING_RUNS}{hidden})",
            args * 2,
        ).fetchone()[0]

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for status, count in self.conn.execute(
            "SELECT status, count(*) FROM articles GROUP BY status UNION ALL "
            f"SELECT status, -count(*) FROM articles WHERE run_id IN {STAGING_RUNS} "
            "GROUP BY status"
        ):
            counts[status] = counts.get(status, 0) + count
        return counts

    def article_rows(
        self, flt: ArticleFilter | None = None, after_id: int = 0, limit: int = 200
    ) -> list[ArticleRow]:
        cond, args = _where(flt)
        sql = f"SELECT id, title, status, n_spans, n_events FROM articles WHERE id > ? AND {cond}"
        sql += " ORDER BY id LIMIT ?"
        return [ArticleRow(*row) for row in self.conn.execute(sql, [after_id, *args, limit])]

    def article_rows_by_id(self, ids: list[int]) -> list[ArticleRow]:
        """These articles' list rows, by key (the rows a list shows, read again after another
        program changed the file); missing ids are left out."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, title, status, n_spans, n_events FROM articles WHERE id IN ({marks})"
        return [ArticleRow(*row) for row in self.conn.execute(sql, ids)]

    def neighbour(self, article_id: int, step: int, flt: ArticleFilter | None = None) -> int | None:
        """The next (step=+1) or previous (step=-1) article id under the filter, or None."""
        cond, args = _where(flt)
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = f"SELECT id FROM articles WHERE id {op} ? AND {cond} ORDER BY id {order} LIMIT 1"
        row = self.conn.execute(sql, [article_id, *args]).fetchone()
        return row[0] if row else None

    def first_article_id(self, flt: ArticleFilter | None = None) -> int | None:
        return self.neighbour(0, +1, flt)

    def position(self, article_id: int) -> int:
        """1-based position of the article among the visible ones (by id): those up to it on
        the narrow index, less the invisible ones up to it (on the articles_run index)."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM articles WHERE id <= :id) - (SELECT count(*) FROM "
            f"articles WHERE run_id IN {STAGING_RUNS} AND id <= :id)",
            {"id": article_id},
        ).fetchone()[0]

    def find_duplicate(self, ext_id: str | None, digest: str) -> tuple[int, str] | None:
        """An existing article with this external id or this text, and which of the two matched."""
        if ext_id is not None:
            row = self.conn.execute(
                f"SELECT id FROM articles WHERE ext_id = ? AND {visible()}", (ext_id,)
            ).fetchone()
            if row:
                return row[0], f"id {ext_id!r}"
        row = self.conn.execute(
            f"SELECT id FROM articles WHERE text_hash = ? AND {visible()}", (digest,)
        ).fetchone()
        if row:
            return row[0], "the same text"
        return None

    # -- one article by key ------------------------------------------------------------------

    def article(self, article_id: int) -> Article:
        row = self.conn.execute(
            "SELECT id, text, title, ext_id, status, meta, n_spans FROM articles WHERE id = ? "
            f"AND {visible()}",
            (article_id,),
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path}: article {article_id} does not exist")
        return Article(
            row[0], row[1], row[2] or "", row[3], row[4], json.loads(row[5] or "{}"), row[6]
        )

    def article_row(self, article_id: int) -> ArticleRow | None:
        row = self.conn.execute(
            "SELECT id, title, status, n_spans, n_events FROM articles WHERE id = ? "
            f"AND {visible()}",
            (article_id,),
        ).fetchone()
        return ArticleRow(*row) if row else None

    def set_status(self, article_id: int, status: str) -> str:
        """Set an article's status; returns the one it had."""
        if status not in STATUSES:
            raise EditRefused(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        with self.write():
            old = self.status_of(article_id)
            self.conn.execute(
                "UPDATE articles SET status = ?, updated = ? WHERE id = ?",
                (status, time.time(), article_id),
            )
        return old

    def status_of(self, article_id: int) -> str:
        row = self.conn.execute(
            "SELECT status FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise EditRefused(f"article {article_id} does not exist")
        return row[0]
