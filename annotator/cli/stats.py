"""`annotator stats`: articles per status, accepted spans per label, events and their
arguments, relations, and what became of the suggestions."""

from __future__ import annotations

import json

from annotator.cli.shared import EXIT_STATUS, reading_project
from annotator.cli.suggest import print_suggestion_stats
from annotator.core.model import DONE
from annotator.store.project import ProjectStore


def add_parser(commands) -> None:
    stats = commands.add_parser(
        "stats",
        help="articles per status, spans per label, events",
        description="Show articles per status, accepted spans per "
        "label, events per type with their arguments per "
        "role, relations per type, and how many articles "
        "are done.",
        epilog=EXIT_STATUS,
    )
    stats.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")


def project_stats(store: ProjectStore) -> dict:
    statuses = store.status_counts()
    labels = store.label_counts()
    total = sum(statuses.values())
    stats = {
        "project": str(store.path),
        "articles": total,
        "done": statuses.get(DONE, 0),
        "statuses": statuses,
        "spans": sum(labels.values()),
        "spans_per_label": labels,
        "annotators": store.annotator_counts(),
    }
    return stats | store.event_stats() | {"suggestions": store.suggestion_stats()}


def run(args) -> int:
    store = reading_project(args.project)
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
    if len(stats["annotators"]) > 1:  # several layers: the counts above add them up
        print("Per annotator (layers; the counts above add them up):")
        for name, counts in stats["annotators"].items():
            print(f"  {name:<12} {counts['spans']} span(s), {counts['events']} event(s)")
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
