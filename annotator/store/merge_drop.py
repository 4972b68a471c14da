"""Removing an input's layer from articles the input no longer has (store/merge.py, at the
end of a merge; merge_write.py updates the layer on the articles it does have): what an
earlier merge of the same file brought goes, except the rows other people's work refers
to (Kept)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field


@dataclass
class Kept:
    """Rows of the input's earlier layer on articles it no longer has that other people's
    work refers to (an adjudicator's event on one of its spans, an argument someone added
    to one of its events, an argument filled by one of its events): drop_layer leaves them
    (the merge report counts them), so that work keeps its references."""

    spans: dict[tuple, int] = field(default_factory=dict)
    events: dict[tuple, int] = field(default_factory=dict)


def drop_layer(conn: sqlite3.Connection, source_id: int, article_ids: list[int]) -> Kept:
    """Remove what the input `source_id` brought to these articles (a merge of the same file
    before): its spans, its events and its arguments (on its own events or on anyone's);
    never a row of anyone else, whatever it refers to. Its rows that others' rows refer to
    are kept (see Kept): an event holding someone else's argument, with its trigger; a span
    that is the trigger of someone else's event or fills someone else's argument."""
    ids = json.dumps(article_ids)
    mine_spans = (
        "SELECT id FROM spans WHERE merge_source = :source "
        "AND article_id IN (SELECT value FROM json_each(:ids))"
    )
    mine_events = (
        "SELECT id FROM events WHERE merge_source = :source "
        "AND article_id IN (SELECT value FROM json_each(:ids))"
    )
    # merge_source ids start at 1: 0 stands for "made in this project". An argument is
    # someone else's by its own merge_source (migration 0011), not by its event's: bob's
    # argument on alice's event is bob's. EXISTS per row of this input walks the
    # trigger_id / event_id / span_id / arg_event_id indexes: no scan of the project.
    others = "coalesce(a.merge_source, 0) != :source"
    params = {"source": source_id, "ids": ids}
    kept = Kept()
    for row in conn.execute(
        "SELECT id, article_id, type, trigger_id, relation, annotator FROM events v "
        f"WHERE id IN ({mine_events}) AND (EXISTS (SELECT 1 FROM event_arguments a "
        f"WHERE a.event_id = v.id AND {others}) OR EXISTS (SELECT 1 FROM event_arguments a "
        f"WHERE a.arg_event_id = v.id AND {others}))",
        params,
    ):
        kept.events[tuple(row[1:])] = row[0]
    params["events"] = json.dumps(list(kept.events.values()))
    for row in conn.execute(
        "SELECT id, article_id, start, end, label, kind, annotator FROM spans s "
        f"WHERE id IN ({mine_spans}) AND (EXISTS (SELECT 1 FROM events e WHERE "
        "e.trigger_id = s.id AND (coalesce(e.merge_source, 0) != :source OR e.id IN "
        "(SELECT value FROM json_each(:events)))) OR EXISTS (SELECT 1 FROM event_arguments a "
        f"WHERE a.span_id = s.id AND {others}))",
        params,
    ):
        kept.spans[tuple(row[1:])] = row[0]
    params["spans"] = json.dumps(list(kept.spans.values()))
    conn.execute(
        "DELETE FROM event_arguments WHERE merge_source = :source AND event_id IN "
        "(SELECT id FROM events WHERE article_id IN (SELECT value FROM json_each(:ids)))",
        params,
    )
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
