"""Where the shipped resources and seeds are, from a source checkout, an installed wheel or a
frozen desktop bundle."""

from __future__ import annotations

import site
import sys
from pathlib import Path

# A root is ours when it holds this file: a bare `resources` folder next to site-packages may
# be another package's.
_MARK = Path("resources") / "schemas" / "news.toml"


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


def _installed_roots() -> tuple[Path, ...]:
    """Where pip puts a wheel's data files: under the environment's prefix, or under the user
    base for `pip install --user` (what pip falls back to outside a virtual environment)."""
    roots = [Path(sys.prefix) / "share" / "annotator"]
    user_base = site.getuserbase()
    if user_base:
        roots.append(Path(user_base) / "share" / "annotator")
    return tuple(roots)


def _roots() -> tuple[Path, ...]:
    return (*_frozen_roots(), _SOURCE_ROOT, *_installed_roots())


def _root() -> Path:
    roots = _roots()
    # None found: the first place, which the error about the missing schema then names.
    return next((root for root in roots if (root / _MARK).is_file()), roots[0])


def resources_dir() -> Path:
    return _root() / "resources"


def seeds_dir() -> Path:
    return _root() / "seeds"


def default_schema_path() -> Path:
    return resources_dir() / "schemas" / "news.toml"
