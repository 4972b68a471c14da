"""The project file: articles, spans, the label schema, all in one SQLite database.

This module opens and closes it (read-write, or read-only when the file, folder or disk
can't be written; migrations; checkpoints) and assembles ProjectStore from one class per
concern: the write path (write_path), articles, spans, events, suggestions, imports, ...

Every public write method is one transaction, committed before it returns, so whatever the
caller reports as saved is on disk (WAL, synchronous=FULL: a kill or a power cut loses nothing
acknowledged). Hot paths (open, switch article, add a span) touch rows by key only.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from annotator.core.errors import (
    AnnotatorError,
    ProjectBusy,
    ProjectError,
)
from annotator.core.schema import Schema, load_schema
from annotator.paths import default_schema_path
from annotator.store import backups, checkpoints, disk, migrations
from annotator.store.activity import ActivityQueries
from annotator.store.annotation_meta import AnnotationMetaQueries
from annotator.store.articles import ArticleQueries
from annotator.store.checkpoints import BackgroundCheckpoints
from annotator.store.events import EventQueries
from annotator.store.export_chunks import ExportChunkQueries
from annotator.store.exports import ExportQueries
from annotator.store.gold_fill import GoldFill
from annotator.store.import_runs import ImportRuns
from annotator.store.imports import ImportQueries
from annotator.store.jobs import JobQueries
from annotator.store.layers import LayerQueries
from annotator.store.occurrences import OccurrenceQueries
from annotator.store.reading_places import ReadingPlaces
from annotator.store.schema_changes import SchemaChanges
from annotator.store.spans import SpanQueries
from annotator.store.stats import StatsQueries
from annotator.store.suggestions import SuggestionQueries
from annotator.store.undo_log import UndoLogQueries
from annotator.store.write_path import (  # the names other layers import from here
    BUSY_TIMEOUT_MS,
    WAIT_LIMIT,
    Waiting,
    WritePath,
    is_busy,
)

__all__ = ["BUSY_TIMEOUT_MS", "WAIT_LIMIT", "ProjectStore", "Waiting", "is_busy", "open_project"]


# Pages of -wal (4 KB each) an import lets grow before SQLite checkpoints after a commit
# (PASSIVE: it waits for no one and blocks no one): 64 MB.
IMPORT_CHECKPOINT_PAGES = 16_384


def open_project(
    path: str | Path, schema: Schema | None = None, *, read_only: bool = False
) -> ProjectStore:
    """Open a project file, creating it (with `schema`, or the default news schema) if absent."""
    return ProjectStore(path, schema, read_only=read_only)


class ProjectStore(
    WritePath,
    SpanQueries,
    ArticleQueries,
    EventQueries,
    LayerQueries,
    SuggestionQueries,
    ImportQueries,
    ImportRuns,
    ExportQueries,
    ExportChunkQueries,
    SchemaChanges,
    StatsQueries,
    JobQueries,
    ActivityQueries,
    UndoLogQueries,
    ReadingPlaces,
    OccurrenceQueries,
    GoldFill,
    AnnotationMetaQueries,
):
    def __init__(
        self,
        path: str | Path,
        schema: Schema | None = None,
        *,
        read_only: bool = False,
        waiting: Waiting | None = None,
        as_it_is: bool = False,
    ):
        """Open (or create) the project at `path`. A file that can't be written (a read-only
        file, folder or disk) opens read-only: browse, search and export work, and
        `read_only` says why nothing can be saved. read_only=True forces that (SQLite's
        mode=ro: nothing can write). waiting(holder, seconds): called while a write waits
        for another writer's lock. as_it_is=True (read-only too) also opens a project in an
        older format without upgrading it: to copy the file as it is (a backup), since this
        annotator's queries need the current format."""
        self.path = Path(path)
        self.annotator: str | None = None  # set by the window or the CLI (StoreBase says why)
        self.read_layer: str | None = None  # (StoreBase says why)
        self._lock_key = str(self.path.resolve())  # one file, however its path is spelled
        # Why writes are refused (shown in the window's banner), or None when writable.
        self.read_only: str | None = None
        self._opened_read_only = False  # the connection itself can't write (mode=ro)
        self.waiting = waiting
        self.wait_limit = WAIT_LIMIT
        self._snapshot: Path | None = None  # a private copy opened instead (see _open_read_only)
        self._checkpoints: BackgroundCheckpoints | None = None
        self._as_it_is = as_it_is
        read_only = read_only or as_it_is
        self._closed = False
        existed = self.path.exists() and self.path.stat().st_size > 0
        if not existed and not self.path.parent.is_dir():
            raise ProjectError(f"{self.path}: the folder {self.path.parent} does not exist")
        reason = f"{self.path} is open read-only" if read_only else disk.read_only_reason(self.path)
        if reason is not None and not existed:
            raise ProjectError(f"{self.path}: cannot create the project: {reason}")
        self.db: sqlite_utils.Database | None = None
        self._schema: Schema | None = None
        self._schema_raw: str | None = None  # the stored text _schema was read from
        try:
            self._connect(reason, existed)
            if self.get_meta("schema") is None and self.read_only is None:
                self.set_schema(schema or load_schema(default_schema_path()))
            # What an import killed mid-way left stays: it is invisible, and removing it here
            # made the open a write (a full disk could not open the project at all) and took
            # seconds on the window's thread. The next import removes it (import_runs.py).
        except sqlite3.DatabaseError as error:
            self._close_quietly()
            if is_busy(error):  # not damage: someone holds a lock longer than we wait
                raise ProjectBusy(
                    f"{self.path}: cannot open the project: another program kept it locked "
                    f"({error}); try again when it has finished"
                ) from error
            raise disk.open_error(error, self.path) from error
        except OSError as error:
            self._close_quietly()
            problem = disk.disk_error(error, self.path)
            raise ProjectError(f"Cannot open the project: {problem}") from error
        except AnnotatorError:  # refused, or a disk problem already put in words
            self._close_quietly()
            raise

    def _connect(self, reason: str | None, existed: bool) -> None:
        """Read-write unless `reason` says why not; a file that looked writable yet is
        refused falls back to read-only."""
        if reason is None:
            try:
                self._open_read_write()
                return
            except sqlite3.OperationalError as error:
                # Writable by the looks of it, yet refused (permissions we can't see, a
                # medium that went read-only): fall back if there is a file to read.
                if not existed or not disk.is_read_only(error):
                    raise
                self._close_quietly()
                reason = disk.read_only_reason(self.path) or "the file can't be written"
        self._open_read_only(reason)

    def _open_read_write(self) -> None:
        # No sqlite-utils plugins (here and below): the store uses none, and finding them
        # read every installed package's entry points, 10-20 ms of each command's start.
        self.db = db = sqlite_utils.Database(self.path, execute_plugins=False)
        self._opened_read_only = False
        conn: sqlite3.Connection = db.conn
        self._configure(conn)
        self._check_read_only_first()
        # Checked before WAL is switched on: that setting is written into the file, and a
        # file we refuse (another program's database) must be left as it was.
        version = migrations.check(db, str(self.path))
        db.enable_wal()
        conn.execute("PRAGMA synchronous = FULL")
        self.conn = conn  # the write path below works on it
        if 1 <= version < migrations.SCHEMA_VERSION:
            # A file with data about to change format: keep it as it was first. No backup, no
            # upgrade: the file stays as it was, and the message says why.
            try:
                backups.automatic_backup(self, f"before-migration-{version + 1}")
            except AnnotatorError as error:
                raise ProjectError(
                    f"{self.path}: this project must be upgraded to this annotator's format, "
                    f"and the backup made first could not be written. {error}"
                ) from error
        migrations.migrate(db, str(self.path), self.write)

    def _check_read_only_first(self) -> None:
        """Refuse a file that is not a project of ours (or is a newer one) on a read-only
        connection when a -wal file lies beside it: closing a read-write connection would
        move what the -wal holds into the file (a checkpoint), and a refused file must be
        left byte for byte. Without a -wal the read-write check changes nothing, and a
        read-only connection would leave a -wal and -shm behind."""
        if not self.path.with_name(self.path.name + "-wal").exists():
            return
        conn = self._connect_read_only("mode=ro")
        try:
            migrations.check(sqlite_utils.Database(conn, execute_plugins=False), str(self.path))
        finally:
            conn.close()

    def _open_read_only(self, reason: str) -> None:
        """SQLite's read-only mode. A WAL file needs its -shm index, which a read-only
        folder or disk can't have created: then, if no committed edits wait in a -wal file,
        the file is opened as immutable (nothing can change it there); if some do, a private
        copy of the file and its -wal is opened instead, so that no saved edit is hidden."""
        self.read_only = reason
        self._opened_read_only = True
        wal = self.path.with_name(self.path.name + "-wal")
        # A copy as it is (a backup) reads a file that can be written, with no -wal beside
        # it, through a read-write connection: closing it removes the -wal and -shm it made,
        # where a mode=ro one leaves them beside the project. Nothing writes through it
        # (self.read_only refuses writes) and its close has nothing of its own to checkpoint.
        plain = self._as_it_is and not wal.exists() and disk.read_only_reason(self.path) is None
        conn = self._connect_read_only("mode=rw" if plain else "mode=ro")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            conn.close()
            # CANTOPEN (no -shm on a read-only disk), READONLY_DIRECTORY (a read-only folder)
            if disk.sqlite_code(error) not in (disk.SQLITE_CANTOPEN, disk.SQLITE_READONLY):
                raise
            if wal.exists() and wal.stat().st_size > 0:
                conn = self._open_snapshot(wal)
            else:
                conn = self._connect_read_only("mode=ro&immutable=1")
        self.db = db = sqlite_utils.Database(conn, execute_plugins=False)
        self._configure(conn)
        version = migrations.check(db, str(self.path))
        if version < migrations.SCHEMA_VERSION and not self._as_it_is:
            raise ProjectError(
                f"{self.path}: this project is in an older format that this annotator must "
                f"upgrade first, which it can't do read-only ({reason}). Copy it to a "
                "writable folder, or make it writable, and open it again."
            )
        self.conn = conn

    def _connect_read_only(self, query: str) -> sqlite3.Connection:
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?{query}", uri=True)

    def _open_snapshot(self, wal: Path) -> sqlite3.Connection:
        """The private copy, in the temporary folder: a failure there (a full temporary
        folder) is named as such, not blamed on the project's disk."""
        temp = Path(tempfile.gettempdir())
        try:
            self._snapshot = Path(tempfile.mkdtemp(prefix="annotator-read-only-"))
            copy = self._snapshot / self.path.name
            shutil.copyfile(self.path, copy)
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            conn = sqlite3.connect(copy)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # makes its -shm
            except sqlite3.Error:
                conn.close()
                raise
            return conn
        except (OSError, sqlite3.Error) as error:
            if self._snapshot is not None:
                shutil.rmtree(self._snapshot, ignore_errors=True)
                self._snapshot = None
            raise disk.disk_error(
                error,
                temp,
                f"Could not open {self.path} read-only: its saved edits in {wal.name} are read "
                f"from a private copy in the temporary folder {temp}, which failed",
            ) from error

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        # Autocommit: no statement ever opens a transaction behind write()'s back, where
        # every later "committed" edit would silently join it and a kill would lose them.
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")

    def checkpoint_in_background(self) -> None:
        """For a window: its commits no longer run SQLite's automatic checkpoint (a frame's
        worth of copying on the GUI thread while an import writes); a thread of its own does
        it (store/checkpoints.py)."""
        if self.read_only is not None or self._checkpoints is not None:
            return
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._checkpoints = BackgroundCheckpoints(self.path, checkpoints.INTERVAL)
        self._checkpoints.start()

    @contextmanager
    def checkpoints_deferred(self) -> Iterator[None]:
        """For an import's batches: an automatic checkpoint only once the -wal file passes
        IMPORT_CHECKPOINT_PAGES (after each commit at SQLite's 1,000 pages, a quarter of an
        import's time went to them), one PASSIVE checkpoint at the end (it neither waits for
        nor blocks anyone). None at all left 4 GB of -wal after 100,000 articles, each page
        read looking through all of it. A window checkpoints on a thread of its own meanwhile
        (checkpoint_in_background), and its own commits never run one."""
        if self._checkpoints is not None:  # a window's store: its thread does it already
            yield
            return
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")
        try:
            yield
        finally:
            try:
                self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
            except sqlite3.Error:
                pass
            self._checkpoint_now("PASSIVE")

    def stop_background_checkpoints(self) -> None:
        """The window closes: back to SQLite's own checkpoints for whoever uses the store."""
        if self._checkpoints is not None:
            self._checkpoints.stop()
            self._checkpoints = None
            try:
                self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
            except sqlite3.Error:
                pass  # closed already: nothing left to checkpoint from here

    def close(self) -> None:
        """Close the connection, first moving every committed edit from the -wal file into
        the .db file (best effort: a reader elsewhere may keep it from truncating), so that
        a copy of the .db alone is complete."""
        if self._closed:
            return
        self._closed = True
        self.stop_background_checkpoints()
        self.checkpoint()
        self.conn.close()
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot, ignore_errors=True)

    def checkpoint(self) -> None:
        """Copy the -wal file's edits into the .db file and empty it, without waiting: with
        no busy timeout, a TRUNCATE checkpoint that meets another connection's reader or
        writer does what it can and returns, where waiting would hold the write lock and keep
        the window (or another process) from saving an edit for seconds."""
        if self.read_only is not None:
            return
        self._checkpoint_now("TRUNCATE")

    def _checkpoint_now(self, mode: str) -> None:
        """A checkpoint that never waits (busy_timeout 0 around it), best effort."""
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error:
            pass  # busy or a failing disk: the edits are safe in the -wal file all the same

    # -- read-only and back ------------------------------------------------------------------

    def set_read_only(self, reason: str | None) -> None:
        """Refuse writes from now on, saying `reason` (None: accept them again). The
        connection stays as it is: a window that another window keeps read-only still reads
        the file live, and becomes writable without reopening it."""
        if reason is None and self._opened_read_only:
            self.make_writable()
            return
        self.read_only = reason

    def make_writable(self) -> None:
        """Reopen the file read-write (a read-only window taking over as the writer).
        Raises ProjectError when the file can't be written after all."""
        self.conn.close()
        self.read_only = None
        try:
            self._open_read_write()
        except sqlite3.DatabaseError as error:
            self._close_quietly()
            self._open_read_only(disk.read_only_reason(self.path) or "the file can't be written")
            raise ProjectError(f"{self.path}: cannot be opened for writing ({error})") from error
        self._schema = None

    def needs_upgrade(self) -> bool:
        """The file is in an older format than this annotator's (opened as_it_is)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0] < migrations.SCHEMA_VERSION

    def _close_quietly(self) -> None:
        if self.db is not None:
            try:
                self.db.conn.close()
            except sqlite3.Error:
                pass
            self.db = None
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot, ignore_errors=True)
            self._snapshot = None

    # -- settings stored in the project ------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            raw = self.get_meta("schema")
            if raw is None:  # set when the project is created; gone only if someone removed it
                raise ProjectError(f"{self.path}: the project has no label schema")
            self._schema = Schema.from_dict(json.loads(raw), source=f"{self.path} (schema)")
            self._schema_raw = raw
        return self._schema

    def current_schema(self) -> Schema:
        """The schema as stored now, parsed again only if its text changed (an import asks
        at each file's start and publish: parsing it twice a file was a fifth of importing a
        folder of small files)."""
        if self._schema is not None and self.get_meta("schema") == self._schema_raw:
            return self._schema
        return self.reload_schema()

    def reload_schema(self) -> Schema:
        """Read the schema again (another connection, e.g. an import, may have changed it)."""
        self._schema = None
        return self.schema

    def set_schema(self, schema: Schema) -> None:
        raw = json.dumps(schema.to_dict())
        self.set_meta("schema", raw)
        self._schema, self._schema_raw = schema, raw
