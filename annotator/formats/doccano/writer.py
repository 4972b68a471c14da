"""doccano JSONL export, in either of the shapes doccano imports:

    label     {"id", "text", "label": [[start, end, label], ...], "meta", "title"}
              for a sequence-labelling project
    entities  {"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}],
               "relations": [{"id", "from_id", "to_id", "type"}], "meta", "title"}
              for a relation-extraction project

Offsets are characters of the stored text, end exclusive, overlaps included. doccano has no
events: a trigger goes out as an entity labelled with its event type, and in the entities
shape each argument as a relation from the trigger to the filler (type = role; an event
filling a role is its trigger); a relation links its first argument to each other one (type =
its type). annotator.formats.doccano.reader reads that back into events. The label shape can't hold
relations: the report counts what was left out. "id" is the external id, when there is one.

doccano's own editor counts offsets in UTF-16 units unless its project counts grapheme
clusters (doccano/doccano#2290); texts with characters beyond U+FFFF are counted in the report.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.formats.annotation_meta import describe, meta_counts
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    file_target,
    label_counts,
    written_atomically,
)
from annotator.formats.records import Progress, beyond_bmp

FORMS = ("label", "entities")


@dataclass
class DoccanoExportReport(ExportFigures):
    path: Path
    form: str = "label"
    articles: int = 0
    spans_by_label: Counter = field(default_factory=Counter)
    relations: int = 0  # written as doccano relations
    left_out: int = 0  # links the label shape can't hold, or whose side isn't exported
    astral: int = 0  # articles with characters beyond U+FFFF
    meta_dropped: Counter = field(default_factory=Counter)  # attributes, notes, normalizations

    def summary(self) -> str:
        lines = [
            f"Exported {self.articles} article(s) ({self.which}) with "
            f"{sum(self.spans_by_label.values())} span(s) to {self.path} (doccano "
            f"{'label' if self.form == 'label' else 'entities/relations'} form).",
            f"Spans per label: {label_counts(self.spans_by_label)}",
        ]
        if self.relations:
            lines.append(f"Relations (event arguments and relations): {self.relations}")
        if self.left_out:
            hint = " (--form entities keeps them)" if self.form == "label" else ""
            lines.append(f"Event arguments and relations left out: {self.left_out}{hint}")
        if self.astral:
            lines.append(
                f"Articles with characters beyond U+FFFF (emoji and the like): "
                f"{self.astral}; offsets here count characters, doccano's editor may "
                "count UTF-16 units"
            )
        if self.meta_dropped:
            lines.append(
                f"{describe(self.meta_dropped)} not written: doccano has no place for them "
                "(export jsonl, brat or spacy keeps them)"
            )
        return "\n".join(lines + self.skipped_lines())


def _links(events, span_ids: set[int]) -> tuple[list[tuple[int, int, str]], int]:
    """(from span id, to span id, type) for every argument link, and how many couldn't be made."""
    triggers = {e.id: e.trigger_id for e in events if not e.relation}
    links, missed = [], 0
    for event in events:
        fillers = [
            (arg.role, arg.span_id if arg.span_id is not None else triggers.get(arg.arg_event_id))
            for arg in event.arguments
        ]
        if event.relation:
            if not fillers:
                continue
            head = fillers[0][1]
            pairs = [(head, filler, event.type) for _, filler in fillers[1:]]
        else:
            pairs = [(event.trigger_id, filler, role) for role, filler in fillers]
        for head, child, kind in pairs:
            if head in span_ids and child in span_ids:
                links.append((head, child, kind))
            else:
                missed += 1
    return links, missed


def article_task(article, spans, events, form: str, report: DoccanoExportReport) -> dict:
    # Only an external id: doccano numbers its rows itself, and a number read back would
    # be taken for doccano's (annotator.formats.doccano.reader).
    task: dict = {"id": article.ext_id} if article.ext_id is not None else {}
    task["text"] = article.text
    links, missed = _links(events, {s.id for s in spans})
    report.left_out += missed
    if form == "label":
        task["label"] = [[s.start, s.end, s.label] for s in spans]
        report.left_out += len(links)
    else:
        task["entities"] = [
            {"id": s.id, "label": s.label, "start_offset": s.start, "end_offset": s.end}
            for s in spans
        ]
        task["relations"] = [
            {"id": n, "from_id": head, "to_id": child, "type": kind}
            for n, (head, child, kind) in enumerate(links, start=1)
        ]
        report.relations += len(links)
    report.spans_by_label.update(s.label for s in spans)
    if beyond_bmp(article.text):
        report.astral += 1
    if article.title:
        task["title"] = article.title
    task["meta"] = article.meta
    return task


def export_doccano(
    store,
    path: str | Path,
    *,
    done_only: bool = False,
    form: str = "label",
    progress: Progress | None = None,
) -> DoccanoExportReport:
    """Write the selected articles to `path`; a failure or cancel leaves no partial file."""
    if form not in FORMS:
        raise AnnotatorError(f"unknown doccano form {form!r}; expected one of {', '.join(FORMS)}")
    export = Export(store, done_only, progress)
    path = file_target(path, ".jsonl file")
    report = export.report(DoccanoExportReport, path.resolve(), form)
    with written_atomically(path) as handle:
        for article, spans in export:
            task = article_task(article, spans, store.events(article.id), form, report)
            # Counted for the spans and events written: those are what lose them.
            span_meta, event_meta = store.annotation_meta(article.id)
            exported = {s.id for s in spans}
            report.meta_dropped += meta_counts(
                [m for k, m in span_meta.items() if k in exported] + list(event_meta.values())
            )
            handle.write(json.dumps(task, ensure_ascii=False) + "\n")
            report.articles += 1
    return report
