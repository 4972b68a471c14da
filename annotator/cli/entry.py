"""The `annotator` command: open the GUI, or run a subcommand on the same core functions.

    annotator [PROJECT.db]                          open the GUI (the demo project without one)
    annotator SUBCOMMAND ...                        import, export, stats, schema, suggest, train,
                                                    backup, merge

The formats `import` reads and `export` writes come from annotator.formats.registry. Problems
the user can act on (AnnotatorError) print as one line, `annotator: message`, never as a
traceback. Qt is imported only when the GUI starts, so the subcommands run anywhere.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.formats import registry

_USAGE = """annotator [PROJECT.db] [--schema SCHEMA.toml]
       annotator import PROJECT.db FILE_OR_FOLDER... [options]
       annotator export {{{exporters}}} PROJECT.db OUT [options]
       annotator stats PROJECT.db [--json]
       annotator schema PROJECT.db [--merge F | --replace F | --export F | --add-label NAME |
                                    --rename OLD NEW | --remove NAME]
       annotator suggest PROJECT.db (--model PATH_OR_NAME | --patterns FILE |
                                     --propagate TEXT --label L) [options]
       annotator train PROJECT.db OUTDIR [options]
       annotator backup PROJECT.db OUT.db [--force] | annotator backup --keep N PROJECT.db
       annotator merge OUT.db COPY.db...
       annotator agree PROJECT.db [--json] [--annotators A,B] [--label L]
       annotator adjudicate PROJECT.db [--auto] [--majority | --unanimous]"""


def usage() -> str:
    return _USAGE.format(exporters=",".join(registry.EXPORTERS))


# One module per subcommand (annotator.cli.NAME), each with add_parser(commands) and
# run(args); the order is the order of `annotator --help`. Imported when needed: a command
# imports its own module only (importing all of them, with the store, the schema's colours
# and the training checks, took half a second before `annotator import` read a line).
COMMANDS = {
    "import": "importing",
    "export": "exporting",
    "stats": "stats",
    "schema": "schema",
    "suggest": "suggest",
    "train": "train",
    "backup": "backup",
    "merge": "merge",
    "agree": "agree",
    "adjudicate": "adjudicate",
}
SUBCOMMANDS = tuple(COMMANDS)


def command_module(name: str) -> ModuleType:
    """The module of subcommand `name` (or "gui", "shared")."""
    return importlib.import_module(f"annotator.cli.{COMMANDS.get(name, name)}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command's parser; with `only`, a subcommand's parser alone (what running it
    needs: the others' modules stay unimported)."""
    from annotator.cli.shared import EXIT_STATUS

    parser = argparse.ArgumentParser(
        prog="annotator",
        usage=usage(),
        description="Label entities and events in news articles; import and export them ("
        + ", ".join(registry.titles([*registry.READERS.values(), *registry.EXPORTERS.values()]))
        + "). Without a subcommand, open PROJECT.db in the GUI (created if it doesn't exist), "
        "or a demo project when no project is given.",
        epilog="Run `annotator SUBCOMMAND --help` for the options of each subcommand. "
        + EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    # prog given: otherwise argparse builds the subcommands' usage from the custom USAGE.
    commands = parser.add_subparsers(
        dest="command",
        metavar="{" + ",".join(COMMANDS) + "}",
        title="subcommands",
        prog="annotator",
    )

    for name in (only,) if only else COMMANDS:
        command_module(name).add_parser(commands)
    return parser


def refuse_unknown_command(word: str) -> None:
    """A first word that is not a subcommand opens a project only if it names one: it ends in
    .db or exists. Otherwise it is a mistyped command (`annotator stat`), not a new project."""
    if word.endswith(".db") or Path(word).exists():
        return
    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "a project file's name ends in .db"
    print(f"annotator: no such command {word!r}; {hint}", file=sys.stderr)
    raise SystemExit(2)


def _project_argument(argv: list[str]) -> str | None:
    return next((word for word in argv if word.endswith(".db")), None)


def fail(message: str, code: int = 1) -> int:
    """cli.shared's, imported only when a failure is said (shared imports the store)."""
    from annotator.cli.shared import fail

    return fail(message, code)


def main(argv: list[str] | None = None) -> int:
    from_command_line = argv is None  # this process is the command (not a test calling it)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = None
    try:
        if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help", "--version")):
            only = argv[0] if argv[0] in SUBCOMMANDS else None
            args = build_parser(only).parse_args(argv)
            code = command_module(args.command).run(args)
            # Buffered output meets a closed pipe here, where it is handled, not at exit.
            sys.stdout.flush()
            if from_command_line and args.command == "export":
                _skip_the_last_collection()
            return code
        if argv and not argv[0].startswith("-"):
            refuse_unknown_command(argv[0])
        gui = command_module("gui")
        gui_args = gui.build_gui_parser(usage()).parse_args(argv)
        return gui.gui(gui_args.project, gui_args.schema)
    except SystemExit as leaving:  # argparse: --help, --version, usage errors
        code = leaving.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except AnnotatorError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error the person needs to see. Point
        # stdout at nothing so that the interpreter's final flush doesn't raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        from annotator.cli.shared import busy_message
        from annotator.store import disk
        from annotator.store.project import is_busy

        if isinstance(error, sqlite3.OperationalError) and is_busy(error):
            return fail(busy_message(getattr(args, "project", None), error))
        # A disk failing under a read (the writes are explained by the store already): name
        # the cause rather than show a traceback. Anything else is a bug: let it be seen.
        where = getattr(error, "filename", None) or _project_argument(argv)
        explained = disk.explain(error, where) if where else None
        if explained is None:
            raise
        return fail(explained)


def _skip_the_last_collection() -> None:
    """At exit Python's collector walks every object still there: after an export that
    loaded spaCy, 0.3 s of CPU, a tenth of a JSONL export's wall time on two cores. Frozen,
    they are freed without the walk. Only after an export, and only when the process is the
    command and ends next: its files are closed and its project is only read, so no object
    waits for that last collection to flush or close anything."""
    import gc

    gc.freeze()
