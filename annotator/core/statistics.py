"""A project's statistics, put together once for `annotator stats` and the Statistics panel.

The store answers each question with one GROUP BY (store/stats.py, store/suggestions.py);
`gather` collects them into one plain dict (what `annotator stats --json` prints), and `tables`
turns that dict into the tables the panel draws and `--csv` writes. The CLI and the panel
never count anything themselves, so they cannot disagree.

The gold layer (core.layers.GOLD) is the adjudicated copy of what annotators agreed on, not a
person's work: counted with them it would make every agreed name count again. Its figures
stand apart ("gold"), as their own series, "gold (adjudicated)".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from annotator.core.layers import GOLD
from annotator.core.model import DONE

DECIDED = ("accepted", "relabelled", "resized", "rejected")
GOLD_SERIES = "gold (adjudicated)"  # how tables, charts and `annotator stats` name gold
PERSON = ("spans", "events", "articles", "done")  # an annotator's figures (and gold's)


class StatsSource(Protocol):
    """What `gather` asks of a project (ProjectStore has it)."""

    path: object

    def status_counts(self) -> dict[str, int]: ...
    def entity_counts(self) -> dict[tuple[str, str], int]: ...
    def event_counts_by_annotator(self) -> dict[str, int]: ...
    def article_label_counts(self, article_id: int, gold: bool = False) -> dict[str, int]: ...
    def annotator_articles(self) -> dict[str, tuple[int, int]]: ...
    def event_stats(self) -> dict: ...
    def done_per_day(self) -> list[tuple[str, int]]: ...
    def suggestion_stats(self) -> list[dict]: ...


def gather(store: StatsSource, article_id: int | None = None) -> dict:
    """Every figure of the panel and the CLI. `article_id`: also that article's labels."""
    statuses = store.status_counts()
    labels: dict[str, int] = {}
    gold_labels: dict[str, int] = {}
    annotators: dict[str, dict[str, int]] = {}
    for (name, label), n in store.entity_counts().items():
        counted = gold_labels if name == GOLD else labels
        counted[label] = counted.get(label, 0) + n
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
    events = store.event_stats()
    gold_layer = annotators.pop(GOLD, {"spans": 0, "events": 0, "articles": 0, "done": 0})
    gold_events = events.pop("gold_events_per_type")
    stats = {
        "project": str(store.path),
        "articles": sum(statuses.values()),
        "done": statuses.get(DONE, 0),
        "statuses": statuses,
        "spans": sum(labels.values()),
        "spans_per_label": labels,
        "annotators": dict(sorted(annotators.items())),
        "gold": gold_layer
        | {"spans_per_label": dict(sorted(gold_labels.items())), "events_per_type": gold_events},
        "done_per_day": per_day,
    }
    if article_id is not None:
        stats["article"] = {
            "id": article_id,
            "spans_per_label": store.article_label_counts(article_id),
            "gold_spans_per_label": store.article_label_counts(article_id, gold=True),
        }
    return stats | events | {"suggestions": suggestions}


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
    gold = stats["gold"]
    # Gold's columns and row only once there is gold: a project nobody adjudicates has none.
    has_gold = bool(gold["spans"] or gold["events"])
    columns = [stats["spans_per_label"], stats.get("article", {}).get("spans_per_label", {})]
    label_columns = ["label", "corpus", "this article"]
    if has_gold:
        columns += [gold["spans_per_label"], stats.get("article", {}).get("gold_spans_per_label")]
        label_columns.append(GOLD_SERIES)
        if columns[-1] is None:  # no article asked for
            columns.pop()
        else:
            label_columns.append(f"{GOLD_SERIES}, this article")
    names = list(dict.fromkeys(name for counts in columns for name in counts))
    label_rows = [(label, *(counts.get(label, 0) for counts in columns)) for label in names]
    by_type = stats["arguments_per_type_and_role"]
    events = stats["events_per_type"]
    gold_events = gold["events_per_type"] if has_gold else {}
    event_names = list(dict.fromkeys([*events, *gold_events]))
    people = [(name, *(a[k] for k in PERSON)) for name, a in stats["annotators"].items()]
    return [
        Table("labels", "Labels per type", tuple(label_columns), label_rows),
        Table(
            "events",
            "Events per type",
            ("event type", "events", "arguments", *([GOLD_SERIES] if has_gold else [])),
            [
                (t, events.get(t, 0), sum(by_type.get(t, {}).values()))
                + ((gold_events.get(t, 0),) if has_gold else ())
                for t in event_names
            ],
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
            # Gold last, under its own name: not a person, not sorted among them.
            people + ([(GOLD_SERIES, *(gold[k] for k in PERSON))] if has_gold else []),
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
