"""`annotator train`: train a spaCy NER model on the accepted annotations and add it as a
suggestion source."""

from __future__ import annotations

import json

from annotator.cli.shared import existing_project, typed
from annotator.formats.builtin import jobs
from annotator.suggest.train_check import MIN_EXAMPLES


def add_parser(commands) -> None:
    train = commands.add_parser(
        "train",
        help="train a spaCy NER model from the accepted annotations",
        description="Export the accepted annotations, train a spaCy NER model on them, report "
        "precision/recall/F per label, and add the best model as a suggestion "
        "source named NAME.",
    )
    train.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    train.add_argument("outdir", metavar="OUTDIR", help="folder for the corpus and the model")
    train.add_argument("--max-steps", type=int, default=2000, help="training steps (default 2000)")
    train.add_argument(
        "--eval-frequency",
        type=int,
        default=100,
        help="steps between dev evaluations (default 100)",
    )
    train.add_argument("--name", help="suggestion source name (default: trained-DATE)")
    train.add_argument(
        "--min-examples",
        type=int,
        default=MIN_EXAMPLES,
        metavar="N",
        help=f"refuse to train when a label has fewer than N training examples (default "
        f"{MIN_EXAMPLES})",
    )
    train.add_argument(
        "--anyway",
        action="store_true",
        help="train even below --min-examples or without dev articles (the report warns)",
    )
    train.add_argument(
        "--jobs",
        type=typed(jobs),
        metavar="N",
        help="processes writing the training corpus's shards (default: every core)",
    )


def run(args) -> int:
    from annotator.suggest.train import train_model
    from annotator.suggest.train_check import training_counts

    store = existing_project(args.project)
    # The examples per label first, as the window shows them: a refusal comes with them.
    try:
        print(training_counts(store, min_examples=args.min_examples).table(), flush=True)
    except BaseException:
        store.close()
        raise

    def show(row: dict) -> bool:
        print(
            f"epoch {row['epoch']:>3}  step {row['step']:>6}  loss {row['loss']:>10.2f}  "
            f"dev P {row['p']:6.2f}  R {row['r']:6.2f}  F {row['f']:6.2f}",
            flush=True,
        )
        return True

    try:
        with store.activity("train", "the training run"):
            report = train_model(
                store,
                args.outdir,
                max_steps=args.max_steps,
                eval_frequency=args.eval_frequency,
                name=args.name,
                progress=show,
                jobs=args.jobs,
                min_examples=args.min_examples,
                anyway=args.anyway,
            )
    finally:
        store.close()
    print(report.summary())
    print(json.dumps({"source": report.source_name, "model": str(report.model_path)}))
    return 0
