"""Edits of what an annotation carries beside its label: attribute values, notes and a
knowledge-base id (a normalization), kept in the span's or event's meta as the imports put
them there and the exporters read them (formats.annotation_meta):

    {"attributes": {name: value}, "notes": [str], "normalizations": [{"type", "ref", "text"}]}

An edit holds the whole meta before and after (other keys, such as brat's fragments, ride
along untouched), so undo writes back exactly what was there. Each edit stamps the meta with
who made it ("edited_by"), as a new span is stamped with its annotator.
"""

from __future__ import annotations

import copy
import re

from annotator.core.edits import Edit, Touched
from annotator.core.meta_kinds import KB_TYPE, KINDS
from annotator.core.storage import Store

SPANS, EVENTS = "spans", "events"
EDITED_BY = "edited_by"


class SetMeta(Edit):
    """Give one span's or event's meta another value (one transaction each way)."""

    touches_events = True

    def __init__(
        self, article_id: int, table: str, row_id: int, before: dict, after: dict, what: str
    ):
        if table not in (SPANS, EVENTS):
            raise ValueError(f"meta of {table!r}: spans or events only")
        self.article_id = article_id
        self.table, self.row_id = table, row_id
        self.before, self.after = before, after
        self.description = what

    def touched(self) -> Touched | None:
        return ({self.row_id}, set()) if self.table == SPANS else (set(), {self.row_id})

    def apply(self, store: Store) -> None:
        store.set_annotation_meta(self.table, self.row_id, self.after)

    def revert(self, store: Store) -> None:
        store.set_annotation_meta(self.table, self.row_id, self.before)


def _stamped(meta: dict, who: str | None) -> dict:
    """The meta with its stamp, or without one when nothing is left to have made."""
    meta = {k: v for k, v in meta.items() if v not in (None, [], {}) or k not in KINDS}
    if not any(meta.get(kind) for kind in KINDS):
        meta.pop(EDITED_BY, None)
    elif who:
        meta[EDITED_BY] = who
    return meta


def with_attribute(meta: dict, name: str, value: object, who: str | None) -> dict:
    """The meta with attribute `name` set to `value` (None, False or "": unset)."""
    out = copy.deepcopy(meta)
    attributes = dict(out.get("attributes") or {})
    if value is None or value is False or value == "":
        attributes.pop(name, None)
    else:
        attributes[name] = value
    out["attributes"] = attributes
    return _stamped(out, who)


def notes_text(meta: dict) -> str:
    """The notes as the note field shows them: one a line."""
    return "\n".join(str(note) for note in meta.get("notes") or [])


def with_notes(meta: dict, text: str, who: str | None) -> dict:
    """The meta with the notes a person typed: each non-empty line one note (brat's # lines
    hold one line each, so a note written here goes out and comes back the same)."""
    out = copy.deepcopy(meta)
    out["notes"] = [line.strip() for line in text.splitlines() if line.strip()]
    return _stamped(out, who)


def kb_id(meta: dict) -> str:
    """The annotation's knowledge-base id: its first normalization's reference."""
    for norm in meta.get("normalizations") or []:
        if isinstance(norm, dict) and norm.get("ref"):
            return str(norm["ref"])
    return ""


def with_kb_id(meta: dict, ref: str, text: str, who: str | None) -> dict:
    """The meta with its first normalization pointing at `ref` (its type kept; a new one is
    a Reference with the span's text, as brat writes them); "" removes it."""
    out = copy.deepcopy(meta)
    norms = [n for n in out.get("normalizations") or [] if isinstance(n, dict)]
    first = next((i for i, n in enumerate(norms) if n.get("ref")), None)
    ref = ref.strip()
    if first is None and ref:
        norms.insert(0, {"type": KB_TYPE, "ref": ref, "text": text})
    elif first is not None and ref:
        norms[first] = {**norms[first], "ref": ref}
    elif first is not None:
        del norms[first]
    out["normalizations"] = norms
    return _stamped(out, who)


_QID = re.compile(r"^(?:wikidata:)?([QP]\d+)$", re.IGNORECASE)
_WIKIPEDIA = re.compile(r"^wikipedia:(\d+)$", re.IGNORECASE)


def kb_url(ref: str) -> str | None:
    """Where a person can look an id up: a Wikidata Q-id ("Q1530", "Wikidata:Q1530"), a
    Wikipedia page id ("Wikipedia:534366") or a web address; None for ids of other bases.
    Only ever opened by the person (a link), never fetched by the app."""
    ref = ref.strip()
    if match := _QID.match(ref):
        return f"https://www.wikidata.org/wiki/{match.group(1).upper()}"
    if match := _WIKIPEDIA.match(ref):
        return f"https://en.wikipedia.org/?curid={match.group(1)}"
    if re.match(r"^https?://\S+$", ref):
        return ref
    return None


def summary(meta: dict) -> list[tuple[str, str]]:
    """(what, value) pairs for a tooltip or a list: attributes, kb id, notes."""
    rows = []
    for name, value in (meta.get("attributes") or {}).items():
        rows.append((str(name), "yes" if value is True else str(value)))
    for norm in meta.get("normalizations") or []:
        if isinstance(norm, dict) and norm.get("ref"):
            rows.append((str(norm.get("type") or KB_TYPE), str(norm["ref"])))
    for note in meta.get("notes") or []:
        rows.append(("Note", str(note)))
    return rows
