"""Running a suggestion source over articles: spaCy's nlp.pipe, written in batches.

Each batch is one transaction that swaps the source's open suggestions on those articles, so
cancelling (or a crash) leaves whole articles done or untouched, never half of one.
"""

from __future__ import annotations

import time
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
    pending: dict[int, list] = {}
    last_write = 0.0

    def write() -> bool:
        nonlocal pending, last_write
        with store.db.atomic():
            fresh = store.replace_suggestions(source.origin, pending)
        for items in fresh.values():
            report.suggestions += len(items)
            for item in items:
                report.labels[item.label] = report.labels.get(item.label, 0) + 1
        report.articles += len(pending)
        written, pending, last_write = list(pending), {}, time.monotonic()
        return progress is None or progress(report.articles, total, written)

    # Suggestions can be made again, so a power cut may lose the last batch (the file stays
    # consistent either way); fsyncing each batch would cost more than spaCy itself.
    store.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        for rows in article_batches(store, ids):
            docs = nlp.pipe((text for _, text in rows), batch_size=BATCH)
            for (article_id, _), doc in zip(rows, docs):
                pending[article_id] = suggestions_from(doc, source.mapping, known)
            # The first batch goes out at once (the person is waiting to see something),
            # then about twice a second.
            if (last_write == 0.0 or time.monotonic() - last_write > 0.5) and not write():
                report.cancelled = True
                return report
        if pending and not write():
            report.cancelled = True
    finally:
        store.conn.execute("PRAGMA synchronous = FULL")
    return report
