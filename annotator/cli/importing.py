"""`annotator import`: its options and help (the formats from the registry) and the command.

Format modules are imported when a command runs, not when the parser is built, so that
`annotator --help` answers at once (spaCy alone takes a second to import).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from annotator.cli.progress import CANCELLED_EXIT, CommandProgress
from annotator.cli.shared import (
    EXIT_STATUS,
    SCHEMA_HELP,
    add_option,
    new_project_schema,
    open_store,
    user_name,
)
from annotator.formats import registry

IMPORT_DESCRIPTION = """\
Import articles and their annotations. The format of each file comes from its extension and
content, unless --format names it:
{formats}
A folder imports every file of these kinds in it, subfolders included (hidden ones, READMEs
and licences left out); each file's sub-folder goes to its articles' meta as "folder". The
project is created if it doesn't exist. Each file (each brat document) is imported whole or
not at all; articles already there (same id, or same text) are left out; the report lists
every record skipped, with file:line and the reason, and every field not read."""


def add_parser(commands) -> None:
    imp = commands.add_parser(
        "import",
        help="import articles: " + ", ".join(registry.titles(registry.READERS.values())),
        description=IMPORT_DESCRIPTION.format(formats=registry.import_help()),
        epilog=textwrap.fill(EXIT_STATUS, 88),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("project", metavar="PROJECT.db", help="project file (created if absent)")
    imp.add_argument(
        "paths", metavar="FILE_OR_FOLDER", nargs="+", help="files or folders to import"
    )
    imp.add_argument(
        "--format",
        choices=tuple(registry.READERS),
        dest="fmt",
        help="read every file as this format (default: by extension and content; "
        "a .txt with a .ann beside it is brat)",
    )
    imp.add_argument(
        "--encoding",
        help="text encoding of what is not valid UTF-8, such as cp1252 (Windows' Western "
        "European): UTF-8 files stay UTF-8, a UTF-8 file with a few stray bytes has only those "
        "read in it, a byte order mark (UTF-8, UTF-16, UTF-32) always decides, and a file it "
        "does not read as text is refused with the encoding that does",
    )
    imp.add_argument("--schema", metavar="SCHEMA.toml", help=SCHEMA_HELP)
    imp.add_argument(
        "--lang",
        metavar="CODE",
        help="the texts' language as a spaCy code (fi, ru, de, ...; xx for any): sets the "
        "project's language (tokens, the CoNLL and spaCy exports, the training config) "
        "when it has no articles yet; refused for one with articles in another language",
    )
    imp.add_argument(
        "--unknown-labels",
        choices=("add", "skip", "error"),
        default="add",
        help="labels, event types and roles the schema lacks: add them (default; "
        "a brat annotation.conf is merged too), skip the annotation, or "
        "refuse the file",
    )
    for option in registry.import_options():  # each declared once, with its readers
        add_option(imp, option)
    imp.add_argument(
        "--annotator",
        metavar="NAME",
        help="attribute the imported annotations to NAME (their layer when several people "
        "annotate); default: the name set in the window (Edit > Your name...), else 'import'",
    )
    imp.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when any record was skipped, not only when a file failed",
    )


def set_language(store, language: str) -> None:
    from annotator.core.schema_edit import with_language

    schema = with_language(store.schema, language, store.count_articles())
    if schema is not store.schema:
        store.set_schema(schema)


def run(args) -> int:
    from annotator.formats.importer import import_paths
    from annotator.formats.records import Cancelled

    missing = [p for p in args.paths if not Path(p).exists()]
    if len(missing) == len(args.paths):
        # Nothing to read: say so without creating an empty project as a side effect.
        for path in missing:
            print(f"annotator: {path}: no such file or folder", file=sys.stderr)
        return 1
    annotator = user_name(args.annotator, "import")
    store = open_store(args.project, new_project_schema(args.project, args.schema))
    store.annotator = annotator
    what = "the import of " + ", ".join(Path(p).name or p for p in args.paths[:3])
    what += f" and {len(args.paths) - 3} more" if len(args.paths) > 3 else ""
    try:
        store.refuse_if_read_only()
        if args.lang:
            set_language(store, args.lang)
        with store.activity("import", what), CommandProgress("import") as progress:
            report = import_paths(
                store,
                args.paths,
                fmt=args.fmt,
                encoding=args.encoding,
                unknown_labels=args.unknown_labels,
                progress=progress,
                **{o.dest: getattr(args, o.dest) for o in registry.import_options()},
            )
    except Cancelled as cancelled:
        return _stopped("cancelled", cancelled.args[0] if cancelled.args else None)
    except KeyboardInterrupt:
        return _stopped("interrupted", None)
    finally:
        store.close()
    print(report.summary())
    return 0 if report.ok and not (args.strict and report.skipped) else 1


def _stopped(how: str, report) -> int:
    """What a Ctrl+C kept: each file is imported whole or not at all, so the files finished
    before it are in the project and the one being read left nothing."""
    done = report.files if report is not None else None
    if done:
        print(report.summary())
        kept = f"the {len(done)} file(s) imported before it are kept whole (listed above)"
    elif done is None:
        kept = "files imported before it, if any, are kept whole"
    else:
        kept = "nothing was imported"
    print(
        f"annotator: import {how}: the file being read left nothing in the project; {kept}",
        file=sys.stderr,
    )
    return CANCELLED_EXIT
