"""The token cursor's moves: by token, by line, to a line's ends, to the next unlabelled name,
Shift extending each; and moving a selection's or a span's edges by a token.

Lines are the view's business (where text wraps depends on the window's width), so a move by
line asks a `Lines` the view gives; without one (tests, scripts), a line is a paragraph of the
text. What a move means (which token the cursor lands on, what Shift keeps) is decided here.
Every position is a token of session.tokens, whose edges are grapheme cluster boundaries.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Protocol

from annotator.core.candidates import next_run
from annotator.core.interaction_state import InteractionState


class Lines(Protocol):
    def line_bounds(self, offset: int) -> tuple[int, int]:
        """[start, end) of the line (as drawn) that holds `offset`."""
        ...

    def line_step(self, offset: int, step: int) -> int | None:
        """The offset drawn below (step 1) or above (-1) `offset`; None past the text."""
        ...


class TextLines:
    """Lines when no view draws them: each paragraph (text between line breaks) is one."""

    def __init__(self, text: str):
        self.text = text

    def line_bounds(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def line_step(self, offset: int, step: int) -> int | None:
        start, end = self.line_bounds(offset)
        column = offset - start
        if step > 0:
            if end >= len(self.text):
                return None
            below = self.line_bounds(end + 1)
            return min(below[0] + column, below[1])
        if start == 0:
            return None
        above = self.line_bounds(start - 1)
        return min(above[0] + column, above[1])


class CursorMoves(InteractionState):
    """The moves of the token cursor (a mixin of Interaction)."""

    def _cursor_tokens(self, first_visible: int) -> tuple[int, int] | None:
        """(anchor, cursor) token indices: the token cursor, else the selection's or the
        selected span's tokens, else the first visible token. None: no tokens."""
        if self.session.article is None or not len(self.session.tokens):
            return None
        if self.tokens_at is not None:
            return self.tokens_at
        tokens = self.session.tokens
        span = self.selected_span()
        bounds = (span.start, span.end) if span else self.selection()
        if bounds is None:
            at = tokens.index_at(first_visible)
            return at, at
        first = tokens.index_at(bounds[0])
        last = max(first, bisect_left(tokens.starts, bounds[1]) - 1)
        return first, last

    def _put_cursor(self, anchor: int, cursor: int) -> None:
        tokens = self.session.tokens
        last = len(tokens) - 1
        anchor, cursor = min(max(anchor, 0), last), min(max(cursor, 0), last)
        self.span_id = None
        self.anchor, self.cursor = tokens.token_range(anchor, cursor)
        self.tokens_at = (anchor, cursor)
        self._changed(tokens.starts[cursor])

    def move_token(self, step: int, extend: bool, *, first_visible: int = 0) -> None:
        """← →: the token cursor a token on; from a span or a dragged selection, the token
        just past its edge; Shift extends (or shrinks) from the cursor end."""
        at = self._cursor_tokens(first_visible)
        if at is None:
            return
        anchor, cursor = at
        fresh = self.tokens_at is None and self.selected_span() is None and not self.selection()
        if fresh:  # nothing selected: the cursor starts on the first visible token
            self._put_cursor(anchor, anchor)
            return
        if extend:
            self._put_cursor(anchor, cursor + step)
        elif self.tokens_at is not None:  # the token cursor moves on from where it is
            self._put_cursor(cursor + step, cursor + step)
        else:  # from a span or a dragged selection: the token just past its edge
            edge = max(anchor, cursor) if step > 0 else min(anchor, cursor)
            self._put_cursor(edge + step, edge + step)

    def move_to_offset(self, offset: int | None, extend: bool, *, first_visible: int = 0) -> None:
        """The cursor to the token at `offset` (Home: a line's start)."""
        at = self._cursor_tokens(first_visible)
        if at is None or offset is None:
            return
        target = self.session.tokens.index_at(offset)
        self._put_cursor(at[0] if extend else target, target)

    def _token_on_line(self, offset: int, lines: Lines) -> int | None:
        """The token under `offset`, or the nearest one left of it on its line, or the first
        on the line; None if the line has no token (a blank line between paragraphs)."""
        tokens = self.session.tokens
        start, end = lines.line_bounds(offset)
        before = bisect_right(tokens.starts, offset) - 1
        if before >= 0 and tokens.starts[before] >= start and tokens.starts[before] < end:
            return before
        after = bisect_left(tokens.starts, start)
        if after < len(tokens) and tokens.starts[after] < end:
            return after
        return None

    def move_line(self, step: int, extend: bool, lines: Lines, *, first_visible: int = 0) -> None:
        """↑ ↓: the token drawn above or below the cursor (blank lines are passed over)."""
        at = self._cursor_tokens(first_visible)
        if at is None:
            return
        offset: int | None = self.session.tokens.starts[at[1]]
        for _ in range(100):  # a run of blank lines longer than that is not worth a key
            offset = lines.line_step(offset, step) if offset is not None else None
            if offset is None:
                return
            target = self._token_on_line(offset, lines)
            if target is not None:
                self._put_cursor(at[0] if extend else target, target)
                return

    def move_line_end(
        self, end: bool, extend: bool, lines: Lines, *, first_visible: int = 0
    ) -> None:
        """Home End: the first or last token of the cursor's line."""
        at = self._cursor_tokens(first_visible)
        if at is None:
            return
        tokens = self.session.tokens
        start, stop = lines.line_bounds(tokens.starts[at[1]])
        target = bisect_left(tokens.starts, stop) - 1 if end else bisect_left(tokens.starts, start)
        target = min(max(target, 0), len(tokens) - 1)
        self._put_cursor(at[0] if extend else target, target)

    def move_candidate(self, step: int, extend: bool, *, first_visible: int = 0) -> str:
        """Ctrl+→ / Ctrl+←: select the next (previous) run of unlabelled capitalised tokens or
        figures; with Shift, extend the selection over it. Returns a message if there is none."""
        at = self._cursor_tokens(first_visible)
        if at is None:
            return ""
        fresh = self.tokens_at is None and self.selected_span() is None and not self.selection()
        low, high = min(at), max(at)
        found = next_run(
            self.session.article.text if self.session.article else "",
            self.session.tokens,
            [*self.session.spans, *self.session.suggestions],
            (low if fresh else high + 1) if step > 0 else low - 1,
            step,
            self.session.store.schema.language,
        )
        if found is None:
            return "No more unlabelled names " + ("after" if step > 0 else "before") + " this"
        if extend:
            self._put_cursor(at[0], found[1] if step > 0 else found[0])
        else:
            self._put_cursor(found[0], found[1])
        return ""

    def move_selection_edge(self, start_edge: bool, step: int) -> bool:
        """Alt+arrows on a text selection: its start (or end) a token further; False when
        there is no text selection (a span's edges are an edit: see Interaction.move_edge)."""
        if self.selected_span() is not None or self.selection() is None:
            return False
        at = self._cursor_tokens(0)
        if at is None:
            return False
        first, last = min(at), max(at)
        if start_edge:
            first = min(max(first + step, 0), last)
        else:
            last = max(min(last + step, len(self.session.tokens) - 1), first)
        self._put_cursor(first, last)
        return True

    def edge_bounds(self, start: int, end: int, start_edge: bool, step: int) -> tuple[int, int]:
        """A span's [start, end) with one edge moved a token; never empty (an edge that can't
        move stays where it is)."""
        tokens = self.session.tokens
        first = tokens.index_at(start)
        last = max(first, bisect_left(tokens.starts, end) - 1)
        if start_edge:
            moved = min(max(first + step, 0), last)
            return (tokens.starts[moved] if moved != first else start), end
        moved = max(min(last + step, len(tokens) - 1), first)
        return start, (tokens.ends[moved] if moved != last else end)
