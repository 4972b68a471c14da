"""Copies of a project: File › Save a copy, `annotator backup`, and the automatic rolling
backups kept in a folder beside the project (NAME.backups/NAME-YYYYMMDD-HHMMSS[-why].db).

Every copy goes through SQLite's online backup API in one step from a connection of its own:
that step reads one snapshot, so the copy is consistent while the app (or another process)
keeps writing, and in WAL mode a reader never blocks a writer, so no edit waits for a backup.
(Copying in several steps would restart whenever another connection writes in between.) The
copy is written to a hidden partial file beside the target and renamed at the end: a failure
never leaves half a backup under the target's name.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.store import disk

if TYPE_CHECKING:
    from annotator.store.project import ProjectStore

KEEP_KEY = "backups_kept"  # in meta: how many automatic backups to keep
DEFAULT_KEEP = 10
DAY = 24 * 3600


def backup_folder(project: str | Path) -> Path:
    project = Path(project)
    return project.with_name(f"{project.stem}.backups")


def copy_database(source: sqlite3.Connection, out: Path) -> None:
    """Copy what `source` sees, as one snapshot, to `out` (replaced whole at the end)."""
    partial = out.with_name(f".{out.name}.partial")
    _remove(partial)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
        os.replace(partial, out)
    except (sqlite3.Error, OSError) as error:
        raise disk.disk_error(error, out, f"Could not write the copy {out}") from error
    finally:
        _remove(partial)


def _remove(file: Path) -> None:
    for name in (file.name, f"{file.name}-wal", f"{file.name}-shm", f"{file.name}-journal"):
        try:
            file.with_name(name).unlink(missing_ok=True)
        except OSError:
            pass


def save_copy(source: ProjectStore, out: str | Path, *, force: bool = False) -> Path:
    """Copy the open project `source` to `out`, consistent while others write; the copy is
    opened as a project afterwards to check it. Refuses to copy onto the project itself, or
    onto an existing file unless `force`. Give it a connection of its own (not the GUI's):
    the copy holds a read snapshot while it runs."""
    out = check_target(source.path, out, force=force)
    copy_database(source.conn, out)
    check_copy(out)
    return out


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
    reason = disk.read_only_reason(out)
    if reason is not None:
        raise AnnotatorError(f"{out}: cannot write the copy: {reason}")
    return out


def check_copy(out: Path) -> None:
    from annotator.store.project import ProjectStore

    try:
        copy = ProjectStore(out, read_only=True)
        try:
            result = copy.conn.execute("PRAGMA quick_check").fetchone()[0]
            copy.count_articles()
        finally:
            copy.close()
    except (sqlite3.Error, AnnotatorError) as error:
        raise AnnotatorError(f"{out}: the copy does not open as a project ({error})") from error
    if result != "ok":
        raise AnnotatorError(f"{out}: the copy fails SQLite's integrity check ({result})")


def automatic_backup(store: ProjectStore, why: str = "") -> Path:
    """A rolling backup of the open project into its backups folder; the oldest beyond the
    project's setting are removed."""
    folder = backup_folder(store.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise disk.disk_error(error, folder, "Could not make an automatic backup") from error
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-{why}" if why else ""
    out = folder / f"{store.path.stem}-{stamp}{suffix}.db"
    n = 1
    while out.exists():  # two in one second (a migration, then the daily one)
        n += 1
        out = folder / f"{store.path.stem}-{stamp}{suffix}-{n}.db"
    copy_database(store.conn, out)
    prune(store.path, kept(store))
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


def kept(store: ProjectStore) -> int:
    try:
        return max(1, int(store.get_meta(KEEP_KEY) or DEFAULT_KEEP))
    except (ValueError, sqlite3.Error):
        return DEFAULT_KEEP


def set_kept(store: ProjectStore, keep: int) -> None:
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


def daily_backup(project: str | Path) -> Path | None:
    """The once-a-day backup, through a connection of its own (it runs in a worker thread):
    made if due and the project holds articles and is writable; returns where it went."""
    from annotator.store.project import ProjectStore

    if not daily_backup_due(project):
        return None
    store = ProjectStore(project)
    try:
        if store.read_only is not None or store.count_articles() == 0:
            return None
        return automatic_backup(store, "")
    finally:
        store.close()
