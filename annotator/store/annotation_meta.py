"""What a span or event carries beside its label (attributes, notes, a knowledge-base id),
read and written one row at a time for the window's side panel and its edits (a mixin of
ProjectStore). The meta column holds JSON; '{}' means none, as the exporters' queries expect."""

from __future__ import annotations

import json
import time

from annotator.core.errors import EditRefused
from annotator.store.base import StoreBase

_TABLES = ("spans", "events")


class AnnotationMetaQueries(StoreBase):
    """ProjectStore's per-row meta (a mixin)."""

    @property
    def is_closed(self) -> bool:
        """Whether close() was called: a side panel field saved as the window goes finds the
        project closed when a script closed it first."""
        return bool(getattr(self, "_closed", False))

    def annotation_meta_of(self, table: str, row_id: int) -> dict:
        """One span's or event's meta ({} when it has none or is gone)."""
        row = self.conn.execute(
            f"SELECT meta FROM {_table(table)} WHERE id = ?", (row_id,)
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def set_annotation_meta(self, table: str, row_id: int, meta: dict) -> None:
        """Replace one span's or event's meta (an edit's apply or revert)."""
        with self.write():
            cursor = self.conn.execute(
                f"UPDATE {_table(table)} SET meta = ?, updated = ? WHERE id = ?",
                (json.dumps(meta, ensure_ascii=False) if meta else "{}", time.time(), row_id),
            )
            if cursor.rowcount == 0:
                raise EditRefused(f"{table[:-1]} {row_id} does not exist")


def _table(table: str) -> str:
    if table not in _TABLES:  # the name goes into SQL: only these two
        raise ValueError(f"no meta in {table!r}")
    return table
