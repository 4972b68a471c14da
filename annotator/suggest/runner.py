"""Running a suggestion source over articles: spaCy's nlp.pipe, written in batches.

Each batch is one transaction that swaps the source's open suggestions on those articles, so
cancelling (or a crash) leaves whole articles done or untouched, never half of one.

On every core: nlp.pipe(n_process=jobs) hands batches of texts to that many processes and
gives the Docs back in the order of the texts, so the suggestions are the same as on one core.
Memory stays bounded: the texts come from the store a page at a time (iter_texts), spaCy keeps
a few batches in flight per process, and suggestions are written as they come.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.cores import usable_cores
from annotator.store.project import ProjectStore
from annotator.suggest.pipelines import as_they_act, load_pipeline, pipeline_labels, suggested_spans

BATCH = 64
# Fewer articles than this run in one process: starting others costs more than they save.
PARALLEL_FROM = 4 * BATCH


class SuggestCancelled(Exception):
    pass


@dataclass
class RunReport:
    source: str
    articles: int = 0
    suggestions: int = 0
    cancelled: bool = False
    labels: dict = field(default_factory=dict)
    processes: int = 1  # running the pipeline (nlp.pipe's n_process)

    def summary(self) -> str:
        head = "Cancelled after" if self.cancelled else "Suggested on"
        lines = [
            f"{head} {self.articles} article(s): {self.suggestions} new suggestion(s) "
            f"from {self.source}" + (f" ({self.processes} processes)" if self.processes > 1 else "")
        ]
        lines += [f"  {label:<12} {count}" for label, count in sorted(self.labels.items())]
        return "\n".join(lines)


class _Writer(threading.Thread):
    """Writes batches of suggestions on a connection of its own while spaCy works on the next
    batch. The batch goes to SQLite as one statement, which runs without the GIL, so on a
    second core the writes cost spaCy almost nothing. Progress is reported once a batch is
    committed, so whatever it names is on disk."""

    def __init__(self, path, origin: str, report: RunReport, total: int, progress):
        super().__init__(daemon=True)
        self.path = path
        self.store = None
        self.origin, self.report, self.total, self.progress = origin, report, total, progress
        self.batches: queue.Queue = queue.Queue(maxsize=4)
        self.cancelled = False
        self.error: BaseException | None = None

    def run(self) -> None:
        from annotator.store.project import ProjectStore

        try:
            # Opened here: an sqlite connection belongs to the thread that made it.
            self.store = ProjectStore(self.path)
            # Suggestions can be made again: a power cut may cost the last batch, never the file.
            self.store.use_fast_writes()
            while (batch := self.batches.get()) is not None:
                if self.cancelled:
                    continue  # drain: the person cancelled, later batches are not written
                ids, rows = batch
                fresh = self.store.write_suggestion_batch(self.origin, ids, rows)
                for label, count in fresh.items():
                    self.report.suggestions += count
                    self.report.labels[label] = self.report.labels.get(label, 0) + count
                self.report.articles += len(ids)
                if self.progress and not self.progress(self.report.articles, self.total, ids):
                    self.cancelled = True
        except BaseException as error:  # handed to the caller's thread by finish()
            self.error = error
            self.cancelled = True
            while self.batches.get() is not None:
                pass
        finally:
            if self.store is not None:
                self.store.close()

    def finish(self) -> None:
        self.batches.put(None)
        self.join()
        if self.error is not None:
            raise self.error


def _record_labels(store: ProjectStore, source, nlp, known: set[str]):
    """A pipeline's labels the source's mapping doesn't list yet (added from the command line,
    or retrained), written into it as they act now: as themselves when the project has the
    label, else left out. The Suggest dialog shows them there to be mapped."""
    if source.kind != "model":
        return source
    missing = [label for label in pipeline_labels(nlp) if label not in source.mapping]
    if not missing:
        return source
    mapping = source.mapping | as_they_act(missing, known)
    return store.add_source(source.name, source.kind, source.location, mapping)


def run_suggestions(
    store: ProjectStore,
    source_name: str,
    article_ids: Iterable[int] | None = None,
    progress: Callable[[int, int, list[int]], bool] | None = None,
    jobs: int | None = None,
) -> RunReport:
    """Suggest on the given articles (all when None). progress(done, total, ids written)
    returning False cancels before the next batch. jobs: processes running the pipeline
    (default: every core)."""
    source = store.source(source_name)
    store.check_json_support()
    nlp = load_pipeline(source, store.schema.language)
    known = set(store.schema.label_names)
    source = _record_labels(store, source, nlp, known)
    # Each article once: a batch holding one twice would write its suggestions twice.
    ids = list(dict.fromkeys(article_ids)) if article_ids is not None else None
    total = len(ids) if ids is not None else store.count_articles()
    report = RunReport(source.name)
    writer = _Writer(store.path, source.origin, report, total, progress)
    # The writer thread gives up the GIL at each SQLite statement and waits for spaCy's thread
    # to hand it back, 5 ms by default: with a suggestion batch written in several short
    # transactions (so that a person's edit never waits for a whole batch) those waits made
    # the writer, and so the run, a quarter slower. 1 ms between hand-overs costs spaCy
    # nothing measurable.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, 0.001))
    n_process = max(1, jobs or usable_cores()) if total >= PARALLEL_FROM else 1
    report.processes = n_process
    docs = nlp.pipe(
        store.iter_texts(ids, BATCH), as_tuples=True, batch_size=BATCH, n_process=n_process
    )
    done: list[int] = []
    rows: list[tuple] = []
    last_write = 0.0
    try:
        for doc, article_id in docs:
            # The writer thread starts once spaCy has started its processes (on the first
            # Doc): Linux forks them, and a fork copies no running thread but the caller.
            if writer.ident is None:
                writer.start()
            if writer.cancelled:
                break
            done.append(article_id)
            rows.extend(
                (article_id, *found) for found in suggested_spans(doc, source.mapping, known)
            )
            # The first article goes out at once (the person is waiting to see something),
            # then a batch four times a second.
            if last_write == 0.0 or time.monotonic() - last_write > 0.25:
                writer.batches.put((done, rows))
                done, rows, last_write = [], [], time.monotonic()
        if done and not writer.cancelled:
            writer.batches.put((done, rows))
    finally:
        # Stops spaCy's processes (after their batch in hand) before waiting for the writer.
        docs.close()
        try:
            if writer.ident is None:
                writer.start()
            writer.finish()
        finally:
            sys.setswitchinterval(switch)
    report.cancelled = writer.cancelled
    return report
