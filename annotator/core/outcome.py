"""What an intent of the person (a key, a click, a menu entry) leads to, and how a caller
carries it out. Nothing here writes: an Outcome holds an edit the session has planned; the GUI
saves it by pushing it on its undo stack, a test or a script by applying it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.edits import Edit, Remove


@dataclass
class Outcome:
    """What an intent leads to: a planned edit to save, a message, or a question first.

    `after` runs once the edit is saved (it selects what the edit made) and returns the
    message to show. With `question`, the person is asked first: yes gives `override()`
    (the same edit as a marked exception), no gives the message `declined()`.
    """

    edit: Edit | None = None
    message: str = ""
    after: Callable[[Edit], str] | None = None
    question: str = ""
    override: Callable[[], Outcome] | None = None
    declined: Callable[[], str] | None = None
    handled: bool = True


NOTHING = Outcome(handled=False)


def carry_out(
    outcome: Outcome,
    save: Callable[[Edit], bool],
    ask: Callable[[str], bool] = lambda question: False,
) -> str:
    """Ask the outcome's question, save its edit (`save` returns False if the write failed
    and says so itself), run what comes after; returns the message to show."""
    if outcome.question:
        if not ask(outcome.question):
            return outcome.declined() if outcome.declined else ""
        assert outcome.override is not None
        outcome = outcome.override()
    if outcome.edit is None:
        return outcome.message
    if not save(outcome.edit):
        return ""
    return outcome.after(outcome.edit) if outcome.after else outcome.message


def removed_message(edit: Edit, what: str) -> str:
    """Say what a delete took with it (the arguments a span filled, a trigger's events)."""
    extra = edit.also_removed() if isinstance(edit, Remove) else ""
    return f"{what} and {extra} (Ctrl+Z brings them back)" if extra else what
