"""Writes wait for another writer in short steps, saying who they wait for; the registry of
writers; a project opened read-only refuses writes with a message."""

import os
import sqlite3
import time

import pytest

from annotator.core.errors import ProjectBusy, ReadOnlyProject
from annotator.store import open_project
from annotator.store.activity import HOST
from annotator.store.project import ProjectStore
from tests.conftest import on_disk
from tests.lock_holder import hold_lock, release
from tests.timing import slack


def test_a_write_waits_in_short_steps_naming_the_holder_then_commits(store):
    # Let go after the write has waited through a dozen steps (or 2 s), not a fixed second.
    holder = hold_lock(store.path, 2.0, "the import of news.jsonl", until_told=True)
    calls = []

    def waiting(who, seconds):
        calls.append((who, seconds, time.monotonic()))
        if len(calls) == 12:
            release(holder)

    store.waiting = waiting
    store.set_meta("note", "written after the wait")
    holder.wait(timeout=10)
    assert on_disk(store, "SELECT value FROM meta WHERE key = 'note'") == [
        ("written after the wait",)
    ]
    assert len(calls) >= 10  # called between steps, not once after a blocking wait
    assert calls[0][0].startswith("the import of news.jsonl (pid ")
    gaps = [b[2] - a[2] for a, b in zip(calls, calls[1:])]
    assert max(gaps) < 0.1 * slack(), gaps
    # The busy timeout for everything else is back to the long one.
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_write_that_waits_too_long_says_nothing_was_written(store):
    holder = hold_lock(store.path, 1.5, until_told=True)  # let go once the write gave up
    store.wait_limit = 0.3
    with pytest.raises(ProjectBusy, match="not saved: another program using the project file"):
        store.set_meta("note", "never")
    release(holder)
    holder.wait(timeout=10)
    assert on_disk(store, "SELECT value FROM meta WHERE key = 'note'") == []
    assert not store.conn.in_transaction


def test_the_registry_ignores_and_cleans_rows_of_dead_processes(store):
    with store.activity("import", "the import of a.jsonl") as mine:
        assert [a.id for a in store.activities()] == [mine]
        assert store.lock_holder() == f"the import of a.jsonl (pid {os.getpid()})"
    assert store.activities() == [] and on_disk(store, "SELECT count(*) FROM activity") == [(0,)]
    dead = _dead_pid()
    other = sqlite3.connect(store.path)
    with other:
        other.execute(
            "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
            "VALUES (?, ?, 'window', 'another annotator window', 0, 0)",
            (dead, HOST),
        )
        # Another host's window, with a fresh heartbeat: it counts (its pid can't be checked).
        other.execute(
            "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
            "VALUES (1, 'elsewhere', 'window', 'another annotator window', ?, ?)",
            (time.time(), time.time()),
        )
    other.close()
    holder = store.claim_window()
    assert holder is not None and holder.host == "elsewhere"
    assert on_disk(store, "SELECT host FROM activity") == [("elsewhere",)]  # the dead one went


def test_one_writer_window_claim_per_project(store):
    second = open_project(store.path)
    try:
        assert store.claim_window() is None
        assert store.claim_window() is None  # claiming again keeps the one row
        taken = second.claim_window()
        assert taken is not None and taken.id == store.own_window
        store.release_window()
        assert second.claim_window() is None
        assert on_disk(store, "SELECT count(*) FROM activity WHERE kind = 'window'") == [(1,)]
    finally:
        second.close()


def test_read_only_opening_refuses_writes_and_can_become_writable(store):
    ro = ProjectStore(store.path, read_only=True)
    try:
        assert ro.read_only and str(store.path) in ro.read_only
        with pytest.raises(ReadOnlyProject, match="open read-only"):
            ro.set_meta("note", "no")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.conn.execute("INSERT INTO meta VALUES ('note', 'no')")
        store.set_meta("note", "from the writer")
        assert ro.get_meta("note") == "from the writer"  # reads the file live
        before = ro.data_version()
        store.set_meta("note", "again")
        assert ro.data_version() != before
        ro.set_read_only(None)
        ro.set_meta("note", "now writable")
        assert on_disk(store, "SELECT value FROM meta WHERE key = 'note'") == [("now writable",)]
    finally:
        ro.close()


def _dead_pid() -> int:
    pid = 999_999
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_an_import_growing_the_schema_keeps_a_label_added_meanwhile(store, tmp_path):
    from annotator.formats.importer import import_paths

    assert store.schema  # read and kept, as an import's store has it before it writes
    other = open_project(store.path)
    other.add_label("PROTESTER", "9", None, None)
    other.close()
    data = tmp_path / "a.jsonl"
    data.write_text(
        '{"text": "Crowds marched in Basra.", "spans": [{"start": 0, "end": 6, "label": "CROWD"}]}\n'
    )
    report = import_paths(store, [data])
    assert report.ok
    schema = on_disk(store, "SELECT value FROM meta WHERE key = 'schema'")[0][0]
    assert '"CROWD"' in schema and '"PROTESTER"' in schema


def test_a_window_claim_from_before_a_reboot_does_not_keep_the_project_read_only(store):
    """A window's claim left by a power cut: its pid may belong to another live process after
    the reboot (pid 1 stands for one here); without a fresh heartbeat it no longer counts."""
    two_days_ago = time.time() - 2 * 24 * 3600
    other = sqlite3.connect(store.path)
    with other:
        other.execute(
            "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
            "VALUES (1, ?, 'window', 'another annotator window', ?, ?)",
            (HOST, two_days_ago, two_days_ago),
        )
    other.close()
    assert store.claim_window() is None  # this store is the writer window now
    assert on_disk(store, "SELECT pid FROM activity") == [(os.getpid(),)]  # the stale row gone
