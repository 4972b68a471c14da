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
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.core.errors import AnnotatorError, EditRefused, ImportFailed
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


# A run whose batches stopped this long ago is abandoned wherever its owner ran: a live import
# writes a batch every few tens of milliseconds (and waits for the lock at most minutes only
# when another program holds it that long). This is all there is to go by for a run of
# another host (a container, a second computer on a shared folder), whose pid means nothing
# here, and for a run recorded without its owner's start.
RUN_STALE_AFTER = 60.0

# FTS5 merges an index's segments as they pile up: `automerge` (4 by default) of one level
# make one of the next. Each of an import's full-text passes adds a segment (about 85 for
# doccano's corpus), merged again and again; 8 during an import took the full-text work from
# 0.88 to 0.68 s CPU there, searches as quick (a few ms). Put back when the import ends.
IMPORT_AUTOMERGE = 8
FTS_AUTOMERGE = 4  # FTS5's default, which the project keeps otherwise
_RELAX_PENDING, _RELAX_NOT_OURS = "pending", "not ours"

# The connection's page cache during an import's batches (KiB; SQLite's default is 2,000):
# the writer's system time on doccano's corpus fell by an eighth (0.37 to 0.32 s), its whole
# CPU time by about 3%. Memory, not disk: freed when the session ends.
STAGING_CACHE_KIB = 16_384

DISCARD_SECONDS = 0.02  # how long one transaction of a run's removal may hold the write lock
DISCARD_FIRST = 10  # articles in its first transaction, before one has been timed
DISCARD_MAX = 2000

# Runs this process is writing: not abandoned, even though their owner (us) is alive anyway;
# a run of ours that is not here was left behind by an import that could not clean up. A run
# goes in before its row is committed, so no other thread ever sees it staged and not here.
_ACTIVE: set[tuple[str, int]] = set()


def _owner_host() -> str:
    """What a run stores in `host`: the host's name, then (where /proc tells) the owner's
    exact start, "boot-id:start-ticks"; host names hold no spaces."""
    token = _process_token(os.getpid())
    name = socket.gethostname()
    return name if token is None else f"{name} {token}"


def _alive(pid: int, token: str | None) -> bool:
    """Whether the process that started a run still runs. A pid can be reused once its
    process is gone: the process with that pid now must be the one that started when the
    run recorded (boot id and start ticks, compared exactly: the wall clock plays no part)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    if token is None:  # a run recorded without it: the pid is all there is to go by
        return True
    now = _process_token(pid)
    return now is None or now == token


def _process_token(pid: int) -> str | None:
    """A process's start, exactly: the boot's id and the clock ticks since boot at which the
    process started (/proc/<pid>/stat, field 22); None where /proc doesn't tell."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            # Field 22, after the command name (which may hold spaces) in parentheses.
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/sys/kernel/random/boot_id") as handle:
            boot = handle.read().strip()
    except (OSError, ValueError, IndexError):
        return None
    return f"{boot}:{ticks}"


def _next_size(size: int, seconds: float) -> int:
    """The next removal transaction's size in articles, aimed at DISCARD_SECONDS (growing by
    half at most: articles differ in length)."""
    aimed = size * DISCARD_SECONDS / max(seconds, 1e-4)
    return max(1, min(DISCARD_MAX, max(size + 1, int(size * 1.5)), int(aimed)))


class ImportRuns(StoreBase):
    """ProjectStore's import runs (a mixin)."""

    _staging_session = False  # inside staging_session(): its pragmas are set
    # fts_merging_relaxed's state: None outside it, then pending, then (the config's
    # automerge before, or None) when this import set it, or not ours.
    _fts_merging: str | tuple[int | None] | None = None

    def _run_key(self) -> str:
        return self._lock_key

    def start_import_run(self, source: str) -> int:
        """A new, invisible run for one file; first removes, as far as it can, what killed
        imports left (this runs in the import's thread or process, never in an open).
        Committed without an fsync, as the batches: nothing is visible before the publish,
        which syncs."""
        try:
            self.remove_abandoned_imports()
        except (AnnotatorError, sqlite3.Error):
            pass  # a full disk, a busy file: the leftovers stay invisible; the next import tries
        key = self._run_key()
        run_id = None
        try:
            with self.staging_write():
                # fts_upto 0: the run indexes its articles in passes (index_run_articles).
                # A file a step short of migration 0014 (tests make them) indexes row by row.
                passes = any(
                    row[1] == "fts_upto"
                    for row in self.conn.execute("PRAGMA table_info(import_runs)")
                )
                run_id = self.conn.execute(
                    "INSERT INTO import_runs (source, state, pid, host, started, heartbeat"
                    + (
                        ", fts_upto) VALUES (?, ?, ?, ?, ?, ?, 0)"
                        if passes
                        else ") VALUES (?, ?, ?, ?, ?, ?)"
                    ),
                    (source, STAGING, os.getpid(), _owner_host(), time.time(), time.time()),
                ).lastrowid
                assert run_id is not None
                # Before the commit: from then on another thread's cleanup must find it ours.
                _ACTIVE.add((key, run_id))
        except BaseException:
            if run_id is not None:
                _ACTIVE.discard((key, run_id))
            raise
        return run_id

    def check_run_staging(self, run_id: int) -> None:
        """Inside a batch's transaction: the run must still be staging, or the batch's rows
        would belong to no invisible run, and readers would see them."""
        self._inside_write()
        # The batch's heartbeat too: a run that stops beating is abandoned (RUN_STALE_AFTER).
        beat = self.conn.execute(
            "UPDATE import_runs SET heartbeat = ? WHERE id = ? AND state = ?",
            (time.time(), run_id, STAGING),
        ).rowcount
        if not beat:
            raise ImportFailed(
                f"{self.path}: the import's staged articles were removed (another program "
                "took the import for abandoned); import the file again"
            )

    def index_run_articles(self, run_id: int, upto: int | None = None) -> None:
        """Inside a batch's transaction: add the run's articles up to id `upto` (default: all
        of them) that no pass has indexed yet to the full-text index, in one statement. The
        insert trigger leaves a run's articles to these passes (migration 0014): indexing
        thousands of articles at once costs a third of doing it in each short batch."""
        self._inside_write()
        try:
            done = self.conn.execute(
                "SELECT fts_upto FROM import_runs WHERE id = ?", (run_id,)
            ).fetchone()
        except sqlite3.OperationalError:  # a file before 0014 (tests): indexed row by row
            return
        if done is None or done[0] is None:
            return  # gone (check_run_staging says so), or indexed row by row
        if upto is None:
            upto = self.conn.execute(
                "SELECT coalesce(max(id), 0) FROM articles WHERE run_id = ?", (run_id,)
            ).fetchone()[0]
        if upto <= done[0]:
            return
        if self._fts_merging == _RELAX_PENDING:
            self._relax_fts_merging()
        # The id range through the table itself (+run_id: not through the articles_run
        # index, which lists the run's articles by status, so that each pass read every
        # article the run had so far: quadratic in a 100,000-article file).
        self.conn.execute(
            'INSERT INTO articles_fts (rowid, "title", "text") SELECT id, title, text '
            "FROM articles WHERE id > ? AND id <= ? AND +run_id = ?",
            (done[0], upto, run_id),
        )
        self.conn.execute("UPDATE import_runs SET fts_upto = ? WHERE id = ?", (upto, run_id))

    def refuse_while_importing(self, what: str) -> None:
        """Inside a schema change's transaction: refuse while an import that is alive stages
        articles under the schema's names (its later batches would keep an old name, or lose
        suggestions the change removes). `what` is the change, as a verb ("rename")."""
        self._inside_write()
        abandoned = set(self.abandoned_import_runs())
        for run_id, source in self.conn.execute(
            "SELECT id, source FROM import_runs WHERE state = ? ORDER BY id", (STAGING,)
        ).fetchall():
            if run_id not in abandoned:
                raise EditRefused(
                    f"{self.path}: an import ({source}) is running; {what} once it has finished"
                )

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
        if self._staging_session:  # the pragmas are set already
            with self.write():
                yield
            return
        with self.staging_session(), self.write():
            yield

    @contextmanager
    def fts_merging_relaxed(self) -> Iterator[None]:
        """For an import's batches and passes: the full-text index merges its segments less
        often (IMPORT_AUTOMERGE), from the import's first pass (index_run_articles) on, in
        that pass's transaction: a small file makes no pass, and nothing changes for it.
        Left as it is when it is not FTS5's default (another import set it: that one puts
        it back); put back, best effort, when the batches end."""
        self._fts_merging = _RELAX_PENDING
        try:
            yield
        finally:
            state, self._fts_merging = self._fts_merging, None
            if isinstance(state, tuple):  # ours: (the config's row before, or None)
                try:
                    with self.staging_write():
                        self._set_fts_automerge(FTS_AUTOMERGE)
                        if state[0] is None:  # as it was: no row (the setting tells the
                            # index's connections to read the config again: they find none)
                            self.conn.execute(
                                "DELETE FROM articles_fts_config WHERE k = 'automerge'"
                            )
                except sqlite3.Error:
                    pass  # a failing disk: the index works the same, merging less often

    def _relax_fts_merging(self) -> None:
        """Inside a pass's transaction, once an import: IMPORT_AUTOMERGE, if the setting is
        FTS5's default."""
        row = self.conn.execute(
            "SELECT v FROM articles_fts_config WHERE k = 'automerge'"
        ).fetchone()
        given = None if row is None else row[0]
        if given in (None, FTS_AUTOMERGE):
            self._set_fts_automerge(IMPORT_AUTOMERGE)
            self._fts_merging = (given,)
        else:
            self._fts_merging = _RELAX_NOT_OURS

    def _set_fts_automerge(self, value: int) -> None:
        self.conn.execute(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', ?)", (value,)
        )

    @contextmanager
    def staging_session(self) -> Iterator[None]:
        """For an import's batches, one after the other on this connection: the pragmas of
        staging_write set once, not around every batch (six statements a batch), and put
        back before the publish. The statement journal of each insert (the spans' trigger
        needs one) is kept in memory: on disk, a batch of 1,000 articles took twice as long;
        a batch's journal is small.

        Foreign keys are not checked meanwhile: every id a batch's rows point at is one the
        same transaction has just given (insert_new_articles numbers the articles, and its
        spans, events and arguments take those ids and the ones SQLite returns), so the check
        could find nothing, and it cost a look-up of the article for each of the 200,000
        spans of doccano's corpus (0.1 s). Deleting a run's rows happens after the session,
        with the checks on.

        The page cache is STAGING_CACHE_KIB meanwhile: at SQLite's 2 MB, a full-text pass
        (megabytes of index) spilled its pages to the -wal file before its commit, and the
        pages of the articles a pass reads had been pushed out by the spans written since."""
        if self._staging_session:
            yield
            return
        conn = self.conn
        level = conn.execute("PRAGMA synchronous").fetchone()[0]
        temp = conn.execute("PRAGMA temp_store").fetchone()[0]
        keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = OFF")
        # Only SQLite's size in KiB smaller than ours is raised: one set in pages (positive)
        # is someone's choice, kept as it is.
        if cache < 0 and -cache < STAGING_CACHE_KIB:
            conn.execute(f"PRAGMA cache_size = {-STAGING_CACHE_KIB}")
        self._staging_session = True
        try:
            yield
        finally:
            self._staging_session = False
            # The session is never entered inside a transaction (synchronous can't change
            # there), so one open now is a batch's that an interrupt cut short before its
            # write() could roll it back: gone, or the pragmas below could not be put back
            # ("Safety level may not be changed inside a transaction" would replace the
            # interrupt, and foreign keys, the sync and the page cache stay the session's).
            self._roll_back()
            conn.execute(f"PRAGMA synchronous = {int(level)}")
            conn.execute(f"PRAGMA temp_store = {int(temp)}")
            conn.execute(f"PRAGMA foreign_keys = {int(keys)}")
            conn.execute(f"PRAGMA cache_size = {int(cache)}")

    def publish_import_run(
        self, run_id: int, grow_schema: Callable[[Schema], Schema] | None = None
    ) -> None:
        """Make the run's articles visible, in one short transaction with the schema the
        import grew (`grow_schema` builds it on the schema as it is now, so a change another
        connection made meanwhile is kept)."""
        with self.write():
            self.index_run_articles(run_id)  # what the import's last pass left, if anything
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
        """Remove a run that failed or was cancelled: its rows in transactions sized to hold
        the write lock about DISCARD_SECONDS each (all invisible, so nobody sees the removal
        happen), then the run itself. A run that was published is never touched: a failure
        (or Ctrl+C) after its publish committed leaves the import in."""
        conn = self.conn
        size = DISCARD_FIRST
        try:
            while True:
                started = time.perf_counter()
                with self.write():
                    state = conn.execute(
                        "SELECT state FROM import_runs WHERE id = ?", (run_id,)
                    ).fetchone()
                    if state is None or state[0] != STAGING:
                        break
                    ids = [
                        row[0]
                        for row in conn.execute(
                            "SELECT id FROM articles WHERE run_id = ? LIMIT ?", (run_id, size)
                        )
                    ]
                    if not ids:
                        conn.execute("DELETE FROM import_runs WHERE id = ?", (run_id,))
                        break
                    self._delete_articles(ids)
                size = _next_size(size, time.perf_counter() - started)
                self.let_writers_in()
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
        """Staging runs whose owner is gone (killed, crashed): on this host, its process (pid
        and exact start); elsewhere, or without that start, its batches stopped
        RUN_STALE_AFTER ago."""
        host, me, now = socket.gethostname(), os.getpid(), time.time()
        found = []
        for run_id, pid, owner, heartbeat in self.conn.execute(
            "SELECT id, pid, host, heartbeat FROM import_runs WHERE state = ?", (STAGING,)
        ).fetchall():
            run_host, _, token = (owner or "").partition(" ")
            stale = heartbeat is None or now - heartbeat > RUN_STALE_AFTER
            if run_host != host or not token:  # its pid can't tell: its batches can
                if stale and (run_host != host or pid != me):
                    found.append(run_id)
                elif run_host == host and pid == me and (self._run_key(), run_id) not in _ACTIVE:
                    found.append(run_id)
                elif run_host == host and pid != me and not _alive(pid, None):
                    found.append(run_id)
                continue
            if pid == me:
                if (self._run_key(), run_id) not in _ACTIVE:
                    found.append(run_id)
            elif not _alive(pid, token):
                found.append(run_id)
        return found

    def remove_abandoned_imports(self) -> int:
        """Remove what killed imports left behind; returns how many runs went."""
        runs = self.abandoned_import_runs()
        for run_id in runs:
            self.discard_import_run(run_id)
        return len(runs)
