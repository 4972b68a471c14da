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
its type; a numbered role brat's import kept, Site2, under that name: formats.numbered_roles).
The record's "event_types" (both shapes) lists the event types of its triggers, so that an
import into a project whose schema lacks them (a fresh one) still reads those entities as
triggers and their relations as arguments (annotator.formats.doccano.reader); a record
without it (a tool dropped the key) is read by the project's schema, as before. Beside it,
"triggers_without_event" lists the trigger spans not (yet) made events ([start, end, type]),
which the reader leaves without one, and "event_roles" ({type: [role, ...]}, entities shape,
only where a name is numbered) the roles of the types, so that Site2 reads back as a Site. What
doccano can't hold is counted in the report by reason: links in the label shape, a relation
with other than two arguments, or with role names other than Arg1/Arg2, or whose first
argument is a trigger (it would come back as that event's argument); in the label shape,
also an event sharing its trigger with another (they come back as one; the entities shape
writes the trigger once per event). "id" is the external id, when there is one.

doccano's own editor counts offsets in UTF-16 units unless its project counts grapheme
clusters (doccano/doccano#2290); texts with characters beyond U+FFFF are counted in the report.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import TRIGGER
from annotator.formats.annotation_meta import dropped_with, not_written_line
from annotator.formats.doccano.reader import EVENT_ROLES, TRIGGERS_ALONE
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    file_target,
    label_counts,
    written_atomically,
)
from annotator.formats.numbered_roles import Fillers, role_names
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
    lost: Counter = field(default_factory=Counter)  # what doccano can't hold -> how many
    renumbered: list[str] = field(default_factory=list)  # events whose role numbers changed

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
        lines += [f"{what}: {n}" for what, n in sorted(self.lost.items())]
        if self.renumbered and self.form != "label":
            lines.append(
                "Events edited since their brat import, role numbers (Theme2 goes with "
                f"Site2) given anew: {len(self.renumbered)}"
            )
            lines += [f"  {line}" for line in self.renumbered]
        if self.astral:
            lines.append(
                f"Articles with characters beyond U+FFFF (emoji and the like): "
                f"{self.astral}; offsets here count characters, doccano's editor may "
                "count UTF-16 units"
            )
        lines += not_written_line(self.meta_dropped, "doccano")
        return "\n".join(lines + self.skipped_lines())


# The report's words for what doccano's relation shape can't hold (docs/formats.md).
SHARED_TRIGGER = "Events sharing their trigger with another event (read back as one event)"
ODD_RELATION = "Relations without exactly two arguments (written as links from the first)"
ROLE_NAMES = "Relations whose roles are not Arg1/Arg2 (read back as Arg1/Arg2)"
TRIGGER_HEAD = "Relations from an event trigger (read back as arguments of its event)"


def _losses(events, triggers: set[int], lost: Counter) -> None:
    """Count what the relation shape can't give back as it is."""
    for event in events:
        if not event.relation:
            continue
        if len(event.arguments) != 2:
            lost[ODD_RELATION] += 1
        elif [a.role for a in event.arguments] != ["Arg1", "Arg2"]:
            lost[ROLE_NAMES] += 1
        first = event.arguments[0] if event.arguments else None
        if first is not None and (first.arg_event_id is not None or first.span_id in triggers):
            lost[TRIGGER_HEAD] += 1


def _event_entities(spans, events) -> tuple[dict[int, int], list[tuple[int, object]]]:
    """The entity id standing for each event's trigger: the span's own id for the first event
    on it, a new id (and a copy of the entity) for each further one, so that two events on
    one trigger come back as two (annotator.formats.doccano.reader)."""
    by_id = {s.id: s for s in spans}
    next_id = max(by_id, default=0) + 1
    entity_of: dict[int, int] = {}
    copies: list[tuple[int, object]] = []
    used: set[int] = set()
    for event in events:
        if event.relation or event.trigger_id not in by_id:
            continue
        if event.trigger_id in used:
            entity_of[event.id] = next_id
            copies.append((next_id, by_id[event.trigger_id]))
            next_id += 1
        else:
            entity_of[event.id] = event.trigger_id
            used.add(event.trigger_id)
    return entity_of, copies


def _links(events, span_ids: set[int], entity_of: dict[int, int], names=None):
    """(from entity id, to entity id, type) for every argument link, and how many couldn't be
    made. `names(event)` gives the role names to write (brat's numbered ones)."""
    links, missed = [], 0
    for event in events:
        fillers = [
            (arg.role, arg.span_id if arg.span_id is not None else entity_of.get(arg.arg_event_id))
            for arg in event.arguments
        ]
        if event.relation:
            if not fillers:
                continue
            head = fillers[0][1]
            pairs = [(head, filler, event.type) for _, filler in fillers[1:]]
        else:
            head = entity_of.get(event.id)
            roles = names(event) if names else [role for role, _ in fillers]
            pairs = [(head, filler, role) for role, (_, filler) in zip(roles, fillers, strict=True)]
        for head, child, kind in pairs:
            if head is not None and child is not None and {head, child} <= span_ids:
                links.append((head, child, kind))
            else:
                missed += 1
    return links, missed


class _RoleNames:
    """The relation type of each event argument: brat's numbered name where an import kept
    one (Site2 goes with Theme2; formats.numbered_roles), else the role."""

    def __init__(self, article, spans, events, event_meta: dict, report: DoccanoExportReport):
        self.article, self.event_meta, self.report = article, event_meta, report
        self.fillers = Fillers(spans, events)
        self.numbered = False  # a name differs from its role: the record lists the roles

    def __call__(self, event) -> list[str]:
        found = role_names(event.arguments, self.event_meta.get(event.id, {}), self.fillers)
        self.numbered |= found.names != [a.role for a in event.arguments]
        if found.changes:
            self.report.renumbered.append(
                f"article {self.article.id}, event {event.id} ({event.type}): "
                + "; ".join(found.changes)
            )
        return found.names


def article_task(
    article, spans, events, form: str, report: DoccanoExportReport, event_meta=None, schema=None
) -> dict:
    # Only an external id: doccano numbers its rows itself, and a number read back would
    # be taken for doccano's (annotator.formats.doccano.reader).
    task: dict = {"id": article.ext_id} if article.ext_id is not None else {}
    task["text"] = article.text
    entity_of, copies = _event_entities(spans, events)
    names = _RoleNames(article, spans, events, event_meta or {}, report)
    links, missed = _links(events, {s.id for s in spans} | {n for n, _ in copies}, entity_of, names)
    report.left_out += missed
    if form == "label":
        task["label"] = [[s.start, s.end, s.label] for s in spans]
        report.left_out += len(links)
        if copies:
            report.lost[SHARED_TRIGGER] += len(copies)
    else:
        task["entities"] = [
            {"id": n, "label": s.label, "start_offset": s.start, "end_offset": s.end}
            for n, s in [(s.id, s) for s in spans] + copies
        ]
        task["relations"] = [
            {"id": n, "from_id": head, "to_id": child, "type": kind}
            for n, (head, child, kind) in enumerate(links, start=1)
        ]
        report.relations += len(links)
        _losses(events, {s.id for s in spans if s.kind == TRIGGER}, report.lost)
    types = sorted({s.label for s in spans if s.kind == TRIGGER})
    if types:
        task["event_types"] = types
    # A trigger not yet made an event stays one: the reader makes an event of every other.
    with_event = {e.trigger_id for e in events if not e.relation}
    # (A place that also has a trigger with an event is left off: the reader goes by place.)
    taken = {(s.start, s.end, s.label) for s in spans if s.id in with_event}
    alone = [
        [s.start, s.end, s.label]
        for s in spans
        if s.kind == TRIGGER and s.id not in with_event and (s.start, s.end, s.label) not in taken
    ]
    if alone:
        task[TRIGGERS_ALONE] = alone
    if form != "label" and names.numbered and schema is not None:
        # The roles of the types, so that the reader knows Site2 for the second Site.
        task[EVENT_ROLES] = {
            t: [r.name for r in schema.event_type(t).roles]
            for t in types
            if schema.event_type(t) is not None
        }
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
    # Every article, spans or not: brat and doccano are where a corpus is annotated further.
    export = Export(store, done_only, progress, unlabelled=True)
    path = file_target(path, ".jsonl file")
    report = export.report(DoccanoExportReport, path.resolve(), form)
    with written_atomically(path) as handle:
        for article, spans in export:
            span_meta, event_meta = store.annotation_meta(article.id)
            task = article_task(
                article, spans, store.events(article.id), form, report, event_meta, store.schema
            )
            report.meta_dropped += dropped_with(span_meta, event_meta, spans)
            handle.write(json.dumps(task, ensure_ascii=False) + "\n")
            report.articles += 1
    return report
