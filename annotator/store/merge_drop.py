"""Replacing an input's layer (store/merge.py): what an earlier merge of the same file
brought goes, except the rows other people's work refers to (Kept)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field


@dataclass
class Kept:
    """Rows of the input's earlier layer that other people's work refers to (an adjudicator's
    event on one of its spans, an argument filled by one of its events): drop_layer leaves
    them, write_layer updates one in place when the input still has it (same article, place,
    label, kind and name; for an event, type and trigger), so the references keep working.
    Those left over are no longer in the input: they stay, and the merge report says so."""

    spans: dict[tuple, int] = field(default_factory=dict)
    events: dict[tuple, int] = field(default_factory=dict)


def drop_layer(conn: sqlite3.Connection, source_id: int, article_ids: list[int]) -> Kept:
    """Remove what the input `source_id` brought to these articles (a merge of the same file
    before): its spans and events and its events' arguments; never a row of anyone else,
    whatever it refers to. Its rows other rows refer to are kept (see Kept)."""
    ids = json.dumps(article_ids)
    mine_spans = (
        "SELECT id FROM spans WHERE merge_source = :source "
        "AND article_id IN (SELECT value FROM json_each(:ids))"
    )
    mine_events = (
        "SELECT id FROM events WHERE merge_source = :source "
        "AND article_id IN (SELECT value FROM json_each(:ids))"
    )
    # merge_source ids start at 1: 0 stands for "made in this project". EXISTS per row of
    # this input walks the trigger_id / span_id / arg_event_id indexes: no scan of the
    # project's events per batch.
    params = {"source": source_id, "ids": ids}
    kept = Kept()
    for row in conn.execute(
        "SELECT id, article_id, start, end, label, kind, annotator FROM spans s "
        f"WHERE id IN ({mine_spans}) AND (EXISTS (SELECT 1 FROM events e WHERE "
        "e.trigger_id = s.id AND coalesce(e.merge_source, 0) != :source) OR EXISTS ("
        "SELECT 1 FROM event_arguments a JOIN events e ON e.id = a.event_id "
        "WHERE a.span_id = s.id AND coalesce(e.merge_source, 0) != :source))",
        params,
    ):
        kept.spans[tuple(row[1:])] = row[0]
    for row in conn.execute(
        "SELECT id, article_id, type, trigger_id, relation, annotator FROM events v "
        f"WHERE id IN ({mine_events}) AND EXISTS (SELECT 1 FROM event_arguments a "
        "JOIN events e ON e.id = a.event_id WHERE a.arg_event_id = v.id "
        "AND coalesce(e.merge_source, 0) != :source)",
        params,
    ):
        kept.events[tuple(row[1:])] = row[0]
    params["spans"] = json.dumps(list(kept.spans.values()))
    params["events"] = json.dumps(list(kept.events.values()))
    conn.execute(f"DELETE FROM event_arguments WHERE event_id IN ({mine_events})", params)
    conn.execute(
        f"DELETE FROM events WHERE id IN ({mine_events}) "
        "AND id NOT IN (SELECT value FROM json_each(:events))",
        params,
    )
    conn.execute(
        f"DELETE FROM spans WHERE id IN ({mine_spans}) "
        "AND id NOT IN (SELECT value FROM json_each(:spans))",
        params,
    )
    return kept


def leftover_articles(conn: sqlite3.Connection, source_id: int) -> list[int]:
    """The output articles holding rows of this input (to find those it no longer has)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT article_id FROM spans WHERE merge_source = ? "
            "UNION SELECT DISTINCT article_id FROM events WHERE merge_source = ?",
            (source_id, source_id),
        )
    ]
