"""sqlite-utils imported without numpy and pandas.

sqlite-utils imports numpy and pandas when they are installed (spaCy installs numpy), only to
map their number types to column types when it makes a table from Python values. The store
makes its tables from plain Python types (migrations.py), so that mapping is never used, and
numpy's import was a tenth of a second of every command's start (`annotator import` of a
small file included). Imported first by annotator.store; a process that has numpy already
(spaCy loaded first) gives it to sqlite-utils as usual.
"""

from __future__ import annotations

import sys

_HIDDEN = ("numpy", "pandas")

if "sqlite_utils" not in sys.modules:
    # None in sys.modules makes `import numpy` fail at once (ImportError, which sqlite-utils
    # expects when numpy is missing) without a half-imported numpy left behind.
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]
