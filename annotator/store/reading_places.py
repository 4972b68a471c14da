"""Where the person was in each article (the offset at the top of the view), kept in the
project's meta table so that it survives a restart: one row per article read, written when
the article is left or the window closes, never while scrolling (a mixin of ProjectStore)."""

from __future__ import annotations

import sqlite3

from annotator.core.errors import AnnotatorError
from annotator.store.base import StoreBase

PLACE = "reading_place:"  # meta key prefix: reading_place:<article id> -> offset
LAST_PLACE = "last_place"  # the article open when the project was left, and its selection (JSON)


class ReadingPlaces(StoreBase):
    """ProjectStore's reading places (a mixin)."""

    wait_limit: float
    read_only: str | None

    def reading_place(self, article_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (f"{PLACE}{article_id}",)
        ).fetchone()
        try:
            return int(row[0]) if row else None
        except ValueError:  # edited by hand: no place rather than no article
            return None

    def save_reading_places(self, places: dict[int, int]) -> bool:
        """Save places in one short transaction, without waiting: if another program holds
        the write lock (an import), or the project is read-only, nothing is written and False
        says to keep them for the next try. A place is not worth making anyone wait."""
        if not places:
            return False
        return self._put_meta_now(
            [(f"{PLACE}{article}", str(offset)) for article, offset in places.items()]
        )

    def last_place(self) -> str | None:
        """Where the project was left (core.last_place reads it), or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (LAST_PLACE,)).fetchone()
        return row[0] if row else None

    def save_last_place(self, value: str) -> bool:
        """Save where the project is left, as reading places are saved: never waiting."""
        return self._put_meta_now([(LAST_PLACE, value)])

    def _put_meta_now(self, rows: list[tuple[str, str]]) -> bool:
        if self.read_only is not None:
            return False
        limit, self.wait_limit = self.wait_limit, 0.0  # one try at the lock (write_path)
        try:
            with self.write():
                self.conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    rows,
                )
            return True
        except (AnnotatorError, sqlite3.Error):  # busy, a full disk, closed: kept for later
            return False
        finally:
            self.wait_limit = limit
