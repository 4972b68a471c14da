"""A role of an event type in words, as the event panel lists it: what may fill it and how
many fillers it takes ("Attacker · PERSON, ORG, GPE, NORP · 0-n")."""

from __future__ import annotations

from annotator.core.schema import Role

# The schema sets no limit on how many spans fill one role (brat's `Role*`): none is required
# and several may fill it (two attackers). Said on every row so that a schema that declares
# limits later has a place to show them.
ANY_NUMBER = "0\u2011n"  # a non-breaking hyphen: "0-n" never wraps in two


def fillers_text(role: Role) -> str:
    return ", ".join(role.fillers) if role.fillers else "any label"


def role_text(number: int | None, role: Role) -> str:
    prefix = f"{number}  " if number is not None else ""
    return f"{prefix}{role.name} · {fillers_text(role)} · {ANY_NUMBER}"
