"""The reading side of `annotator merge` (store/merge.py): one batch of an input project's
articles with every annotation on them, and who the input's rows say made them. Reads
only: the input is an annotator's own file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from annotator.core.layers import GOLD
from annotator.core.model import SUGGESTED
from annotator.store.import_runs import visible

_SPAN_SQL = (
    "SELECT id, article_id, start, end, label, kind, origin, state, score, decision, meta, "
    "created, updated, annotator, suggested_label FROM spans "
    "WHERE article_id BETWEEN ? AND ? AND state != ? AND coalesce(annotator, '') != ?"
)
_EVENT_SQL = (
    "SELECT id, article_id, type, trigger_id, relation, origin, meta, created, updated, "
    "annotator FROM events WHERE article_id BETWEEN ? AND ? AND coalesce(annotator, '') != ?"
)
_ARGUMENT_SQL = (
    "SELECT a.id, a.event_id, a.role, a.span_id, a.arg_event_id, a.override, a.annotator "
    "FROM event_arguments a JOIN events e ON e.id = a.event_id "
    "WHERE e.article_id BETWEEN ? AND ? AND coalesce(a.annotator, '') != ?"
)


@dataclass
class InputBatch:
    """One batch of an input's visible articles (by id) and every annotation on them but open
    suggestions (a model's, nobody's work: the merged project can run its own) and gold
    (left_out_gold)."""

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
        conn.execute(_SPAN_SQL, (*bounds, SUGGESTED, GOLD)).fetchall(),
        conn.execute(_EVENT_SQL, (*bounds, GOLD)).fetchall(),
        conn.execute(_ARGUMENT_SQL, (*bounds, GOLD)).fetchall(),
    )


def count_articles(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT count(*) FROM articles WHERE {visible()}").fetchone()[0]


def left_out_gold(conn: sqlite3.Connection) -> int:
    """The input's gold rows (spans and events), which a merge does not bring: a copy's gold
    is a copy of an adjudication made in some merged project, and brought back it would undo
    what was removed from gold since, and its decisions would count or not by the order of
    the inputs. Gold is made in the merged project, from the people's layers."""
    return conn.execute(
        "SELECT (SELECT count(*) FROM spans WHERE annotator = ? AND state != ?) + "
        "(SELECT count(*) FROM events WHERE annotator = ?)",
        (GOLD, SUGGESTED, GOLD),
    ).fetchone()[0]


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
    } - {GOLD}
