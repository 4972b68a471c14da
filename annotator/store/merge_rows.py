"""The output's side of `annotator merge` (store/merge.py) but the layers themselves
(merge_write.py): finding and adding the input's articles, the ids new rows take, and the
counts an article keeps of its annotations. Ids of the output's new rows are given here
(above every id the table has had), so spans, events and arguments go in with one
executemany each instead of a statement per row."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW
from annotator.store.rows import INSERT_ARTICLE


def find_articles(
    conn: sqlite3.Connection, column: str, keys: list[str]
) -> dict[str, tuple[int, str]]:
    """Output articles whose ext_id (or text_hash) is among `keys`: key -> (id, text_hash)."""
    if column not in ("ext_id", "text_hash"):
        raise ValueError(column)
    found: dict[str, tuple[int, str]] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for key, article_id, digest in conn.execute(
            f"SELECT {column}, id, text_hash FROM articles WHERE {column} IN ({marks})", chunk
        ):
            found[key] = (article_id, digest)
    return found


def next_ids(conn: sqlite3.Connection, table: str) -> int:
    """The first id free for good in `table` (AUTOINCREMENT: above every id it ever gave)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0))",
        (table,),
    ).fetchone()
    return row[0] + 1


@dataclass
class Written:
    """What one batch put in, per annotator: [spans, events, arguments]; and what it left
    out (an event whose trigger was an open suggestion, say), with why."""

    layers: dict[str, list[int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    stale: int = 0  # rows the input no longer has, kept because others refer to them
    shared: int = 0  # rows another input already brought, identical (see merge_write.py)
    changed: set[int] = field(default_factory=set)  # output articles whose rows changed

    def count(self, name: str, index: int) -> None:
        self.layers.setdefault(name, [0, 0, 0])[index] += 1


def add_articles(conn: sqlite3.Connection, rows: list[tuple], now: float) -> dict[int, int]:
    """Insert the input's articles the output lacks; returns input id -> output id."""
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
    out = {}
    new_rows = []
    for out_id, (src_id, ext_id, digest, title, text, source, meta, status) in enumerate(
        rows, start=first
    ):
        out[src_id] = out_id
        # Counters start at 0 and are counted once the layers are in (count_annotations).
        new_rows.append(
            (out_id, ext_id, digest, title, text, source, meta, status, 0, 0, now, now, None)
        )
    conn.executemany(INSERT_ARTICLE, new_rows)
    return out


def count_annotations(conn: sqlite3.Connection, article_ids: list[int], now: float) -> None:
    """Count these articles' accepted spans and events again (layers came and went), and
    mark a new article that now holds annotations as in progress, as an edit would."""
    ids = json.dumps(article_ids)
    conn.execute(
        "UPDATE articles SET "
        "n_spans = (SELECT count(*) FROM spans WHERE article_id = articles.id AND state = ?), "
        "n_events = (SELECT count(*) FROM events WHERE article_id = articles.id) "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (ACCEPTED, ids),
    )
    # updated: when the status was last set (store/stats.py's done per day).
    conn.execute(
        "UPDATE articles SET status = ?, updated = ? WHERE status = ? "
        "AND (n_spans > 0 OR n_events > 0) AND id IN (SELECT value FROM json_each(?))",
        (IN_PROGRESS, now, NEW, ids),
    )
