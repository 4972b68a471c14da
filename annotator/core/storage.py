"""What the core asks of the project file, declared so that the core never sees SQLite.

`annotator.store.ProjectStore` implements this; the session and the edits are typed with it,
so a test (or another storage) can stand in for the file. Every write method is one
transaction on its own; `write()` groups several into one (an edit is saved whole or not at
all), and blocks inside it join it.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annotator.core.model import Argument, Article, ArticleFilter, Event, Removal, Span
from annotator.core.schema import Schema

if TYPE_CHECKING:  # edit_log imports the edits, which import this protocol
    from annotator.core.adjudication.edit import GoldRows
    from annotator.core.adjudication.units import Units
    from annotator.core.edit_log import LogEntry


class Store(Protocol):
    path: Path
    annotator: str | None  # who the edits are stamped with (GOLD while adjudicating)

    @property
    def schema(self) -> Schema: ...

    def write(self) -> AbstractContextManager[None]: ...

    # -- articles ----------------------------------------------------------------------------

    def article(self, article_id: int) -> Article: ...

    def status_of(self, article_id: int) -> str: ...

    def set_status(self, article_id: int, status: str) -> str: ...

    def start_work(self, article_id: int) -> bool: ...

    def undo_start_work(self, article_id: int) -> None: ...

    def first_article_id(self, flt: ArticleFilter | None = None) -> int | None: ...

    def neighbour(
        self, article_id: int, step: int, flt: ArticleFilter | None = None
    ) -> int | None: ...

    # -- spans, events, arguments ------------------------------------------------------------

    def spans(self, article_id: int, states: Iterable[str] = ...) -> list[Span]: ...

    def spans_by_id(self, span_ids: Iterable[int]) -> dict[int, Span]: ...

    def insert_span(self, span: Span, text_length: int | None = None) -> Span: ...

    def delete_span(self, span_id: int) -> Span: ...

    def relabel_span(self, span_id: int, label: str) -> Span: ...

    def move_span(self, span_id: int, start: int, end: int) -> Span: ...

    def events(self, article_id: int) -> list[Event]: ...

    def events_by_id(self, event_ids: Iterable[int]) -> dict[int, Event]: ...

    def insert_event(self, event: Event, meta: dict | None = None) -> Event: ...

    def insert_argument(self, arg: Argument) -> Argument: ...

    def set_event_type(self, event_id: int, event_type: str) -> None: ...

    def plan_removal(
        self,
        span_ids: Iterable[int] = (),
        event_ids: Iterable[int] = (),
        argument_ids: Iterable[int] = (),
    ) -> Removal: ...

    def apply_removal(self, removal: Removal) -> None: ...

    def restore_removal(self, removal: Removal) -> None: ...

    # -- suggestions -------------------------------------------------------------------------

    def decide(
        self,
        span_id: int,
        state: str,
        decision: str | None,
        label: str | None = None,
        bounds: tuple[int, int] | None = None,
    ) -> Span: ...

    def decision_of(self, span_id: int) -> str | None: ...

    def next_article_with_suggestions(
        self,
        after_article_id: int,
        step: int = 1,
        *,
        source: str | None = None,
        label: str | None = None,
        min_score: float | None = None,
    ) -> int | None: ...

    def open_suggestion_count(self, label: str | None = None) -> tuple[int, int]: ...

    def open_suggestions(
        self,
        *,
        source: str | None = None,
        label: str | None = None,
        min_score: float | None = None,
        after_id: int = 0,
        limit: int = 200,
    ) -> list[Span]: ...

    # -- the undo log (annotator.core.edit_log) ----------------------------------------------

    def log_edit(self, description: str, payload: dict) -> tuple[int, float]: ...

    def mark_logged(
        self, seq: int, made: float, done: bool, payload: dict | None = None
    ) -> bool: ...

    def undo_log(self) -> list[LogEntry]: ...

    def annotation_meta_of(self, table: str, row_id: int) -> dict: ...

    def set_annotation_meta(self, table: str, row_id: int, meta: dict) -> None: ...

    def present(self, table: str, ids: Iterable[int]) -> set[int]: ...

    # -- the gold layer (annotator.core.adjudication) ----------------------------------------

    def add_gold(self, article_id: int, units: Units) -> GoldRows: ...

    def add_held_arguments(self, article_id: int, conflict_key: str) -> GoldRows: ...

    def record_decision(self, article_id: int, key: str, choice: str) -> None: ...

    def drop_decision(self, article_id: int, key: str) -> None: ...
