"""Writing one batch of an input (merge_read.py) into the output as the input's layer
(store/merge.py), as a difference against what an earlier merge of the same file brought:
a row the output already holds from this input keeps its id and is updated only if it
changed; a new row is inserted; a row the input no longer has is removed, unless someone
else's work refers to it (it stays, counted as stale). A re-merge of a copy that changed a
little writes a little: the whole layer deleted and written again cost a 100,000-article
re-merge most of its time (benchmarks/bench_merge.py), and every row a new id.

A row identical to one another input brought (the same article, place, label, kind,
annotator and state; for an event, type, trigger, relation and annotator; for an argument,
event, role and filler) is not added twice: both copies inherited it from the project
handed out (annotator "import"), or one annotator's rows came back in another's copy of
the merged project.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from annotator.core.model import ACCEPTED
from annotator.store.merge_read import InputBatch
from annotator.store.merge_rows import Written, next_ids

_INSERT_SPAN = (
    "INSERT INTO spans (id, article_id, start, end, label, kind, origin, state, score, decision, "
    "meta, created, updated, annotator, suggested_label, merge_source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_SPAN = (
    "UPDATE spans SET origin = ?, score = ?, decision = ?, meta = ?, created = ?, updated = ?, "
    "suggested_label = ? WHERE id = ?"
)
_INSERT_EVENT = (
    "INSERT INTO events (id, article_id, type, trigger_id, relation, origin, meta, created, "
    "updated, annotator, merge_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_EVENT = "UPDATE events SET origin = ?, meta = ?, created = ?, updated = ? WHERE id = ?"
_INSERT_ARGUMENT = (
    "INSERT INTO event_arguments (id, event_id, role, span_id, arg_event_id, override, "
    "annotator, merge_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_ARGUMENT = "UPDATE event_arguments SET override = ?, annotator = ? WHERE id = ?"


class _Held:
    """The output's rows of one kind on the batch's articles: this input's own (key ->
    [(id, article, other columns)], taken as the input's rows claim them; those left are
    the rows the input no longer has) and everyone else's (key -> id)."""

    def __init__(self) -> None:
        self.mine: dict[tuple, list[tuple]] = defaultdict(list)
        self.others: dict[tuple, int] = {}
        self.shapes: dict[int, frozenset] = {}  # events: id -> its arguments (_shape)

    def add(self, source: int | None, mine: int, key: tuple, row: tuple) -> None:
        if source == mine:
            self.mine[key].append(row)
        else:
            self.others.setdefault(key, row[0])

    def take(self, key: tuple, shape: frozenset | None = None) -> tuple | None:
        """One of this input's rows under `key`; for an event, the one whose arguments are
        most like `shape`: two relations of one type have no trigger, and so the same key,
        and pairing them the wrong way round would move the arguments others added to one
        of them onto the other."""
        found = self.mine.get(key)
        if not found:
            return None
        best = len(found) - 1
        if shape is not None and len(found) > 1:
            best = max(
                range(len(found)),
                key=lambda i: (
                    self.shapes.get(found[i][0]) == shape,
                    len(shape & self.shapes.get(found[i][0], frozenset())),
                ),
            )
        return found.pop(best)

    def left(self) -> list[tuple]:
        return [row for rows in self.mine.values() for row in rows]


def write_layer(
    conn: sqlite3.Connection,
    batch: InputBatch,
    article_map: dict[int, int],
    source_id: int,
    unnamed: str,
    known: set[tuple[str, str]],
) -> Written:
    """Make the input's layer on the mapped output articles what the batch holds, each row
    keeping its annotator (rows without one get `unnamed`) and marked with `source_id`.
    `known`: the (kind, name) pairs the output's schema has; anything else is left out and
    said (a name whose definitions clash between the inputs). Written.changed: the output
    articles whose rows changed (their counts need counting again)."""
    written = Written()
    ids = json.dumps(sorted(set(article_map.values())))
    spans, events, arguments = _held(conn, ids, source_id)
    span_map = _spans(conn, batch, article_map, unnamed, known, spans, source_id, written)
    event_map = _events(conn, batch, article_map, span_map, unnamed, known, events, source_id,
                        written)  # fmt: skip
    _arguments(conn, batch, span_map, event_map, unnamed, arguments, source_id, written)
    _remove_left(conn, spans, events, arguments, written)
    return written


def _held(conn: sqlite3.Connection, ids: str, source_id: int) -> tuple[_Held, _Held, _Held]:
    """The output's spans, events and arguments on these articles (one query each)."""
    spans, events, arguments = _Held(), _Held(), _Held()
    # Spans are most of the rows: this input's own are read through its index, and other
    # people's only on the articles where the input has a span this one lacks (_spans):
    # a re-merge of a copy that changed a little reads a little of them.
    for row in conn.execute(
        "SELECT id, article_id, start, end, label, kind, annotator, state, origin, score, "
        "decision, meta, created, updated, suggested_label FROM spans "
        "WHERE merge_source = ? AND article_id IN (SELECT value FROM json_each(?))",
        (source_id, ids),
    ):
        spans.mine[row[1:8]].append((row[0], row[1], row[8:15]))
    brought: dict[int, set] = defaultdict(set)
    for row in conn.execute(
        "SELECT a.id, e.article_id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, "
        "a.annotator, a.merge_source, e.annotator IS a.annotator "
        "FROM event_arguments a JOIN events e ON e.id = a.event_id "
        "WHERE e.article_id IN (SELECT value FROM json_each(?))",
        (ids,),
    ):
        arguments.add(row[8], source_id, row[2:6], (row[0], row[1], (row[6], row[7])))
        if row[9]:  # the event's maker's argument, not one another person added to it
            brought[row[2]].add(_filler(row[3], row[4], row[5]))
    for row in conn.execute(
        "SELECT id, article_id, type, trigger_id, relation, annotator, origin, meta, created, "
        "updated, merge_source FROM events WHERE article_id IN (SELECT value FROM json_each(?))",
        (ids,),
    ):
        key = (row[1], row[2], row[3], int(bool(row[4])), row[5])
        shape = frozenset(brought.get(row[0], ()))
        events.shapes[row[0]] = shape
        events.add(row[10], source_id, key if row[10] == source_id else (*key, shape),
                   (row[0], row[1], row[6:10]))  # fmt: skip
    return spans, events, arguments


def _filler(role: str, span: int | None, arg_event: int | None) -> tuple:
    """An argument as an event's shape holds it: its role and its filler span (an event
    filler by its role alone: the two sides' event ids are not mapped yet)."""
    return (role, span) if arg_event is None else (role, "event")


def _input_shapes(
    batch: InputBatch, span_map: dict[int, int], unnamed: str
) -> dict[int, frozenset]:
    """The input's events' arguments made by the event's maker, their fillers as the
    output's span ids."""
    makers = {row[0]: row[9] or unnamed for row in batch.events}
    shapes: dict[int, set] = defaultdict(set)
    for _, event, role, span, arg_event, _, annotator in batch.arguments:
        if (annotator or unnamed) != makers.get(event):
            continue
        shapes[event].add(_filler(role, span_map.get(span) if span is not None else None,
                                  arg_event))  # fmt: skip
    return {event: frozenset(found) for event, found in shapes.items()}


def merged_meta(held: str | None, incoming: str | None) -> str | None:
    """The meta a re-merged row keeps: the input's, with what was written on the row in
    the merged project since (a note, an attribute the input does not set) kept beside it.
    Notes are joined, attributes taken key by key (the input's value wins where both
    set one). Limit: a note the annotator deleted in their copy stays in the merged project."""
    if held == incoming or not held:
        return incoming
    try:
        old, new = json.loads(held), json.loads(incoming or "{}")
    except ValueError:
        return incoming
    if not isinstance(old, dict) or not isinstance(new, dict):
        return incoming
    out = {**old, **new}
    for key, value in old.items():
        if isinstance(value, list) and isinstance(new.get(key), list):
            out[key] = value + [v for v in new[key] if v not in value]
        elif isinstance(value, dict) and isinstance(new.get(key), dict):
            out[key] = {**value, **new[key]}
    return held if out == old else json.dumps(out)


def _spans(conn, batch, article_map, unnamed, known, held, source_id, written) -> dict[int, int]:
    span_map: dict[int, int] = {}
    updates, missing = [], []
    for row in batch.spans:
        (src_id, article, start, end, label, kind, origin, state, score, decision, meta) = row[:11]
        if article not in article_map:
            continue
        if (kind, label) not in known:
            written.skipped.append(f"a span labelled {label!r} ({kind}) on article {article}")
            continue
        out_article = article_map[article]
        name = row[13] or unnamed
        key = (out_article, start, end, label, kind, name, state)
        columns = (origin, score, decision, meta, row[11], row[12], row[14])
        same = held.take(key)
        if same is None:
            missing.append((src_id, key, columns))
            continue
        span_map[src_id] = same[0]
        columns = (origin, score, decision, merged_meta(same[2][3], meta), *columns[4:])
        if same[2] != columns:
            updates.append((*columns, same[0]))
            written.changed.add(out_article)
        if state == ACCEPTED:
            written.count(name, 0)
    conn.executemany(_UPDATE_SPAN, updates)
    others = _other_spans(
        conn, {key[0] for _, key, _ in missing}, {key[5] for _, key, _ in missing}, source_id
    )
    inserts = []
    next_span = next_ids(conn, "spans")
    for src_id, key, columns in missing:
        there = others.get(key)
        if there is not None:
            span_map[src_id] = there  # this input's events may still hang on it
            written.shared += 1
            continue
        span_map[src_id] = next_span
        out_article, start, end, label, kind, name, state = key
        origin, score, decision, meta, created, updated, suggested = columns
        inserts.append((next_span, out_article, start, end, label, kind, origin, state, score,
                        decision, meta, created, updated, name, suggested, source_id))  # fmt: skip
        next_span += 1
        written.changed.add(out_article)
        if state == ACCEPTED:
            written.count(name, 0)
    conn.executemany(_INSERT_SPAN, inserts)
    return span_map


def _other_spans(
    conn: sqlite3.Connection, articles: set[int], names: set[str], source_id: int
) -> dict:
    """Spans of these annotators on these articles that are not this input's, by what
    makes two the same (the annotator is part of it: through the annotator index, another
    person's layer on the same articles is not read at all)."""
    if not articles:
        return {}
    return {
        tuple(row[1:]): row[0]
        for row in conn.execute(
            "SELECT id, article_id, start, end, label, kind, annotator, state FROM spans "
            "WHERE annotator IN (SELECT value FROM json_each(?)) "
            "AND article_id IN (SELECT value FROM json_each(?)) "
            "AND coalesce(merge_source, 0) != ?",
            (json.dumps(sorted(names)), json.dumps(sorted(articles)), source_id),
        )
    }


def _events(
    conn, batch, article_map, span_map, unnamed, known, held, source_id, written
) -> dict[int, int]:
    event_map: dict[int, int] = {}
    inserts, updates = [], []
    next_event = next_ids(conn, "events")
    shapes = _input_shapes(batch, span_map, unnamed)
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
        out_article = article_map[article]
        name = row[9] or unnamed
        new_trigger = None if trigger is None else span_map[trigger]
        key = (out_article, event_type, new_trigger, int(bool(relation)), name)
        columns = tuple(row[5:9])
        shape = shapes.get(src_id, frozenset())
        same = held.take(key, shape)
        if same is not None:
            event_map[src_id] = same[0]
            columns = (columns[0], merged_meta(same[2][1], columns[1]), *columns[2:])
            if same[2] != columns:
                updates.append((*columns, same[0]))
                written.changed.add(out_article)
        elif (*key, shape) in held.others:
            event_map[src_id] = held.others[(*key, shape)]
            written.shared += 1
            continue
        else:
            event_map[src_id] = next_event
            inserts.append((next_event, out_article, event_type, new_trigger, relation, *columns,
                            name, source_id))  # fmt: skip
            next_event += 1
            written.changed.add(out_article)
        written.count(name, 1)
    conn.executemany(_INSERT_EVENT, inserts)
    conn.executemany(_UPDATE_EVENT, updates)
    return event_map


def _arguments(conn, batch, span_map, event_map, unnamed, held, source_id, written) -> None:
    """Arguments by event, role and filler: one another person added to an event of this
    input (in the merged project, or in their copy of it) is theirs, and stays."""
    inserts, updates = [], []
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
        key = (event_map[event], role, span_map.get(span), event_map.get(arg_event))
        same = held.take(key)
        if same is not None:
            if same[2] != (override, name):
                updates.append((override, name, same[0]))
                written.changed.add(same[1])
        elif key in held.others:
            written.shared += 1
            continue
        else:
            inserts.append((next_argument, *key, override, name, source_id))
            next_argument += 1
            held.others[key] = -1  # the same argument twice in the input: once
        written.count(name, 2)
    conn.executemany(_INSERT_ARGUMENT, inserts)
    conn.executemany(_UPDATE_ARGUMENT, updates)


def _remove_left(
    conn: sqlite3.Connection, spans: _Held, events: _Held, arguments: _Held, written: Written
) -> None:
    """Remove this input's rows it no longer has, but those someone else's rows refer to: an
    event that holds or is another's argument, a span that triggers an event or fills an
    argument that stays."""
    gone_arguments = arguments.left()
    gone_events = events.left()
    gone_spans = spans.left()
    for rows in (gone_arguments, gone_events, gone_spans):
        written.changed.update(row[1] for row in rows)
    conn.executemany(
        "DELETE FROM event_arguments WHERE id = ?", [(row[0],) for row in gone_arguments]
    )
    before = conn.total_changes
    conn.executemany(
        "DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM event_arguments "
        "WHERE event_id = ?) AND NOT EXISTS (SELECT 1 FROM event_arguments "
        "WHERE arg_event_id = ?)",
        [(row[0], row[0], row[0]) for row in gone_events],
    )
    removed = conn.total_changes - before
    before = conn.total_changes
    conn.executemany(
        "DELETE FROM spans WHERE id = ? AND NOT EXISTS (SELECT 1 FROM events "
        "WHERE trigger_id = ?) AND NOT EXISTS (SELECT 1 FROM event_arguments WHERE span_id = ?)",
        [(row[0], row[0], row[0]) for row in gone_spans],
    )
    removed += conn.total_changes - before
    written.stale += len(gone_events) + len(gone_spans) - removed
