"""SQLite storage through sqlite-utils: one project, one file. No Qt here."""

# First: sqlite-utils without numpy (sqlite_utils_quick says why).
from annotator.store import sqlite_utils_quick  # noqa: F401
from annotator.store.project import ProjectStore, open_project

__all__ = ["ProjectStore", "open_project"]
