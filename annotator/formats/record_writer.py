"""How article records reach the store: checked against the schema, a batch per transaction,
one file all or nothing.

A format module only parses: it yields ArticleRecords and notes problems in the report. This
module checks each record's spans and events against the schema (growing it as the import's
policy allows), turns what is kept into the store's NewArticle rows and hands them over a batch
at a time (ProjectStore.insert_new_articles); the store owns the SQL, the counters and the last
word on labels. Records point at each other by identity (an event at its trigger's SpanRecord,
an argument at a SpanRecord or EventRecord), so a span that is skipped takes with it exactly
what depended on it, and each loss is reported.

Each batch is one short transaction, so an import of any size never keeps a person's edit
waiting more than a batch (about 1,000 articles, tens of milliseconds). The batches belong to
an import run (store/import_runs.py): invisible to every reader until the whole file is in,
then published in one short transaction with the schema it grew; a failure or a cancel
removes the run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from annotator.core.collector import collector_paused
from annotator.core.model import REJECTED
from annotator.formats.kept_records import kept_events, kept_span_rows, kept_spans, new_article
from annotator.formats.packed import PackedRecord
from annotator.formats.records import (
    ArticleRecord,
    Cancelled,
    ImportReport,
    Progress,
)
from annotator.formats.schema_growth import SchemaGrowth
from annotator.store.articles import text_hash
from annotator.store.imports import NewArticle
from annotator.store.project import ProjectStore

BATCH = 1000  # records per batch at most: enough to amortise the store's queries
FIRST_BATCH = 50  # records in the first batch, before the writer has timed one ...
# ... and characters of text: 50 articles of 100 KB held the lock 319 ms (full-text indexing
# is most of a long article's cost), 64 KB about 5 ms.
FIRST_CHARS = 64_000
# How long one batch may hold the write lock: a person's edit waits at most about this long.
# Batches are sized to it as the import goes (articles differ in length and in spans, and
# machines in speed); 1,000 articles of 3 KB held it 380 ms on the 2-core test machine.
BATCH_SECONDS = 0.02
# Characters of text one full-text pass indexes at most: 3,000 articles of 3 KB (a pass
# stays within BATCH_SECONDS, and is sized to it, as batches are).
INDEX_CHARS_MAX = 10_000_000
# Seconds between two of an import's transactions, for writers of other processes: in
# tests/reliability at load 17 an edit's p99 was 0.12-0.25 s with 1 ms (2 ms: 0.1 s; none:
# 1.2 s); each costs the import 1 ms a transaction (a few hundred for doccano's corpus).
GAP_SECONDS = 0.001


def _not_added(record: ArticleRecord | PackedRecord) -> str:
    """A duplicate's accepted spans are not added to the article it matches (a Prodigy answer
    to a text already imported): the report says so, never silently."""
    if isinstance(record, PackedRecord):
        accepted = sum(1 for span in record.spans if span[4] != REJECTED)
    else:
        accepted = sum(1 for span in record.spans if span.state != REJECTED)
    if not accepted:
        return ""
    return (
        f"; its {accepted} accepted span(s) were not added to it (import all answers to "
        "one text in one file, or add them by hand)"
    )


class BatchWriter:
    """Writes one file's records into its import run, a batch at a time, each batch inside
    the caller's transaction."""

    def __init__(
        self,
        store: ProjectStore,
        growth: SchemaGrowth,
        written: ImportReport,
        source: str,
        run_id: int | None = None,
    ):
        self.store, self.growth, self.written = store, growth, written
        self.source, self.origin = source, f"import:{source}"
        self.run_id = run_id
        self.last_id = 0  # the last article written
        self.unindexed = 0  # characters of text written since the last full-text pass
        self.exceptions: dict[str, int] = {}  # "Type/Role" -> arguments its role doesn't allow

    def write(self, batch: list[ArticleRecord | PackedRecord]) -> None:
        if not batch:
            return
        store, written = self.store, self.written
        digests = [
            record.digest if isinstance(record, PackedRecord) else text_hash(record.text)
            for record in batch
        ]
        by_ext = store.existing_articles(
            "ext_id", list({r.ext_id for r in batch if r.ext_id is not None}), self.run_id
        )
        by_hash = store.existing_articles("text_hash", list(set(digests)), self.run_id)
        next_id = store.next_article_id()
        articles = []
        for record, digest in zip(batch, digests, strict=True):
            # The id first, then the text, as a record's id says which article it is.
            if record.ext_id is not None and record.ext_id in by_ext:
                duplicate = (by_ext[record.ext_id], f"id {record.ext_id!r}")
            elif digest in by_hash:
                duplicate = (by_hash[digest], "the same text")
            else:
                duplicate = None
            if duplicate:
                (article_id, elsewhere), why = duplicate
                if elsewhere:
                    # The unique indexes hold one copy: the other import has it, invisible
                    # until that import finishes.
                    written.duplicates.append(
                        f"{record.where}: same as an article another import, still running, "
                        f"is adding ({why}); should that import fail, import this file again"
                    )
                else:
                    written.duplicates.append(
                        f"{record.where}: same as article {article_id} ({why})" + _not_added(record)
                    )
                continue
            # Later records of the batch are checked against it: the store numbers the batch's
            # articles from next_article_id on.
            by_hash[digest] = (next_id + len(articles), False)
            if record.ext_id is not None:
                by_ext[record.ext_id] = (next_id + len(articles), False)
            if isinstance(record, PackedRecord):  # no events, no schema (formats/packed.py)
                rows = kept_span_rows(record, self.growth, written.skipped)
                if rows is record.spans:  # all kept (most records): counted where it was read
                    self.growth.used.update(label for _, label in record.labels)
                    accepted, counted = record.accepted, record.counted
                else:
                    self.growth.used.update(span[2] for span in rows)
                    accepted = None
                    counted = sum(1 for span in rows if span[4] != REJECTED)
                articles.append(
                    NewArticle(
                        record.ext_id,
                        digest,
                        record.title,
                        record.text,
                        record.meta,
                        record.status,
                        rows,
                        [],
                        accepted,
                    )
                )
                written.articles += 1
                written.spans += counted
                continue
            if record.schema is not None:
                written.notes += [f"{record.where}: {n}" for n in self.growth.merge(record.schema)]
            spans = kept_spans(record, self.growth, written.skipped)
            events = kept_events(record, spans, self.growth, written.skipped, self.exceptions)
            self.growth.used.update(span.label for span in spans)
            self.growth.used.update(event.type for event, _ in events)
            articles.append(new_article(record, digest, spans, events))
            written.articles += 1
            # Rejected spans (a Prodigy answer) are kept, and noted, but are not counted.
            written.spans += sum(1 for span in spans if span.state != REJECTED)
            for event, arguments in events:
                if event.relation:
                    written.relations += 1
                else:
                    written.events += 1
                    written.arguments += len(arguments)
        ids = store.insert_new_articles(
            articles,
            source=self.source,
            origin=self.origin,
            schema=self.growth.schema,
            run_id=self.run_id,
        )
        if ids:
            self.last_id = ids[-1]
            self.unindexed += sum(len(article.text) for article in articles)


def _leave_a_gap() -> None:
    """Between two of the import's transactions, a pause a writer in another process (the
    window) can take the lock in: it tries every millisecond (store/write_path.py). Records
    read in a process of their own are ready at once, so without it the next batch began as
    soon as the last committed, and an edit waited through many batches (p99 over a second
    in tests/reliability on a busy machine, against 0.4 s reading on a thread, whose
    interpreter lock left gaps of its own)."""
    time.sleep(GAP_SECONDS)


def _timed_write(store, writer: BatchWriter, batch: list[ArticleRecord | PackedRecord]) -> float:
    """One batch in one transaction; returns how long it held the write lock."""
    start = time.perf_counter()
    with store.staging_write():
        writer.write(batch)
    elapsed = time.perf_counter() - start
    store.let_writers_in()  # a person's edit waiting in this process goes first
    _leave_a_gap()
    return elapsed


def _next_size(size: int, seconds: float, ceiling: int = BATCH) -> int:
    """The next batch's size (in records, or in characters of text), aimed at BATCH_SECONDS
    from how long this one took (growing by half at most, so one quick batch of short
    articles doesn't lead to a long one; one slow batch, a busy disk, may shrink it to a
    single article, which then grows back)."""
    aimed = size * BATCH_SECONDS / max(seconds, 1e-4)
    return max(1, min(ceiling, max(size + 1, int(size * 1.5)), int(aimed)))


class IndexPasses:
    """The full-text index of a run's articles, built in passes of their own (migration
    0014): each pass is one short transaction too, sized by the characters it indexes."""

    def __init__(self, store, writer: BatchWriter):
        self.store, self.writer = store, writer
        self.chars = FIRST_CHARS

    def after_batch(self) -> None:
        writer = self.writer
        if writer.unindexed < self.chars or writer.run_id is None:
            return
        start = time.perf_counter()
        with self.store.staging_write():
            self.store.index_run_articles(writer.run_id, writer.last_id)
        seconds = time.perf_counter() - start
        self.chars = _next_size(writer.unindexed, seconds, ceiling=INDEX_CHARS_MAX)
        writer.unindexed = 0
        self.store.let_writers_in()
        _leave_a_gap()


def _write_batches(store, writer: BatchWriter, records, progress, total) -> None:
    """The records in batches, each its own short transaction. A batch ends at `size` records
    or `chars` characters of text, whichever comes first: articles of a few hundred
    characters cost their queries, long ones their text. Their full-text index follows in
    passes of its own (IndexPasses); the publish indexes what the last pass left."""
    size, chars = FIRST_BATCH, FIRST_CHARS
    passes = IndexPasses(store, writer)
    batch: list[ArticleRecord | PackedRecord] = []
    held = 0
    for done, record in enumerate(records, start=1):
        if progress and done % 500 == 0 and not progress(done, total):
            raise Cancelled()
        batch.append(record)
        held += len(record.text)
        if len(batch) >= size or held >= chars:
            seconds = _timed_write(store, writer, batch)
            size = _next_size(len(batch), seconds)
            chars = _next_size(held, seconds, ceiling=BATCH * FIRST_CHARS)
            batch, held = [], 0
            passes.after_batch()
    _timed_write(store, writer, batch)


def write_records(
    store,
    records: Iterable[ArticleRecord | PackedRecord],
    report: ImportReport,
    *,
    source: str,
    unknown_labels: str = "add",
    progress: Progress | None = None,
    total: int = 0,
) -> None:
    """Write one file's records, a batch per transaction, invisible until the whole file is
    in; on any failure or a cancel nothing of the file stays."""
    growth = SchemaGrowth(store.current_schema(), unknown_labels)
    written = ImportReport()
    run_id = store.start_import_run(source)
    writer = BatchWriter(store, growth, written, source, run_id)
    try:
        # The collector off: it walked the millions of row tuples and found no cycle in them.
        with (
            store.checkpoints_deferred(),
            store.staging_session(),
            store.fts_merging_relaxed(),
            collector_paused(),
        ):
            _write_batches(store, writer, records, progress, total)
        store.publish_import_run(run_id, growth.onto)
    except BaseException:
        try:
            # A run whose publish committed is left as it is (discard checks): an interrupt
            # (Ctrl+C) right after the publish must not take the import out again.
            store.discard_import_run(run_id)
        except Exception:  # the import's own error is the one to report
            pass  # the run stays invisible; the next import removes it
        raise
    # Counted only once the file is published, so the report never claims a rollback.
    written.labels_added, written.types_added = growth.labels_added, growth.types_added
    if writer.exceptions:
        written.note(
            source,
            "arguments their role doesn't allow, kept as exceptions (shown "
            "with ⚠): "
            + ", ".join(f"{key} {count}" for key, count in sorted(writer.exceptions.items())),
        )
    report.merge(written)
