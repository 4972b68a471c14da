"""The one write path: every edit takes the write lock up front and waits for it, and the
hot path of adding a span stays a handful of statements."""

import sqlite3
import threading
import time

import pytest

from annotator.core.session import Session
from annotator.formats.importer import import_paths
from tests.conftest import on_disk


def open_session(store, tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nKataib Hezbollah met in Baghdad on Monday.\n")
    import_paths(store, [tmp_path / "a.txt"])
    session = Session(store)
    session.open_first()
    return session


def test_adding_a_span_is_one_short_transaction_and_one_read(store, tmp_path):
    session = open_session(store, tmp_path)
    text = session.article.text
    statements = []
    store.conn.set_trace_callback(statements.append)
    start = text.index("Baghdad")
    session.apply(session.plan_add_span(start, start + 7, "GPE"))
    store.conn.set_trace_callback(None)
    # The write path shortens SQLite's busy wait around BEGIN (so a window can paint while
    # it waits for another writer); those two pragmas touch no table.
    statements = [s for s in statements if not s.startswith("PRAGMA busy_timeout")]
    # SQLite traces a trigger's run as a comment and its statement again (the spans'
    # annotation_search trigger, which finds no note on a new span): one statement, not two.
    statements = [s for s in statements if not s.startswith("--")]
    # FTS5 reads its config the first time a connection runs a trigger that names an index
    # (data_version, then its _config table): SQLite's statements, not ours.
    statements = [
        s for s in statements if s != "PRAGMA 'main'.data_version" and not s.endswith("_config'")
    ]
    statements = [s for n, s in enumerate(statements) if n == 0 or s != statements[n - 1]]
    # BEGIN IMMEDIATE, the stored schema's text (a label removed elsewhere is refused), the
    # INSERT, the span counter, new -> in progress, COMMIT; then the status and the spans
    # read back. (It took 16 statements: the status read three times, BEGIN plus two
    # savepoints, the events read back though a span changes none.)
    assert statements[0] == "BEGIN IMMEDIATE" and statements[5] == "COMMIT"
    assert statements[1] == "SELECT value FROM meta WHERE key = 'schema'", statements
    assert len(statements) == 8, statements
    assert on_disk(store, "SELECT status, n_spans FROM articles") == [("in_progress", 1)]


def test_an_edit_waits_for_another_writer_instead_of_failing(store, tmp_path):
    session = open_session(store, tmp_path)
    text = session.article.text
    start = text.index("Baghdad")
    span = session.apply(session.plan_add_span(start, start + 7, "GPE")).span
    session.open_article(session.article.id)  # a read first, as the window does

    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE articles SET title = 'changed elsewhere'")
    released = threading.Event()

    def release():
        time.sleep(0.3)
        other.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    session.apply(
        session.plan_relabel(span, "LOC")
    )  # waits for the other writer (busy_timeout), then saves
    assert released.is_set()
    other.close()
    assert on_disk(store, "SELECT label FROM spans") == [("LOC",)]
    assert on_disk(store, "SELECT title FROM articles") == [("changed elsewhere",)]


def test_no_statement_leaves_a_transaction_open_behind_the_write_path(store, tmp_path):
    """A write outside store.write() (a slip in some future caller) used to open Python's
    implicit transaction, which every later edit then joined uncommitted: a kill lost them."""
    session = open_session(store, tmp_path)
    store.conn.execute("UPDATE articles SET title = 'renamed by a stray statement'")
    start = session.article.text.index("Baghdad")
    session.apply(session.plan_add_span(start, start + 7, "GPE"))
    assert not store.conn.in_transaction
    # Read by another connection while this one is still open, as after a kill.
    assert on_disk(store, "SELECT title, n_spans FROM articles") == [
        ("renamed by a stray statement", 1)
    ]


def test_batch_methods_refuse_to_run_outside_a_write(store):
    for call in (
        lambda: store.start_work(1),
        lambda: store.adjust_span_count(1, 1),
        lambda: store.insert_new_articles([], source="x", origin="x"),
        lambda: store.replace_suggestions("suggest:x", [1], []),
    ):
        try:
            call()
        except RuntimeError as error:
            assert "inside store.write()" in str(error)
        else:
            raise AssertionError("ran outside store.write()")


def test_an_interrupt_once_begin_has_run_leaves_no_transaction_open(store):
    """KeyboardInterrupt (the CLI's second Ctrl+C) can land after BEGIN IMMEDIATE has run,
    in _begin_immediate's clean-up, before write()'s block: the transaction is rolled back,
    not left open for the connection's next statement (which would join it, or fail)."""
    begin = store._begin_immediate

    def interrupted():
        begin()
        raise KeyboardInterrupt

    store._begin_immediate = interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            with store.write():
                pass
    finally:
        store._begin_immediate = begin
    assert not store.conn.in_transaction
