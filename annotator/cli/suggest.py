"""`annotator suggest`: run a spaCy pipeline or a pattern file over the project."""

from __future__ import annotations

from pathlib import Path

from annotator.cli.progress import CANCELLED_EXIT, CommandProgress
from annotator.cli.shared import existing_project, typed
from annotator.core.errors import AnnotatorError
from annotator.formats.builtin import jobs


def add_parser(commands) -> None:
    suggest = commands.add_parser(
        "suggest",
        help="pre-annotate with a spaCy pipeline or patterns",
        description="Run a suggestion source over the project: a spaCy pipeline (an installed "
        "package name or a folder) whose ner/spancat/entity_ruler output is mapped "
        "onto the project's labels, or a pattern file (EntityRuler JSONL, or "
        "LABEL<TAB>term lines). Suggestions are stored apart from accepted spans; "
        "running a source again replaces its open suggestions and keeps decisions.",
        epilog="Examples: annotator suggest news.db --model ./my-ner --map ORGANIZATION=ORG "
        "--map MISC= ; annotator suggest news.db --propagate 'Kataib Hezbollah' --label ORG "
        "--whole-word",
    )
    suggest.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    what = suggest.add_mutually_exclusive_group(required=True)
    what.add_argument("--model", metavar="PATH_OR_NAME", help="a spaCy pipeline")
    what.add_argument(
        "--patterns", metavar="FILE", help="EntityRuler JSONL or LABEL<TAB>term lines"
    )
    what.add_argument("--source", metavar="NAME", help="a source added before, by name")
    what.add_argument(
        "--propagate",
        metavar="TEXT",
        help="label all occurrences of TEXT (with --label) as suggestions of the source "
        "'propagated', to review: places already labelled, suggested or rejected, and hits "
        "inside a longer word, are skipped",
    )
    suggest.add_argument("--label", help="with --propagate: the entity label to suggest")
    suggest.add_argument(
        "--match-case", action="store_true", help="with --propagate: exact case (default: any)"
    )
    suggest.add_argument(
        "--whole-word",
        action="store_true",
        help="with --propagate: not inside a longer word",
    )
    suggest.add_argument("--name", help="name to store the source under (default: from the path)")
    suggest.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="MODEL=PROJECT",
        help="label mapping; repeat it; MODEL= (empty) ignores a label; labels "
        "not mapped keep their name when the project has it; with "
        "--source, changes those labels' mapping and keeps the rest",
    )
    suggest.add_argument(
        "--articles",
        metavar="ID",
        type=int,
        nargs="+",
        help="only these article ids (default: the whole corpus)",
    )
    suggest.add_argument(
        "--jobs",
        type=typed(jobs),
        metavar="N",
        help="processes running the pipeline (default: every core); the suggestions are the "
        "same whatever the number",
    )


def parse_mapping(pairs: list[str]) -> dict:
    mapping = {}
    for pair in pairs:
        model_label, equals, project_label = pair.partition("=")
        if not equals or not model_label:
            raise AnnotatorError(f"--map {pair!r}: expected MODEL=PROJECT (or MODEL= to ignore)")
        mapping[model_label] = project_label or None
    return mapping


def run(args) -> int:
    from annotator.suggest.runner import run_suggestions

    if args.propagate is not None:
        return _propagate(args)
    if args.label or args.match_case or args.whole_word:
        raise AnnotatorError("--label, --match-case and --whole-word go with --propagate TEXT")
    store = existing_project(args.project)
    try:
        mapping = parse_mapping(args.map)
        unknown = sorted({t for t in mapping.values() if t} - set(store.schema.label_names))
        if unknown:
            raise AnnotatorError(
                f"--map: {', '.join(unknown)} is not a label of the project "
                "(see `annotator schema PROJECT.db`)"
            )
        if args.source:
            if args.name:
                raise AnnotatorError("--name names a new source; --source picks one already added")
            source = store.source(args.source)
            name = source.name
            if mapping:  # change some of its mapping, keep the rest
                store.add_source(name, source.kind, source.location, source.mapping | mapping)
        else:
            location = args.model or args.patterns
            kind = "model" if args.model else "patterns"
            if kind == "patterns" or Path(location).exists():
                location = str(Path(location).resolve())
            name = args.name or Path(location).stem or location
            store.add_source(name, kind, location, mapping)
        with (
            store.activity("suggest", f"the suggestions of {name}"),
            CommandProgress("suggest") as progress,
        ):
            report = run_suggestions(
                store,
                name,
                args.articles,
                progress=lambda done, total, ids: progress(done, total),
                jobs=args.jobs,
            )
    finally:
        store.close()
    print(report.summary())
    # Cancelled (Ctrl+C): the batches written before it are kept, each whole.
    return CANCELLED_EXIT if progress.cancelled else 0


def _propagate(args) -> int:
    """--propagate TEXT --label L: the same core function as Article › Label all occurrences."""
    from annotator.core.occurrences import MatchOptions
    from annotator.suggest.propagate import propagate

    if not args.label:
        raise AnnotatorError("--propagate TEXT needs --label LABEL (an entity label)")
    if args.map or args.name or args.jobs:
        raise AnnotatorError("--map, --name and --jobs go with --model, --patterns or --source")
    store = existing_project(args.project)
    try:
        with (
            store.activity("suggest", f"labelling all of {args.propagate!r}"),
            CommandProgress("label all") as progress,
        ):
            report = propagate(
                store,
                args.propagate,
                args.label,
                MatchOptions(args.match_case, args.whole_word),
                args.articles,
                progress=lambda done, total, ids: progress(done, total),
            )
    finally:
        store.close()
    print(report.summary())
    return CANCELLED_EXIT if progress.cancelled else 0


def print_suggestion_stats(rows: list[dict]) -> None:
    """Per source and label: what became of the suggestions (the model's observed precision)."""
    if not rows:
        return
    print("Suggestions (precision = accepted unchanged / decided):")
    print(
        f"  {'source':<16} {'label':<12} {'open':>6} {'accepted':>9} {'relabelled':>11} "
        f"{'resized':>8} {'rejected':>9} {'precision':>10}"
    )
    for r in rows:
        precision = "-" if r["precision"] is None else f"{r['precision'] * 100:.0f}%"
        print(
            f"  {r['source']:<16} {r['label']:<12} {r['open']:>6} {r['accepted']:>9} "
            f"{r['relabelled']:>11} {r['resized']:>8} {r['rejected']:>9} {precision:>10}"
        )
