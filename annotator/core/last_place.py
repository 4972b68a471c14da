"""Where a project was left: the open article and what was selected in it (a span, an event
on its trigger, or a stretch of text). Reopening the project returns there; the scroll
position is the article's reading place (core.reading_places), kept alongside.

Kept as one small JSON value in the project (store.reading_places), not in the user's
settings: a project copied to another machine opens where its last reader left it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class LastPlace:
    article: int
    span: int | None = None  # a selected span, or an event's trigger
    event: int | None = None  # the event chosen on that trigger
    text: tuple[int, int] | None = None  # a selected stretch of text (anchor, cursor)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | None) -> LastPlace | None:
        """The place saved, or None for none or one edited into nonsense (the project then
        opens on its first article rather than not at all)."""
        if not raw:
            return None
        try:
            data = json.loads(raw)
            text = data.get("text")
            return cls(
                article=int(data["article"]),
                span=_id(data.get("span")),
                event=_id(data.get("event")),
                text=(int(text[0]), int(text[1])) if text else None,
            )
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None


def _id(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


class PlaceStore(Protocol):
    def last_place(self) -> str | None: ...

    def save_last_place(self, value: str) -> bool: ...


def saved_place(store: PlaceStore) -> LastPlace | None:
    return LastPlace.from_json(store.last_place())
