"""Ids of spans, events and arguments are never given twice (migration 0008, AUTOINCREMENT).

An undo deletes the row its redo puts back under the same id. SQLite without AUTOINCREMENT
gives the largest id again once its row is gone, so another process (a suggestion run, an
import, another window) took it and the redo was refused. These tests check the ids a second
connection gets, and that a project of the format before (7) is rebuilt with every row,
index, trigger, foreign key and its full-text search as they were.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from annotator.core import edit_log
from annotator.core.edit_checks import why_not
from annotator.core.edits import AddEvent, AddSpan
from annotator.core.errors import ProjectError
from annotator.core.model import TRIGGER, Argument, Event, Removal, Span
from annotator.store import backups, migrations, open_project
from annotator.store.articles import fts_query
from tests.conftest import on_disk

TEXT = "Militants attacked a convoy near Baghdad on Monday, Reuters reported."
ATTACK = "Conflict.Attack"


def add_article(store, text: str = TEXT, ext_id: str = "a1", title: str = "Convoy hit") -> int:
    return store.insert_article_row(
        text, title=title, ext_id=ext_id, digest=ext_id, meta={}, source="test"
    )


def word(text: str, w: str) -> tuple[int, int]:
    start = text.index(w)
    return start, start + len(w)


def test_a_deleted_spans_id_is_not_given_to_another_connections_span(store):
    article = add_article(store)
    store.insert_span(Span(None, article, *word(TEXT, "Militants"), "ORG"))
    newest = store.insert_span(Span(None, article, *word(TEXT, "Baghdad"), "GPE"))
    store.delete_span(newest.id)  # as the undo of "add span" does
    other = open_project(store.path)  # a suggestion run, an import, another window
    try:
        taken = other.insert_span(Span(None, article, *word(TEXT, "Reuters"), "ORG"))
    finally:
        other.close()
    assert taken.id > newest.id
    assert on_disk(store, "SELECT id FROM spans WHERE id = ?", newest.id) == []
    # The redo puts the span back under its own id, beside the other process's span.
    store.insert_span(newest)
    assert on_disk(store, "SELECT id, label FROM spans ORDER BY id")[-2:] == [
        (newest.id, "GPE"),
        (taken.id, "ORG"),
    ]


def test_a_deleted_events_and_arguments_ids_are_not_given_again(store):
    article = add_article(store)
    trigger = store.insert_span(Span(None, article, *word(TEXT, "attacked"), ATTACK, kind=TRIGGER))
    target = store.insert_span(Span(None, article, *word(TEXT, "convoy"), "VEHICLE"))
    event = store.insert_event(
        Event(None, article, ATTACK, trigger.id, (Argument(None, None, "Target", target.id),))
    )
    store.apply_removal(Removal(events=[event]))  # as the undo of "add event" does
    other = open_project(store.path)
    try:
        taken = other.insert_event(
            Event(None, article, ATTACK, trigger.id, (Argument(None, None, "Target", target.id),))
        )
    finally:
        other.close()
    assert taken.id > event.id
    assert taken.arguments[0].id > event.arguments[0].id
    assert on_disk(store, "SELECT count(*) FROM events") == [(1,)]


def test_the_redo_of_an_added_event_lands_after_another_process_added_one(store):
    article = add_article(store)
    edit = AddEvent(
        Event(None, article, ATTACK, None),
        trigger=Span(None, article, *word(TEXT, "attacked"), ATTACK, kind=TRIGGER),
    )
    edit.apply(store)
    assert edit.event.id is not None and edit.trigger is not None
    event_id, trigger_id = edit.event.id, edit.trigger.id
    edit.revert(store)
    other = open_project(store.path)
    try:
        job_trigger = other.insert_span(
            Span(None, article, *word(TEXT, "reported"), ATTACK, kind=TRIGGER, origin="import")
        )
        job_event = other.insert_event(Event(None, article, ATTACK, job_trigger.id))
    finally:
        other.close()
    assert why_not(edit, store, undo=False) is None
    edit.apply(store)  # the redo
    assert on_disk(store, "SELECT id, trigger_id FROM events ORDER BY id") == [
        (event_id, trigger_id),
        (job_event.id, job_trigger.id),
    ]


# -- a project of format 7 ----------------------------------------------------------------


def make_format_7(path, monkeypatch) -> dict:
    """A project as annotator wrote it before migration 0008, holding articles, spans, an
    event with arguments, an undo log whose undone entry names a span id above every id left,
    and what another step could have added on spans: a partial index, a trigger and a view."""
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:7])
        old.setattr(migrations, "SCHEMA_VERSION", 7)
        store = open_project(path)
        first = add_article(store)
        add_article(store, "Protesters gathered in Basra on Friday.", "a2", "Basra")
        spans = [
            store.insert_span(Span(None, first, *word(TEXT, w), label))
            for w, label in (("Militants", "ORG"), ("convoy", "VEHICLE"), ("Reuters", "ORG"))
        ]
        trigger = store.insert_span(Span(None, first, *word(TEXT, "attacked"), ATTACK, kind=TRIGGER))
        event = format_7_event(
            store, first, trigger.id, (("Attacker", spans[0].id), ("Target", spans[1].id))
        )
        # Deleted: the id of the newest span is free, and format 7 gives it again ...
        late = store.insert_span(Span(None, first, *word(TEXT, "Monday"), "DATE"))
        store.delete_span(late.id)
        # ... here to a span added, then undone: free again, above every span left, and
        # named only by the undo log, whose redo needs it.
        undone = AddSpan(Span(None, first, *word(TEXT, "Baghdad"), "GPE"))
        undone.apply(store)
        assert undone.span.id == late.id
        with store.write():
            seq, made = store.log_edit(undone.description, edit_log.encode(undone))
        undone.revert(store)
        with store.write():
            store.mark_logged(seq, made, False)
        with store.write():
            store.conn.execute(
                "CREATE INDEX spans_open_suggestions ON spans (article_id) WHERE state = 'suggested'"
            )
            store.conn.execute(
                "CREATE TRIGGER spans_touch AFTER UPDATE OF label ON spans BEGIN "
                "UPDATE spans SET updated = 0 WHERE id = new.id; END"
            )
            store.conn.execute("CREATE VIEW accepted_spans AS SELECT * FROM spans WHERE state = 'accepted'")
        store.close()
    return {"undone": undone.span.id, "event": event, "spans": spans}


def format_7_event(store, article: int, trigger: int, roles) -> Event:
    """An event with arguments written as format 7 did (its tables had no annotator column,
    which today's insert_event fills)."""
    with store.write():
        event_id = store.conn.execute(
            "INSERT INTO events (article_id, type, trigger_id) VALUES (?, ?, ?)",
            (article, ATTACK, trigger),
        ).lastrowid
        store.conn.execute("UPDATE articles SET n_events = n_events + 1 WHERE id = ?", (article,))
        args = tuple(
            Argument(
                store.conn.execute(
                    "INSERT INTO event_arguments (event_id, role, span_id) VALUES (?, ?, ?)",
                    (event_id, role, span),
                ).lastrowid,
                event_id,
                role,
                span,
            )
            for role, span in roles
        )
    return Event(event_id, article, ATTACK, trigger, args)


def layout(conn) -> list[tuple]:
    return sorted(
        conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence'"
        ).fetchall(),
        key=lambda row: (row[0], row[1]),
    )


def contents(conn) -> dict[str, list]:
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in ("sqlite_sequence", "migrations")
    ]
    # Every column of every row (the FTS index's own tables too, some of them WITHOUT ROWID).
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def foreign_keys(conn) -> dict[str, list]:
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] != "sqlite_sequence"
    ]
    return {t: conn.execute(f'PRAGMA foreign_key_list("{t}")').fetchall() for t in tables}


def fts_count(store, word):
    return store.conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (fts_query(word),)
    ).fetchone()[0]


def test_a_format_7_project_is_upgraded_with_every_row_and_rule_kept(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    made = make_format_7(path, monkeypatch)
    conn = sqlite3.connect(path)
    before = (layout(conn), contents(conn), foreign_keys(conn))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert len(before[2]["event_arguments"]) == 3 and len(before[2]["events"]) == 2
    conn.close()

    # Up to step 8, the one this test is about: later steps add columns of their own.
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:8])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 8)
    store = open_project(path)
    try:
        conn = sqlite3.connect(path)
        after_layout = layout(conn)
        # The same tables, columns, indexes (the partial one too), trigger and view; the
        # three tables' keys now say AUTOINCREMENT, and nothing else changed.
        rebuilt = {row[1] for row in after_layout if row[3] and "AUTOINCREMENT" in row[3]}
        assert rebuilt == {"spans", "events", "event_arguments", "activity"}
        assert [
            (t, n, tb, sql.replace(" AUTOINCREMENT", "") if sql else sql)
            for t, n, tb, sql in after_layout
        ] == before[0]
        assert contents(conn) == before[1]
        assert foreign_keys(conn) == before[2]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        # Ids start above every span left, and above the one the undo log still needs.
        seq = dict(conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
        conn.close()
        assert made["undone"] > max(s.id for s in made["spans"])
        assert seq["spans"] == made["undone"]
        assert seq["events"] == made["event"].id
        assert seq["event_arguments"] == max(a.id for a in made["event"].arguments)

        # The file's rules still hold: foreign keys on, the FTS search and its trigger.
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with store.write():
                store.conn.execute(
                    "INSERT INTO spans (article_id, start, end, label) VALUES (999, 0, 1, 'ORG')"
                )
        # (Asked of the articles' index itself: the store's search also reads the notes'
        # index, annotation_search, which a later step than 8 makes.)
        assert fts_count(store, "convoy") == 1
        with store.write():
            store.conn.execute("UPDATE articles SET text = 'A ceasefire held in Basra.' WHERE ext_id = 'a2'")
        assert fts_count(store, "ceasefire") == 1
        assert fts_count(store, "Protesters") == 0
        # The view and the trigger work on the rebuilt table.
        store.relabel_span(made["spans"][2].id, "PERSON")
        assert on_disk(store, "SELECT updated FROM spans WHERE id = ?", made["spans"][2].id) == [(0,)]
        assert on_disk(store, "SELECT count(*) FROM accepted_spans") == [(4,)]

        # The undone span of the old log can be redone, after another process added a span.
        other = open_project(path)
        try:
            article = made["spans"][0].article_id
            taken = other.insert_span(Span(None, article, *word(TEXT, "near"), "ORG"))
        finally:
            other.close()
        assert taken.id > made["undone"]
        entry = store.undo_log()[-1]
        redo = edit_log.decode(entry.payload)
        assert why_not(redo, store, undo=False) is None
        redo.apply(store)
        assert on_disk(store, "SELECT label FROM spans WHERE id = ?", made["undone"]) == [("GPE",)]
    finally:
        store.close()


def test_a_step_that_would_break_foreign_keys_changes_nothing(tmp_path, monkeypatch):
    """The check migrate runs before committing a rebuild: rows pointing nowhere roll the
    step back, and the file opens in no format it doesn't wholly have."""
    path = tmp_path / "old.db"
    made = make_format_7(path, monkeypatch)

    def breaks(db) -> None:
        db.conn.execute("DELETE FROM spans WHERE id = ?", (made["event"].trigger_id,))

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:7], ("0008_x", breaks)])
    monkeypatch.setattr(migrations, "REBUILDS_TABLES", {"0008_x"})
    with pytest.raises(ProjectError, match="would break links between its rows"):
        open_project(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    assert conn.execute("SELECT count(*) FROM spans WHERE id = ?", (made["event"].trigger_id,)).fetchone() == (1,)
    conn.close()


def test_an_old_project_with_dangling_links_still_upgrades(tmp_path, monkeypatch):
    """Written by another program with foreign keys off: the upgrade keeps what it finds
    (the rows as they are) rather than refuse to open the project."""
    path = tmp_path / "old.db"
    made = make_format_7(path, monkeypatch)
    conn = sqlite3.connect(path)  # foreign keys off, as sqlite3's default is
    with conn:
        conn.execute("DELETE FROM spans WHERE id = ?", (made["spans"][1].id,))  # an argument's
    dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
    conn.close()
    assert dangling
    store = open_project(path)
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == dangling
    conn.close()


def test_two_programs_opening_a_format_7_project_at_once_rebuild_it_once(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    made = make_format_7(path, monkeypatch)
    # Not the backup each makes first: two made in the same second share one partial file
    # (backups.copy_database), and one of the two opens fails on it; a matter of its own.
    monkeypatch.setattr(backups, "automatic_backup", lambda store, why="": None)
    opened, failed = [], []
    together = threading.Barrier(2)

    def open_it() -> None:
        together.wait()
        try:
            store = open_project(path)
            opened.append(store.conn.execute("PRAGMA user_version").fetchone()[0])
            store.close()
        except Exception as error:  # reported below, with what it was
            failed.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == [] and opened == [migrations.SCHEMA_VERSION] * 2
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM migrations WHERE version = 8").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM spans").fetchone() == (len(made["spans"]) + 1,)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
