"""The one write path: every write is one transaction that takes the write lock up front
(BEGIN IMMEDIATE) and waits for another writer in short steps, saying what it waits for.

A mixin of ProjectStore (store/project.py), on the connection the store opened.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.core.errors import ProjectBusy, ReadOnlyProject
from annotator.store import disk
from annotator.store.base import StoreBase

# How long one statement waits for a lock before SQLite says "busy"; writes wait longer
# (WritePath._begin_immediate), calling `waiting` so that a window can paint meanwhile.
BUSY_TIMEOUT_MS = 5000
WAIT_LIMIT = 300.0  # seconds a write waits for another writer before giving up
Waiting = Callable[[str, float], None]  # (who holds the lock, seconds waited so far)
WAIT_STEP = 0.05  # seconds between two calls of the waiting callback
_POLL_SECONDS = 0.001
# Threads of this process waiting for a project's write lock, by file: a long job in a thread
# (an import) steps aside for them between its batches (let_writers_in).
_waiting: dict[str, int] = {}
_waiting_lock = threading.Lock()


def is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock we need."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)
    return "locked" in str(error) or "busy" in str(error)


class WritePath(StoreBase):
    """ProjectStore's write path (a mixin)."""

    read_only: str | None  # why writes are refused, None when writable
    _opened_read_only: bool  # the connection itself can't write (mode=ro)
    waiting: Waiting | None
    wait_limit: float

    @property
    def writing(self) -> bool:
        """Inside a write() block (a reload then would see the write half done)."""
        return self.conn.in_transaction

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (SQLite's own counter,
        one page read): how a window notices an import or another window without polling
        the tables."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @contextmanager
    def write(self) -> Iterator[None]:
        """Every write goes through here: one transaction, committed when the block ends.

        It takes the write lock up front (BEGIN IMMEDIATE), so it waits (busy_timeout) for
        another writer instead of failing: a deferred transaction that has read first gets
        "database is locked" at once when it tries to write. A block inside another one joins
        it (no savepoint): the outermost block commits or rolls back the whole, which is what
        every caller wants (an edit, a file imported whole or not at all).
        """
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        self.refuse_if_read_only()
        try:
            try:
                # BEGIN inside: an interrupt (Ctrl+C) that lands once BEGIN has run, in its
                # clean-up, would leave the transaction open for whatever comes next.
                self._begin_immediate()
                yield
            except BaseException:
                self._roll_back()
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise
        except sqlite3.Error as error:
            # A full disk, an I/O error, a medium gone read-only: a message for the person
            # (every caller, window, import or CLI, shows AnnotatorErrors as they are).
            if disk.explain(error, self.path) is None:
                raise
            raise disk.disk_error(error, self.path) from error

    def refuse_if_read_only(self) -> None:
        """Raise ReadOnlyProject, naming the file and why, if nothing can be saved: for a
        long job (an import) to refuse before it starts."""
        if self.read_only is None:
            return
        if not self._opened_read_only:  # another window is the writer: it says so itself
            raise ReadOnlyProject(f"Not saved: {self.read_only}")
        raise ReadOnlyProject(
            f"Not saved: the project is open read-only ({self.read_only}). Make "
            f"{self.path} writable, or copy it to a writable folder, and open it again."
        )

    def _roll_back(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back itself when the connection closes or the next begins

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, waiting for another writer until wait_limit, when ProjectBusy says
        nothing was written.

        It tries every millisecond: SQLite's own busy handler sleeps longer and longer between
        tries (up to 100 ms), so it kept missing the short gaps a long job leaves between its
        batches and an edit could wait for the whole job. Every WAIT_STEP seconds of waiting
        the `waiting` callback runs: a window keeps painting and says what it waits for, the
        CLI says it once."""
        conn = self.conn
        key = self._lock_key
        with _waiting_lock:
            _waiting[key] = _waiting.get(key, 0) + 1
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            started = time.monotonic()
            holder, asked, told = "", -1.0, 0.0
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")  # the usual case: the lock is free
                    return
                except sqlite3.OperationalError as error:
                    if not is_busy(error):
                        raise
                elapsed = time.monotonic() - started
                if elapsed - asked >= 1.0:  # asked again each second: jobs come and go
                    holder, asked = self.lock_holder(), elapsed
                if elapsed > self.wait_limit:
                    raise ProjectBusy(
                        f"{self.path}: not saved: {holder} kept the project busy for more "
                        f"than {self.wait_limit:.0f} seconds. Try again once it has finished."
                    )
                if self.waiting is not None and elapsed - told >= WAIT_STEP:
                    told = elapsed
                    self.waiting(holder, elapsed)
                time.sleep(_POLL_SECONDS)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with _waiting_lock:
                _waiting[key] -= 1

    def let_writers_in(self, limit: float = 0.05) -> None:
        """For a long job between two of its transactions: wait (at most `limit` seconds)
        while another thread of this process waits for the write lock, so that it gets it
        now rather than after the job's next batch. (A waiter in another process tries
        every millisecond and takes the gap on its own.)"""
        key = self._lock_key
        deadline = time.monotonic() + limit
        while _waiting.get(key, 0) > 0 and time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)

    def _inside_write(self) -> None:
        """For the low-level methods whose statements only make sense as part of a larger
        write (an import's batch, a counter kept in step): refuse to run on their own."""
        if not self.conn.in_transaction:
            raise RuntimeError("call this inside store.write()")
