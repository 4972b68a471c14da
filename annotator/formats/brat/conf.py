"""brat's annotation.conf: read into a Schema to merge into the project's, and written from one.

Reading follows brat's own parser (server/src/projectconfig.py): sections [entities],
[relations], [events], [attributes]; one type a line, indented for hierarchy; `!Type` is
abstract (hierarchy only, never annotated), `Name|Alias` keeps the first name, `<M>=A|B` is a
macro for the lines after it in its section, `---` lines separate. Arguments are
`Role:Type|Type`, the role marked ? * + or {n} for how often it may occur: the schema lets
any role repeat, so the marks are dropped. <ANY> allows any entity or event.

brat stores a type under a name of letters, digits, _ and - only (Conflict.Attack becomes
Conflict_Attack); the export writes those names, with `#annotator-name` comments saying what
they stand for, and the import reads them back as the project's own names (brat_names) or
as the comments say, so a dotted ACE-style schema survives the trip.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from annotator.core.attributes import AttributeType
from annotator.core.schema import ANY_ENTITY, ANY_EVENT, EventType, Label, Role, Schema, valid_name
from annotator.formats.reading import read_text

CONF = "annotation.conf"
# An event's meta key for brat's own role names, argument by argument (Theme2, Site2), when
# they differ from the stored ones (Theme, Site): the numbers say which Site goes with which
# Theme, and the export writes them back.
BRAT_ROLES = "brat_roles"
_LINE = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
_MACRO = re.compile(r"^<([A-Za-z_-]+)>=\s*(.*?)\s*$")
_ROLE_MARKS = re.compile(r"(\{\d*(?:-\d*)?\}|[?*+])+$")
ANY = "<ANY>"
_UNSTORABLE = re.compile(r"[^A-Za-z0-9_-]")
EQUIVALENCE = ("symmetric", "transitive")


@dataclass
class BratConf:
    schema: Schema
    path: str = ""
    equivalences: set[str] = field(
        default_factory=set
    )  # relation types marked symmetric-transitive
    notes: list[str] = field(default_factory=list)  # what the schema can't hold
    names: dict[str, str] = field(default_factory=dict)  # brat's spelling -> the name we wrote


def storage_form(name: str) -> str:
    """The name brat keeps a type under (projectconfig.normalize_to_storage_form)."""
    return name if name.startswith("<") else _UNSTORABLE.sub("_", name)


def brat_names(schema: Schema) -> dict[str, str]:
    """{brat's spelling: the schema's name} for the names brat must spell otherwise (unless two
    names share a spelling, or the spelling is itself a name)."""
    names = schema.names
    forms: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if storage_form(name) != name:
            forms[storage_form(name)].append(name)
    return {
        form: found[0] for form, found in forms.items() if len(found) == 1 and form not in names
    }


def renamed(schema: Schema, names: dict[str, str]) -> Schema:
    """A conf's schema with brat's spellings of the project's names put back."""
    if not names:
        return schema

    def retype(t: EventType) -> EventType:
        roles = tuple(Role(r.name, tuple(names.get(f, f) for f in r.fillers)) for r in t.roles)
        return replace(t, name=names.get(t.name, t.name), roles=roles)

    return replace(
        schema,
        entities=[
            replace(label, name=names.get(label.name, label.name)) for label in schema.entities
        ],
        events=[retype(t) for t in schema.events],
        relations=[retype(t) for t in schema.relations],
        attributes=[
            replace(a, targets=tuple(names.get(t, t) for t in a.targets)) for a in schema.attributes
        ],
    )


def find_conf(folder: Path, stop: Path | None = None) -> Path | None:
    """The annotation.conf that applies to documents in `folder`: brat looks there, then in
    each parent; we stop at the folder the person asked to import (or the filesystem root)."""
    folder = folder.resolve()
    stop = stop.resolve() if stop is not None else None
    for candidate in (folder, *folder.parents):
        if (candidate / CONF).is_file():
            return candidate / CONF
        if candidate == stop:
            return None
    return None


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> BratConf:
    return parse_conf(read_text(Path(path)), path)


def load_conf(path: Path) -> BratConf:
    return _load(str(path), path.stat().st_mtime)


def _sections(text: str) -> dict[str, list[tuple[int, str]]]:
    sections: dict[str, list[tuple[int, str]]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[(.*)\]\s*$", line)
        if header:
            current = sections.setdefault(header.group(1).strip(), [])
        elif current is not None:
            current.append((number, line))
    return sections


def _entries(lines, source: str, notes: list[str]):
    """(line number, name, [(role, [types])], specials) for each usable line of a section."""
    macros: dict[str, str] = {}
    for number, line in lines:
        if not line.strip() or line.lstrip().startswith("#") or re.match(r"^\s*-+\s*$", line):
            continue
        macro = _MACRO.match(line)
        if macro:
            macros[f"<{macro.group(1)}>"] = macro.group(2)
            continue
        for name, value in macros.items():
            line = line.replace(name, value)
        match = _LINE.match(line)
        if not match:
            continue
        name = match.group(2).split("|")[0]
        if name.startswith("!"):
            notes.append(
                f"{source}:{number}: {name} is abstract in brat (hierarchy only); not added"
            )
            continue
        if name.startswith("<") or name == "ENTITY-NESTING":
            notes.append(
                f"{source}:{number}: brat's special {name} has no counterpart here; ignored"
            )
            continue
        args, specials = [], {}
        for raw in (match.group(3) or "").split(","):
            if ":" not in raw.strip():
                continue
            key, types = raw.strip().split(":", 1)
            if key.startswith("<"):
                specials[key] = types
                continue
            args.append((_ROLE_MARKS.sub("", key), [t for t in types.split("|") if t]))
        yield number, name, args, specials


def _fillers(types: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for filler in types:
        wanted = [ANY_ENTITY, ANY_EVENT] if filler == ANY else [filler]
        out += [f for f in wanted if f not in out]
    return tuple(out)


# Our export writes, as comments brat skips, the names it had to spell otherwise, so that
# an import into a project without those names still gets them back.
_NAME_COMMENT = re.compile(r"^#\s*annotator-name\t(\S+)\t(\S+)\s*$")


def _declared_names(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = _NAME_COMMENT.match(line)
        if match and storage_form(match.group(2)) == match.group(1) and valid_name(match.group(2)):
            found[match.group(1)] = match.group(2)
    return found


def parse_conf(text: str, source: str = CONF) -> BratConf:
    sections = _sections(text)
    notes: list[str] = []
    entities = [
        Label(name, "#cccccc")
        for _, name, _, _ in _entries(sections.get("entities", []), source, notes)
    ]
    conf = BratConf(
        Schema(name=f"brat ({source})", entities=entities),
        source,
        notes=notes,
        names=_declared_names(text),
    )
    for section, relation in (("relations", True), ("events", False)):
        found = []
        for _, name, args, specials in _entries(sections.get(section, []), source, notes):
            roles: dict[str, Role] = {}
            for role, types in args:
                merged = _fillers([*(roles[role].fillers if role in roles else ()), *types])
                roles[role] = Role(role, merged)
            found.append(EventType(name, "#cccccc", roles=tuple(roles.values()), relation=relation))
            kinds = specials.get("<REL-TYPE>", "").split("-")
            if relation and (all(k in kinds for k in EQUIVALENCE) or name == "Equiv"):
                conf.equivalences.add(name)
        if relation:
            conf.schema.relations = found
        else:
            conf.schema.events = found
    conf.schema.attributes = _attributes(sections.get("attributes", []), source, notes)
    return conf


def _attributes(lines, source: str, notes: list[str]) -> list[AttributeType]:
    """brat's [attributes]: `Name Arg:Type|Type[, Value:V1|V2]` (no Value: a flag)."""
    found: list[AttributeType] = []
    for number, name, args, _ in _entries(lines, source, notes):
        fields = {key: types for key, types in args}
        raw = fields.get("Arg", [])
        # <ENTITY>, <EVENT> and <RELATION> stay wildcards; <ANY> means any annotation.
        targets = () if ANY in raw else tuple(dict.fromkeys(raw))
        values = tuple(dict.fromkeys(fields.get("Value", [])))
        bad = [v for v in (name, *values) if not valid_name(v)]
        if bad:
            notes.append(f"{source}:{number}: attribute {name}: {bad[0]!r} is not a usable name")
            continue
        found.append(AttributeType(name, values, targets))
    return found


def _types(fillers: tuple[str, ...]) -> str:
    return "|".join(storage_form(f) for f in fillers) if fillers else ANY


def write_conf(
    schema: Schema, attributes: dict[str, dict] | None = None, equivalences: set[str] = frozenset()
) -> str:
    """annotation.conf for the schema. Event roles are marked * (any number of fillers), as the
    schema allows; attributes are those found on the exported annotations
    ({name: {"targets": {"<ENTITY>", ...}, "values": {...}}}), which the schema doesn't list."""
    lines = [f"# Written by annotator from the project's schema ({schema.name}).", ""]
    spelled = brat_names(schema)
    if spelled:
        lines += ["# brat's spelling and the name it stands for, read back by annotator's import:"]
        lines += [f"#annotator-name\t{form}\t{name}" for form, name in sorted(spelled.items())]
        lines += [""]
    lines += ["[entities]", ""]
    lines += [storage_form(label.name) for label in schema.entities]
    lines += ["", "[relations]", ""]
    for relation in schema.relations:
        args = [f"{role.name}:{_types(role.fillers)}" for role in relation.roles]
        if storage_form(relation.name) in equivalences:
            args.append("<REL-TYPE>:symmetric-transitive")
        name = storage_form(relation.name)
        lines.append(f"{name}\t{', '.join(args)}" if args else name)
    lines += ["", "[events]", ""]
    for event in schema.events:
        args = [f"{role.name}*:{_types(role.fillers)}" for role in event.roles]
        name = storage_form(event.name)
        lines.append(f"{name}\t{', '.join(args)}" if args else name)
    lines += ["", "[attributes]", ""]
    lines += _attribute_lines(schema, attributes or {})
    return "\n".join(lines) + "\n"


def _attribute_lines(schema: Schema, found: dict[str, dict]) -> list[str]:
    """The schema's attributes (its values in its order, then any others the annotations
    hold), then those only the annotations have: brat's visual tool shows no value it
    doesn't declare."""
    lines = []
    for attribute in schema.attributes:
        spec = found.get(attribute.name, {"targets": set(), "values": set()})
        targets = list(attribute.targets) or [ANY]
        targets += sorted(set(spec["targets"]) - set(targets) - {ANY})
        line = f"{storage_form(attribute.name)}\tArg:{'|'.join(storage_form(t) for t in targets)}"
        extra = sorted(
            str(v) for v in spec["values"] if v is not True and v not in attribute.values
        )
        values = [*attribute.values, *extra]
        if values:
            line += f", Value:{'|'.join(values)}"
        lines.append(line)
    for name, spec in sorted(found.items()):
        if schema.attribute(name) is not None:
            continue
        line = f"{storage_form(name)}\tArg:{'|'.join(sorted(spec['targets']))}"
        values = sorted(str(v) for v in spec["values"] if v is not True)
        if values:
            line += f", Value:{'|'.join(values)}"
        lines.append(line)
    return lines
