"""What a failing or read-only disk means to the person: one place that turns SQLite's and the
operating system's errors into a message naming the file, the cause and what to do.

"Damaged" is said only when SQLite itself says the file is corrupt or not a database
(SQLITE_CORRUPT, SQLITE_NOTADB) or an integrity check fails: a full disk on open used to be
reported as "disk I/O error ... the file may be damaged", which sent people restoring backups
of perfectly good files.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from annotator.core.errors import AnnotatorError, DiskProblem, ProjectError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26

NOTHING_LOST = "nothing already saved was lost"


def read_only_reason(path: str | Path) -> str | None:
    """Why `path` (a project file, or where one would be created) can't be written, as words
    for the person; None when it looks writable. As root, permission bits don't stop writes
    (os.access says yes), but a read-only mount does."""
    path = Path(path)
    folder = path.parent
    try:
        if os.statvfs(path if path.exists() else folder).f_flag & os.ST_RDONLY:
            return f"the disk holding {folder} is mounted read-only"
    except OSError:
        return None  # the open will fail and say why
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path.name} is read-only"
    if not os.access(folder, os.W_OK):
        # WAL needs to create NAME.db-wal and NAME.db-shm beside the file.
        return f"the folder {folder} is read-only"
    return None


def almost_full(path: Path) -> bool:
    """Less than a megabyte free where `path` is: SQLite's WAL index alone takes 32 kB."""
    try:
        info = os.statvfs(path if path.exists() else path.parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < 1024 * 1024


def sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(error: BaseException) -> bool:
    return sqlite_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def is_read_only(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    return sqlite_code(error) in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN)


def explain(error: BaseException, path: str | Path) -> str | None:
    """The cause and what to do, for a disk-level failure on `path`; None if `error` is not
    one (a bug, a refusal) and the caller keeps its own message."""
    path = Path(path)
    code = sqlite_code(error)
    number = error.errno if isinstance(error, OSError) else None
    full = code == SQLITE_FULL or number in (errno.ENOSPC, errno.EDQUOT)
    if full or (code == SQLITE_IOERR and almost_full(path)):
        # SQLite reports a failed -shm or -wal allocation as an I/O error.
        return f"The disk holding {path} is full: free some space and try again; {NOTHING_LOST}."
    if code == SQLITE_IOERR or number == errno.EIO:
        return (
            f"The disk holding {path} reported an input/output error: check that the disk "
            f"(or USB stick, or network share) is still connected and healthy, then try "
            f"again; {NOTHING_LOST}."
        )
    if code == SQLITE_CANTOPEN and read_only_reason(path) is None:
        return (
            f"{path} can't be opened: the file or its folder can't be reached (moved, "
            f"removed, or no permission to read it). Check that it is there and readable; "
            f"{NOTHING_LOST}."
        )
    if code in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN) or number in (
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
    ):
        reason = read_only_reason(path) or "you may not write to it (permissions)"
        return (
            f"{path} can't be written: {reason}. Make it writable, or save a copy in a "
            f"writable folder; {NOTHING_LOST}."
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return (
            f"{path} is kept locked by another program (or another annotator window) for "
            f"too long: let it finish or close it, then try again; {NOTHING_LOST}."
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return f"{path} is damaged or is not an annotator project (SQLite: {error}). " + (
            backups_hint(path)
        )
    return None


def backups_hint(path: Path) -> str:
    folder = path.with_name(f"{path.stem}.backups")  # as store.backups names it
    if folder.is_dir():
        return f"Restore it from a backup: {folder} holds the automatic ones."
    return "If it is your project, restore it from a backup."


def disk_error(error: BaseException, path: str | Path, doing: str = "") -> AnnotatorError:
    """An error for the person: the explanation if it is a disk problem, else `doing` and the
    error as it is (an AnnotatorError keeps its own message)."""
    if isinstance(error, AnnotatorError):
        return error
    text = explain(error, path)
    if text is not None:
        return DiskProblem(f"{doing}: {text}" if doing else text)
    detail = getattr(error, "strerror", None) or str(error)
    return DiskProblem(f"{path}: {doing or 'failed'} ({detail})")


def open_error(error: sqlite3.Error, path: Path) -> ProjectError:
    """Why a project could not be opened: damaged only when SQLite says so."""
    text = explain(error, path)
    if text is None:
        text = f"{path}: cannot open the project ({error})"
    return ProjectError(f"Cannot open the project: {text}")
