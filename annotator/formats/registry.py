"""Every format annotator reads or writes, registered once (as spaCy keeps its CONVERTERS).

This module is the mechanism; the formats annotator ships are registered in
annotator.formats.builtin (which the formats package loads, so the tables are always full).
To add a format, write its package (reader and/or writer side by side) and register it there,
or call register_reader / register_exporter. Everything else is derived from the entries: `annotator import --format` and `annotator export FORMAT` (choices,
options, help), the suffixes detection and folder imports go by, the import file dialog's
filter, and the File › Export menu.

Functions are named "module:function" and imported when first used: building the command
line's parser, or the window's menus, must not wait for spaCy (a second to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def load(ref: str) -> Callable:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Option:
    """An option a format takes: on the command line (`flag`), in File › Import with options
    (`label`, and `choice_labels` or `placeholder`), and as the keyword `dest`. `type` raises
    ValueError on a bad value; the command line reports its message."""

    flag: str
    help: str
    default: Any = None
    choices: tuple | None = None
    type: Callable[[str], Any] | None = None
    metavar: str | None = None
    label: str = ""  # its row in the import dialog
    choice_labels: tuple[str, ...] = ()  # the dialog's words for `choices`
    placeholder: str = ""  # what an empty field means, in the dialog

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Reader:
    """An import format. The function reads (path, report, encoding, **keywords) and yields
    ArticleRecords."""

    name: str
    read: str  # "module:function"
    help: tuple[str, ...] = ()  # its lines in `annotator import --help`; (): shares the next's
    title: str = ""  # how a list of formats names it ("CoNLL"); the same title is named once
    suffixes: tuple[str, ...] = ()  # listed by folder imports and the import file dialog
    claims: tuple[str, ...] = ()  # suffixes that are this format whatever the content
    dialog_only: tuple[str, ...] = ()  # shown in the file dialog, left to detection
    # An import option's dest (declared with import_option) -> the reader's keyword.
    options: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, Any] = field(default_factory=dict)  # keywords always given
    schema: str | None = None  # the keyword that gets the project's schema, if any
    utf16_hint: bool = False  # written by browser tools, whose offsets may count UTF-16 units
    # "module:Class" made once per import, whose .reader(store, path, root) gives the reader
    # of one file: for formats with state across files (brat's annotation.conf per folder).
    setup: str | None = None

    def function(self) -> Callable:
        return load(self.read)

    def make_setup(self, report, unknown_labels: str):
        return load(self.setup)(report, unknown_labels) if self.setup else None


@dataclass(frozen=True)
class Exporter:
    """An export format. The function takes (store, target, *, done_only, progress,
    **options) and returns a report with .summary()."""

    name: str
    write: str  # "module:function"
    folder: bool  # writes a folder (else one file)
    target: str  # the target's name on the command line: OUTDIR, OUT.jsonl
    short: str  # its line under `annotator export --help`
    description: str  # `annotator export NAME --help`
    menu: str  # File › Export entry
    tip: str = ""
    shortcut: str | None = None
    options: tuple[Option, ...] = ()
    suffix: str = ""  # a one-file export's default suffix
    file_filter: str = ""  # the save dialog's filter for a one-file export
    title: str = ""  # how a list of formats names it ("spaCy")
    jobs: bool = False  # takes jobs= (processes; --jobs N on the command line)
    # Takes articles without spans too (tools a corpus goes to for more annotation: brat,
    # doccano), as its writer's Export(unlabelled=True) does; the export dialog counts so.
    unlabelled: bool = False

    def function(self) -> Callable:
        return load(self.write)


READERS: dict[str, Reader] = {}
EXPORTERS: dict[str, Exporter] = {}
IMPORT_OPTIONS: dict[str, Option] = {}  # by dest, in the order declared


def import_option(option: Option) -> Option:
    """Declare an option some reader takes (a reader's `options` name it by dest)."""
    IMPORT_OPTIONS[option.dest] = option
    return option


def register_reader(reader: Reader) -> Reader:
    unknown = set(reader.options) - set(IMPORT_OPTIONS)
    if unknown:
        raise ValueError(f"{reader.name}: declare {', '.join(sorted(unknown))} with import_option")
    READERS[reader.name] = reader
    return reader


def register_exporter(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.name] = exporter
    return exporter


def reader(name: str) -> Reader:
    return READERS[name]


def exporter(name: str) -> Exporter:
    return EXPORTERS[name]


def listed_suffixes() -> tuple[str, ...]:
    """What a folder import picks up (a brat .ann is found through its .txt)."""
    return tuple(dict.fromkeys(s for r in READERS.values() for s in r.suffixes))


def claimed_suffixes() -> dict[str, str]:
    """Suffix -> the format a file with it is, whatever its content."""
    return {s: r.name for r in READERS.values() for s in r.claims}


def import_filter() -> str:
    """The import file dialog's filter: every suffix a format lists, claims or opens."""
    suffixes = dict.fromkeys(
        s for r in READERS.values() for s in (*r.suffixes, *r.claims, *r.dialog_only)
    )
    return f"Articles and annotations ({' '.join('*' + s for s in suffixes)});;All files (*)"


def import_options() -> list[Option]:
    """The options some registered reader takes, as the command line and the dialog offer
    them."""
    used = {dest for r in READERS.values() for dest in r.options}
    return [option for dest, option in IMPORT_OPTIONS.items() if dest in used]


def import_option_values(given: dict[str, Any]) -> dict[str, Any]:
    """Every import option's value: the one given, else its default."""
    unknown = set(given) - set(IMPORT_OPTIONS)
    if unknown:
        raise TypeError(f"no import option {', '.join(sorted(unknown))}")
    return {dest: given.get(dest, option.default) for dest, option in IMPORT_OPTIONS.items()}


def titles(entries) -> list[str]:
    """The formats as a list names them, each title once, in registry order."""
    return list(dict.fromkeys(entry.title or entry.name for entry in entries))


def import_help() -> str:
    """The list of formats in `annotator import --help`."""
    lines = []
    names: list[str] = []
    for entry in READERS.values():
        names.append(entry.name)
        if not entry.help:
            continue
        label = ", ".join(names)
        names = []
        lines.append(f"  {label:<12}{entry.help[0]}")
        lines += [" " * 14 + line for line in entry.help[1:]]
    return "\n".join(lines)
