"""Migration 0014: the full-text triggers of articles leave an import's staged articles to
the import's own index passes (ImportRuns.index_run_articles). A module of its own, as
migrations.py is long already."""

from __future__ import annotations

import sqlite_utils

# Whether the article row `{r}` is in articles_fts: every article is, but those of an import
# run above the run's fts_upto (the run indexes its articles in passes of its own).
_INDEXED = (
    "({r}.run_id IS NULL OR {r}.id <= coalesce("
    "(SELECT fts_upto FROM import_runs WHERE id = {r}.run_id), {r}.id))"
)


def imports_index_in_passes(db: sqlite_utils.Database) -> None:
    """An import's staged articles are not indexed a row at a time by the insert trigger:
    the import indexes them in passes of many articles (one INSERT ... SELECT each, up to
    import_runs.fts_upto), before the run is published. Row by row, in the import's short
    batches, full-text indexing was 40% of an import's time. The delete and update triggers
    skip a row that no pass reached yet (a cancelled import's), which is not in the index."""
    db.execute("ALTER TABLE import_runs ADD COLUMN fts_upto INTEGER")
    for name in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    delete = (
        '  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") '
        'VALUES(\'delete\', old.rowid, old."title", old."text");\n'
    )
    insert = (
        '  INSERT INTO "articles_fts" (rowid, "title", "text") '
        'VALUES (new.rowid, new."title", new."text");\n'
    )
    db.execute(
        'CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" WHEN new.run_id IS NULL '
        f"BEGIN\n{insert}END"
    )
    db.execute(
        f'CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" WHEN {_INDEXED.format(r="old")} '
        f"BEGIN\n{delete}END"
    )
    db.execute(
        'CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "text" ON "articles" '
        f"WHEN {_INDEXED.format(r='old')} BEGIN\n{delete}{insert}END"
    )
