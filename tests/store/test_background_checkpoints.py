"""A window's commits don't run SQLite's automatic WAL checkpoint on its thread: a thread of
the store's own checkpoints every few seconds, and closing checkpoints as before."""

import sqlite3
import threading
import time

from annotator.store import checkpoints


def wal_pages(path):
    """(frames in the -wal, frames already copied into the .db), asked of a new connection."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    return log, done


def test_the_window_connection_leaves_checkpoints_to_a_thread(store, monkeypatch):
    monkeypatch.setattr(checkpoints, "INTERVAL", 0.1)
    store.checkpoint_in_background()
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    for n in range(30):  # ~1,500 pages: past SQLite's automatic checkpoint of 1,000
        store.insert_article_row(
            f"Article {n}. " + "word " * 40000, title=f"a{n}", ext_id=None, digest=f"d{n}",
            meta={}, source="test")
    thread = store._checkpoints
    ran = thread.done
    deadline = time.monotonic() + 5
    while thread.done < ran + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert thread.done >= ran + 2
    log, done = wal_pages(store.path)
    assert log > 1000 and done == log  # every frame copied into the .db, off this thread
    store.close()
    assert not any(t.name == "wal-checkpoints" and t.is_alive() for t in threading.enumerate())
    wal = store.path.with_name(store.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # all in the .db on close


def test_a_read_only_store_starts_no_thread(store):
    store.set_read_only("another annotator window is editing this project")
    store.checkpoint_in_background()
    assert store._checkpoints is None
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
