"""A decision on a conflict as an edit on the window's undo stack (core/edits.py pattern):
applying it writes what the decision puts into gold and records the decision, in one
transaction; reverting removes the gold rows it made (and what came to depend on them) and
the decision. The edit log keeps it (encode/decode), so Ctrl+Z undoes it after a restart."""

from __future__ import annotations

from typing import NamedTuple

from annotator.core.adjudication.classify import SPAN, TAKE, Conflict
from annotator.core.adjudication.units import ArgUnit, EventUnit, SpanUnit, Units
from annotator.core.edits import Edit, Touched
from annotator.core.model import Removal
from annotator.core.storage import Store


class GoldRows(NamedTuple):
    """The rows a decision added to gold (what its undo removes)."""

    spans: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    arguments: tuple[int, ...] = ()


class ResolveConflict(Edit):
    """Decide a conflict. The first apply writes the gold rows (add_gold) and keeps their
    ids; an undo removes them, keeping the rows (a Removal, as Remove does); a redo puts
    those very rows back, ids and all, so that later steps naming them still find them."""

    def __init__(
        self,
        article_id: int,
        key: str,
        choice: str,
        units: Units,
        open_before: int,
        open_after: int,
        description: str = "",
    ):
        self.article_id = article_id
        self.key, self.choice, self.units = key, choice, units
        # The open count around the decision as planned, for the log's form only: the store
        # counts again when it writes (a policy switched in between makes these stale).
        self.open_before, self.open_after = open_before, open_after
        self.rows: GoldRows | None = None  # what the first apply made
        self.removal: Removal | None = None  # those rows as the last undo took them
        self.description = description or f"adjudicate: {choice.replace(':', ' ')}"

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    def touched(self) -> Touched | None:
        # An argument it adds may hang on a gold event it did not make: the session reads
        # the article's rows again rather than patching the ones named here.
        return None

    def apply(self, store: Store) -> None:
        with store.write():
            if self.removal is not None:
                store.restore_removal(self.removal)
            else:
                # The first apply; or a redo whose undo's removal never reached the log
                # (written before undos logged the edit as it stood): written afresh.
                rows = store.add_gold(self.article_id, self.units)
                if self.kind == SPAN:  # the agreed arguments that waited for this decision
                    rows = _joined(rows, store.add_held_arguments(self.article_id, self.key))
                self.rows = rows
            store.record_decision(self.article_id, self.key, self.choice)

    def revert(self, store: Store) -> None:
        with store.write():
            if self.rows is not None:
                self.removal = store.plan_removal(
                    list(self.rows.spans), list(self.rows.events), list(self.rows.arguments)
                )
                store.apply_removal(self.removal)
            store.drop_decision(self.article_id, self.key)


def _joined(first: GoldRows, then: GoldRows) -> GoldRows:
    return GoldRows(*(a + b for a, b in zip(first, then, strict=True)))


def plan_resolution(
    article_id: int, conflict: Conflict, choice: str, open_now: int
) -> ResolveConflict:
    """The edit deciding `conflict` (ValueError for a choice it has no part for)."""
    units = conflict.units_for(choice)
    what = {
        "both": "both",
        "neither": "neither",
        "edit": "edit gold by hand",
    }.get(choice) or f"take {choice[len(TAKE) + 1 :]}'s"
    return ResolveConflict(
        article_id,
        conflict.key,
        choice,
        units,
        open_now,
        max(open_now - 1, 0),
        f"adjudicate {conflict.kind} at {conflict.start}-{conflict.end}: {what}",
    )


# -- the undo log's form -------------------------------------------------------------------


def units_payload(units: Units) -> dict:
    return {
        "spans": [list(s) for s in units.spans],
        "events": [[e.type, e.start, e.end, [list(a) for a in e.arguments]] for e in units.events],
    }


def units_from(data: dict) -> Units:
    return Units(
        tuple(SpanUnit(*s) for s in data["spans"]),
        tuple(
            EventUnit(t, s, e, tuple(ArgUnit(*a) for a in args)) for t, s, e, args in data["events"]
        ),
    )


def encode(edit: ResolveConflict) -> dict:
    return {
        "article_id": edit.article_id,
        "key": edit.key,
        "choice": edit.choice,
        "units": units_payload(edit.units),
        "open": [edit.open_before, edit.open_after],
        "rows": None if edit.rows is None else [list(part) for part in edit.rows],
    }


def decode(data: dict) -> ResolveConflict:
    edit = ResolveConflict(
        data["article_id"],
        data["key"],
        data["choice"],
        units_from(data["units"]),
        data["open"][0],
        data["open"][1],
    )
    rows = data["rows"]
    edit.rows = None if rows is None else GoldRows(*(tuple(part) for part in rows))
    return edit
