"""The `annotator` command: open the GUI, or run a subcommand on the same core functions.

    annotator [PROJECT.db]                          open the GUI (the demo project without one)
    annotator import PROJECT.db FILE_OR_FOLDER...   import articles (txt, JSONL, brat, CoNLL,
                                                    doccano, spaCy, CSV/TSV; cli_formats)
    annotator export spacy PROJECT.db OUTDIR        write train.spacy, dev.spacy, config.cfg
    annotator export jsonl PROJECT.db OUT.jsonl     write Prodigy-style JSONL
    annotator export brat PROJECT.db OUTDIR         write brat standoff (.txt + .ann, annotation.conf)
    annotator export conll PROJECT.db OUT.conll     write CoNLL 2003 style BIO tags
    annotator export doccano PROJECT.db OUT.jsonl   write doccano JSONL
    annotator stats PROJECT.db [--json]             articles per status, spans per label, events
    annotator schema PROJECT.db [--merge F ...]     show or change labels, event and relation types

Problems the user can act on (AnnotatorError) print as one line, `annotator: message`, never
as a traceback. Qt is imported only when the GUI starts, so the subcommands run anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from annotator import __version__, cli_formats, cli_schema, cli_suggest
from annotator.core.errors import AnnotatorError

SUBCOMMANDS = ("import", "export", "stats", "schema", "suggest", "train")
NO_DISPLAY = ("annotator: no display found; run the GUI under a desktop session, or headless "
              "with `xvfb-run -a annotator ...`")
USAGE = """annotator [PROJECT.db] [--schema SCHEMA.toml]
       annotator import PROJECT.db FILE_OR_FOLDER... [options]
       annotator export {spacy,jsonl,brat,conll,doccano} PROJECT.db OUT [options]
       annotator stats PROJECT.db [--json]
       annotator schema PROJECT.db [--merge F | --replace F | --export F | --add-label NAME |
                                    --rename OLD NEW | --remove NAME]
       annotator suggest PROJECT.db (--model PATH_OR_NAME | --patterns FILE) [options]
       annotator train PROJECT.db OUTDIR [options]"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", usage=USAGE,
        description="Label entities and events in news articles; import and export them "
                    "(spaCy, Prodigy JSONL, brat, CoNLL, doccano, CSV). Without a subcommand, open PROJECT.db in the GUI (created "
                    "if it doesn't exist), or a demo project when no project is given.",
        epilog="Run `annotator SUBCOMMAND --help` for the options of each subcommand. "
               + cli_formats.EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    # prog given: otherwise argparse builds the subcommands' usage from the custom USAGE.
    commands = parser.add_subparsers(dest="command",
                                     metavar="{import,export,stats,schema,suggest,train}",
                                     title="subcommands", prog="annotator")

    cli_formats.add_import_parser(commands, SCHEMA_HELP)
    cli_formats.add_export_parser(commands)

    stats = commands.add_parser("stats", help="articles per status, spans per label, events",
                                description="Show articles per status, accepted spans per "
                                            "label, events per type with their arguments per "
                                            "role, relations per type, and how many articles "
                                            "are done.",
                                epilog=cli_formats.EXIT_STATUS)
    stats.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")
    cli_schema.add_parser(commands, cli_formats.EXIT_STATUS)
    cli_suggest.add_parsers(commands)
    return parser


SCHEMA_HELP = ("label schema (TOML or JSON) for a project that doesn't exist yet; default: the "
               "news schema in resources/schemas/news.toml")


def build_gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotator", usage=USAGE)
    parser.add_argument("project", metavar="PROJECT.db", nargs="?")
    parser.add_argument("--schema", metavar="SCHEMA.toml", help=SCHEMA_HELP)
    return parser


def new_project_schema(project: str | Path, schema: str | None):
    """The schema to create a project with; refused for a project that already has one."""
    if schema is None:
        return None
    from annotator.core.schema import load_schema

    path = Path(project)
    if path.exists() and path.stat().st_size > 0:
        raise AnnotatorError(f"{project}: the project exists and keeps its own schema; "
                             "--schema only applies when creating a project")
    return load_schema(schema)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help", "--version")):
            args = build_parser().parse_args(argv)
            return COMMANDS[args.command](args)
        gui_args = build_gui_parser().parse_args(argv)
        return gui(gui_args.project, gui_args.schema)
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


def fail(message: str, code: int = 1) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    return code


def existing_project(path: str):
    """Open a project that must already exist: export and stats never create an empty one."""
    from annotator.store.project import ProjectStore

    file = Path(path)
    if not file.exists():
        raise AnnotatorError(f"{path}: no such project file")
    if not file.is_file() or file.stat().st_size == 0:
        raise AnnotatorError(f"{path}: not an annotator project file")
    return ProjectStore(file)


def project_stats(store) -> dict:
    statuses = store.status_counts()
    labels = store.label_counts()
    total = sum(statuses.values())
    stats = {"project": str(store.path), "articles": total, "done": statuses.get("done", 0),
             "statuses": statuses, "spans": sum(labels.values()), "spans_per_label": labels}
    return stats | store.event_stats() | {"suggestions": store.suggestion_stats()}


def cmd_stats(args) -> int:
    store = existing_project(args.project)
    try:
        stats = project_stats(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"{stats['project']}: {stats['done']} of {stats['articles']} article(s) done")
    print("Articles per status:")
    for status, count in stats["statuses"].items():
        print(f"  {status.replace('_', ' '):<12} {count}")
    print(f"Accepted entity spans: {stats['spans']}")
    for label, count in stats["spans_per_label"].items():
        print(f"  {label:<12} {count}")
    print(f"Events: {stats['events']} with {stats['arguments']} argument(s)")
    for event_type, count in stats["events_per_type"].items():
        roles = stats["arguments_per_type_and_role"].get(event_type, {})
        shown = ", ".join(f"{role} {n}" for role, n in roles.items()) or "no arguments"
        print(f"  {event_type:<12} {count}  ({shown})")
    if stats["arguments_per_role"]:
        print("Arguments per role:")
        for role, count in stats["arguments_per_role"].items():
            print(f"  {role:<12} {count}")
    print(f"Relations: {stats['relations']}")
    for rel_type, count in stats["relations_per_type"].items():
        print(f"  {rel_type:<12} {count}")
    cli_suggest.print_suggestion_stats(stats["suggestions"])
    return 0


COMMANDS = {"import": lambda args: cli_formats.cmd_import(args, new_project_schema),
            "export": lambda args: cli_formats.cmd_export(args, existing_project),
            "stats": cmd_stats,
            "schema": lambda args: cli_schema.cmd_schema(args, existing_project),
            "suggest": lambda args: cli_suggest.cmd_suggest(args, existing_project),
            "train": lambda args: cli_suggest.cmd_train(args, existing_project)}


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def gui(project: str | None, schema: str | None = None) -> int:
    # Checked before Qt loads: without a display Qt aborts the process with a long message.
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    if project is None:
        from annotator.demo import demo_project_path

        path = demo_project_path()
    else:
        path = Path(project)
        if path.is_dir():
            raise AnnotatorError(f"{project}: is a folder, not a project file")
        if not path.parent.is_dir():
            raise AnnotatorError(f"{project}: the folder {path.parent} does not exist")
        if schema is not None:
            from annotator.store.project import ProjectStore

            ProjectStore(path, new_project_schema(path, schema)).close()
    return launch_gui(path)


def launch_gui(path: Path) -> int:
    try:
        from annotator.qt.app import run_gui
    except ImportError as error:
        raise AnnotatorError(f"cannot start the GUI ({error}); is PySide6 installed?") from error
    return run_gui(path)


if __name__ == "__main__":
    sys.exit(main())
