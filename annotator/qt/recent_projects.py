"""The projects this person opened, newest first, in their own settings (File › Open Recent,
and the project `annotator` reopens when started without one)."""

from __future__ import annotations

from pathlib import Path

from annotator.core import recent_projects
from annotator.qt.user_settings import user_settings

KEY = "projects/recent"


def recent() -> list[str]:
    value = user_settings().value(KEY, [])
    # QSettings gives a lone string for a one-item list in some back ends (INI files).
    if isinstance(value, str):
        return [value] if value else []
    return [str(path) for path in value or []]


def remember(path: str | Path) -> None:
    user_settings().setValue(KEY, recent_projects.remember(recent(), path))


def forget(path: str | Path) -> None:
    user_settings().setValue(KEY, recent_projects.forget(recent(), path))


def last_project() -> Path | None:
    """The newest project still there, if any."""
    there = recent_projects.existing(recent())
    return Path(there[0]) if there else None
