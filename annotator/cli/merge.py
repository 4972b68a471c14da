"""`annotator merge OUT.db A.db B.db ...`: the annotators' copies of a project brought into
one, each copy's annotations as its annotators' layers (annotator.store.merge)."""

from __future__ import annotations

import sys
import time

from annotator.cli.shared import EXIT_STATUS, open_store, project_file, say_waiting
from annotator.core.errors import AnnotatorError
from annotator.store.merge import check_inputs, merge_projects, new_merged_project
from annotator.store.project import ProjectStore


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "merge",
        help="merge annotators' copies of a project into one, each as their own layer",
        description="Merge the annotators' copies of a project (made with Save a copy or "
        "`annotator backup`) into OUT.db, created with the first copy's schema if absent. "
        "Each copy's spans, events and arguments come in as the layers of the annotators "
        "whose names they carry (rows without a name: the copy's file name). Articles are "
        "matched by their id, or by their text when they have none; articles OUT.db lacks "
        "are added; an id whose text differs is refused and reported. Merging an updated "
        "copy again replaces what that copy brought. Labels and types are united; "
        "conflicting definitions are reported (OUT.db keeps its own). A merge stopped "
        "part-way is finished by running it again.",
        epilog=EXIT_STATUS + " A refused article counts as something not done.",
    )
    parser.add_argument("out", metavar="OUT.db", help="the merged project (created if absent)")
    parser.add_argument("inputs", metavar="COPY.db", nargs="+", help="annotators' copies")


def run(args) -> int:
    # Every copy checked before OUT.db is made or written (a bad last file must not leave
    # the first ones merged); a file given twice is merged once.
    inputs, notes = check_inputs(args.out, [project_file(path) for path in args.inputs])
    started = time.perf_counter()
    reports = []
    if _exists(args.out):
        store = open_store(args.out)
    else:  # made from the first copy in seconds (start_from_copy), the rest merged into it
        store, reports = new_merged_project(args.out, inputs, _first_schema(inputs[0]))
        store.waiting = say_waiting()
    try:
        rest = inputs[len(reports) :]
        with store.activity("merge", "the merge of " + ", ".join(p.name for p in rest)):
            reports += merge_projects(store, rest, progress=_progress())
    finally:
        store.close()
    print(file=sys.stderr)
    for note in notes:
        print(f"note: {note}")
    for report in reports:
        print("\n".join(report.lines()))
    print(f"{args.out}: {len(reports)} file(s) merged in {time.perf_counter() - started:.1f} s")
    failed = any(r.refused or not r.finished for r in reports)
    return 1 if failed else 0


def _exists(path: str) -> bool:
    from pathlib import Path

    file = Path(path)
    return file.exists() and file.stat().st_size > 0


def _first_schema(path):
    source = ProjectStore(path, read_only=True, as_it_is=True)
    try:
        return source.schema
    except AnnotatorError:
        return None
    finally:
        source.close()


def _progress():
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            print(f"\rmerging: {done}/{total} articles", end="", file=sys.stderr, flush=True)

    return progress
