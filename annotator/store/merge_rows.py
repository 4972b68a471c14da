"""The writing side of `annotator merge` (store/merge.py): one batch of an input (read by
merge_read.py) written into the output as the input's layer, after merge_drop.py took out
what an earlier merge of the same file brought. Ids of the output's new rows are given here
(above every id the table has had), so spans, events and arguments go in with one
executemany each instead of a statement per row."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW
from annotator.store.merge_drop import Kept
from annotator.store.merge_read import InputBatch
from annotator.store.rows import INSERT_ARTICLE

_INSERT_SPAN = (
    "INSERT INTO spans (id, article_id, start, end, label, kind, origin, state, score, decision, "
    "meta, created, updated, annotator, suggested_label, merge_source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    "INSERT INTO events (id, article_id, type, trigger_id, relation, origin, meta, created, "
    "updated, annotator, merge_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ARGUMENT = (
    "INSERT INTO event_arguments (id, event_id, role, span_id, arg_event_id, override, "
    "annotator, merge_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


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
    shared: int = 0  # rows another input already brought, identical (see _present)

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


_UPDATE_SPAN = (
    "UPDATE spans SET origin = ?, state = ?, score = ?, decision = ?, meta = ?, created = ?, "
    "updated = ?, suggested_label = ? WHERE id = ?"
)
_UPDATE_EVENT = "UPDATE events SET origin = ?, meta = ?, created = ?, updated = ? WHERE id = ?"


def write_layer(
    conn: sqlite3.Connection,
    batch: InputBatch,
    article_map: dict[int, int],
    source_id: int,
    unnamed: str,
    known: set[tuple[str, str]],
    kept: Kept | None = None,
) -> Written:
    """Insert the batch's spans, events and arguments on the mapped output articles, each
    keeping its annotator (rows without one get `unnamed`) and marked with `source_id`.
    `known`: the (kind, name) pairs the output's schema has; anything else is left out and
    said (a name whose definitions clash between the inputs)."""
    written = Written()
    kept = kept or Kept()
    spans_there, events_there = _present(conn, source_id, list(article_map.values()))
    span_map: dict[int, int] = {}
    span_rows, span_updates = [], []
    next_span = next_ids(conn, "spans")
    for row in batch.spans:
        (src_id, article, start, end, label, kind, origin, state, score, decision, meta) = row[:11]
        if article not in article_map:
            continue
        if (kind, label) not in known:
            written.skipped.append(f"a span labelled {label!r} ({kind}) on article {article}")
            continue
        name = row[13] or unnamed
        same = kept.spans.pop((article_map[article], start, end, label, kind, name), None)
        if same is not None:  # others refer to it: the same row, brought up to date
            span_map[src_id] = same
            span_updates.append(
                (origin, state, score, decision, meta, row[11], row[12], row[14], same)
            )
            if state == ACCEPTED:
                written.count(name, 0)
            continue
        there = spans_there.get((article_map[article], start, end, label, kind, name, state))
        if there is not None:
            span_map[src_id] = there  # this input's events may still hang on it
            written.shared += 1
            continue
        span_map[src_id] = next_span
        span_rows.append(
            (next_span, article_map[article], start, end, label, kind, origin, state, score,
             decision, meta, row[11], row[12], name, row[14], source_id)
        )  # fmt: skip
        next_span += 1
        if state == ACCEPTED:
            written.count(name, 0)
    conn.executemany(_INSERT_SPAN, span_rows)
    conn.executemany(_UPDATE_SPAN, span_updates)
    event_map: dict[int, int] = {}
    event_rows, event_updates = [], []
    existing: set[int] = set()  # output events the batch maps to instead of adding
    next_event = next_ids(conn, "events")
    for row in batch.events:
        src_id, article, event_type, trigger, relation = row[:5]
        if article not in article_map:
            continue
        if trigger is not None and trigger not in span_map:
            written.skipped.append(f"a {event_type} event on article {article} (its trigger)")
            continue
        if ("relation" if relation else "event", event_type) not in known:
            written.skipped.append(f"a {event_type} event on article {article} (its type)")
            continue
        name = row[9] or unnamed
        new_trigger = None if trigger is None else span_map[trigger]
        same = kept.events.pop(
            (article_map[article], event_type, new_trigger, relation, name), None
        )
        if same is not None:
            event_map[src_id] = same
            existing.add(same)
            event_updates.append((row[5], row[6], row[7], row[8], same))
            written.count(name, 1)
            continue
        there = events_there.get(
            (article_map[article], event_type, new_trigger, int(bool(relation)), name)
        )
        if there is not None:
            event_map[src_id] = there
            existing.add(there)
            written.shared += 1
            continue
        event_map[src_id] = next_event
        event_rows.append(
            (next_event, article_map[article], event_type,
             None if trigger is None else span_map[trigger], relation, row[5], row[6], row[7],
             row[8], name, source_id)
        )  # fmt: skip
        next_event += 1
        written.count(name, 1)
    conn.executemany(_INSERT_EVENT, event_rows)
    conn.executemany(_UPDATE_EVENT, event_updates)
    argument_rows = []
    next_argument = next_ids(conn, "event_arguments")
    # Events already in the output (another input's identical copy, or this input's own row
    # kept for others' work) may hold arguments: the input's are added unless the same role
    # and filler is there already. Someone's argument on another person's event, made in a
    # copy of the merged project, comes in this way.
    held = _arguments_on(conn, existing)
    for _, event, role, span, arg_event, override, annotator in batch.arguments:
        if event not in event_map:
            continue
        if (span is not None and span not in span_map) or (
            arg_event is not None and arg_event not in event_map
        ):
            written.skipped.append(f"a {role} argument (its filler was left out)")
            continue
        name = annotator or unnamed
        key = (event_map[event], role, span_map.get(span), event_map.get(arg_event))
        if key in held:
            written.shared += 1
            continue
        held.add(key)
        argument_rows.append((next_argument, *key, override, name, source_id))
        next_argument += 1
        written.count(name, 2)
    conn.executemany(_INSERT_ARGUMENT, argument_rows)
    written.stale = len(kept.spans) + len(kept.events)
    return written


def _arguments_on(conn: sqlite3.Connection, events: set[int]) -> set[tuple]:
    """(event, role, span, event filling it) of the arguments the output holds on these
    events."""
    ids = json.dumps(sorted(events))
    return {
        tuple(row)
        for row in conn.execute(
            "SELECT event_id, role, span_id, arg_event_id FROM event_arguments "
            "WHERE event_id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }


def _present(
    conn: sqlite3.Connection, source_id: int, article_ids: list[int]
) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """Spans and events other inputs (or the project itself) hold on these articles, by what
    makes two rows the same annotation: article, place, label, kind, annotator and state for
    a span; article, type, trigger, relation and annotator for an event. Two copies of one
    project both inherit its imported annotations (annotator "import"): merging both must
    bring them once, not twice."""
    ids = json.dumps(article_ids)
    spans = {
        tuple(row[1:]): row[0]
        for row in conn.execute(
            "SELECT id, article_id, start, end, label, kind, annotator, state FROM spans "
            "WHERE article_id IN (SELECT value FROM json_each(?)) "
            "AND coalesce(merge_source, 0) != ?",
            (ids, source_id),
        )
    }
    events = {
        tuple(row[1:]): row[0]
        for row in conn.execute(
            "SELECT id, article_id, type, trigger_id, relation, annotator FROM events "
            "WHERE article_id IN (SELECT value FROM json_each(?)) "
            "AND coalesce(merge_source, 0) != ?",
            (ids, source_id),
        )
    }
    return spans, events


def count_annotations(conn: sqlite3.Connection, article_ids: list[int], now: float) -> None:
    """Count these articles' accepted spans and events again (layers came and went), and
    mark a new article that now holds annotations as in progress, as an edit would."""
    ids = json.dumps(article_ids)
    conn.execute(
        "UPDATE articles SET "
        "n_spans = (SELECT count(*) FROM spans WHERE article_id = articles.id AND state = ?), "
        "n_events = (SELECT count(*) FROM events WHERE article_id = articles.id), updated = ? "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (ACCEPTED, now, ids),
    )
    conn.execute(
        "UPDATE articles SET status = ? WHERE status = ? AND (n_spans > 0 OR n_events > 0) "
        "AND id IN (SELECT value FROM json_each(?))",
        (IN_PROGRESS, NEW, ids),
    )
