"""Where the shipped resources and seeds are, from a source checkout or an installed wheel."""

from __future__ import annotations

import sys
from pathlib import Path


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


_SOURCE_ROOT = Path(__file__).resolve().parent.parent
_SHARE = Path(sys.prefix) / "share" / "annotator"


def resources_dir() -> Path:
    return _first_existing(_SOURCE_ROOT / "resources", _SHARE / "resources")


def seeds_dir() -> Path:
    return _first_existing(_SOURCE_ROOT / "seeds", _SHARE / "seeds")


def default_schema_path() -> Path:
    return resources_dir() / "schemas" / "news.toml"
