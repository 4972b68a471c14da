"""Migration step 0013: the corpus search's index of notes and knowledge-base ids
(annotation_search) and the triggers on spans and events that keep it in step. In a module of
its own so that a later step that rebuilds spans or events finds here what it must recreate."""

from __future__ import annotations

import sqlite_utils

# What annotation_search indexes of a span's or event's meta: its notes and its
# normalizations' references (knowledge-base ids), as words for FTS5.
_META_WORDS = (
    "trim(coalesce((SELECT group_concat(value, ' ') FROM json_each({m}, '$.notes')), '') "
    "|| ' ' || coalesce((SELECT group_concat(json_extract(value, '$.ref'), ' ') "
    "FROM json_each({m}, '$.normalizations')), ''))"
)
# Whether a meta has any of those (a cheap test first: most rows hold '{}').
_HAS_WORDS = (
    "{m} != '{{}}' AND ({m} LIKE '%\"notes\"%' OR {m} LIKE '%\"normalizations\"%') "
    "AND json_valid({m})"
)


def annotation_search_step(db: sqlite_utils.Database) -> None:
    """The corpus search finds notes and knowledge-base ids: annotation_search holds each
    span's and event's words (notes, references) under the span's id, or minus the event's,
    and its article. Triggers keep it in step; they fire for rows whose meta holds
    something, so an import of plain spans ('{}') pays one comparison a row."""
    db.execute(
        "CREATE VIRTUAL TABLE annotation_search USING fts5(words, article_id UNINDEXED, "
        "tokenize = 'unicode61')"
    )
    for table, sign in (("spans", ""), ("events", "-")):
        new = _META_WORDS.format(m="NEW.meta")
        has_words = _HAS_WORDS
        db.execute(
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} "
            f"WHEN {has_words.format(m='NEW.meta')} BEGIN "
            f"INSERT INTO annotation_search (rowid, words, article_id) "
            f"VALUES ({sign}NEW.id, {new}, NEW.article_id); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} "
            f"WHEN {has_words.format(m='OLD.meta')} BEGIN "
            f"DELETE FROM annotation_search WHERE rowid = {sign}OLD.id; END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF meta ON {table} "
            f"WHEN {has_words.format(m='OLD.meta')} OR {has_words.format(m='NEW.meta')} BEGIN "
            f"DELETE FROM annotation_search WHERE rowid = {sign}OLD.id; "
            f"INSERT INTO annotation_search (rowid, words, article_id) "
            f"SELECT {sign}NEW.id, {new}, NEW.article_id WHERE {has_words.format(m='NEW.meta')}; "
            "END"
        )
        words = _META_WORDS.format(m="meta")
        db.execute(
            f"INSERT INTO annotation_search (rowid, words, article_id) "
            f"SELECT {sign}id, {words}, article_id FROM {table} "
            f"WHERE {has_words.format(m='meta')}"
        )
