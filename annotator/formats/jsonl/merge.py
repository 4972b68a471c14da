"""Prodigy's answers to one input, merged into one article.

`ner.teach`, `review` and `entity_linker.manual` write one record per suggested span or
mention, all with the same text. Read one by one, the first would make the article and every
later one would be a duplicate, its accepted span lost. Records with the same key (Prodigy's
"_input_hash" when given, else the same text; and the same "id", if any) are merged: each
span keeps its own answer (accepted, or rejected) and its knowledge-base id; the article's
answer is "accept" if any record was accepted, and its status comes from all the answers
(done when an accepted record came from a manual interface, in progress when only binary or
choice answers vouch for single spans, skipped when none was accepted). Records without an
answer are never merged: the same text twice stays a duplicate, reported as such.

Memory stays bounded: Prodigy writes the answers to one input together (its stream asks
about one text's suggestions in a row), so the merger keeps only the last OPEN_INPUTS inputs
(and OPEN_CHARS characters of their texts) open and hands the oldest on when either is
passed. An answer arriving later still (sessions interleaved over more than that many texts)
meets its article as a duplicate, and the import report says how many accepted spans it
carried (annotator.formats.record_writer); so does an answer to a text an earlier import
brought in: import all answers to one text in one file.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterator

from annotator.core.model import ACCEPTED, DONE, IN_PROGRESS, SKIPPED
from annotator.formats.annotation_meta import KB_TYPE
from annotator.formats.jsonl.answers import (
    ACCEPT,
    BINARY_VIEWS,
    IGNORE,
    REJECT,
    VIEW_KEY,
    AnsweredRecord,
)
from annotator.formats.records import ArticleRecord, ImportReport, SpanRecord

# Inputs kept open: a few MB for typical records, and far more than the suggestions Prodigy
# asks about one text.
OPEN_INPUTS = 1000
OPEN_CHARS = 10_000_000  # ... and at most this much text (long articles), about 40 MB


class AnswerMerger:
    """Feed records in file order (add), then finish: merged articles come out in the order
    their inputs were first seen."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.open: OrderedDict[tuple, list[AnsweredRecord]] = OrderedDict()
        self.serial = 0
        self.chars = 0  # characters of the open inputs' texts
        self.source = ""  # the file, for the closing note
        self.views: Counter = Counter()  # articles answered for their spans only, by view
        # For one note per file (a note per article would bury the report): inputs merged,
        # their answers, rejected spans, those none accepted, the first one's lines.
        self.merged: Counter = Counter()
        self.example = ""

    def add(self, record: AnsweredRecord) -> Iterator[ArticleRecord]:
        self.source = self.source or record.where.rpartition(":")[0]
        key = record.input_key
        if key is None:  # no answer: its own article, in its place in the order
            self.serial += 1
            key = ("record", self.serial)
        group = self.open.get(key)
        if group is None:
            self.open[key] = [record]
            self.chars += len(record.text)
        else:
            group.append(record)
        while len(self.open) > OPEN_INPUTS or (self.chars > OPEN_CHARS and len(self.open) > 1):
            yield self._oldest()

    def finish(self) -> Iterator[ArticleRecord]:
        while self.open:
            yield self._oldest()
        if self.merged:
            self._note_merged()
        if self.views:
            views = ", ".join(f"{view!r} {n}" for view, n in sorted(self.views.items()))
            self.report.note(
                self.source,
                f"{sum(self.views.values())} article(s) answered in a binary or choice "
                f"interface ({views}) vouch only for their accepted spans: marked in "
                "progress; the spaCy export leaves their other tokens missing, not outside",
            )

    def _note_merged(self) -> None:
        merged = self.merged
        self.report.note(
            self.source,
            f"{merged['answers']} answers to {merged['inputs']} input(s) merged, one article "
            f"per input (the first: {self.example})"
            + (
                f"; {merged['rejected']} span(s) answered reject or ignore kept as rejected spans"
                if merged["rejected"]
                else ""
            )
            + (
                f"; {merged['none accepted']} with no answer accepted kept as skipped "
                "articles, exports leave them out"
                if merged["none accepted"]
                else ""
            ),
        )

    def _oldest(self) -> ArticleRecord:
        group = self.open.popitem(last=False)[1]
        self.chars -= len(group[0].text)
        return self._article(group)

    def _article(self, group: list[AnsweredRecord]) -> ArticleRecord:
        article = group[0] if len(group) == 1 else self._merged(group)
        answers = [r.answer for r in group if r.answer]
        accepted = [r for r in group if r.answer == ACCEPT]
        complete = [r for r in accepted if r.view not in BINARY_VIEWS]
        if answers:
            meta = article.meta
            meta["answer"] = ACCEPT if accepted else REJECT if REJECT in answers else IGNORE
            view = (complete or accepted or group)[0].view
            if view is None:
                meta.pop(VIEW_KEY, None)
            else:
                meta[VIEW_KEY] = view
            if not group[0].status_given:
                article.status = (DONE if complete else IN_PROGRESS) if accepted else SKIPPED
            if accepted and not complete and view is not None:
                self.views[view] += 1
        if len(group) == 1:
            _note_answers(article.meta.get("answer"), article.spans, article.where, self.report)
        return article

    def _merged(self, group: list[AnsweredRecord]) -> AnsweredRecord:
        first = group[0]
        spans, events = _merged_spans(group, self.report)
        first.spans, first.events = spans, events
        chosen = [c for r in group for c in r.meta.get("accept", []) or []]
        if chosen:
            first.meta["accept"] = list(dict.fromkeys(chosen))
        counts = Counter(r.answer for r in group if r.answer)
        first.meta["answers"] = dict(counts)
        self.merged.update(
            inputs=1,
            answers=len(group),
            rejected=sum(1 for span in spans if span.state != ACCEPTED),
        )
        self.merged["none accepted"] += not counts[ACCEPT]
        if not self.example:
            self.example = "lines " + ", ".join(r.where.rpartition(":")[2] for r in group)
        return first


def _merged_spans(group: list[AnsweredRecord], report: ImportReport):
    """Every record's spans, the same span (offsets, label, kind) once: accepted if any
    answer accepted it, with the ids of all; events point at the span kept."""
    kept: dict[tuple, SpanRecord] = {}
    alias: dict[int, SpanRecord] = {}
    for record in group:
        for span in record.spans:
            key = (span.start, span.end, span.label, span.kind)
            other = kept.get(key)
            if other is None:
                kept[key] = span
                continue
            alias[id(span)] = other
            if span.state != other.state:
                report.note(
                    record.where,
                    f"span {span.start}-{span.end} {span.label} answered both accept and "
                    "reject: kept as accepted",
                )
                other.state = ACCEPTED
            _merge_meta(other, span)
    events = [event for record in group for event in record.events]
    for event in events:
        if event.trigger is not None:
            event.trigger = alias.get(id(event.trigger), event.trigger)
        for argument in event.arguments:
            if argument.span is not None:
                argument.span = alias.get(id(argument.span), argument.span)
    return list(kept.values()), events


def _merge_meta(into: SpanRecord, span: SpanRecord) -> None:
    for name, value in span.meta.items():
        if name == "normalizations" and isinstance(value, list):
            norms = into.meta.setdefault("normalizations", [])
            refs = {n.get("ref") for n in norms if isinstance(n, dict)}
            norms += [
                n
                for n in value
                if isinstance(n, dict) and (n.get("ref") not in refs or n.get("type") != KB_TYPE)
            ]
        else:
            into.meta.setdefault(name, value)


def _note_answers(answer, spans: list[SpanRecord], where: str, report: ImportReport) -> None:
    rejected = sum(1 for span in spans if span.state != ACCEPTED)
    if answer in (REJECT, IGNORE):
        report.note(
            where,
            f"answer is {answer!r}: kept as a skipped article"
            + (f" with {rejected} rejected span(s)" if rejected else "")
            + "; exports leave it out",
        )
    elif rejected:
        report.note(where, f"{rejected} span(s) answered reject or ignore: kept as rejected spans")
