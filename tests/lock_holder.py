"""Another process that holds a project's write lock for a while, as a CLI import or a
suggestion job would: it registers in the project's registry of writers first (so waiting
writers can name it), prints "locked" once it holds the lock, and lets go after `seconds`, or
sooner when told to (until_told: release() closes its stdin)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOLD = """
import sqlite3, sys, time
from annotator.store.project import ProjectStore
path, seconds, what, before = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
until_told = sys.argv[5] == "1"
store = ProjectStore(path)
activity = store.register_activity("import", what) if what else None
conn = sqlite3.connect(path, isolation_level=None)
if before:
    conn.execute(before)  # committed (autocommit) just before the lock is taken
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'schema'")
print("locked", flush=True)
if until_told:  # stdin is the test's pipe: readable once the test closes it
    import select
    select.select([sys.stdin], [], [], seconds)
else:
    time.sleep(seconds)
conn.execute("COMMIT")
if activity is not None:
    store.end_activity(activity)
print("released", flush=True)
"""


def hold_lock(
    path: Path, seconds: float, what: str = "", before: str = "", until_told: bool = False
) -> subprocess.Popen:
    """Start the holder and return once it holds the lock; `before`: one SQL statement it
    commits just before taking the lock; `until_told`: it lets go at release(holder), or after
    `seconds` at the latest."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds), what, before, "1" if until_told else "0"],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE if until_told else None,
        text=True,
    )
    assert holder.stdout is not None
    line = holder.stdout.readline()
    assert line.strip() == "locked", line
    return holder


def release(holder: subprocess.Popen) -> None:
    """Tell a holder started with until_told to let go now."""
    assert holder.stdin is not None, "started without until_told"
    holder.stdin.close()
