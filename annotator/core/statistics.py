"""A project's statistics, put together once for `annotator stats` and the Statistics panel.

The store answers each question with one GROUP BY (store/stats.py, store/suggestions.py);
`gather` collects them into one plain dict (what `annotator stats --json` prints), and `tables`
turns that dict into the tables the panel draws and `--csv` writes. The CLI and the panel
never count anything themselves, so they cannot disagree.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from annotator.core.model import DONE

DECIDED = ("accepted", "relabelled", "resized", "rejected")


class StatsSource(Protocol):
    """What `gather` asks of a project (ProjectStore has it)."""

    path: object

    def status_counts(self) -> dict[str, int]: ...
    def entity_counts(self) -> dict[tuple[str, str], int]: ...
    def event_counts_by_annotator(self) -> dict[str, int]: ...
    def article_label_counts(self, article_id: int) -> dict[str, int]: ...
    def annotator_articles(self) -> dict[str, tuple[int, int]]: ...
    def event_stats(self) -> dict: ...
    def done_per_day(self) -> list[tuple[str, int]]: ...
    def suggestion_stats(self) -> list[dict]: ...


def gather(store: StatsSource, article_id: int | None = None) -> dict:
    """Every figure of the panel and the CLI. `article_id`: also that article's labels."""
    statuses = store.status_counts()
    labels: dict[str, int] = {}
    annotators: dict[str, dict[str, int]] = {}
    for (name, label), n in store.entity_counts().items():
        labels[label] = labels.get(label, 0) + n
        entry = annotators.setdefault(name, {"spans": 0, "events": 0})
        entry["spans"] += n
    labels = dict(sorted(labels.items()))
    for name, n in store.event_counts_by_annotator().items():
        annotators.setdefault(name, {"spans": 0, "events": 0})["events"] = n
    for name, (articles, done) in store.annotator_articles().items():
        entry = annotators.setdefault(name, {"spans": 0, "events": 0})
        entry["articles"], entry["done"] = articles, done
    for entry in annotators.values():
        entry.setdefault("articles", 0)
        entry.setdefault("done", 0)
    running = 0
    per_day = []
    for day, count in store.done_per_day():
        running += count
        per_day.append({"day": day, "done": count, "total_done": running})
    suggestions = []
    for row in store.suggestion_stats():
        decided = sum(row[d] for d in DECIDED)
        kept = decided - row["rejected"]
        # Acceptance: taken in some form (as is, relabelled or resized); precision: as is.
        suggestions.append(row | {"acceptance": round(kept / decided, 3) if decided else None})
    stats = {
        "project": str(store.path),
        "articles": sum(statuses.values()),
        "done": statuses.get(DONE, 0),
        "statuses": statuses,
        "spans": sum(labels.values()),
        "spans_per_label": labels,
        "annotators": dict(sorted(annotators.items())),
        "done_per_day": per_day,
    }
    if article_id is not None:
        stats["article"] = {
            "id": article_id,
            "spans_per_label": store.article_label_counts(article_id),
        }
    return stats | store.event_stats() | {"suggestions": suggestions}


@dataclass(frozen=True)
class Table:
    """One table of figures: a CSV file (`name`.csv) and a chart in the panel."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]


def tables(stats: dict) -> list[Table]:
    """The figures as tables, in the panel's order (labels, events, progress, annotators,
    suggestions). The labels table lists every label used in the corpus or the article."""
    article = stats.get("article", {}).get("spans_per_label", {})
    corpus = stats["spans_per_label"]
    label_rows = [(label, corpus.get(label, 0), article.get(label, 0)) for label in corpus]
    label_rows += [(label, 0, n) for label, n in article.items() if label not in corpus]
    by_type = stats["arguments_per_type_and_role"]
    return [
        Table("labels", "Labels per type", ("label", "corpus", "this article"), label_rows),
        Table(
            "events",
            "Events per type",
            ("event type", "events", "arguments"),
            [(t, n, sum(by_type.get(t, {}).values())) for t, n in stats["events_per_type"].items()],
        ),
        Table(
            "event_roles",
            "Arguments per event type and role",
            ("event type", "role", "arguments"),
            [(t, role, n) for t, roles in by_type.items() for role, n in roles.items()],
        ),
        Table(
            "progress",
            "Articles done per day",
            ("day", "done", "total done"),
            [(d["day"], d["done"], d["total_done"]) for d in stats["done_per_day"]],
        ),
        Table(
            "annotators",
            "Per annotator",
            ("annotator", "spans", "events", "articles", "articles done"),
            [
                (name, a["spans"], a["events"], a["articles"], a["done"])
                for name, a in stats["annotators"].items()
            ],
        ),
        Table(
            "suggestions",
            "Suggestions per source and label",
            (
                "source",
                "label",
                "open",
                *DECIDED,
                "acceptance",
                "precision",
            ),
            [
                (
                    r["source"],
                    r["label"],
                    r["open"],
                    *(r[d] for d in DECIDED),
                    r["acceptance"],
                    r["precision"],
                )
                for r in stats["suggestions"]
            ],
        ),
    ]


def write_csv(table: Table, path: Path) -> Path:
    """One table as UTF-8 CSV with a header row; a missing figure (no precision) is empty."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows(("" if cell is None else cell for cell in row) for row in table.rows)
    return path


def write_csvs(all_tables: Iterable[Table], folder: Path) -> list[Path]:
    """Every table into `folder` (made if missing) as NAME.csv; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(table, folder / f"{table.name}.csv") for table in all_tables]
