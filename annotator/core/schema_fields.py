"""Reading the schema file's smaller fields: a label's or type's examples, the guidelines link
and the project's own keys ([keys]). Apart from core/schema.py, which reads the labels, types
and roles and puts them together."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.errors import SchemaError


def examples(item: dict, where: str) -> tuple[str, ...]:
    """A label's or type's examples: a list of strings (or one string)."""
    raw = item.get("examples", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
        raise SchemaError(f"{where}: 'examples' must be a list of strings")
    return tuple(e.strip() for e in raw if e.strip())


def guidelines(data: dict, source: str) -> str:
    raw = data.get("guidelines", "")
    if not isinstance(raw, str):
        raise SchemaError(f"{source}: 'guidelines' must be a URL or a file path (a string)")
    return raw.strip()


def parse_keys(data: object, source: str) -> dict[str, tuple[str, ...]]:
    """The [keys] table: command name = "key" or ["key", ...] (core.keymap's names)."""
    from annotator.core.keymap import normal

    if not isinstance(data, dict):
        raise SchemaError(f"{source}: 'keys' must be a table of command = [keys]")
    keys: dict[str, tuple[str, ...]] = {}
    for action, given in data.items():
        names = [given] if isinstance(given, str) else given
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise SchemaError(f"{source}: keys.{action} must be a key or a list of keys")
        try:
            keys[str(action)] = tuple(normal(name) for name in names)
        except ValueError as error:
            raise SchemaError(f"{source}: keys.{action}: {error}") from error
    return keys


def guidelines_link(link: str, folder: Path) -> str:
    """A URL as it is; a file path relative to the schema file's folder made absolute (the
    project keeps a copy of the schema, not the folder it came from)."""
    if not link or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", link) or link.startswith("mailto:"):
        return link
    path = Path(link).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())
