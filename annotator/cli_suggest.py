"""`annotator suggest` and `annotator train`: the model loop from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.errors import AnnotatorError


def add_parsers(commands) -> None:
    suggest = commands.add_parser(
        "suggest", help="pre-annotate with a spaCy pipeline or patterns",
        description="Run a suggestion source over the project: a spaCy pipeline (an installed "
                    "package name or a folder) whose ner/spancat/entity_ruler output is mapped "
                    "onto the project's labels, or a pattern file (EntityRuler JSONL, or "
                    "LABEL<TAB>term lines). Suggestions are stored apart from accepted spans; "
                    "running a source again replaces its open suggestions and keeps decisions.",
        epilog="Example: annotator suggest news.db --model ./my-ner --map ORGANIZATION=ORG "
               "--map MISC=", )
    suggest.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    what = suggest.add_mutually_exclusive_group(required=True)
    what.add_argument("--model", metavar="PATH_OR_NAME", help="a spaCy pipeline")
    what.add_argument("--patterns", metavar="FILE", help="EntityRuler JSONL or LABEL<TAB>term lines")
    what.add_argument("--source", metavar="NAME", help="a source added before, by name")
    suggest.add_argument("--name", help="name to store the source under (default: from the path)")
    suggest.add_argument("--map", action="append", default=[], metavar="MODEL=PROJECT",
                         help="label mapping; repeat it; MODEL= (empty) ignores a label; labels "
                              "not mapped keep their name when the project has it; with "
                              "--source, changes those labels' mapping and keeps the rest")
    suggest.add_argument("--articles", metavar="ID", type=int, nargs="+",
                         help="only these article ids (default: the whole corpus)")

    train = commands.add_parser(
        "train", help="train a spaCy NER model from the accepted annotations",
        description="Export the accepted annotations, train a spaCy NER model on them, report "
                    "precision/recall/F per label, and add the best model as a suggestion "
                    "source named NAME.")
    train.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    train.add_argument("outdir", metavar="OUTDIR", help="folder for the corpus and the model")
    train.add_argument("--max-steps", type=int, default=2000, help="training steps (default 2000)")
    train.add_argument("--eval-frequency", type=int, default=100,
                       help="steps between dev evaluations (default 100)")
    train.add_argument("--name", help="suggestion source name (default: trained-DATE)")


def parse_mapping(pairs: list[str]) -> dict:
    mapping = {}
    for pair in pairs:
        model_label, equals, project_label = pair.partition("=")
        if not equals or not model_label:
            raise AnnotatorError(f"--map {pair!r}: expected MODEL=PROJECT (or MODEL= to ignore)")
        mapping[model_label] = project_label or None
    return mapping


def cmd_suggest(args, existing_project) -> int:
    from annotator.suggest.runner import run_suggestions

    store = existing_project(args.project)
    try:
        mapping = parse_mapping(args.map)
        unknown = sorted({t for t in mapping.values() if t} - set(store.schema.label_names))
        if unknown:
            raise AnnotatorError(f"--map: {', '.join(unknown)} is not a label of the project "
                                 "(see `annotator schema PROJECT.db`)")
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
        report = run_suggestions(store, name, args.articles,
                                 progress=lambda done, total, ids: _progress(done, total))
    finally:
        store.close()
    print()
    print(report.summary())
    return 0


def _progress(done: int, total: int) -> bool:
    print(f"\r{done}/{total} articles", end="", flush=True)
    return True


def cmd_train(args, existing_project) -> int:
    from annotator.suggest.train import train_model

    store = existing_project(args.project)

    def show(row: dict) -> bool:
        print(f"epoch {row['epoch']:>3}  step {row['step']:>6}  loss {row['loss']:>10.2f}  "
              f"dev P {row['p']:6.2f}  R {row['r']:6.2f}  F {row['f']:6.2f}", flush=True)
        return True

    try:
        report = train_model(store, args.outdir, max_steps=args.max_steps,
                             eval_frequency=args.eval_frequency, name=args.name, progress=show)
    finally:
        store.close()
    print(report.summary())
    print(json.dumps({"source": report.source_name, "model": str(report.model_path)}))
    return 0


def print_suggestion_stats(rows: list[dict]) -> None:
    """Per source and label: what became of the suggestions (the model's observed precision)."""
    if not rows:
        return
    print("Suggestions (precision = accepted unchanged / decided):")
    print(f"  {'source':<16} {'label':<12} {'open':>6} {'accepted':>9} {'relabelled':>11} "
          f"{'resized':>8} {'rejected':>9} {'precision':>10}")
    for r in rows:
        precision = "-" if r["precision"] is None else f"{r['precision'] * 100:.0f}%"
        print(f"  {r['source']:<16} {r['label']:<12} {r['open']:>6} {r['accepted']:>9} "
              f"{r['relabelled']:>11} {r['resized']:>8} {r['rejected']:>9} {precision:>10}")
