"""Running a suggestion source over articles: spaCy's nlp.pipe, written in batches.

Each batch is one transaction that swaps the source's open suggestions on those articles, so
cancelling (or a crash) leaves whole articles done or untouched, never half of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.suggest.pipelines import load_pipeline, suggestions_from

BATCH = 64


class SuggestCancelled(Exception):
    pass


@dataclass
class RunReport:
    source: str
    articles: int = 0
    suggestions: int = 0
    cancelled: bool = False
    labels: dict = field(default_factory=dict)

    def summary(self) -> str:
        head = "Cancelled after" if self.cancelled else "Suggested on"
        lines = [f"{head} {self.articles} article(s): {self.suggestions} new suggestion(s) "
                 f"from {self.source}"]
        lines += [f"  {label:<12} {count}" for label, count in sorted(self.labels.items())]
        return "\n".join(lines)


def article_batches(store, article_ids: Iterable[int] | None):
    if article_ids is not None:
        ids = list(article_ids)
        for i in range(0, len(ids), BATCH):
            chunk = ids[i:i + BATCH]
            marks = ",".join("?" * len(chunk))
            yield store.conn.execute(
                f"SELECT id, text FROM articles WHERE id IN ({marks}) ORDER BY id", chunk).fetchall()
        return
    after = 0
    while True:
        rows = store.conn.execute("SELECT id, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                                  (after, BATCH)).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def run_suggestions(store, source_name: str, article_ids: Iterable[int] | None = None,
                    progress: Callable[[int, int, list[int]], bool] | None = None) -> RunReport:
    """Suggest on the given articles (all when None). progress(done, total, ids written)
    returning False cancels before the next batch."""
    source = store.source(source_name)
    nlp = load_pipeline(source, store.schema.language)
    known = set(store.schema.label_names)
    ids = list(article_ids) if article_ids is not None else None
    total = len(ids) if ids is not None else store.count_articles()
    report = RunReport(source.name)
    for rows in article_batches(store, ids):
        docs = nlp.pipe((text for _, text in rows), batch_size=BATCH)
        found = [(article_id, suggestions_from(doc, source.mapping, known))
                 for (article_id, _), doc in zip(rows, docs)]
        with store.db.atomic():
            for article_id, suggested in found:
                fresh = store.replace_suggestions(source.origin, article_id, suggested)
                report.suggestions += len(fresh)
                for item in fresh:
                    report.labels[item.label] = report.labels.get(item.label, 0) + 1
        report.articles += len(rows)
        if progress and not progress(report.articles, total, [r[0] for r in rows]):
            report.cancelled = True
            break
    return report
