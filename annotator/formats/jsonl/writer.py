"""Prodigy-style JSONL export: one accepted task per article, with tokens and token offsets.

Each line carries text, id, title, meta, status, answer, tokens ({text, start, end, id, ws})
and spans ({start, end, label, token_start, token_end}, token_end inclusive as in Prodigy;
event triggers with "kind": "trigger"; "meta" where a span has attributes, notes or
normalizations, and its first knowledge-base id as "kb_id", where Prodigy and spaCy look).
"answer" is "accept": exports take no article answered reject or ignore (those stay skipped);
an accepted article without spans is written too (a negative example), with "spans": [].
A span answered reject in an import (Prodigy's span-level answer) is written with "answer":
"reject", as Prodigy writes it, and comes back rejected.
An article answered for its spans only (a Prodigy binary or entity-linking answer, not since
marked done) keeps its "_view_id" at the top, where Prodigy's data-to-spacy looks, so its
other tokens stay unknown there too; once done, it is written without one (all annotated).
Events go out twice: as Prodigy rel.manual "relations" (head = trigger, child = argument,
label = role; a relation without trigger links its first argument to each other one, label =
its type), which Prodigy shows, and as "events", the whole structure of
annotator.formats.event_export with token_end inclusive like the rest of the line, which
the importer in annotator.formats.jsonl.reader reads back exactly. A span off token boundaries keeps its
own character offsets; its token offsets are those of the tokens it touches, and the report
lists it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from annotator.core.model import ENTITY
from annotator.core.tokens import blank_nlp
from annotator.formats.annotation_meta import kb_ids
from annotator.formats.event_export import event_structures, prodigy_relations
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    Misaligned,
    align,
    answered_reject,
    file_target,
    label_counts,
    misaligned_lines,
    written_atomically,
)
from annotator.formats.jsonl.answers import VIEW_KEY, spans_only
from annotator.formats.records import Progress


@dataclass
class JsonlExportReport(ExportFigures):
    path: Path
    articles: int = 0
    spans_by_label: Counter = field(default_factory=Counter)
    misaligned: list[Misaligned] = field(default_factory=list)
    events: int = 0  # relations included
    relations: int = 0
    links: int = 0  # lines in "relations"
    links_missed: int = 0  # argument links with a side that covers no token
    negatives: int = 0  # articles written with no spans
    answered_out: int = 0  # articles answered reject or ignore in Prodigy, left out
    events_left_out: list[str] = field(default_factory=list)
    writes_rejected: ClassVar[bool] = True  # with "answer": "reject"

    def summary(self) -> str:
        lines = [
            f"Exported {self.articles} article(s) ({self.which}) with "
            f"{sum(self.spans_by_label.values())} span(s) to {self.path}.",
            f"Spans per label: {label_counts(self.spans_by_label)}",
        ]
        if self.events:
            lines.append(
                f"Events: {self.events - self.relations}, relations: {self.relations} "
                f'(in "events"); Prodigy relations: {self.links}.'
            )
        if self.links_missed:
            lines.append(
                f'Argument links left out of "relations" (a side covers no token, '
                f'or is an event without trigger; kept in "events"): {self.links_missed}'
            )
        if self.events_left_out:
            lines.append(f"Events or arguments left out: {len(self.events_left_out)}")
            lines += [f"  {line}" for line in self.events_left_out]
        if self.negatives:
            lines.append(
                f'Articles with no spans (negative examples, "spans": []): {self.negatives}'
            )
        lines += self.skipped_lines()
        if self.answered_out:
            lines.append(
                "Articles answered reject or ignore in Prodigy (marked skipped), left out: "
                f"{self.answered_out}"
            )
        return "\n".join(lines + misaligned_lines(self.misaligned))


def article_task(
    nlp,
    article,
    spans,
    misaligned: list[Misaligned],
    events=(),
    meta=None,
    report: JsonlExportReport | None = None,
    rejected=(),
) -> dict:
    doc = nlp.make_doc(article.text)
    tokens = [
        {
            "text": t.text,
            "start": t.idx,
            "end": t.idx + len(t.text),
            "id": t.i,
            "ws": bool(t.whitespace_),
        }
        for t in doc
    ]
    span_meta, event_meta = meta or ({}, {})
    out_spans = []
    bounds: dict[int, tuple[int, int]] = {}
    for span in spans:
        item = {"start": span.start, "end": span.end, "label": span.label}
        aligned = align(doc, article, span, misaligned)
        if aligned is not None:
            item["token_start"], item["token_end"] = aligned.start, aligned.end - 1
            bounds[span.id] = (aligned.start, aligned.end)
        if span.kind != ENTITY:
            item["kind"] = span.kind
        # Provenance: manual, an import, or a suggestion source (and what became of it).
        item["origin"] = span.origin
        if span.decision:
            item["decision"] = span.decision
        if span_meta.get(span.id):
            item["meta"] = span_meta[span.id]
            ids = kb_ids(span_meta[span.id])
            if ids:
                item["kb_id"] = ids[0]
        out_spans.append(item)
    # Spans answered reject in an import (Prodigy's span "answer"): written as Prodigy does,
    # so an import reads them back as rejected; off-token ones are not reported again.
    for span in rejected:
        item = {"start": span.start, "end": span.end, "label": span.label, "answer": "reject"}
        aligned = align(doc, article, span, [])
        if aligned is not None:
            item["token_start"], item["token_end"] = aligned.start, aligned.end - 1
        if span.kind != ENTITY:
            item["kind"] = span.kind
        item["origin"] = span.origin
        if span_meta.get(span.id):
            item["meta"] = span_meta[span.id]
        out_spans.append(item)
    problems: list[str] = []
    structures = event_structures(
        article.text,
        spans,
        list(events),
        bounds.get,
        inclusive=True,
        event_meta=event_meta,
        problems=problems,
    )
    relations, missed = prodigy_relations(structures)
    if report is not None:
        report.events += len(structures)
        report.relations += sum(1 for e in structures if e["relation"])
        report.links += len(relations)
        report.links_missed += missed
        report.events_left_out += [f"article {article.id}: {p}" for p in problems]
    # Every exported article is an accepted example: a record answered reject or ignore stays
    # skipped, out of exports, until someone takes it back in. Its answer from Prodigy is not
    # written twice (in meta too).
    meta = {k: v for k, v in article.meta.items() if k not in ("answer", VIEW_KEY)}
    task = {
        "text": article.text,
        "id": article.ext_id if article.ext_id is not None else article.id,
        "title": article.title,
        "meta": meta,
        "status": article.status,
        "answer": "accept",
        "tokens": tokens,
        "spans": out_spans,
    }
    if spans_only(article.meta, article.status):
        task[VIEW_KEY] = article.meta[VIEW_KEY]
    if structures:
        task["relations"] = relations
        task["events"] = structures
    return task


def export_jsonl(
    store,
    path: str | Path,
    *,
    done_only: bool = False,
    progress: Progress | None = None,
) -> JsonlExportReport:
    """Write the selected articles to `path`; a failure or cancel leaves no partial file."""
    export = Export(store, done_only, progress)
    path = file_target(path, ".jsonl file")
    report = export.report(JsonlExportReport, path.resolve())
    nlp = blank_nlp(store.schema.language)
    report.answered_out = store.answered_out()
    with written_atomically(path) as handle:
        for article, spans in export:
            task = article_task(
                nlp,
                article,
                spans,
                report.misaligned,
                store.events(article.id),
                store.annotation_meta(article.id),
                report,
                answered_reject(store, article.id),
            )
            handle.write(json.dumps(task, ensure_ascii=False) + "\n")
            report.articles += 1
            accepted = [span for span in task["spans"] if span.get("answer") != "reject"]
            report.negatives += not accepted
            report.spans_by_label.update(span["label"] for span in accepted)
    return report
