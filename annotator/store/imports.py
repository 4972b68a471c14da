"""Writing imported articles: a batch of new articles with their spans, events and arguments.

An import writes thousands of articles a second, so this path is built for batches: one query
per batch finds the duplicates, one executemany inserts the articles and a few statements of
many rows each the spans. Per-record queries were most of an import's time
(benchmarks/bench_formats.py). Spans get their ids in the file's order, article after article,
whatever the batch's bounds: the same file imports to the same rows. Each batch is one short
transaction (the caller's store.write()); the articles belong to an import run and stay
invisible until the run is published (import_runs.py), so a file is imported whole or not at
all.

The store, not the importer, decides what an article's counters and starting status are, and
refuses a label or event type the schema doesn't have (the importer grows the schema first).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import NamedTuple

from annotator.core.errors import EditRefused
from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SUGGESTED, TRIGGER
from annotator.core.schema import Schema
from annotator.store.base import StoreBase
from annotator.store.import_runs import STAGING_RUNS
from annotator.store.merge_rows import next_ids
from annotator.store.rows import INSERT_ARTICLE

_ROWS_PER_INSERT = 1024  # rows one statement of _insert_spans writes at most
_LOOKUP = 500  # keys per IN (...) query, under SQLite's old limit of 999 parameters
_EVENT_SQL = (
    "INSERT INTO events (article_id, type, trigger_id, relation, origin, meta, created, "
    "updated, annotator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ARGUMENT_SQL = (
    "INSERT INTO event_arguments (event_id, role, span_id, arg_event_id, override, annotator) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


# A span as insert_new_articles takes it: NewSpan, or a plain tuple of its fields in order
# (an import's reading process makes those: formats/packed.py).
SpanRow = tuple[int, int, str, str, str, "float | None", str]


class NewSpan(NamedTuple):
    start: int
    end: int
    label: str
    kind: str
    state: str
    score: float | None
    meta: str  # JSON


class NewArgument(NamedTuple):
    """A role filled by one span or one event of the same article, given by its index."""

    role: str
    span: int | None
    event: int | None
    override: bool


class NewEvent(NamedTuple):
    type: str
    trigger: int | None  # index into the article's spans; None for a relation
    relation: bool
    meta: str  # JSON
    arguments: list[NewArgument]


class NewArticle(NamedTuple):
    """An article as an import adds it; events point at spans and events by list index."""

    ext_id: str | None
    text_hash: str
    title: str
    text: str
    meta: str  # JSON
    status: str
    spans: list[SpanRow]  # NewSpans, or tuples of their fields
    events: list[NewEvent]
    accepted: int | None = None  # how many spans are accepted, when the caller counted them


class ImportQueries(StoreBase):
    def existing_articles(
        self, column: str, keys: list[str], run_id: int | None = None
    ) -> dict[str, tuple[int, bool]]:
        """The articles whose ext_id (or text_hash) is among `keys`, by key: (id, whether
        another import, still running, holds it). The ones of `run_id` (the caller's own
        import) count as there: the same article twice in one file is a duplicate."""
        if column not in ("ext_id", "text_hash"):
            raise ValueError(column)
        found: dict[str, tuple[int, bool]] = {}
        for i in range(0, len(keys), _LOOKUP):
            chunk = _padded(keys[i : i + _LOOKUP])
            marks = ",".join("?" * len(chunk))
            for key, article_id, elsewhere in self.conn.execute(
                f"SELECT {column}, id, coalesce(run_id IN {STAGING_RUNS} AND run_id IS NOT ?, 0) "
                f"FROM articles WHERE {column} IN ({marks})",
                [run_id, *chunk],
            ):
                found[key] = (article_id, bool(elsewhere))
        return found

    def next_article_id(self) -> int:
        """The id insert_new_articles gives next, counting invisible articles too. Read it
        inside the batch's transaction (BEGIN IMMEDIATE): no other writer runs meanwhile, so
        the ids of concurrent imports can't collide."""
        return self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]

    def insert_new_articles(
        self,
        articles: list[NewArticle],
        *,
        source: str,
        origin: str,
        schema: Schema | None = None,
        run_id: int | None = None,
    ) -> list[int]:
        """Insert a batch of new articles (ids from next_article_id on) with their annotations;
        returns their ids. Runs inside the caller's store.write(). Labels are checked against
        `schema`: the one the import will commit with the articles (default: the project's).
        With `run_id` the articles are invisible until that import run is published."""
        self._inside_write()
        if run_id is not None:
            self.check_run_staging(run_id)  # in this transaction: it can't go meanwhile
        # Every span's 7 values in one flat list, made in C (chain), not a tuple at a time.
        values = _flat_rows(articles)
        self._check_labels(articles, schema or self.schema, values)
        first = self.next_article_id()
        now = time.time()
        rows = []
        counts: list[tuple[int, int]] = []  # (article id, how many spans) of each
        for article_id, article in enumerate(articles, start=first):
            accepted = article.accepted
            if accepted is None:
                accepted = sum(map(ACCEPTED.__eq__, map(_STATE, article.spans)))
            # An article that comes with accepted spans has been worked on, as after an edit.
            status = IN_PROGRESS if article.status == NEW and accepted else article.status
            rows.append(
                (
                    article_id,
                    article.ext_id,
                    article.text_hash,
                    article.title,
                    article.text,
                    source,
                    article.meta,
                    status,
                    accepted,
                    len(article.events),
                    now,
                    now,
                    run_id,
                )
            )
            counts.append((article_id, len(article.spans)))
        self.conn.executemany(INSERT_ARTICLE, rows)  # before the spans: foreign keys are on
        # Every span of the batch in its few statements, in the file's order. Events point at
        # their spans by id: a batch with events gives its spans their ids itself, from the
        # next one on (the write lock is held), so that each article's are known without a
        # statement a span. (Those went in one INSERT each, after the batch's other spans: the
        # ids then depended on where a batch ended, which the writer decides by the clock.)
        with_events = any(article.events for article in articles)
        first_span = next_ids(self.conn, "spans") if with_events else None
        spans = _with_article_ids(values, counts, first_span)
        _insert_spans(self.conn, spans, origin, now, self.annotator, first_span is not None)
        if first_span is not None:
            span_id = first_span
            for article_id, article in enumerate(articles, start=first):
                if article.events:
                    self._insert_events(article_id, article, span_id, origin, now)
                span_id += len(article.spans)
        return list(range(first, first + len(articles)))

    def insert_article_row(
        self,
        text: str,
        *,
        title: str,
        ext_id: str | None,
        digest: str,
        meta: dict,
        source: str,
        status: str = NEW,
    ) -> int:
        """One article without annotations, through the same INSERT as an import's batches
        (tests and benchmarks build projects with it); one transaction, or part of the
        caller's store.write()."""
        article = NewArticle(
            ext_id, digest, title, text, json.dumps(meta, ensure_ascii=False), status, [], []
        )
        with self.write():
            return self.insert_new_articles([article], source=source, origin=source)[0]

    def _insert_events(
        self, article_id: int, article: NewArticle, first_span: int, origin: str, now: float
    ) -> None:
        """Events and arguments of an article whose spans are in, with ids from first_span
        on in the article's order."""
        conn = self.conn
        span_ids = range(first_span, first_span + len(article.spans))
        event_ids = [
            conn.execute(
                _EVENT_SQL,
                (
                    article_id,
                    event.type,
                    None if event.trigger is None else span_ids[event.trigger],
                    int(event.relation),
                    origin,
                    event.meta,
                    now,
                    now,
                    self.annotator,
                ),
            ).lastrowid
            for event in article.events
        ]
        # Events first, then arguments: an argument may point at any event of the article.
        conn.executemany(
            _ARGUMENT_SQL,
            [
                (
                    event_ids[index],
                    arg.role,
                    None if arg.span is None else span_ids[arg.span],
                    None if arg.event is None else event_ids[arg.event],
                    int(arg.override),
                    self.annotator,
                )
                for index, event in enumerate(article.events)
                for arg in event.arguments
            ],
        )

    def _check_labels(self, articles: list[NewArticle], schema: Schema, values: list) -> None:
        """Every label and event type must be in the schema (the import grows it first);
        `values`: the articles' spans, 7 values each, one after the other."""
        # (kind, label) of every span in the order met (the first unknown is the one named).
        used = dict.fromkeys(zip(values[3::_ROW_WIDTH], values[2::_ROW_WIDTH], strict=True))
        for kind, label in used:
            known = schema.event_type(label) if kind == TRIGGER else schema.label(label)
            if known is None:
                raise EditRefused(f"label {label!r} is not in the project's schema")
        for article in articles:
            for event in article.events:
                if schema.type_named(event.type, event.relation) is None:
                    raise EditRefused(f"type {event.type!r} is not in the project's schema")


def _padded(keys: list[str]) -> list[str]:
    """`keys` made up to a power of two by repeating the last (IN ignores the repeats): a
    batch's lookups then take a handful of statement texts, not one per batch size. Each
    new text pushed a statement out of the connection's cache of 128, and the import's
    batch INSERTs of spans (thousands of parameters each) were prepared again, a twentieth
    of the writer's time."""
    if not keys:
        return keys
    size = 1 << (len(keys) - 1).bit_length()
    return keys + [keys[-1]] * (size - len(keys))


_SPAN_WIDTH = 8  # values a span brings to _insert_spans: article_id, then a SpanRow's 7
# ... and its id after them, where the batch gives the ids (a batch with events)
_ROW_WIDTH = 7  # a SpanRow's values
_STATE = itemgetter(4)  # a SpanRow's state
_SCORE = 6  # where a span's score is among _insert_spans's values
_NO_SCORE = {None: ""}  # .get(score, score): a score as it is, None as ''


def _flat_rows(articles: list[NewArticle]) -> list:
    """The articles' span rows, 7 values each, one after the other."""
    rows: Iterable[SpanRow] = chain.from_iterable(article.spans for article in articles)
    return list(chain.from_iterable(rows))


def _with_article_ids(
    values: list, articles: list[tuple[int, int]], first_id: int | None = None
) -> list:
    """_insert_spans's values: `values` holds the spans' rows (7 values each) of `articles`,
    (article id, how many spans) in order; each row gets its article's id in front, and
    its own id (first_id, first_id + 1, ...) after its values when first_id is given. Done a
    column at a time with slices, in C: a loop over the 200,000 spans of doccano's corpus
    took a tenth of a second."""
    ids = list(chain.from_iterable(repeat(article_id, count) for article_id, count in articles))
    width = _SPAN_WIDTH + (first_id is not None)
    out: list = [None] * (len(ids) * width)
    out[0::width] = ids
    for column in range(_ROW_WIDTH):
        out[column + 1 :: width] = values[column::_ROW_WIDTH]
    if first_id is not None:
        out[_SPAN_WIDTH::width] = range(first_id, first_id + len(ids))
    # No score is bound as '' (the statement makes it NULL again): sqlite3 binds None only
    # after looking for an adapter, which raises and clears an AttributeError each time (a
    # twentieth of the writer's time on doccano's corpus, whose 200,000 spans have none).
    scores = out[_SCORE::width]
    out[_SCORE::width] = map(_NO_SCORE.get, scores, scores)
    return out


def _insert_spans(
    conn: sqlite3.Connection,
    values: list,
    origin: str,
    now: float,
    annotator: str | None,
    with_ids: bool = False,
) -> None:
    """The spans of a batch's articles, from `values` (_SPAN_WIDTH a span, one more
    `with_ids`: the span's id last), in statements of many rows each
    (INSERT ... VALUES (...), (...), ...): a table with a trigger
    (the spans' annotation_search) makes SQLite open a statement journal for every
    statement, which was a fifth of an import's time one row a statement. Rows go in
    power-of-two groups, so a handful of statements serve every batch (prepared once).

    What every span of the batch shares (origin, time, annotator) is bound once a statement,
    not once a row: 8 values a row instead of 14 took binding and the list that holds them to
    about half. The decision is left to its default (NULL), and so is the id unless
    `with_ids` (a new one, in the rows' order)."""
    if not values:
        return
    width = _SPAN_WIDTH + with_ids
    rows = len(values) // width
    most = min(
        _ROWS_PER_INSERT,
        (conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 3) // width,
    )
    i = 0
    while i < rows:
        count = 1 << (min(most, rows - i).bit_length() - 1)
        part = values[i * width : (i + count) * width]
        conn.execute(_many_spans(count, with_ids), [origin, now, annotator, *part])
        i += count


@lru_cache(maxsize=64)
def _many_spans(count: int, with_ids: bool = False) -> str:
    """INSERT of `count` spans: ?1 origin, ?2 created and updated, ?3 the annotator (not an
    open suggestion's: nobody's yet), then each span's 8 values, in
    order: article_id, start, end, label, kind, state, score ('' for none), meta; `with_ids`,
    its id after them.

    The rows' values are plain `?`s in a VALUES table that one SELECT reads: SQLite looks a
    numbered `?NNN` up in a list of every one before it while it prepares the statement, so
    with one per value (the rows written out under VALUES, each naming its state twice)
    preparing the statement of 1,024 rows took a quarter of a second, once per import."""
    row = "(" + ", ".join(["?"] * (_SPAN_WIDTH + with_ids)) + ")"
    values = ",".join([row] * count)
    return (
        "INSERT INTO spans (article_id, origin, start, end, label, kind, state, score, meta, "
        f"created, updated, annotator{', id' if with_ids else ''}) SELECT column1, ?1, "
        "column2, column3, column4, column5, column6, nullif(column7, ''), column8, ?2, ?2, "
        f"CASE column6 WHEN '{SUGGESTED}' THEN NULL ELSE ?3 END"
        f"{', column9' if with_ids else ''} FROM (VALUES {values})"
    )
