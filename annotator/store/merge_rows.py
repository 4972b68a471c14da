"""The SQL of `annotator merge` (store/merge.py): read one batch of an input project's
articles with their annotations, and write one batch into the output as the input's layer,
replacing what an earlier merge of the same file brought. Ids of the output's new rows are
given here (above every id the table has had), so spans, events and arguments go in with one
executemany each instead of a statement per row."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SUGGESTED
from annotator.store.import_runs import visible
from annotator.store.rows import INSERT_ARTICLE

_SPAN_SQL = (
    "SELECT id, article_id, start, end, label, kind, origin, state, score, decision, meta, "
    "created, updated, annotator, suggested_label FROM spans "
    "WHERE article_id BETWEEN ? AND ? AND state != ?"
)
_INSERT_SPAN = (
    "INSERT INTO spans (id, article_id, start, end, label, kind, origin, state, score, decision, "
    "meta, created, updated, annotator, suggested_label, merge_source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EVENT_SQL = (
    "SELECT id, article_id, type, trigger_id, relation, origin, meta, created, updated, "
    "annotator FROM events WHERE article_id BETWEEN ? AND ?"
)
_INSERT_EVENT = (
    "INSERT INTO events (id, article_id, type, trigger_id, relation, origin, meta, created, "
    "updated, annotator, merge_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ARGUMENT_SQL = (
    "SELECT a.id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator "
    "FROM event_arguments a JOIN events e ON e.id = a.event_id "
    "WHERE e.article_id BETWEEN ? AND ?"
)
_INSERT_ARGUMENT = (
    "INSERT INTO event_arguments (id, event_id, role, span_id, arg_event_id, override, "
    "annotator) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class InputBatch:
    """One batch of an input's visible articles (by id) and every annotation on them but open
    suggestions (a model's, nobody's work: the merged project can run its own)."""

    articles: list[tuple]  # id, ext_id, text_hash, title, text, source, meta, status
    spans: list[tuple]  # rows of _SPAN_SQL
    events: list[tuple]  # rows of _EVENT_SQL
    arguments: list[tuple]  # rows of _ARGUMENT_SQL


def read_batch(conn: sqlite3.Connection, after: int, size: int) -> InputBatch | None:
    articles = conn.execute(
        "SELECT id, ext_id, text_hash, title, text, source, meta, status FROM articles "
        f"WHERE id > ? AND {visible()} ORDER BY id LIMIT ?",
        (after, size),
    ).fetchall()
    if not articles:
        return None
    bounds = (articles[0][0], articles[-1][0])
    return InputBatch(
        articles,
        conn.execute(_SPAN_SQL, (*bounds, SUGGESTED)).fetchall(),
        conn.execute(_EVENT_SQL, bounds).fetchall(),
        conn.execute(_ARGUMENT_SQL, bounds).fetchall(),
    )


def count_articles(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT count(*) FROM articles WHERE {visible()}").fetchone()[0]


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


def names_in(conn: sqlite3.Connection, unnamed: str) -> set[str]:
    """The annotator names an input's merged rows will carry (rows without one: `unnamed`)."""
    return {
        row[0] or unnamed
        for row in conn.execute(
            "SELECT DISTINCT annotator FROM spans WHERE state != ? "
            "UNION SELECT DISTINCT annotator FROM events "
            "UNION SELECT DISTINCT annotator FROM event_arguments",
            (SUGGESTED,),
        )
    }


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
    shared_events: set[int] = set()
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
            event_updates.append((row[5], row[6], row[7], row[8], same))
            written.count(name, 1)
            continue
        there = events_there.get(
            (article_map[article], event_type, new_trigger, int(bool(relation)), name)
        )
        if there is not None:
            event_map[src_id] = there
            shared_events.add(there)
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
    for _, event, role, span, arg_event, override, annotator in batch.arguments:
        if event not in event_map:
            continue
        if (span is not None and span not in span_map) or (
            arg_event is not None and arg_event not in event_map
        ):
            written.skipped.append(f"a {role} argument (its filler was left out)")
            continue
        name = annotator or unnamed
        if event_map[event] in shared_events:
            # The other input's copy of this event holds its arguments already.
            written.shared += 1
            continue
        argument_rows.append(
            (next_argument, event_map[event], role, span_map.get(span), event_map.get(arg_event),
             override, name)
        )  # fmt: skip
        next_argument += 1
        written.count(name, 2)
    conn.executemany(_INSERT_ARGUMENT, argument_rows)
    written.stale = len(kept.spans) + len(kept.events)
    return written


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


def adopt_copy(conn: sqlite3.Connection, source_id: int, unnamed: str) -> dict[str, list[int]]:
    """A new merged project made as a file copy of its first input (store/merge.py,
    start_from_copy): make the copy's rows that input's layer, as merging it would have.
    Open suggestions go (nobody's work; merges leave them out too), rows without a name
    take `unnamed`, every row is marked as this input's, and the copy's own history (undo
    log, writers, earlier merges) does not carry over. Returns the layers' sizes."""
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
    conn.execute("UPDATE event_arguments SET annotator = coalesce(annotator, ?)", (unnamed,))
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
