"""Plain records for what the store holds. Offsets are character offsets into the stored text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NEW, IN_PROGRESS, DONE, SKIPPED = "new", "in_progress", "done", "skipped"
STATUSES = (NEW, IN_PROGRESS, DONE, SKIPPED)

ENTITY = "entity"
TRIGGER = "trigger"

ACCEPTED = "accepted"
SUGGESTED = "suggested"
REJECTED = "rejected"

MANUAL = "manual"


@dataclass(frozen=True)
class Span:
    id: int | None
    article_id: int
    start: int
    end: int
    label: str
    kind: str = ENTITY
    origin: str = MANUAL
    state: str = ACCEPTED
    score: float | None = None
    decision: str | None = None  # for a suggestion: accepted, relabelled, resized, rejected
    # Who made it (or decided on it, for a suggestion): their layer. None: not yet stored
    # (the store stamps its writer's name) or stored before names were kept.
    annotator: str | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Article:
    id: int
    text: str
    title: str = ""
    ext_id: str | None = None
    status: str = NEW
    meta: dict = field(default_factory=dict)
    n_spans: int = 0


@dataclass(frozen=True)
class ArticleFilter:
    """What the article list shows (and what next/previous walk): all articles, or one
    status, optionally only those matching a text search (every word, the last as a prefix)
    and only those imported from a sub-folder (meta "folder": this one or one inside it)."""

    status: str | None = None
    query: str = ""
    folder: str = ""

    @classmethod
    def from_search(cls, status: str | None, typed: str) -> ArticleFilter:
        """The filter for what a person typed in the search box: `folder:sport/football` (or
        `folder:"with spaces"`) anywhere in it picks a sub-folder, the rest is searched."""
        folder = ""
        match = _FOLDER.search(typed)
        if match:
            folder = (match.group(1) if match.group(1) is not None else match.group(2)).strip("/")
            typed = typed[: match.start()] + " " + typed[match.end() :]
        return cls(status, " ".join(typed.split()), folder)


_FOLDER = re.compile(r'(?<!\S)folder:(?:"([^"]*)"?|(\S*))', re.IGNORECASE)


@dataclass(frozen=True)
class ArticleRow:
    """What the article list shows: no text, so pages of rows stay small."""

    id: int
    title: str
    status: str
    n_spans: int
    n_events: int = 0


def stored(row_id: int | None) -> int:
    """The id of a row the store holds; a record made for insertion has none yet."""
    if row_id is None:
        raise ValueError("this record has not been stored yet")
    return row_id


def title_from_text(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit]
    return ""


@dataclass(frozen=True)
class Argument:
    """One role of an event filled by a span (an entity) or by another event."""

    id: int | None
    event_id: int | None
    role: str
    span_id: int | None = None
    arg_event_id: int | None = None
    override: bool = False  # added against the schema, on purpose
    annotator: str | None = None  # who added it (see Span.annotator)


@dataclass(frozen=True)
class Event:
    """An event (type + trigger span) or, with relation=True, a relation (no trigger)."""

    id: int | None
    article_id: int
    type: str
    trigger_id: int | None
    arguments: tuple[Argument, ...] = ()
    relation: bool = False
    origin: str = MANUAL
    annotator: str | None = None  # who added it (see Span.annotator)


@dataclass
class Removal:
    """Rows deleted together (a span and what depended on it), kept to restore them."""

    spans: list[Span] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # with the arguments they held
    arguments: list[Argument] = field(default_factory=list)  # of events that stay
    # The stored columns the model does not carry (meta, times, the merge input a row came
    # from), one dict per row with its "table" and "id": an undo puts the row back exactly;
    # without its merge input, merging that input again would add the row a second time.
    columns: list[dict] = field(default_factory=list)
