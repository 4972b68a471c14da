"""The undo log in the project file: an entry lands with its edit or not at all, an undo or
redo marks it in its own transaction, a new edit drops the undone tail, and the log keeps
the last 1,000 entries without reading the whole table on the edit path."""

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core.edit_log import UNDO_LIMIT
from annotator.core.edits import Remove
from annotator.core.session import Session
from annotator.formats.importer import import_paths
from tests.conftest import on_disk

SEED = Path(__file__).resolve().parents[2] / "seeds" / "us-drone-strike-baghdad-militia-leader.txt"


@pytest.fixture
def session(store):
    import_paths(store, [SEED])
    session = Session(store)
    session.open_first()
    return session


def add(session, word, label="GPE", log=True):
    start = session.article.text.index(word)
    return session.apply(session.plan_add_span(start, start + len(word), label), log=log)


def logged(store):
    return on_disk(store, "SELECT seq, description, done FROM undo_log ORDER BY seq")


def test_an_edit_its_undo_and_redo_mark_its_entry_on_disk(session):
    edit = add(session, "Baghdad")
    assert logged(session.store) == [(1, "add GPE", 1)]
    session.revert(edit)
    assert logged(session.store) == [(1, "add GPE", 0)]
    assert on_disk(session.store, "SELECT count(*) FROM spans") == [(0,)]
    session.reapply(edit)
    assert logged(session.store) == [(1, "add GPE", 1)]
    assert on_disk(session.store, "SELECT label FROM spans") == [("GPE",)]


def test_only_logged_edits_are_in_the_log(session):
    add(session, "Baghdad", log=False)  # a script's or the CLI's edit
    assert logged(session.store) == []


def test_a_new_edit_after_undos_drops_the_undone_tail(session):
    first, second, third = (add(session, w, l) for w, l in (("Baghdad", "GPE"), ("Pentagon", "ORG"), ("Iraq", "GPE")))
    session.revert(third)
    session.revert(second)
    add(session, "Jordan", "GPE")
    assert logged(session.store) == [(1, "add GPE", 1), (2, "add GPE", 1)]
    # The undone edit's command may still hold seq 2: marking it must not touch the new row.
    assert not session.store.conn.in_transaction
    with session.store.write():
        assert not session.store.mark_logged(*second.log_entry, done=True)
    assert logged(session.store)[1] == (2, "add GPE", 1)


def fail_on(store, table):
    """A trigger that makes every INSERT into `table` fail, as a full disk would."""
    store.conn.execute(
        f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    )


@pytest.mark.parametrize("table", ["spans", "undo_log"])
def test_a_failed_edit_leaves_no_entry_and_a_failed_entry_no_edit(session, table):
    add(session, "Baghdad")
    fail_on(session.store, table)
    start = session.article.text.index("Pentagon")
    edit = session.plan_add_span(start, start + len("Pentagon"), "ORG")
    with pytest.raises(sqlite3.DatabaseError):
        session.apply(edit, log=True)
    assert edit.log_entry is None
    assert logged(session.store) == [(1, "add GPE", 1)]
    assert on_disk(session.store, "SELECT label FROM spans") == [("GPE",)]


def test_a_failed_undo_leaves_its_entry_done(session):
    edit = add(session, "Baghdad")
    session.store.conn.execute(
        "CREATE TRIGGER fail_delete BEFORE DELETE ON spans "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    )
    with pytest.raises(sqlite3.DatabaseError):
        session.revert(edit)
    assert logged(session.store) == [(1, "add GPE", 1)]


def test_the_log_keeps_the_last_thousand_entries(store):
    with store.write():  # in bulk: one transaction, the store's own verb per edit
        for n in range(UNDO_LIMIT + 1):
            store.log_edit(f"edit {n}", {"n": n})
    entries = store.undo_log()
    assert len(entries) == UNDO_LIMIT == on_disk(store, "SELECT count(*) FROM undo_log")[0][0]
    assert entries[0].description == "edit 1" and entries[-1].description == "edit 1000"
    assert json.loads(entries[-1].payload) == {"n": 1000}


def test_the_edit_path_reads_no_more_of_the_log_than_it_changes(session):
    """The statements an edit, an undo and a redo run on the log, as SQLite plans them: the
    undone tail comes from a partial index, the bound is cut by key, and nothing scans the
    table, however long the log."""
    conn = session.store.conn
    ran: list[str] = []
    conn.set_trace_callback(ran.append)
    try:
        edit = add(session, "Baghdad")
        session.revert(edit)
        session.reapply(edit)
    finally:
        conn.set_trace_callback(None)
    on_log = [sql for sql in ran if "undo_log" in sql]
    assert len(on_log) == 5  # drop the tail, insert, trim; undone; done again
    for sql in on_log:
        plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        if sql.startswith("INSERT"):
            assert plan == "", sql
        else:
            assert plan == "SCAN undo_log USING INDEX undo_log_undone" or (
                plan.startswith("SEARCH undo_log USING INTEGER PRIMARY KEY") and "SCAN" not in plan
            ), sql


def test_renaming_a_label_clears_the_log_whose_edits_name_the_old_one(session):
    add(session, "Baghdad")
    session.store.rename_schema_name("GPE", "COUNTRY")
    assert logged(session.store) == []
    assert on_disk(session.store, "SELECT label FROM spans") == [("COUNTRY",)]


def test_undoing_a_delete_puts_the_rows_back_exactly(session):
    """A span with a note in meta, its time and the merge input it came from,
    deleted and undone: every column is what it was, and the undo log on disk holds them
    too (an undo after a restart reads it)."""
    store = session.store
    span = add(session, "Baghdad").span
    with store.write():
        store.conn.execute("INSERT INTO merge_sources (path, state) VALUES ('/x/bob.db', 'merged')")
        store.conn.execute(
            "UPDATE spans SET meta = ?, created = 5.0, merge_source = 1 WHERE id = ?",
            ('{"note": "check the spelling"}', span.id),
        )
    columns = "SELECT id, start, label, annotator, meta, created, merge_source FROM spans"
    before = on_disk(store, columns)
    edit = session.apply(Remove(session.article.id, "delete", spans=[span.id]), log=True)
    assert on_disk(store, columns) == []
    (entry,) = on_disk(store, "SELECT payload FROM undo_log WHERE seq = 2")
    assert "check the spelling" in entry[0]
    session.revert(edit)
    assert on_disk(store, columns) == before
