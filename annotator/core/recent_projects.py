"""The list behind File › Open Recent: newest first, each project once however its path was
spelled, at most LIMIT. No Qt here; the window keeps the list in the user's settings."""

from __future__ import annotations

import os
from pathlib import Path

LIMIT = 10


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def remember(recent: list[str], path: str | Path, limit: int = LIMIT) -> list[str]:
    """`recent` with `path` moved (or added) to the front."""
    full = os.path.abspath(path)
    rest = [p for p in recent if _key(p) != _key(full)]
    return [full, *rest][:limit]


def forget(recent: list[str], path: str | Path) -> list[str]:
    return [p for p in recent if _key(p) != _key(str(path))]


def existing(recent: list[str]) -> list[str]:
    """The projects still there (a file moved or deleted is pruned from the menu)."""
    return [p for p in recent if Path(p).is_file()]
