"""`annotator adjudicate`: fill the gold layer with what the annotators agree on (--auto) and
say how many conflicts are left, per article and per label, type or role; the conflicts are
resolved in the window (Review › Adjudicate)."""

from __future__ import annotations

from annotator.cli.progress import CommandProgress
from annotator.cli.shared import EXIT_STATUS, open_store, project_file, reading_project
from annotator.core.adjudication.classify import MAJORITY, UNANIMOUS


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "adjudicate",
        help="fill the gold layer with agreed annotations; count the conflicts left",
        description="Compare the annotators' layers on every article two or more people "
        "annotated. With --auto, what they agree on (all of them, or with --majority more "
        "than half) goes into the gold layer, which exports then take by default. Prints the "
        "conflicts left per article and per label; resolve them in the window (Review › "
        "Adjudicate). See docs/agreement.md.",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("project", metavar="PROJECT.db", help="an existing project file")
    parser.add_argument(
        "--auto", action="store_true", help="write the agreed annotations into the gold layer"
    )
    policy = parser.add_mutually_exclusive_group()
    policy.add_argument(
        "--majority",
        action="store_true",
        help="agreed means more than half the article's annotators (kept as the project's setting)",
    )
    policy.add_argument(
        "--unanimous",
        action="store_true",
        help="agreed means every annotator of the article (the default; kept as the setting)",
    )


def run(args) -> int:
    chosen = MAJORITY if args.majority else UNANIMOUS if args.unanimous else None
    writing = args.auto or chosen is not None
    store = open_store(project_file(args.project)) if writing else reading_project(args.project)
    try:
        if chosen is not None:
            store.refuse_if_read_only()
            store.set_adjudication_policy(chosen)
        with CommandProgress("adjudicate") as progress:
            report = store.fill_gold(write=args.auto, progress=progress)
        names = {
            row.id: row.title for row in store.article_rows_by_id(list(report.open_by_article))
        }
    finally:
        store.close()
    agreed = "every annotator" if report.policy == UNANIMOUS else "more than half"
    print(f"{report.articles} article(s) with two or more annotators; agreed: {agreed}.")
    if args.auto:
        print(f"gold: {report.added} span(s), event(s) and argument(s) added")
    elif chosen is not None:  # the setting was written, gold was not
        print(f"policy saved ({chosen}); gold not filled (--auto fills the gold layer)")
    else:
        print("nothing written (--auto fills the gold layer)")
    print(f"conflicts left: {report.open} in {len(report.open_by_article)} article(s)")
    for article_id, count in report.open_by_article.items():
        title = names.get(article_id, "")
        print(f"  article {article_id} ({title[:60]}): {count}")
    if report.open_by_label:
        print("by label, type or role:")
        for label, count in sorted(report.open_by_label.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {label}: {count}")
    return 0
