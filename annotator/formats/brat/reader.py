"""brat standoff import: DOC.txt with DOC.ann beside it, one article per pair.

    T1	Person 0 5	Barry             text-bound (discontinuous: `0 5;10 15`)
    E1	Die:T2 Person-Arg:T1          event: type:trigger, then Role:Id (Id = T or E)
    R1	Family Arg1:T1 Arg2:T3        binary relation
    *	Alias T1 T3 T4                equivalence
    A1	Negation E1 / M1 Negation E1  attribute (M is the older spelling); A2 Confidence E1 Low
    #1	AnnotatorNotes T1	text      note;   N1	Reference T1 Wikipedia:534366	Barry
Offsets are characters of the .txt exactly as it is (no newline translation). What the store
can't hold as is gets the nearest form and a report line (file:line): a discontinuous T
becomes the span covering its fragments (the fragments go to the span's meta, and back out on
export), an equivalence becomes a relation of its type (first member Arg1, the others Arg2,
meta {"brat": "equivalence"}), numbered roles (Theme2, brat's way of repeating a role) become
repeats of their role, the names as written kept with their arguments in the event's meta
for the export (formats.numbered_roles). Attributes, notes and normalizations go to the meta of the span or event.
A T whose text differs from the .txt at its offsets is skipped, with what depends on it.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.core.model import TRIGGER, title_from_text
from annotator.core.schema import Schema
from annotator.formats.numbered_roles import base_role, keep_names
from annotator.formats.reading import read_bytes, read_lines, text_of
from annotator.formats.records import (
    ArgumentRecord,
    ArticleRecord,
    EventRecord,
    ImportReport,
    SpanRecord,
)

_T_OFFSETS = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")
_ID = re.compile(r"^[TERAMN]\d+$|^#\d*$|^\*$")


class _Bad(Exception):
    """A malformed or inconsistent line: skipped, with this reason."""


def pair(path: Path) -> tuple[Path, Path]:
    return path.with_suffix(".txt"), path.with_suffix(".ann")


def read_brat(
    path: Path,
    report: ImportReport,
    encoding: str | None = None,
    *,
    types: Schema | None = None,
    declared: Schema | None = None,
    names: dict[str, str] | None = None,
    ext_id: str | None = None,
) -> Iterator[ArticleRecord]:
    """One article from DOC.txt + DOC.ann (path is either). `types` (the project's schema with
    the conf merged in) tells triggers from entities and known roles from numbered ones;
    `declared` (the conf) travels with the record, for write_records to merge; `names` turns
    brat's spelling of a type back into the schema's (brat_conf.brat_names)."""
    txt, ann = pair(path)
    if not txt.is_file():
        raise ImportFailed(f"{ann}: no {txt.name} beside it (brat keeps the text in DOC.txt)")
    data = read_bytes(txt)
    text = text_of(data, txt, encoding)
    if not text.strip():
        report.skip(f"{txt}:1", "empty text")
        return
    doc = _Document(text, ann, report, types, names or {})
    if ann.is_file():
        if data.startswith(codecs.BOM_UTF8):
            doc.bom_shift = _bom_shift(ann, text, encoding)
            if doc.bom_shift:
                report.note(
                    str(ann),
                    "the .txt starts with a byte order mark, which brat "
                    "counts as a character: offsets read one less",
                )
        doc.read(encoding)
    else:
        report.note(str(txt), f"no {ann.name}: imported without annotations")
    spans, events = doc.resolve()
    yield ArticleRecord(
        text=text,
        where=f"{txt}:1",
        title=title_from_text(text),
        ext_id=ext_id,
        meta={"file": txt.name},
        spans=spans,
        events=events,
        schema=declared,
    )


def _bom_shift(ann: Path, text: str, encoding: str | None) -> int:
    """1 if the .ann counts the BOM its .txt starts with (brat does; a tool that skipped it
    doesn't), settled for the whole document by the first annotation whose text tells."""
    for _, line in read_lines(ann, encoding):
        fields = line.rstrip("\r").split("\t", 2)
        match = (
            _T_OFFSETS.match(fields[1].strip())
            if len(fields) == 3 and fields[0].startswith("T")
            else None
        )
        if not match:
            continue
        fragments = [tuple(map(int, f.split())) for f in match.group(2).split(";")]

        def fits(shift: int, fragments=fragments, written=fields[2]) -> bool:
            places = [(s - shift, e - shift) for s, e in fragments]
            return all(0 <= s < e <= len(text) for s, e in places) and _same_text(
                written, " ".join(text[s:e] for s, e in places)
            )

        as_is, shifted = fits(0), fits(1)
        if as_is != shifted:
            return int(shifted)
    return 0


def _same_text(given: str, expected: str) -> bool:
    # brat writes a span across a line break with a space in the .ann: compare words only.
    return given == expected or given.split() == expected.split()


class _Document:
    def __init__(
        self,
        text: str,
        ann: Path,
        report: ImportReport,
        types: Schema | None,
        names: dict[str, str],
    ):
        self.text, self.ann, self.report, self.types = text, ann, report, types
        self.names = names
        self.lines: dict[str, int] = {}  # id -> line, for messages and duplicates
        self.t: dict[str, SpanRecord] = {}
        self.e: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}  # id -> type, trigger, args
        self.r: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        self.equivalences: list[tuple[int, str, list[str]]] = []
        self.extras: list[tuple[int, str, str, str, object]] = []  # line, meta key, target, ...
        # brat reads a .txt with its UTF-8 byte order mark as a first character and counts
        # offsets from it; the text here has no BOM, so those offsets are one too far.
        self.bom_shift = 0  # 1 when the .txt had a BOM and the .ann counts it

    def name(self, brat_name: str) -> str:
        return self.names.get(brat_name, brat_name)

    def where(self, number: int) -> str:
        return f"{self.ann}:{number}"

    def read(self, encoding: str | None) -> None:
        for number, line in read_lines(self.ann, encoding):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            fields = line.split("\t", 2)
            ident = fields[0].strip()
            try:
                if not _ID.match(ident) or len(fields) < 2:
                    raise _Bad("not a brat annotation line (ID, tab, annotation)")
                if ident != "*" and ident in self.lines:
                    raise _Bad(f"{ident} is already defined on line {self.lines[ident]}")
                self._line(ident, fields[1], fields[2] if len(fields) > 2 else None, number)
            except _Bad as bad:
                shown = line if len(line) <= 60 else line[:59] + "…"
                self.report.skip(self.where(number), f"{bad} ({shown!r})")
                continue
            if ident != "*":
                self.lines[ident] = number

    def _line(self, ident: str, body: str, rest: str | None, number: int) -> None:
        kind = ident[0]
        parts = body.split()
        if kind == "T":
            self.t[ident] = self._text_bound(ident, body, rest, number)
        elif kind == "E":
            if not parts or ":" not in parts[0]:
                raise _Bad("an event starts with Type:TriggerId")
            event_type, trigger = parts[0].rsplit(":", 1)
            self.e[ident] = (self.name(event_type), trigger, [_role(p) for p in parts[1:]])
        elif kind == "R":
            if len(parts) != 3:
                raise _Bad("a relation is Type Arg1:Id Arg2:Id")
            self.r[ident] = (self.name(parts[0]), [_role(p) for p in parts[1:]])
        elif kind == "*":
            if len(parts) < 3:
                raise _Bad("an equivalence is Type Id Id ...")
            self.equivalences.append((number, self.name(parts[0]), parts[1:]))
        elif kind in "AM":
            if len(parts) not in (2, 3):
                raise _Bad("an attribute is Name Id [Value]")
            value = parts[2] if len(parts) == 3 else True
            self.extras.append((number, "attributes", parts[1], parts[0], value))
        elif kind == "#":
            if len(parts) != 2:
                raise _Bad("a note is Type Id, a tab, then the text")
            note = (rest or "").strip()
            if parts[0] != "AnnotatorNotes":
                note = f"{parts[0]}: {note}"
            self.extras.append((number, "notes", parts[1], None, note))
        elif kind == "N":
            if len(parts) != 3:
                raise _Bad("a normalization is Type Id Resource:Entry, a tab, then the text")
            self.extras.append(
                (
                    number,
                    "normalizations",
                    parts[1],
                    None,
                    {"type": parts[0], "ref": parts[2], "text": (rest or "").strip()},
                )
            )

    def _text_bound(self, ident: str, body: str, given: str | None, number: int) -> SpanRecord:
        match = _T_OFFSETS.match(body.strip())
        if not match:
            raise _Bad("a text-bound annotation is Type Start End[;Start End...]")
        label = self.name(match.group(1))
        fragments = sorted(tuple(map(int, f.split())) for f in match.group(2).split(";"))
        if self.bom_shift:
            fragments = [(max(start - 1, 0), end - 1) for start, end in fragments]
        for start, end in fragments:
            if not 0 <= start < end <= len(self.text):
                raise _Bad(f"offsets {start}-{end} are outside the text (length {len(self.text)})")
        expected = " ".join(self.text[s:e] for s, e in fragments)
        if given is not None and not _same_text(given, expected):
            raise _Bad(
                f"{ident}'s text {given!r} is not what the .txt has at its offsets "
                f"({expected!r}); the file and the annotations disagree"
            )
        start, end = fragments[0][0], max(e for _, e in fragments)
        span = SpanRecord(start, end, label)
        if len(fragments) > 1:
            span.meta["fragments"] = [list(f) for f in fragments]
            self.report.note(
                self.where(number),
                f"{ident} is discontinuous ({len(fragments)} "
                f"fragments): stored as the span {start}-{end} "
                "covering them (brat export writes the fragments)",
            )
        return span

    # -- resolving ids ------------------------------------------------------------------------

    def resolve(self) -> tuple[list[SpanRecord], list[EventRecord]]:
        event_types = {event_type for event_type, _, _ in self.e.values()}
        if self.types is not None:
            event_types |= {t.name for t in self.types.events}
        for span in self.t.values():
            if span.label in event_types:
                span.kind = TRIGGER
        events: dict[str, EventRecord] = {}
        for ident, (event_type, trigger, _) in self.e.items():
            where = self.where(self.lines[ident])
            if trigger not in self.t:
                self.report.skip(
                    where,
                    f"{ident}: its trigger {trigger} is not an imported "
                    "text-bound annotation of this document",
                )
                continue
            if self.t[trigger].label != event_type:
                self.report.note(
                    where,
                    f"{ident} is a {event_type} on the trigger {trigger} "
                    f"labelled {self.t[trigger].label}",
                )
            events[ident] = EventRecord(event_type, self.t[trigger], where=where)
        for ident, (rel_type, _) in self.r.items():
            events[ident] = EventRecord(
                rel_type, relation=True, where=self.where(self.lines[ident])
            )
        renamed: Counter = Counter()
        for ident, (_, _, args) in self.e.items():
            if ident in events:
                self._arguments(events[ident], ident, args, events, renamed)
        for ident, (_, args) in self.r.items():
            self._arguments(events[ident], ident, args, events, Counter())
        if renamed:
            shown = ", ".join(f"{a} → {b} ({n}×)" for (a, b), n in sorted(renamed.items()))
            self.report.note(
                str(self.ann),
                f"numbered roles read as repeats of their role: {shown}; the numbers are kept "
                "for the brat export",
            )
        result = list(events.values()) + self._equivalences()
        self._extras(events)
        return list(self.t.values()), result

    def _filler(self, ref: str, events: dict[str, EventRecord]) -> ArgumentRecord | None:
        if ref in self.t:
            return ArgumentRecord("", span=self.t[ref])
        if ref in events:
            return ArgumentRecord("", event=events[ref])
        return None

    def _arguments(self, event: EventRecord, ident: str, args, events, renamed: Counter) -> None:
        where = self.where(self.lines[ident])
        roles_here = {role for role, _ in args}
        written: list[str] = []  # brat's own role names, argument by argument
        for role, ref in args:
            argument = self._filler(ref, events)
            if argument is None:
                self.report.skip(
                    where,
                    f"{ident}, {role}:{ref}: {ref} is not an imported annotation of this document",
                )
                continue
            argument.role = self._role_name(event, role, roles_here)
            if argument.role != role:
                renamed[(role, argument.role)] += 1
            event.arguments.append(argument)
            written.append(role)
        # The numbers pair roles up (Site2 belongs to Theme2): the export writes these names,
        # each with its argument (formats.numbered_roles).
        keep_names(event, written)

    def _role_name(self, event: EventRecord, role: str, roles_here: set[str]) -> str:
        """Theme2 is brat's second Theme, unless the schema has a role called Theme2."""
        known = None
        if self.types is not None:
            known = (
                self.types.relation_type(event.type)
                if event.relation
                else self.types.event_type(event.type)
            )
        return base_role(
            role, lambda name: known is not None and bool(known.role(name)), roles_here
        )

    def _equivalences(self) -> list[EventRecord]:
        out, stored = [], []
        for number, rel_type, members in self.equivalences:
            where = self.where(number)
            missing = [m for m in members if m not in self.t]
            if missing:
                self.report.skip(
                    where,
                    f"equivalence {rel_type}: {', '.join(missing)} not "
                    "imported text-bound annotation(s) of this document",
                )
                continue
            roles = ["Arg1"] + ["Arg2"] * (len(members) - 1)
            out.append(
                EventRecord(
                    rel_type,
                    relation=True,
                    where=where,
                    meta={"brat": "equivalence"},
                    arguments=[
                        ArgumentRecord(role, span=self.t[m])
                        for role, m in zip(roles, members, strict=True)
                    ],
                )
            )
            stored.append(f"{rel_type} {' '.join(members)}")
        if stored:
            self.report.note(
                str(self.ann),
                f"equivalences (*) stored as relations of their type, "
                f"first member Arg1, the others Arg2: {'; '.join(stored)}",
            )
        return out

    def _extras(self, events: dict[str, EventRecord]) -> None:
        for number, key, target, name, value in self.extras:
            owner = self.t.get(target) or events.get(target)
            if owner is None:
                self.report.skip(
                    self.where(number), f"{target} is not an imported annotation of this document"
                )
                continue
            if key == "attributes":
                owner.meta.setdefault("attributes", {})[name] = value
            else:
                owner.meta.setdefault(key, []).append(value)


def _role(part: str) -> tuple[str, str]:
    role, sep, ref = part.rpartition(":")
    if not sep or not role or not ref:
        raise _Bad(f"argument {part!r} is not Role:Id")
    return role, ref
