"""`annotator export FORMAT`: one subcommand per exporter in the registry, with the options
the exporter declares."""

from __future__ import annotations

import sys

from annotator.cli.progress import CANCELLED_EXIT, CommandProgress
from annotator.cli.shared import EXIT_STATUS, add_option, reading_project, typed
from annotator.core.layers import GOLD
from annotator.formats import registry


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("N must be 1 or more")
    return number


def add_parser(commands) -> None:
    exp = commands.add_parser(
        "export",
        help="export annotations: " + _either(registry.titles(registry.EXPORTERS.values())),
        description="Export the articles that have accepted spans or are marked done (brat "
        "and doccano: every article not marked skipped), or only the done ones with "
        "--done-only. Nothing is written when the "
        "export fails or finds nothing to export. Each report lists what the "
        "format could not hold.",
        epilog=EXIT_STATUS,
    )
    names = ",".join(registry.EXPORTERS)
    formats = exp.add_subparsers(
        dest="format", metavar="{" + names + "}", title="formats", prog="annotator export"
    )
    formats.required = True
    for entry in registry.EXPORTERS.values():
        parser = _format(
            formats,
            entry.name,
            entry.target,
            "folder to write (created if absent)" if entry.folder else "file to write",
            entry.short,
            entry.description,
        )
        for option in entry.options:
            add_option(parser, option)
        if entry.jobs:
            parser.add_argument(
                "--jobs",
                type=typed(_positive),
                metavar="N",
                help="processes to tokenize with (default: every core; one for a small "
                "export); the output is the same whatever N",
            )


def _format(formats, name: str, out: str, out_help: str, short: str, description: str):
    parser = formats.add_parser(name, help=short, description=description, epilog=EXIT_STATUS)
    parser.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    parser.add_argument("out", metavar=out, help=out_help)
    parser.add_argument("--done-only", action="store_true", help="only articles marked done")
    layer = parser.add_mutually_exclusive_group()
    layer.add_argument(
        "--annotator",
        metavar="NAME",
        help="export only NAME's layer, on the articles holding NAME's spans or events (see "
        "`annotator stats`: annotators; `gold` is the adjudicated layer); default: the gold "
        "layer when the project has one, else every layer together",
    )
    layer.add_argument(
        "--all-layers",
        action="store_true",
        help="every annotator's layer together (gold too), even when the project has gold",
    )
    return parser


def run(args) -> int:
    from annotator.formats.records import Cancelled

    store = reading_project(args.project)
    entry = registry.exporter(args.format)
    options = {option.dest: getattr(args, option.dest) for option in entry.options}
    if entry.jobs:
        options["jobs"] = args.jobs
    try:
        store.read_layer = store.export_layer(args.annotator, args.all_layers, args.project)
        with CommandProgress(f"export {args.format}") as progress:
            report = entry.function()(
                store, args.out, done_only=args.done_only, progress=progress, **options
            )
    except (Cancelled, KeyboardInterrupt) as stop:
        how = "cancelled" if isinstance(stop, Cancelled) else "interrupted"
        # Exports write a hidden partial file (or folder) and put it in place at the end.
        print(f"annotator: export {how}: nothing was written to {args.out}", file=sys.stderr)
        return CANCELLED_EXIT
    finally:
        store.close()
    print(report.summary())
    if args.annotator is not None and args.annotator != GOLD:
        # Said because it differs from an export of every layer: an article only someone
        # else annotated (even one marked done) is not NAME's negative example.
        print(
            f"only {args.annotator}'s layer: articles without {args.annotator}'s spans or "
            "events were left out, whatever their status"
        )
    return 0


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
