"""`annotator agree`: agreement between annotators on spans, tokens and events, as a table
or as JSON (fields in docs/agreement.md)."""

from __future__ import annotations

import json

from annotator.cli.shared import reading_project, report_command, typed
from annotator.core.agreement import spacy_tokens
from annotator.core.agreement.run import project_agreement
from annotator.core.agreement.table import report_lines
from annotator.formats.parallel import jobs_for
from annotator.formats.parallel_agreement import parallel_measure


def add_parser(commands) -> None:
    agree = report_command(
        commands,
        "agree",
        help="agreement between annotators: spans, tokens, events",
        description="Compare annotators' layers on the articles each pair both annotated: "
        "span F1 (exact and overlapping), Cohen's kappa on tokens, Krippendorff's alpha for "
        "unitized data, event trigger F1 and argument F1 (role and filler, given matched "
        "triggers), per label, type and role. See docs/agreement.md.",
        json_help="print JSON instead of a table",
    )
    agree.add_argument(
        "--annotators",
        metavar="A,B",
        help="the annotators to compare, comma-separated (default: every annotator)",
    )
    agree.add_argument(
        "--label", metavar="L", help="only spans with this label (or events of this type)"
    )
    agree.add_argument(
        "--jobs",
        type=typed(_positive),
        metavar="N",
        help="processes to measure with (default: every core; one for a small project); "
        "the figures are the same whatever N",
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("N must be 1 or more")
    return number


def run(args) -> int:
    store = reading_project(args.project)
    wanted = (
        [n.strip() for n in args.annotators.split(",") if n.strip()] if args.annotators else None
    )
    language = store.schema.language
    try:
        jobs = jobs_for(args.jobs, store.annotated_article_count())
        measure = parallel_measure(store, language, args.label, jobs) if jobs > 1 else None
        report = project_agreement(
            store, args.project, spacy_tokens(language), wanted, args.label, measure=measure
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return 0
