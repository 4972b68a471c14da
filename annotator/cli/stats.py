"""`annotator stats`: articles per status, accepted spans per label, events and their
arguments, relations, and what became of the suggestions."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli.shared import fail, reading_project, report_command
from annotator.cli.suggest import print_suggestion_stats
from annotator.core.errors import ProjectError
from annotator.core.statistics import GOLD_SERIES, gather, tables, write_csvs
from annotator.store.project import ProjectStore


def add_parser(commands) -> None:
    stats = report_command(
        commands,
        "stats",
        help="articles per status, spans per label, events",
        description="Show articles per status, accepted spans per "
        "label, events per type with their arguments per "
        "role, relations per type, and how many articles "
        "are done.",
        json_help="print JSON instead of text",
    )
    stats.add_argument(
        "--csv",
        metavar="DIR",
        type=Path,
        help="also write each table as DIR/NAME.csv (labels, events, event_roles, progress, "
        "annotators, suggestions)",
    )
    stats.add_argument(
        "--article", metavar="ID", type=int, help="also count the labels of this article"
    )


def project_stats(store: ProjectStore, article_id: int | None = None) -> dict:
    """The Statistics panel's figures (one core function for both)."""
    return gather(store, article_id)


def _layer(counts: dict) -> str:
    return (
        f"{counts['spans']} span(s), {counts['events']} event(s), "
        f"{counts['articles']} article(s), {counts['done']} done"
    )


def run(args) -> int:
    store = reading_project(args.project)
    try:
        if args.article is not None and store.article_row(args.article) is None:
            raise ProjectError(f"{args.project}: no article {args.article}")
        stats = project_stats(store, args.article)
    finally:
        store.close()
    if args.csv is not None:
        try:
            written = write_csvs(tables(stats), args.csv)
        except OSError as error:
            return fail(f"{args.csv}: cannot write the CSV files ({error.strerror or error})")
        if not args.json:
            print(f"Wrote {len(written)} CSV file(s) to {args.csv}")
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
    if "article" in stats:
        labels = stats["article"]["spans_per_label"]
        print(f"Article {stats['article']['id']}: {sum(labels.values())} accepted span(s)")
        for label, count in labels.items():
            print(f"  {label:<12} {count}")
    if stats["done_per_day"]:
        print("Articles done per day (the day each was marked done):")
        for day in stats["done_per_day"]:
            print(f"  {day['day']}  {day['done']:>6}  (total {day['total_done']})")
    if stats["annotators"]:
        print("Per annotator (layers; the counts above add them up, gold apart):")
        for name, counts in stats["annotators"].items():
            print(f"  {name:<12} {_layer(counts)}")
    gold = stats["gold"]
    if gold["spans"] or gold["events"]:
        # The adjudicated copy of what annotators agreed on: apart, never added to the above.
        print(f"{GOLD_SERIES}: {_layer(gold)}")
        for label, count in gold["spans_per_label"].items():
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
    print_suggestion_stats(stats["suggestions"])
    return 0
