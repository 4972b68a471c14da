"""Who is writing to the project: a small registry of writers (windows and long jobs).

A long job (an import, a suggestion run, training, a schema change) registers in a committed
row before it starts and removes it when it ends, so that anyone waiting for the write lock
can say what they wait for ("Waiting for the import of news.jsonl to finish…"). A window's row
is its claim to be the one writer window of the project. A row whose process is gone (same
host, pid dead) is ignored and cleaned up; a row from another host counts while its heartbeat
is fresh, since its pid can't be checked from here.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from annotator.store.base import StoreBase

WINDOW = "window"
STALE_AFTER = 90.0  # seconds without a heartbeat before another host's row is ignored
HOST = socket.gethostname()


@dataclass(frozen=True)
class Activity:
    id: int
    pid: int
    host: str
    kind: str  # window, import, suggest, train, schema, backup
    what: str  # "the import of news.jsonl", "another annotator window"
    started: float
    heartbeat: float

    def describe(self) -> str:
        where = f"pid {self.pid}" if self.host == HOST else f"pid {self.pid} on {self.host}"
        return f"{self.what} ({where})"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return False
    return True


def alive(activity: Activity, now: float | None = None) -> bool:
    """A row of another host counts while its heartbeat is fresh. On this host its process must
    be alive too, and a window (the one kind that beats) must also have beaten lately: after a
    reboot or a crash pids are given again, and a stale claim whose pid now belongs to some
    other process would keep every window read-only."""
    fresh = (now or time.time()) - activity.heartbeat < STALE_AFTER
    if activity.host == HOST:
        return pid_alive(activity.pid) and (fresh or activity.kind != WINDOW)
    return fresh


class ActivityQueries(StoreBase):
    """ProjectStore's registry of writers (a mixin)."""

    def activities(self) -> list[Activity]:
        """The live rows, newest first (dead ones are left for the next write to remove)."""
        try:
            rows = self.conn.execute(
                "SELECT id, pid, host, kind, what, started, heartbeat FROM activity "
                "ORDER BY started DESC, id DESC"
            ).fetchall()
        except sqlite3.OperationalError:  # a file from before the registry (read-only open)
            return []
        now = time.time()
        return [a for a in (Activity(*row) for row in rows) if alive(a, now)]

    def lock_holder(self, exclude: int | None = None) -> str:
        """Who most likely holds the write lock, in words: the newest live job, else another
        window, else an unnamed program (the sqlite3 shell, a backup tool)."""
        live = [a for a in self.activities() if a.id != exclude and a.id != self._own_window]
        jobs = [a for a in live if a.kind != WINDOW]
        if jobs or live:
            return (jobs or live)[0].describe()
        return "another program using the project file"

    def register_activity(self, kind: str, what: str) -> int:
        """A committed row saying this process is doing `what`; returns its id."""
        now = time.time()
        with self.write():
            self._remove_dead()
            cursor = self.conn.execute(
                "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (os.getpid(), HOST, kind, what, now, now),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def end_activity(self, activity_id: int) -> None:
        with self.write():
            self.conn.execute("DELETE FROM activity WHERE id = ?", (activity_id,))

    @contextmanager
    def activity(self, kind: str, what: str) -> Iterator[int]:
        """Registered for the length of the block, removed however it ends."""
        activity_id = self.register_activity(kind, what)
        try:
            yield activity_id
        finally:
            try:
                self.end_activity(activity_id)
            except Exception:  # a dead row is ignored by everyone anyway
                pass

    def heartbeat(self, activity_id: int) -> bool:
        """Say the row's process is still at it; False if its row is gone (judged dead)."""
        with self.write():
            cursor = self.conn.execute(
                "UPDATE activity SET heartbeat = ? WHERE id = ?", (time.time(), activity_id)
            )
        return cursor.rowcount > 0

    # -- the one writer window ----------------------------------------------------------------

    _own_window: int | None = None

    def claim_window(self) -> Activity | None:
        """Become the project's writer window: None when this store now holds the claim,
        else the live window that holds it. Checked and taken in one transaction, so two
        windows opening at once can't both win."""
        now = time.time()
        with self.write():
            self._remove_dead()
            for other in self.activities():
                if other.kind == WINDOW and other.id != self._own_window:
                    return other
            if self._own_window is None:
                cursor = self.conn.execute(
                    "INSERT INTO activity(pid, host, kind, what, started, heartbeat) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (os.getpid(), HOST, WINDOW, "another annotator window", now, now),
                )
                self._own_window = cursor.lastrowid
        return None

    def window_holder(self) -> Activity | None:
        """The live writer window other than ours, if any (a read only)."""
        for other in self.activities():
            if other.kind == WINDOW and other.id != self._own_window:
                return other
        return None

    def release_window(self) -> None:
        if self._own_window is not None:
            window, self._own_window = self._own_window, None
            self.end_activity(window)

    def forget_window(self) -> None:
        """Our claim's row is gone (judged dead by another host): claim anew, or yield."""
        self._own_window = None

    @property
    def own_window(self) -> int | None:
        return self._own_window

    def _remove_dead(self) -> None:
        self._inside_write()
        rows = self.conn.execute(
            "SELECT id, pid, host, kind, what, started, heartbeat FROM activity"
        ).fetchall()
        now = time.time()
        dead = [row[0] for row in rows if not alive(Activity(*row), now)]
        if dead:
            marks = ",".join("?" * len(dead))
            self.conn.execute(f"DELETE FROM activity WHERE id IN ({marks})", dead)
