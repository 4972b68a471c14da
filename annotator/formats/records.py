"""What importers produce (records) and what they report; a leaf: it imports no other format
module (annotator.formats.record_writer, above it, writes records to the store).

A format module only parses: it yields ArticleRecords and notes problems in the report. Writing
is shared: one transaction per file, so a file is imported whole (minus the records reported
as skipped) or not at all. Events point at their trigger and fillers by identity (the very
SpanRecord or EventRecord objects of the same article record), not by offsets: two spans at
the same offsets stay two, and a skipped span takes exactly its dependants with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.model import ACCEPTED, ENTITY, NEW

if TYPE_CHECKING:  # an annotation only: the spaCy export's shard processes need no schema
    from annotator.core.schema import Schema

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
    given: str | None = None  # the span's text as the source wrote it, for check_spans


@dataclass(eq=False)
class ArgumentRecord:
    """A role filled by one of the article record's spans or by one of its events."""

    role: str
    span: SpanRecord | None = None
    event: EventRecord | None = None
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
    status: str = NEW
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
    # (file, "field 'foo'", "record") -> how many records had a key the reader doesn't read,
    # in the order first met (a dict keeps it; merges add new keys after the ones there)
    unread: dict[tuple[str, str, str], int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # files of a folder not imported
    advice: list[str] = field(default_factory=list)  # what to do about the failed files

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(f"{where}: {reason}")

    def note(self, where: str, what: str) -> None:
        self.notes.append(f"{where}: {what}")

    def unread_fields(self, path: str, what: str, keys, unit: str) -> None:
        """Keys of one record (or span...) that the reader has no place for."""
        for key in keys:
            entry = (path, f"{what} {key!r}", unit)
            self.unread[entry] = self.unread.get(entry, 0) + 1

    def merge(self, other: ImportReport) -> None:
        """Add a file's report (written whole) to the import's."""
        for name in ("articles", "spans", "events", "arguments", "relations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("duplicates", "skipped", "labels_added", "types_added", "notes", "left_out"):
            getattr(self, name).extend(getattr(other, name))
        for entry, count in other.unread.items():
            self.unread[entry] = self.unread.get(entry, 0) + count

    @property
    def ok(self) -> bool:
        return not self.failed_files

    def summary(self) -> str:
        lines = [
            f"Imported {self.articles} article(s) with {self.spans} span(s) "
            f"from {len(self.files)} file(s)."
        ]
        if self.events or self.relations:
            lines.append(
                f"Events: {self.events} with {self.arguments} argument(s); "
                f"relations: {self.relations}."
            )
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
        if self.unread:
            lines.append(f"Fields not read (no place for them here): {len(self.unread)}")
            lines += [
                f"  {path}: {what} not read in {count} {unit}{'' if count == 1 else 's'}"
                for (path, what, unit), count in self.unread.items()
            ]
        if self.left_out:
            lines.append(f"Files left out of the folders: {len(self.left_out)}")
            lines += [f"  {line}" for line in self.left_out[:50]]
            if len(self.left_out) > 50:  # a corpus of .xml files: the count says the rest
                lines.append(f"  ... and {len(self.left_out) - 50} more")
        if self.skipped:
            lines.append(f"Skipped: {len(self.skipped)}")
            lines += [f"  {line}" for line in self.skipped]
        if self.failed_files:
            lines.append(
                f"Files not imported (nothing written from them): {len(self.failed_files)}"
            )
            lines += [f"  {line}" for line in self.failed_files]
        lines += self.advice
        return "\n".join(lines)


Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


def as_offset(value) -> int:
    """A character offset: an integer (3 or 3.0), never a fraction cut (3.7) or a bool."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # OverflowError for inf: the caller reports it
    raise ValueError(value)


def same_text(given: str, found: str) -> bool:
    # Sources write a span across a line break with a space: compare the words.
    return given == found or given.split() == found.split()


OFFSET_UNITS = ("chars", "utf16")


def beyond_bmp(text: str) -> bool:
    """Whether the text has a character beyond U+FFFF (most emoji, some CJK), where UTF-16
    and character offsets part. An ASCII text (most news) answers at once; else the length
    of its UTF-16 encoding tells, each such character being two units (a copy in C, five
    times quicker than a regex search for one; max() over the text was slower still)."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def from_utf16(text: str, spans: list[SpanRecord]) -> None:
    """Offsets counted in UTF-16 code units, as JavaScript counts (doccano's and other browser
    editors), turned into characters: each character beyond U+FFFF (most emoji) is two units.
    An offset past the text stays past it, for check_spans to report."""
    if not beyond_bmp(text):
        return
    at_unit: list[int] = []  # the character each code unit belongs to
    for index, char in enumerate(text):
        at_unit += [index, index] if ord(char) > 0xFFFF else [index]
    at_unit.append(len(text))

    def convert(offset: int) -> int:
        return (
            at_unit[offset] if 0 <= offset < len(at_unit) else offset - len(at_unit) + len(text) + 1
        )

    for span in spans:
        span.start, span.end = convert(span.start), convert(span.end)


def hinting_utf16(
    records: Iterable[ArticleRecord], report: ImportReport
) -> Iterator[ArticleRecord]:
    """The records as they come; the first with a character beyond U+FFFF before a span's end
    (where UTF-16 and character offsets part) gets a note saying what that may mean."""
    hinted = False
    for record in records:
        last = max((span.end for span in record.spans), default=0)
        if not hinted and beyond_bmp(record.text[:last]):
            hinted = True
            report.note(
                record.where,
                "the text has characters beyond U+FFFF (emoji, some CJK): "
                "browser-based tools such as doccano may count each as two; if spans "
                "come out shifted, import the file into a new project with --offsets "
                "utf16 (articles already in a project are left out)",
            )
        yield record


def check_spans(
    text: str, spans: list[SpanRecord], where: str, report: ImportReport
) -> list[SpanRecord]:
    """Drop (and report) spans whose offsets don't fit the text, or whose text as the source
    gave it isn't the text at their offsets; the rest of the record stays."""
    good = []
    for span in spans:
        if not (0 <= span.start < span.end <= len(text)):
            report.skip(
                where,
                f"span {span.start}-{span.end} {span.label} is outside the text "
                f"(length {len(text)})" + _utf16_hint(text, span),
            )
            continue
        found = text[span.start : span.end]
        if span.given is not None and not same_text(span.given, found):
            report.skip(
                where,
                f"span {span.start}-{span.end} {span.label}: its text "
                f"{_short(span.given)} is not the text at its offsets "
                f"({_short(found)})" + _utf16_hint(text, span),
            )
            continue
        good.append(span)
    return good


def _utf16_hint(text: str, span: SpanRecord) -> str:
    if beyond_bmp(text[: max(span.start, 0)]):
        return "; characters beyond U+FFFF come before it: were offsets counted in UTF-16? (--offsets utf16)"
    return ""


def check_overlaps(
    spans: list[SpanRecord], where: str, report: ImportReport, fmt: str
) -> list[SpanRecord]:
    """For formats whose entities can't overlap (doc.ents, one tag per token): keep the
    earliest of overlapping entities (the longest of those starting together), report the rest."""
    kept: list[SpanRecord] = []
    end = -1
    last = None
    for span in sorted((s for s in spans if s.kind == ENTITY), key=lambda s: (s.start, -s.end)):
        if span.start < end:
            report.skip(
                where,
                f"span {span.start}-{span.end} {span.label} overlaps "
                f"{last.start}-{last.end} {last.label}; {fmt} has no "
                "overlapping entities",
            )
            continue
        kept.append(span)
        end, last = span.end, span
    keep = {id(span) for span in kept}
    return [span for span in spans if span.kind != ENTITY or id(span) in keep]


def drop_duplicates(spans: list[SpanRecord], where: str, report: ImportReport) -> list[SpanRecord]:
    """The same offsets, label and kind twice: kept once (a note, not a loss)."""
    seen: set[tuple] = set()
    out = []
    for span in spans:
        key = (span.start, span.end, span.label, span.kind)
        if key in seen:
            report.note(
                where, f"span {span.start}-{span.end} {span.label} is there twice; kept once"
            )
            continue
        seen.add(key)
        out.append(span)
    return out


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
