"""What every subcommand shares: the exit status wording, one-line failures, opening a
project that must exist, and the schema a new project is created with."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.layers import reserved_name
from annotator.core.schema import Schema
from annotator.formats.registry import Option
from annotator.store.project import ProjectStore

EXIT_STATUS = (
    "Exit status: 0 when everything worked, 1 when something could not be done "
    "(the message names the file and line), 2 for usage errors."
)
SCHEMA_HELP = (
    "label schema (TOML or JSON) for a project that doesn't exist yet; default: the "
    "news schema in resources/schemas/news.toml"
)


def fail(message: str, code: int = 1) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    return code


def existing_project(path: str) -> ProjectStore:
    """Open a project that must already exist: export and stats never create an empty one."""
    return open_store(project_file(path))


def reading_project(path: str) -> ProjectStore:
    """Open a project for a command that only reads it (export, stats): read-only, so that
    nothing is written to it. Only a project in an older format, which this annotator must
    upgrade to read it, opens read-write: it is upgraded (backed up first), as on opening."""
    file = project_file(path)
    store = ProjectStore(file, read_only=True, as_it_is=True)
    if not store.needs_upgrade():
        return store
    store.close()
    return open_store(file)


def project_file(path: str) -> Path:
    """The file of a project that must already exist, refused before anything opens it."""
    file = Path(path)
    if not file.exists():
        raise AnnotatorError(f"{path}: no such project file")
    if not file.is_file() or file.stat().st_size == 0:
        raise AnnotatorError(f"{path}: not an annotator project file")
    return file


def open_store(path: str | Path, schema: Schema | None = None) -> ProjectStore:
    """The project for a command: a write that finds the lock taken waits for it (saying so
    once on stderr) instead of failing with "database is locked"."""
    return ProjectStore(path, schema, waiting=say_waiting())


def say_waiting():
    """A store's waiting callback that prints one line per holder, then keeps waiting."""
    said: set[str] = set()

    def waiting(holder: str, _seconds: float) -> None:
        if holder not in said:
            said.add(holder)
            print(f"annotator: waiting for {holder} to finish…", file=sys.stderr, flush=True)

    return waiting


def busy_message(project: str | None, error: Exception) -> str:
    """A lock error that got past the waiting write path (a read during a checkpoint, a
    statement outside store.write()), worded for the person."""
    where = f"{project}: " if project else ""
    return (
        f"{where}the project is busy: another program is writing to it ({error}). Nothing more "
        "was done; try again when it has finished."
    )


def new_project_schema(project: str | Path, schema: str | None) -> Schema | None:
    """The schema to create a project with; refused for a project that already has one."""
    if schema is None:
        return None
    from annotator.core.schema import load_schema

    path = Path(project)
    if path.exists() and path.stat().st_size > 0:
        raise AnnotatorError(
            f"{project}: the project exists and keeps its own schema; "
            "--schema only applies when creating a project"
        )
    return load_schema(schema)


def report_command(
    commands, name: str, *, help: str, description: str, json_help: str
) -> argparse.ArgumentParser:
    """A subcommand that reads one existing project and prints a report, as text or, with
    --json, as JSON (agree, stats): the parser with those two arguments; the command adds its
    own options."""
    parser = commands.add_parser(name, help=help, description=description, epilog=EXIT_STATUS)
    parser.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    parser.add_argument("--json", action="store_true", help=json_help)
    return parser


def typed(convert):
    """An option's converter: a builtin (int) as argparse takes it, else its ValueError's
    message is what the user sees."""
    if convert is None or isinstance(convert, type):
        return convert

    def typed(value: str):
        try:
            return convert(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return typed


def add_option(parser: argparse.ArgumentParser, option: Option) -> None:
    """A format's option (declared in the registry) on a subcommand's parser."""
    parser.add_argument(
        option.flag,
        default=option.default,
        choices=option.choices,
        type=typed(option.type),
        metavar=option.metavar,
        help=option.help,
    )


def user_name(given: str | None, default: str) -> str:
    """Who a command's annotations are attributed to: the name given (--annotator), else the
    name the person set in the window (Edit › Your name…), else `default`."""
    if given is not None:
        if not given.strip():
            raise AnnotatorError("--annotator: give a name (it can't be empty)")
        if reserved_name(given):
            raise AnnotatorError(
                f"--annotator: {given.strip()!r} is the name of a layer the app keeps (gold: "
                "the adjudicated layer, written by `annotator adjudicate` and the window)"
            )
        return " ".join(given.split())
    from annotator.qt.identity_file import ASK_QT, saved_name

    # Read from QSettings' file when that is certain, to spare importing Qt; a process that
    # has the window's identity module loaded already (the window, tests) asks it.
    if "annotator.qt.identity" not in sys.modules:
        name = saved_name()
        if name is not ASK_QT:
            return name or default
    try:  # the window's setting lives in QSettings; Qt is only read, never needed
        from annotator.qt.identity import saved_name as qt_saved_name
    except ImportError:
        return default
    return qt_saved_name() or default
