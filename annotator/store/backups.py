"""Copies of a project, the mechanism: the copy itself, and the automatic rolling backups
kept in a folder beside the project (NAME.backups/NAME-YYYYMMDD-HHMMSS[-why].db). What opens
projects to copy them (Save a copy, `annotator backup`, the daily backup) is in copies.py.

Every copy goes through SQLite's online backup API in one step from a connection of its own:
that step reads one snapshot, so the copy is consistent while the app (or another process)
keeps writing, and in WAL mode a reader never blocks a writer, so no edit waits for a backup.
(Copying in several steps would restart whenever another connection writes in between.) The
copy is written to a hidden partial file beside the target (a name of its own, so that two
copies to one target at once don't write into each other), checked there, and renamed at the
end: a failure never leaves half a backup, or one that fails the check, under the target's name.
Nothing SQLite keeps beside a database (-wal, -shm, -journal) is left beside the copy: SQLite
would read a leftover -wal or -journal of the file replaced as part of the copy.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Protocol

from annotator.core.errors import AnnotatorError
from annotator.store import disk


class Source(Protocol):
    """What a backup needs of an open project (ProjectStore, which imports this module)."""

    path: Path
    conn: sqlite3.Connection

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


KEEP_KEY = "backups_kept"  # in meta: how many automatic backups to keep
DEFAULT_KEEP = 10
DAY = 24 * 3600


def backup_folder(project: str | Path) -> Path:
    project = Path(project)
    return project.with_name(f"{project.stem}.backups")


JOURNALS = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a database file


def copy_database(
    source: sqlite3.Connection,
    out: Path,
    check: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Copy what `source` sees, as one snapshot, to `out` (replaced whole at the end).
    check(connection to the copy) runs before the copy takes `out`'s place, and raises to
    refuse it."""
    with _partial_copy(source, out, check) as partial:
        refuse_hot_journal(out)
        _remove_journals(out)
        os.replace(partial, out)


@contextmanager
def _partial_copy(
    source: sqlite3.Connection,
    out: Path,
    check: Callable[[sqlite3.Connection], None] | None = None,
) -> Iterator[Path]:
    """The copy, checked, in a hidden file of its own beside `out`, for the block to put in
    place; removed when the block ends."""
    partial = out.with_name(f".{out.name}.{secrets.token_hex(6)}.partial")
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            if check is not None:
                check(target)
        finally:
            target.close()  # the last connection: SQLite removes the partial's -wal, -shm
        yield partial
    except (sqlite3.Error, OSError) as error:
        raise disk.disk_error(error, out, f"Could not write the copy {out}") from error
    finally:
        _remove(partial)


def refuse_hot_journal(out: Path) -> None:
    """Refuse to replace `out` while a -wal or -journal beside it holds writes not yet in it:
    a program has it open, or was killed before it was closed, and SQLite would apply those
    writes to whatever file takes its name."""
    for suffix in ("-wal", "-journal"):
        journal = out.with_name(out.name + suffix)
        try:
            hot = journal.stat().st_size > 0
        except OSError:
            continue  # none there
        if hot:
            raise AnnotatorError(
                f"{out}: cannot replace it: {journal.name} beside it holds changes not yet "
                "written into it (a program has it open, or was stopped before it could close "
                f"it). Close that program, or if it was stopped, open {out.name} once and "
                "close it again; then try again, or choose another name for the copy."
            )
    _refuse_if_open(out)


def _refuse_if_open(out: Path) -> None:
    """A -shm beside `out` may be a program's open WAL index (SQLite removes it on the last
    close) or what a killed one left. Switching the file out of WAL mode tells them apart: it
    needs every other connection gone, and closes a left-over one cleanly. A program with it
    open would go on writing to the file replaced, its edits lost without a word."""
    if not out.with_name(out.name + "-shm").exists():
        return
    try:
        conn = sqlite3.connect(out, timeout=0, isolation_level=None)
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        mode = None
    if mode != "delete":
        raise AnnotatorError(
            f"{out}: cannot replace it: a program has it open (or was stopped before it could "
            f"close it). Close that program, or if it was stopped, open {out.name} once and "
            "close it again; then try again, or choose another name for the copy."
        )


def _remove_journals(file: Path) -> None:
    """Remove what SQLite left beside `file` once nothing in it is needed (refuse_hot_journal
    has said so): an empty -wal and its -shm index, an empty -journal."""
    for suffix in JOURNALS:
        file.with_name(file.name + suffix).unlink(missing_ok=True)


def _remove(file: Path) -> None:
    for name in (file.name, *(file.name + suffix for suffix in JOURNALS)):
        try:
            file.with_name(name).unlink(missing_ok=True)
        except OSError:
            pass


def automatic_backup(store: Source, why: str = "") -> Path:
    """A rolling backup of the open project into its backups folder; the oldest beyond the
    project's setting are removed."""
    folder = backup_folder(store.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise disk.disk_error(error, folder, "Could not make an automatic backup") from error
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-{why}" if why else ""
    name = f"{store.path.stem}-{stamp}{suffix}"
    with _partial_copy(store.conn, folder / f"{name}.db") as partial:
        out = _put_as_new(partial, folder, name)
    prune(store.path, kept(store))
    return out


def _put_as_new(partial: Path, folder: Path, name: str) -> Path:
    """Give the copy a name no other backup has: NAME.db, else NAME-2.db, ... Two backups in
    one second (a migration, then the daily one; or two processes) each keep their own: a
    hard link never replaces a file. Where the disk has no hard links (FAT), the name is
    checked first."""
    n = 1
    while True:
        out = folder / (f"{name}.db" if n == 1 else f"{name}-{n}.db")
        try:
            os.link(partial, out)
            return out
        except FileExistsError:
            n += 1
        except OSError:  # no hard links here
            if out.exists():
                n += 1
                continue
            os.replace(partial, out)
            return out


def automatic_backups(project: str | Path) -> list[Path]:
    """The automatic backups of `project`, oldest first."""
    folder = backup_folder(project)
    if not folder.is_dir():
        return []
    stem = Path(project).stem
    found = [p for p in folder.glob(f"{stem}-*.db") if _is_stamped(p.name[len(stem) + 1 :])]
    return sorted(found, key=_age)


def _age(path: Path) -> tuple[int, str]:
    try:
        return path.stat().st_mtime_ns, path.name
    except OSError:
        return 0, path.name


def _is_stamped(rest: str) -> bool:
    return len(rest) >= 15 and rest[:8].isdigit() and rest[8] == "-" and rest[9:15].isdigit()


def prune(project: str | Path, keep: int) -> list[Path]:
    removed = []
    found = automatic_backups(project)
    for old in found[: max(0, len(found) - keep)]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass  # kept one more than asked; not worth failing a backup over
    return removed


def kept(store: Source) -> int:
    try:
        return max(1, int(store.get_meta(KEEP_KEY) or DEFAULT_KEEP))
    except (ValueError, sqlite3.Error):
        return DEFAULT_KEEP


def set_kept(store: Source, keep: int) -> None:
    if keep < 1:
        raise AnnotatorError("--keep: keep at least 1 automatic backup")
    store.set_meta(KEEP_KEY, str(keep))
    prune(store.path, keep)


def daily_backup_due(project: str | Path, now: float | None = None) -> bool:
    """True if the newest automatic backup is a day old or there is none."""
    backups = automatic_backups(project)
    if not backups:
        return True
    try:
        newest = backups[-1].stat().st_mtime
    except OSError:
        return True
    return (now or time.time()) - newest >= DAY
