"""How the conflict list words a conflict and each annotator's part of it (Qt-free, so the
panel's text is tested without a window)."""

from __future__ import annotations

from annotator.core.adjudication.classify import BOTH, EDIT, NEITHER, SPAN, TAKE, Conflict
from annotator.core.adjudication.units import Units

_LONG = 40


def quoted(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())
    return f"“{piece if len(piece) <= _LONG else piece[: _LONG - 1] + '…'}”"


def part(units: Units, text: str, conflict: Conflict) -> str:
    """One annotator's version: "ORG", "NORP “Iraqi”" (when not the whole extent), an event
    with its arguments, "Attacker = “Pentagon”"; "nothing" when they have none."""
    words = []
    for span in units.spans:
        where = (span.start, span.end) != (conflict.start, conflict.end)
        words.append(span.label + (f" {quoted(text, span.start, span.end)}" if where else ""))
    for event in units.events:
        arguments = ", ".join(f"{a.role} = {quoted(text, a.start, a.end)}" for a in event.arguments)
        if conflict.role:
            words.append(arguments)
        else:
            where = (event.start, event.end) != (conflict.start, conflict.end)
            trigger = f" {quoted(text, event.start, event.end)}" if where else ""
            words.append(f"{event.type}{trigger}" + (f" ({arguments})" if arguments else ""))
    return "; ".join(words) or "nothing"


def title(conflict: Conflict, text: str) -> str:
    """What the conflict is about: "span “Kataib Hezbollah”", "Attacker of Conflict.Attack
    “strike”"."""
    where = quoted(text, conflict.start, conflict.end)
    if conflict.role:
        return f"{conflict.role} of the event {where}"
    return f"{'span' if conflict.kind == SPAN else 'event'} {where}"


def decision(choice: str) -> str:
    if choice.startswith(TAKE + ":"):
        return f"took {choice[len(TAKE) + 1 :]}'s"
    return {BOTH: "took both", NEITHER: "took neither", EDIT: "edited by hand"}.get(choice, choice)
