"""SQLite storage through sqlite-utils: one project, one file. No Qt here."""

from annotator.store.project import ProjectStore, open_project

__all__ = ["ProjectStore", "open_project"]
