"""Where the shipped resources and seeds are, from a source checkout, an installed wheel or a
frozen desktop bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def _frozen_roots() -> tuple[Path, ...]:
    """A PyInstaller bundle unpacks its data into sys._MEIPASS (the _internal folder of a
    one-folder build); other freezers put it next to the executable."""
    if not getattr(sys, "frozen", False):
        return ()
    roots = [Path(sys.executable).resolve().parent]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    return tuple(roots)


_SOURCE_ROOT = Path(__file__).resolve().parent.parent
_SHARE = Path(sys.prefix) / "share" / "annotator"


def _roots() -> tuple[Path, ...]:
    return (*_frozen_roots(), _SOURCE_ROOT, _SHARE)


def resources_dir() -> Path:
    return _first_existing(*(root / "resources" for root in _roots()))


def seeds_dir() -> Path:
    return _first_existing(*(root / "seeds" for root in _roots()))


def default_schema_path() -> Path:
    return resources_dir() / "schemas" / "news.toml"
