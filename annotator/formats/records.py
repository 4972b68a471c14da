"""What importers produce (records), what they report, and how records reach the store.

A format module only parses: it yields ArticleRecords and notes problems in the report. Writing
is shared: one transaction per file, so a file is imported whole (minus the records reported
as skipped) or not at all. Events point at their trigger and fillers by identity (the very
SpanRecord or EventRecord objects of the same article record), not by offsets: two spans at
the same offsets stay two, and a skipped span takes exactly its dependants with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, ENTITY, title_from_text
from annotator.core.schema import Schema
from annotator.formats.record_writer import insert_annotations, kept_events, kept_spans
from annotator.formats.schema_growth import SchemaGrowth
from annotator.store.articles import text_hash

UNKNOWN_LABEL_CHOICES = ("add", "skip", "error")


class Cancelled(Exception):
    """The user cancelled an import; the file in progress was rolled back.

    args[0], when given, is the ImportReport of the files imported before the cancel.
    """


@dataclass(eq=False)  # compared by identity: events point at the very records they use
class SpanRecord:
    start: int
    end: int
    label: str
    state: str = ACCEPTED
    score: float | None = None
    kind: str = ENTITY  # or TRIGGER: then the label is an event type
    meta: dict = field(default_factory=dict)  # attributes, notes, brat fragments


@dataclass(eq=False)
class ArgumentRecord:
    """A role filled by one of the article record's spans or by one of its events."""

    role: str
    span: SpanRecord | None = None
    event: "EventRecord | None" = None
    override: bool = False


@dataclass(eq=False)
class EventRecord:
    """An event (trigger: one of the record's spans, of kind trigger) or a relation (none)."""

    type: str
    trigger: SpanRecord | None = None
    arguments: list[ArgumentRecord] = field(default_factory=list)
    relation: bool = False
    meta: dict = field(default_factory=dict)
    where: str = ""  # file:line, for messages


@dataclass
class ArticleRecord:
    text: str
    where: str  # file:line, for messages
    title: str = ""
    ext_id: str | None = None
    meta: dict = field(default_factory=dict)
    spans: list[SpanRecord] = field(default_factory=list)
    status: str = "new"
    events: list[EventRecord] = field(default_factory=list)  # relations included
    # Types the source declares (brat's annotation.conf), merged into the project's schema.
    schema: Schema | None = None


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    articles: int = 0
    spans: int = 0
    events: int = 0  # with a trigger
    arguments: int = 0  # of those events
    relations: int = 0
    duplicates: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file:line: reason"
    labels_added: list[str] = field(default_factory=list)
    types_added: list[str] = field(default_factory=list)  # event/relation types and roles
    notes: list[str] = field(default_factory=list)  # kept, but not exactly as written
    failed_files: list[str] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(f"{where}: {reason}")

    def note(self, where: str, what: str) -> None:
        self.notes.append(f"{where}: {what}")

    def merge(self, other: "ImportReport") -> None:
        """Add a file's report (written whole) to the import's."""
        for name in ("articles", "spans", "events", "arguments", "relations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("duplicates", "skipped", "labels_added", "types_added", "notes"):
            getattr(self, name).extend(getattr(other, name))

    @property
    def ok(self) -> bool:
        return not self.failed_files

    def summary(self) -> str:
        lines = [
            f"Imported {self.articles} article(s) with {self.spans} span(s) "
            f"from {len(self.files)} file(s)."
        ]
        if self.events or self.relations:
            lines.append(f"Events: {self.events} with {self.arguments} argument(s); "
                         f"relations: {self.relations}.")
        if self.labels_added:
            lines.append(f"Labels added to the schema: {', '.join(self.labels_added)}")
        if self.types_added:
            lines.append(f"Added to the schema: {', '.join(self.types_added)}")
        if self.duplicates:
            lines.append(f"Already in the project, not imported again: {len(self.duplicates)}")
            lines += [f"  {line}" for line in self.duplicates[:20]]
            if len(self.duplicates) > 20:
                lines.append(f"  ... and {len(self.duplicates) - 20} more")
        if self.notes:
            lines.append(f"Imported with changes: {len(self.notes)}")
            lines += [f"  {line}" for line in self.notes]
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
    growth = SchemaGrowth(store.schema, unknown_labels)
    written = ImportReport()
    with store.db.atomic():
        for done, record in enumerate(records, start=1):
            if progress and done % 500 == 0 and not progress(done, total):
                raise Cancelled()
            digest = text_hash(record.text)
            duplicate = store.find_duplicate(record.ext_id, digest)
            if duplicate:
                written.duplicates.append(
                    f"{record.where}: same as article {duplicate[0]} ({duplicate[1]})")
                continue
            if record.schema is not None:
                written.notes += [f"{record.where}: {n}" for n in growth.merge(record.schema)]
            spans = kept_spans(record, growth, written.skipped)
            events = kept_events(record, spans, growth, written.skipped)
            accepted = sum(1 for span in spans if span.state == ACCEPTED)
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
            insert_annotations(store.conn, article_id, spans, events, f"import:{source}")
            if accepted:
                store.conn.execute("UPDATE articles SET n_spans = ? WHERE id = ?",
                                   (accepted, article_id))
            written.articles += 1
            written.spans += len(spans)
            for event, arguments in events:
                if event.relation:
                    written.relations += 1
                else:
                    written.events += 1
                    written.arguments += len(arguments)
        if growth.changed:
            store.set_schema(growth.schema)
    # Counted only once the transaction has committed, so the report never claims a rollback.
    written.labels_added, written.types_added = growth.labels_added, growth.types_added
    report.merge(written)


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
