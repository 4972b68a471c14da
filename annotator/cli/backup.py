"""`annotator backup PROJECT.db OUT.db`: a consistent copy of a project, made with SQLite's
online backup API, so it is safe while the app or an import is writing to the project; and
`annotator backup --keep N PROJECT.db`: how many automatic backups the project keeps."""

from __future__ import annotations

import time
from pathlib import Path

from annotator.cli.shared import EXIT_STATUS, existing_project, project_file
from annotator.core.errors import AnnotatorError
from annotator.store import backups, copies


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "backup",
        help="copy a project safely, even while it is open; set how many automatic backups "
        "are kept",
        description="Copy PROJECT.db to OUT.db with SQLite's online backup API: the copy is "
        "consistent even while the app or an import writes to the project. The copy is "
        "opened afterwards to check it. Besides, the app keeps automatic backups in the "
        "folder NAME.backups beside the project: one before the file is upgraded to a new "
        f"format and one a day of use, the newest {backups.DEFAULT_KEEP} unless --keep says "
        "otherwise.",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    parser.add_argument("out", metavar="OUT.db", nargs="?", help="the copy to write")
    parser.add_argument(
        "--force", action="store_true", help="replace OUT.db if it exists (never the project)"
    )
    parser.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="keep the newest N automatic backups of this project (a project setting; "
        f"default {backups.DEFAULT_KEEP})",
    )


def run(args) -> int:
    if args.out is None and args.keep is None:
        raise AnnotatorError("backup: give OUT.db to copy the project to, or --keep N")
    if args.keep is not None:
        store = existing_project(args.project)
        try:
            before = len(backups.automatic_backups(store.path))
            backups.set_kept(store, args.keep)
            removed = before - len(backups.automatic_backups(store.path))
        finally:
            store.close()
        gone = f"; removed {removed} older one(s)" if removed else ""
        print(
            f"{args.project}: keeping the newest {args.keep} automatic backup(s) in "
            f"{backups.backup_folder(args.project)}{gone}"
        )
    if args.out is not None:
        started = time.perf_counter()
        # Read-only, in the format it has: a backup never upgrades or writes the project.
        out = copies.backup_project(project_file(args.project), args.out, force=args.force)
        size = Path(out).stat().st_size / 1e6
        print(
            f"Copied {args.project} to {out} ({size:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s; the copy opens as a project."
        )
    return 0
