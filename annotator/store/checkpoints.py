"""WAL checkpoints off the window's thread.

SQLite runs an automatic checkpoint inside the commit that finds the -wal file past 1,000 pages:
in a window, that is an edit's commit copying pages an import wrote, tens of milliseconds on
the GUI thread while jobs run. A window's connection therefore doesn't checkpoint itself; this
thread does it every few seconds on a connection of its own, PASSIVE (it never waits for, nor
blocks, a reader or a writer). Jobs keep SQLite's automatic checkpoints: they have no frames to
draw. Closing the project still checkpoints (TRUNCATE), so a copied .db is complete.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

INTERVAL = 3.0  # seconds between two checkpoints


class BackgroundCheckpoints:
    def __init__(self, path: Path, interval: float = INTERVAL):
        self.path = path
        self.interval = interval
        self.done = 0  # checkpoints run (for tests)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        conn = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if conn is None:
                        conn = sqlite3.connect(self.path, isolation_level=None)
                        conn.execute("PRAGMA busy_timeout = 0")
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.done += 1
                except sqlite3.Error:
                    pass  # busy, or a failing disk: the edits are safe in the -wal all the same
        finally:
            if conn is not None:
                conn.close()
