"""Copies that open projects: File › Save a copy and `annotator backup` (save_copy; the copy
is checked before it takes the target's name), and the daily automatic backup, made on a
connection of its own (the window runs it in a thread). The copying itself is backups.py's."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from annotator.core.errors import AnnotatorError
from annotator.store import backups, disk, migrations
from annotator.store.project import ProjectStore


def save_copy(source: ProjectStore, out: str | Path, *, force: bool = False) -> Path:
    """Copy the open project `source` to `out`, consistent while others write; the copy must
    pass SQLite's integrity check and read as a project before it replaces `out`. Refuses to
    copy onto the project itself, or onto an existing file unless `force`. Give it a
    connection of its own (not the GUI's): the copy holds a read snapshot while it runs."""
    out = check_target(source.path, out, force=force)
    backups.copy_database(source.conn, out, lambda copy: check_copy(copy, out))
    return out


def backup_project(project: str | Path, out: str | Path, *, force: bool = False) -> Path:
    """`annotator backup`: copy the project file as it is. It is opened read-only and in
    whatever format it has, so a backup never upgrades the project (nor makes the backup
    kept before an upgrade) and never writes to it."""
    source = ProjectStore(project, read_only=True, as_it_is=True)
    try:
        return save_copy(source, out, force=force)
    finally:
        source.close()


def check_target(project: Path, out: str | Path, *, force: bool = False) -> Path:
    """Refuse a copy's target before any work: a folder, a missing folder, the project
    itself, an existing file (unless `force`), a place that can't be written."""
    out = Path(out)
    if out.is_dir():
        raise AnnotatorError(f"{out}: is a folder; give the name of the copy to write")
    if not out.parent.is_dir():
        raise AnnotatorError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and os.path.samefile(out, project):
        raise AnnotatorError(f"{out}: is the project itself; give another name for the copy")
    if out.exists() and not force:
        raise AnnotatorError(f"{out}: already exists; choose another name (or --force)")
    backups.refuse_hot_journal(out)  # (and again just before the copy takes its name)
    reason = disk.read_only_reason(out)
    if reason is not None:
        raise AnnotatorError(f"{out}: cannot write the copy: {reason}")
    return out


def check_copy(copy: sqlite3.Connection, out: Path) -> None:
    """Refuse a copy (on its own connection, before it takes `out`'s name) that fails SQLite's
    integrity check or does not read as an annotator project."""
    try:
        result = copy.execute("PRAGMA quick_check").fetchone()[0]
        if result == "ok":
            migrations.check(sqlite_utils.Database(copy, execute_plugins=False), str(out))
            copy.execute("SELECT count(*) FROM articles").fetchone()
    except (sqlite3.Error, AnnotatorError) as error:
        raise AnnotatorError(f"{out}: the copy does not open as a project ({error})") from error
    if result != "ok":
        raise AnnotatorError(f"{out}: the copy fails SQLite's integrity check ({result})")


def daily_backup(project: str | Path) -> Path | None:
    """The once-a-day backup, through a connection of its own (it runs in a worker thread):
    made if due and the project holds articles and is writable; returns where it went."""
    if not backups.daily_backup_due(project):
        return None
    store = ProjectStore(project)
    try:
        if store.read_only is not None or store.count_articles() == 0:
            return None
        return backups.automatic_backup(store, "")
    finally:
        store.close()
