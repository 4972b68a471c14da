"""Numbered schema migrations, recorded in the file itself.

sqlite-utils has no migrations of its own (sqlite-migrate is an alpha), and what we need is
small: apply every step the file hasn't seen, in order, each in one transaction, and refuse a
file written by a newer annotator instead of guessing at it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import sqlite_utils

from annotator.core.errors import ProjectError
from annotator.core.model import NEW
from annotator.store.autoincrement import never_reuse_ids
from annotator.store.import_index_triggers import imports_index_in_passes
from annotator.store.search_triggers import annotation_search_step
from annotator.store.undo_log import highest_ids_named

APPLICATION_ID = 0x414E4E4F  # "ANNO": marks the file as ours in its header


def _v1_initial(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("articles").create(
        {
            "id": int,
            "ext_id": str,
            "text_hash": str,
            "title": str,
            "text": str,
            "source": str,
            "meta": str,
            "status": str,
            "n_spans": int,
            "created": float,
            "updated": float,
        },
        pk="id",
        not_null={"text", "text_hash", "status", "n_spans"},
        defaults={"status": NEW, "n_spans": 0, "meta": "{}", "title": ""},
    )
    db.table("articles").create_index(["ext_id"], unique=True)
    db.table("articles").create_index(["text_hash"], unique=True)
    db.table("articles").create_index(["status", "id"])
    # A narrow covering index: counting "articles up to this one" reads it instead of the
    # article texts (60 ms -> 2 ms on 100,000 articles).
    db.table("articles").create_index(["id"], index_name="articles_position")
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")
    db.table("spans").create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "origin": str,
            "state": str,
            "score": float,
            "annotator": str,
            "created": float,
            "updated": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "kind", "origin", "state"},
        defaults={"kind": "entity", "origin": "manual", "state": "accepted"},
    )
    db.table("spans").create_index(["article_id", "start"])


def _v2_events(db: sqlite_utils.Database) -> None:
    """Events (a type, a trigger span) and relations (no trigger), with typed arguments that
    point at a span or at another event; attributes and notes from brat in `meta`."""
    db.table("events").create(
        {
            "id": int,
            "article_id": int,
            "type": str,
            "trigger_id": int,
            "relation": int,
            "origin": str,
            "meta": str,
            "created": float,
            "updated": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("trigger_id", "spans", "id")],
        not_null={"article_id", "type", "relation"},
        defaults={"relation": 0, "origin": "manual", "meta": "{}"},
    )
    db.table("events").create_index(["article_id"])
    db.table("events").create_index(["trigger_id"])
    db.table("event_arguments").create(
        {
            "id": int,
            "event_id": int,
            "role": str,
            "span_id": int,
            "arg_event_id": int,
            "override": int,
        },
        pk="id",
        foreign_keys=[
            ("event_id", "events", "id"),
            ("span_id", "spans", "id"),
            ("arg_event_id", "events", "id"),
        ],
        not_null={"event_id", "role", "override"},
        defaults={"override": 0},
    )
    for column in ("event_id", "span_id", "arg_event_id"):
        db.table("event_arguments").create_index([column])
    db.table("spans").add_column("meta", str, not_null_default="{}")
    db.table("articles").add_column("n_events", int, not_null_default=0)


def _v3_suggestions(db: sqlite_utils.Database) -> None:
    """Suggestion sources (a spaCy pipeline or patterns, with a label mapping) and, on spans,
    the decision taken on a suggestion: accepted, relabelled, resized or rejected."""
    db.table("sources").create(
        {"id": int, "name": str, "kind": str, "location": str, "mapping": str, "created": float},
        pk="id",
        not_null={"name", "kind", "location"},
        defaults={"mapping": "{}"},
    )
    db.table("sources").create_index(["name"], unique=True)
    db.table("spans").add_column("decision", str)
    # The label as suggested: precision is per label the model gave, even once relabelled.
    db.table("spans").add_column("suggested_label", str)
    db.table("spans").create_index(["state", "id"])  # the review queue pages by key
    db.table("spans").create_index(["state", "article_id"])  # next article with suggestions


def _v4_narrow_fts_trigger(db: sqlite_utils.Database) -> None:
    """Re-index an article's text only when its title or text changes: the trigger that
    enable_fts makes fires on every update, so each span count or status change re-indexed the
    whole article (1.1 ms against 0.3 ms on a 100,000-character article)."""
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        'CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "text" ON "articles" BEGIN\n'
        '  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") '
        'VALUES(\'delete\', old.rowid, old."title", old."text");\n'
        '  INSERT INTO "articles_fts" (rowid, "title", "text") '
        'VALUES (new.rowid, new."title", new."text");\nEND'
    )


def _v5_import_runs(db: sqlite_utils.Database) -> None:
    """Imports commit in short steps: a file's articles are written invisible, tagged with
    their import run, and become visible when the run is published (one short UPDATE of the
    run's row, however big the file). A run records its owner (pid, host) so that the
    leftovers of an import killed mid-way can be removed once that process is gone."""
    db.table("import_runs").create(
        {
            "id": int,
            "source": str,
            "state": str,  # "staging" (invisible) or "published"
            "pid": int,
            "host": str,
            "started": float,
            "published": float,
            "heartbeat": float,  # each batch's time: a run from another host that stops
        },
        pk="id",
        not_null={"source", "state"},
    )
    db.table("import_runs").create_index(["state"])
    db.table("articles").add_column("run_id", int)
    # Readers subtract a staging run's articles: this finds them, and their statuses, without
    # touching the table (count by status, position) however big the corpus.
    db.table("articles").create_index(["run_id", "status"], index_name="articles_run")


def _v6_undo_log(db: sqlite_utils.Database) -> None:
    """The undo history of the window's edits, so undo survives a restart or a crash
    (annotator.store.undo_log). Touches no other table: it stands on its own whatever other
    steps come before it."""
    db.execute(
        "CREATE TABLE undo_log (seq INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "payload TEXT NOT NULL, done INTEGER NOT NULL, made REAL NOT NULL)"
    )
    # The undone tail, dropped on every new edit: found without reading the table.
    db.execute("CREATE INDEX undo_log_undone ON undo_log (seq) WHERE done = 0")


def _v7_activity(db: sqlite_utils.Database) -> None:
    """Who writes to the project (store/activity.py): windows and long jobs, so that a writer
    waiting for the lock can name what it waits for, and a second window opens read-only."""
    db.table("activity").create(
        {
            "id": int,
            "pid": int,
            "host": str,
            "kind": str,
            "what": str,
            "started": float,
            "heartbeat": float,
        },
        pk="id",
        not_null={"pid", "host", "kind", "what", "started", "heartbeat"},
    )


# Tables whose rows an undo or a redo puts back under their old id (core/edits.py: a redo of
# an add inserts its row again, the undo of a removal restores spans, events and arguments).
# The tables an undo or redo puts rows back in under their old ids; and the registry of
# writers, where a row removed as dead must not hand its id to a new writer whose row the dead
# one's owner (alive after all) would then end or beat for.
KEPT_IDS = ("spans", "events", "event_arguments", "activity")


def _v8_ids_never_reused(db: sqlite_utils.Database) -> None:
    """Ids of spans, events and arguments are never given twice (store/autoincrement.py): an
    undo freed the newest span's id, another process took it, and the redo was refused.
    Rebuilds the three tables, so it runs with foreign keys off (REBUILDS_TABLES). Ids start
    above those the undo log still names, so an edit undone before the upgrade can be redone
    after it."""
    named = highest_ids_named(db.conn)
    for table in KEPT_IDS:
        never_reuse_ids(db.conn, table, named.get(table, 0))


def _v9_reserved(db: sqlite_utils.Database) -> None:
    """Number 9 was given to another change made at the same time (the keyboard map); this
    placeholder keeps number 10 in its place until that one lands and replaces it."""


def _v10_annotator_layers(db: sqlite_utils.Database) -> None:
    """Several annotators (store/layers.py, store/merge.py): events and arguments say who made
    them, as spans already could; rows brought in by `annotator merge` say which input file
    they came from (merge_sources), so merging an updated file replaces its layer instead of
    adding it twice. Old rows keep annotator NULL: made before names were kept."""
    db.table("events").add_column("annotator", str)
    db.table("event_arguments").add_column("annotator", str)
    db.table("merge_sources").create(
        {
            "id": int,
            "path": str,  # the input file, resolved: the same file merged again is the same layer
            "state": str,  # "merging" until its last batch is in, then "merged"
            "annotators": str,  # JSON list of the names its layer holds
            "articles": int,
            "merged": float,
        },
        pk="id",
        not_null={"path", "state"},
        defaults={"annotators": "[]", "articles": 0},
    )
    db.table("merge_sources").create_index(["path"], unique=True)
    db.table("spans").add_column("merge_source", int)
    db.table("events").add_column("merge_source", int)
    # Replacing one input's layer finds its rows without reading the others.
    db.execute(
        "CREATE INDEX spans_merge_source ON spans (merge_source, article_id) "
        "WHERE merge_source IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX events_merge_source ON events (merge_source, article_id) "
        "WHERE merge_source IS NOT NULL"
    )
    # Listing the annotators of a project and reading one layer (agreement, export filter).
    db.table("spans").create_index(["annotator", "article_id"])


def _v11_argument_merge_source(db: sqlite_utils.Database) -> None:
    """Arguments say which merged input they came from, as spans and events do: merging an
    updated copy again replaces that copy's arguments only, never one another person added
    to its events (store/merge_drop.py). Arguments merged before this step were not marked;
    one on a merged event whose author is among the names that event's input brought is
    taken for that input's (what a merge wrote), any other for work done in the project."""
    db.table("event_arguments").add_column("merge_source", int)
    db.execute(
        "UPDATE event_arguments SET merge_source = (SELECT e.merge_source FROM events e "
        "JOIN merge_sources m ON m.id = e.merge_source WHERE e.id = event_arguments.event_id "
        "AND event_arguments.annotator IN (SELECT value FROM json_each(m.annotators))) "
        "WHERE event_id IN (SELECT id FROM events WHERE merge_source IS NOT NULL)"
    )


def _v12_adjudication(db: sqlite_utils.Database) -> None:
    """Adjudication (store/adjudication.py): a person's decision on each conflict, by the
    conflict's key (a decision of "neither" leaves no gold row, so the rows can't say it),
    and per article how many conflicts it has and how many are open (the list shows it)."""
    db.table("adjudication_decisions").create(
        {
            "id": int,
            "article_id": int,
            "key": str,
            "choice": str,
            "annotator": str,
            "made": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "key", "choice"},
    )
    db.table("adjudication_decisions").create_index(["article_id", "key"], unique=True)
    db.table("adjudication_progress").create(
        {"article_id": int, "conflicts": int, "open": int, "updated": float},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"conflicts", "open"},
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_initial", _v1_initial),
    ("0002_events", _v2_events),
    ("0003_suggestions", _v3_suggestions),
    ("0004_narrow_fts_trigger", _v4_narrow_fts_trigger),
    ("0005_import_runs", _v5_import_runs),
    ("0006_undo_log", _v6_undo_log),
    ("0007_activity", _v7_activity),
    ("0008_ids_never_reused", _v8_ids_never_reused),
    ("0009_reserved", _v9_reserved),
    ("0010_annotator_layers", _v10_annotator_layers),
    ("0011_argument_merge_source", _v11_argument_merge_source),
    ("0012_adjudication", _v12_adjudication),
    ("0013_annotation_search", annotation_search_step),
    ("0014_imports_index_in_passes", imports_index_in_passes),
]
# Steps that rebuild tables others point at: foreign keys must be off while they run (SQLite's
# procedure for schema changes; the pragma can't change inside a transaction, so migrate
# turns it off before the step's BEGIN), and are checked before the step commits.
REBUILDS_TABLES = {"0008_ids_never_reused"}
SCHEMA_VERSION = len(MIGRATIONS)


def check(db: sqlite_utils.Database, path: str) -> int:
    """Refuse a file that is not ours or is from a newer annotator; returns its version.

    Reads only: a refused file is left exactly as it was.
    """
    conn = db.conn
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = set(db.table_names())
    # A file without our application_id is ours only if it is empty (created, then the first
    # step failed) or has the tables of the first annotator version, migrations record
    # included: another program's database that happens to have a `meta` table is not.
    first_version = {"meta", "articles", "spans", "migrations"}
    ours = app_id == APPLICATION_ID or (app_id == 0 and (not tables or first_version <= tables))
    if not ours:
        raise ProjectError(f"{path}: this SQLite file is not an annotator project")
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path}: this project was written by a newer annotator (format {version}, this "
            f"version reads up to {SCHEMA_VERSION}); upgrade annotator to open it"
        )
    return version


def migrate(
    db: sqlite_utils.Database, path: str, write: Callable[[], AbstractContextManager[None]]
) -> None:
    """Bring the file up to SCHEMA_VERSION, one step a transaction through the store's write
    path: the version is read again under the write lock, so two windows opening an old
    project at once don't both run a step. A step in REBUILDS_TABLES runs with foreign keys
    off and must leave no row pointing nowhere that didn't before."""
    conn = db.conn
    version = check(db, path)
    for number, (name, step) in enumerate(MIGRATIONS, start=1):
        if version >= number:
            continue  # checked again under the lock below; this spares the pragmas
        rebuilds = name in REBUILDS_TABLES
        if rebuilds:
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with write():
                if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                if number == 1:
                    # Stamped with the first step, so a file that fails it isn't marked as ours.
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                before = _foreign_key_problems(conn) if rebuilds else set()
                step(db)
                if rebuilds and _foreign_key_problems(conn) - before:
                    # Rolled back whole: the file stays as it was, in the format it had.
                    raise ProjectError(
                        f"{path}: cannot upgrade the project to this annotator's format: "
                        f"step {name} would break links between its rows. Nothing was "
                        "changed; please report the problem."
                    )
                db.table("migrations").insert(
                    {"version": number, "name": name, "applied": time.time()}, pk="version"
                )
                # user_version is transactional in SQLite, so a failed step leaves it unchanged.
                conn.execute(f"PRAGMA user_version = {number}")
        finally:
            if rebuilds:
                conn.execute("PRAGMA foreign_keys = ON")


def _foreign_key_problems(conn: sqlite3.Connection) -> set[tuple]:
    """Rows whose foreign key points nowhere. Compared before and after a rebuild: a file
    that already had some (written with foreign keys off by another program) still opens."""
    return {tuple(row) for row in conn.execute("PRAGMA foreign_key_check")}
