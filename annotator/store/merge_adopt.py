"""A new merged project made as a file copy of its first input (store/merge.py,
start_from_copy), and the other inputs a person's work came from."""

from __future__ import annotations

import sqlite3

from annotator.core.layers import GOLD
from annotator.core.model import IN_PROGRESS, NEW, SUGGESTED


def adopt_copy(conn: sqlite3.Connection, source_id: int, unnamed: str) -> dict[str, list[int]]:
    """A new merged project made as a file copy of its first input (store/merge.py,
    start_from_copy): make the copy's rows that input's layer, as merging it would have.
    Open suggestions go (nobody's work; merges leave them out too), rows without a name
    take `unnamed`, every row is marked as this input's, and the copy's own history (undo
    log, writers, earlier merges) does not carry over; nor does its gold, its decisions and
    its adjudication progress (merge_read.left_out_gold: a merge brings no gold, whichever
    place the input has among the inputs). Returns the layers' sizes."""
    _drop_gold(conn)
    conn.execute(
        "DELETE FROM spans WHERE state = ? AND id NOT IN (SELECT span_id FROM event_arguments "
        "WHERE span_id IS NOT NULL) AND id NOT IN (SELECT trigger_id FROM events "
        "WHERE trigger_id IS NOT NULL)",
        (SUGGESTED,),
    )
    conn.execute(
        "UPDATE spans SET annotator = coalesce(annotator, ?), merge_source = ?",
        (unnamed, source_id),
    )
    conn.execute(
        "UPDATE events SET annotator = coalesce(annotator, ?), merge_source = ?",
        (unnamed, source_id),
    )
    conn.execute(
        "UPDATE event_arguments SET annotator = coalesce(annotator, ?), merge_source = ?",
        (unnamed, source_id),
    )
    # As count_annotations does for a batch: an article holding annotations is in progress.
    conn.execute(
        "UPDATE articles SET status = ? WHERE status = ? AND (n_spans > 0 OR n_events > 0)",
        (IN_PROGRESS, NEW),
    )
    conn.execute("DELETE FROM undo_log")
    conn.execute("DELETE FROM activity")
    conn.execute("DELETE FROM merge_sources WHERE id != ?", (source_id,))
    layers: dict[str, list[int]] = {}
    for index, sql in enumerate(
        (
            "SELECT annotator, count(*) FROM spans WHERE state = 'accepted' GROUP BY annotator",
            "SELECT annotator, count(*) FROM events GROUP BY annotator",
            "SELECT annotator, count(*) FROM event_arguments GROUP BY annotator",
        )
    ):
        for name, count in conn.execute(sql):
            layers.setdefault(name, [0, 0, 0])[index] = count
    return layers


def _drop_gold(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM event_arguments WHERE annotator = ?", (GOLD,))
    conn.execute(
        "DELETE FROM event_arguments WHERE event_id IN (SELECT id FROM events WHERE annotator = ?)",
        (GOLD,),
    )
    conn.execute("DELETE FROM events WHERE annotator = ?", (GOLD,))
    conn.execute(
        "DELETE FROM spans WHERE annotator = ? AND id NOT IN (SELECT span_id FROM "
        "event_arguments WHERE span_id IS NOT NULL) AND id NOT IN (SELECT trigger_id FROM "
        "events WHERE trigger_id IS NOT NULL)",
        (GOLD,),
    )
    conn.execute("DELETE FROM adjudication_decisions")
    conn.execute("DELETE FROM adjudication_progress")


def other_sources(conn: sqlite3.Connection, source_id: int, names: list[str]) -> list[tuple]:
    """(annotator, path) of other merged inputs whose rows carry one of these names: the same
    person's work that came from another file (moved, renamed) is kept twice, not replaced."""
    found = []
    for name in names:
        found += conn.execute(
            "SELECT ?, path FROM merge_sources WHERE id != ? AND id IN (SELECT DISTINCT "
            "merge_source FROM spans WHERE annotator = ? AND merge_source IS NOT NULL)",
            (name, source_id, name),
        ).fetchall()
    return found
