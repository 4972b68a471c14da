"""What importers produce (records), what they report, and how records reach the store.

A format module only parses: it yields ArticleRecords and notes problems in the report. Writing
is shared: one transaction per file, so a file is imported whole (minus the records reported
as skipped) or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.errors import ImportFailed
from annotator.core.model import ACCEPTED, title_from_text
from annotator.store.articles import text_hash

UNKNOWN_LABEL_CHOICES = ("add", "skip", "error")


class Cancelled(Exception):
    """The user cancelled an import; the file in progress was rolled back.

    args[0], when given, is the ImportReport of the files imported before the cancel.
    """


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str
    state: str = ACCEPTED
    score: float | None = None


@dataclass
class ArticleRecord:
    text: str
    where: str  # file:line, for messages
    title: str = ""
    ext_id: str | None = None
    meta: dict = field(default_factory=dict)
    spans: list[SpanRecord] = field(default_factory=list)
    status: str = "new"


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    articles: int = 0
    spans: int = 0
    duplicates: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file:line: reason"
    labels_added: list[str] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(f"{where}: {reason}")

    @property
    def ok(self) -> bool:
        return not self.failed_files

    def summary(self) -> str:
        lines = [
            f"Imported {self.articles} article(s) with {self.spans} span(s) "
            f"from {len(self.files)} file(s)."
        ]
        if self.labels_added:
            lines.append(f"Labels added to the schema: {', '.join(self.labels_added)}")
        if self.duplicates:
            lines.append(f"Already in the project, not imported again: {len(self.duplicates)}")
            lines += [f"  {line}" for line in self.duplicates[:20]]
            if len(self.duplicates) > 20:
                lines.append(f"  ... and {len(self.duplicates) - 20} more")
        if self.skipped:
            lines.append(f"Skipped: {len(self.skipped)}")
            lines += [f"  {line}" for line in self.skipped]
        if self.failed_files:
            lines.append(f"Files not imported (nothing written from them): {len(self.failed_files)}")
            lines += [f"  {line}" for line in self.failed_files]
        return "\n".join(lines)


Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


def write_records(
    store,
    records: Iterable[ArticleRecord],
    report: ImportReport,
    *,
    source: str,
    unknown_labels: str = "add",
    progress: Progress | None = None,
    total: int = 0,
) -> None:
    """Write one file's records in one transaction; roll the file back on any failure."""
    schema = store.schema
    added: list[str] = []
    articles = spans = 0
    duplicates: list[str] = []
    skipped: list[str] = []
    conn = store.conn
    with store.db.atomic():
        for done, record in enumerate(records, start=1):
            if progress and done % 500 == 0 and not progress(done, total):
                raise Cancelled()
            digest = text_hash(record.text)
            duplicate = store.find_duplicate(record.ext_id, digest)
            if duplicate:
                duplicates.append(f"{record.where}: same as article {duplicate[0]} ({duplicate[1]})")
                continue
            kept: list[SpanRecord] = []
            for span in record.spans:
                if schema.label(span.label) is None:
                    if unknown_labels == "add":
                        schema = schema.with_label(span.label)
                        added.append(span.label)
                    elif unknown_labels == "skip":
                        skipped.append(f"{record.where}: span {span.start}-{span.end}: "
                                       f"unknown label {span.label!r}")
                        continue
                    else:
                        raise ImportFailed(
                            f"{record.where}: label {span.label!r} is not in the project's schema "
                            "(use --unknown-labels add or skip)"
                        )
                kept.append(span)
            accepted = sum(1 for span in kept if span.state == ACCEPTED)
            status = record.status if record.status != "new" or not accepted else "in_progress"
            article_id = store.insert_article_row(
                record.text,
                title=record.title or title_from_text(record.text),
                ext_id=record.ext_id,
                digest=digest,
                meta=record.meta,
                source=source,
                status=status,
            )
            conn.executemany(
                "INSERT INTO spans (article_id, start, end, label, kind, origin, state, score) "
                "VALUES (?, ?, ?, ?, 'entity', ?, ?, ?)",
                [(article_id, s.start, s.end, s.label, f"import:{source}", s.state, s.score)
                 for s in kept],
            )
            if accepted:
                conn.execute("UPDATE articles SET n_spans = ? WHERE id = ?", (accepted, article_id))
            articles += 1
            spans += len(kept)
        if added:
            store.set_schema(schema)
    # Counted only once the transaction has committed, so the report never claims a rollback.
    report.articles += articles
    report.spans += spans
    report.duplicates += duplicates
    report.skipped += skipped
    report.labels_added += added


def check_spans(text: str, spans: list[SpanRecord], where: str, report: ImportReport) -> list[SpanRecord]:
    """Drop (and report) spans whose offsets don't fit the text; the rest of the record stays."""
    good = []
    for span in spans:
        if not (0 <= span.start < span.end <= len(text)):
            report.skip(where, f"span {span.start}-{span.end} {span.label} is outside the text "
                               f"(length {len(text)})")
            continue
        good.append(span)
    return good
