"""Import runs: a file's articles are written invisible in short transactions and become
visible together in one short one, so an import of any size never holds the write lock for
long and is still all or nothing.

Each imported article carries the id of its run (articles.run_id). While the run's state is
"staging" every reader skips its articles (the SQL fragments below); publishing the run is
one UPDATE of its row, whatever the file's size. A failed or cancelled run is deleted a batch
at a time. A run records its owner (pid, host): the leftovers of an import that was killed
are removed by the next open or import on that host once the owner is gone.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.core.errors import ImportFailed
from annotator.core.schema import Schema
from annotator.store.base import StoreBase

STAGING = "staging"
PUBLISHED = "published"

# Runs whose articles nobody may see yet: a handful at most, usually none.
STAGING_RUNS = f"(SELECT id FROM import_runs WHERE state = '{STAGING}')"
# The ids of invisible articles, found through the articles_run index (no table scan).
HIDDEN_IDS = f"(SELECT id FROM articles WHERE run_id IN {STAGING_RUNS})"


def visible(table: str = "articles") -> str:
    """The condition that keeps a query on articles (`table` is its name or alias) to the
    visible ones: checked on rows the query reads anyway, so it costs no extra page read."""
    return f"({table}.run_id IS NULL OR {table}.run_id NOT IN {STAGING_RUNS})"


DISCARD_BATCH = 500  # articles per transaction when a run's rows are removed

# Runs this process is writing: not abandoned, even though their owner (us) is alive anyway;
# a run of ours that is not here was left behind by an import that could not clean up.
_ACTIVE: set[tuple[str, int]] = set()


def _alive(pid: int, since: float) -> bool:
    """Whether the process that started a run at `since` still runs. A pid can be reused
    once its process is gone: on Linux a process with that pid that started later is
    another one."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    started = _process_start(pid)
    return started is None or started <= since + 1.0


def _process_start(pid: int) -> float | None:
    """When a process started (seconds since the epoch), where /proc tells; else None."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            # Field 22, after the command name (which may hold spaces) in parentheses.
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


class ImportRuns(StoreBase):
    """ProjectStore's import runs (a mixin)."""

    def _run_key(self) -> str:
        return self._lock_key

    def start_import_run(self, source: str) -> int:
        """A new, invisible run for one file; removes abandoned runs first. Committed without
        an fsync, as the batches: nothing is visible before the publish, which syncs."""
        self.remove_abandoned_imports()
        with self.staging_write():
            run_id = self.conn.execute(
                "INSERT INTO import_runs (source, state, pid, host, started) "
                "VALUES (?, ?, ?, ?, ?)",
                (source, STAGING, os.getpid(), socket.gethostname(), time.time()),
            ).lastrowid
        assert run_id is not None
        _ACTIVE.add((self._run_key(), run_id))
        return run_id

    @contextmanager
    def staging_write(self) -> Iterator[None]:
        """A transaction of a run's invisible rows, committed without waiting for the disk
        (synchronous=NORMAL; fsyncing each batch halved the import of short articles). A power
        cut may lose the last batches, never the file's consistency, and a run that was never
        published is removed as abandoned; publishing commits with a full sync, which takes
        every earlier batch to disk with it (they come before it in the log)."""
        if self.conn.in_transaction:  # part of a larger write: its commit decides
            yield
            return
        level = self.conn.execute("PRAGMA synchronous").fetchone()[0]
        self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.write():
                yield
        finally:
            self.conn.execute(f"PRAGMA synchronous = {int(level)}")

    def publish_import_run(
        self, run_id: int, grow_schema: Callable[[Schema], Schema] | None = None
    ) -> None:
        """Make the run's articles visible, in one short transaction with the schema the
        import grew (`grow_schema` builds it on the schema as it is now, so a change another
        connection made meanwhile is kept)."""
        with self.write():
            if grow_schema is not None:
                current = self.current_schema()
                grown = grow_schema(current)
                if grown != current:
                    self.set_schema(grown)
            flipped = self.conn.execute(
                "UPDATE import_runs SET state = ?, published = ? WHERE id = ? AND state = ?",
                (PUBLISHED, time.time(), run_id, STAGING),
            ).rowcount
            if not flipped:
                raise ImportFailed(
                    f"{self.path}: the import's staged articles were removed (another "
                    "program took the import for abandoned); import the file again"
                )
        _ACTIVE.discard((self._run_key(), run_id))

    def discard_import_run(self, run_id: int) -> None:
        """Remove a run that failed or was cancelled: its rows a batch per transaction (all
        invisible, so nobody sees the removal happen), then the run itself."""
        conn = self.conn
        try:
            while True:
                with self.write():
                    ids = [
                        row[0]
                        for row in conn.execute(
                            "SELECT id FROM articles WHERE run_id = ? LIMIT ?",
                            (run_id, DISCARD_BATCH),
                        )
                    ]
                    if not ids:
                        conn.execute("DELETE FROM import_runs WHERE id = ?", (run_id,))
                        break
                    self._delete_articles(ids)
        finally:
            # Not ours to finish any more: what is left is abandoned, for the next cleanup.
            _ACTIVE.discard((self._run_key(), run_id))

    def _delete_articles(self, ids: list[int]) -> None:
        """Articles with everything that hangs on them; arguments first (foreign keys)."""
        marks = ",".join("?" * len(ids))
        conn = self.conn
        events = f"SELECT id FROM events WHERE article_id IN ({marks})"
        conn.execute(f"DELETE FROM event_arguments WHERE event_id IN ({events})", ids)
        conn.execute(f"DELETE FROM events WHERE article_id IN ({marks})", ids)
        conn.execute(f"DELETE FROM spans WHERE article_id IN ({marks})", ids)
        conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)

    def abandoned_import_runs(self) -> list[int]:
        """Staging runs whose owner on this host is gone (killed, crashed). A run of another
        host is left alone: whether its owner lives can't be told from here."""
        host, me = socket.gethostname(), os.getpid()
        found = []
        for run_id, pid, run_host, started in self.conn.execute(
            "SELECT id, pid, host, started FROM import_runs WHERE state = ?", (STAGING,)
        ).fetchall():
            if run_host != host:
                continue
            if pid == me:
                if (self._run_key(), run_id) not in _ACTIVE:
                    found.append(run_id)
            elif not _alive(pid, started):
                found.append(run_id)
        return found

    def remove_abandoned_imports(self) -> int:
        """Remove what killed imports left behind; returns how many runs went."""
        runs = self.abandoned_import_runs()
        for run_id in runs:
            self.discard_import_run(run_id)
        return len(runs)
