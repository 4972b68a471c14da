"""The undo history in the project file (table undo_log, migration 0006).

The window logs each edit inside the edit's own transaction, and marks it undone or done
again inside the undo's or redo's, so the log never disagrees with the rows: an
acknowledged edit has its entry, a failed one has none. What the entries mean is the core's
business (annotator.core.edit_log); here they are rows.

Kept cheap on the edit path: the undone tail is found through a partial index (usually
empty), and the bound trims by key below the newest seq. Seqs count up without gaps, since
the undone tail is dropped before the next edit takes the seq after the last done one; an
entry is therefore named by its seq and the time it was made, so a command still holding
the seq of a dropped entry (another window made an edit) never marks a newer one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

from annotator.core.edit_checks import ids_named
from annotator.core.edit_log import UNDO_LIMIT, LogEntry, UnreadableEdit, decode
from annotator.store.base import StoreBase

# Tables whose rows an undo may need, looked up by key (never a name from elsewhere in SQL).
_KEYED = ("articles", "spans", "events", "event_arguments")


def highest_ids_named(conn: sqlite3.Connection) -> dict[str, int]:
    """The largest id of each table that an entry of the undo log names: rows an undo or redo
    may put back, which no new row must take (migration 0008 starts ids above them). Entries
    this version cannot read are passed over: their undo is refused anyway."""
    highest: dict[str, int] = {}
    for (payload,) in conn.execute("SELECT payload FROM undo_log"):
        try:
            named = ids_named(decode(payload))
        except UnreadableEdit:
            continue
        for table, ids in named.items():
            ints = [i for i in ids if isinstance(i, int)]  # a damaged entry may hold others
            if ints:
                highest[table] = max(highest.get(table, 0), *ints)
    return highest


class UndoLogQueries(StoreBase):
    def log_edit(self, description: str, payload: dict) -> tuple[int, float]:
        """Log a new edit (call inside the edit's write): the undone tail goes, as on the
        undo stack, and the oldest entry beyond UNDO_LIMIT. Returns the entry's seq and time."""
        self._inside_write()
        self.conn.execute("DELETE FROM undo_log WHERE done = 0")
        made = time.time()
        seq = self.conn.execute(
            "INSERT INTO undo_log (description, payload, done, made) VALUES (?, ?, 1, ?)",
            (description, json.dumps(payload, ensure_ascii=False), made),
        ).lastrowid
        assert seq is not None
        self.conn.execute("DELETE FROM undo_log WHERE seq <= ?", (seq - UNDO_LIMIT,))
        return seq, made

    def mark_logged(self, seq: int, made: float, done: bool, payload: dict | None = None) -> bool:
        """An undo (done=False) or redo (done=True, with the edit as it now stands) of a logged
        edit, inside its write. False if the entry is gone (trimmed, or dropped by another
        window's edit)."""
        self._inside_write()
        if payload is None:
            cursor = self.conn.execute(
                "UPDATE undo_log SET done = ? WHERE seq = ? AND made = ?", (int(done), seq, made)
            )
        else:
            cursor = self.conn.execute(
                "UPDATE undo_log SET done = ?, payload = ? WHERE seq = ? AND made = ?",
                (int(done), json.dumps(payload, ensure_ascii=False), seq, made),
            )
        return cursor.rowcount > 0

    def undo_log(self) -> list[LogEntry]:
        """The entries, oldest first (at most UNDO_LIMIT), their payloads as stored."""
        rows = self.conn.execute(
            "SELECT seq, description, payload, done, made FROM undo_log ORDER BY seq DESC LIMIT ?",
            (UNDO_LIMIT,),
        ).fetchall()
        return [
            LogEntry(seq, description, payload, bool(done), made)
            for seq, description, payload, done, made in reversed(rows)
        ]

    def clear_undo_log(self) -> None:
        with self.write():
            self.conn.execute("DELETE FROM undo_log")

    def present(self, table: str, ids: Iterable[int]) -> set[int]:
        """Which of these ids `table` holds (by primary key)."""
        if table not in _KEYED:
            raise ValueError(f"not a table of rows an edit writes: {table!r}")
        ids = list(ids)
        found: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            )
        return found
