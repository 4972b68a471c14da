"""brat standoff export: OUTDIR/NAME.txt + NAME.ann per article, and an annotation.conf.

T lines for entities and triggers (with their brat fragments, when imported so), E lines for
events (the role names an import read, Theme2 and Site2 as they were, kept with their
arguments in the event's meta, formats.numbered_roles; else a repeated role numbered Role2,
Role3 as brat does; an edit that leaves a number in doubt is listed in the report), R lines for relations with the
stored role names, * for relations imported as equivalences, A lines for attributes and
# lines for notes (N for normalizations) kept in the spans' and events' meta. What brat can't
express (a relation without exactly two arguments, a relation filling an event's role, an
attribute value or a knowledge-base id with a space) is left out and listed in the report, never dropped silently. Type names are written as brat
stores them (brat_conf.storage_form: Conflict.Attack as Conflict_Attack); the import turns
them back. The .txt is the stored text byte for byte (UTF-8, newlines untranslated), so
offsets stay right.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.meta_edits import EDITED_BY
from annotator.core.model import TRIGGER
from annotator.formats.brat.conf import CONF, brat_names, storage_form, write_conf
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    leftover_staging,
    prepare_outdir,
    staged_folder,
)
from annotator.formats.numbered_roles import Fillers, role_names
from annotator.formats.records import Progress
from annotator.store.project import ProjectStore

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class BratExportReport(ExportFigures):
    outdir: Path
    documents: int = 0
    counts: Counter = field(default_factory=Counter)  # T, E, arguments, R, *, A, #, N
    left_out: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)  # events whose role names changed

    def summary(self) -> str:
        c = self.counts
        lines = [
            f"Exported {self.documents} article(s) ({self.which}) to {self.outdir} as brat standoff "
            f"(.txt + .ann each, and {CONF}).",
            f"T: {c['T']} ({c['entities']} entities, {c['triggers']} triggers); E: {c['E']} "
            f"with {c['arguments']} argument(s); R: {c['R']}; *: {c['*']}; A: {c['A']}; "
            f"#: {c['#']}; N: {c['N']}.",
        ]
        if c[EDITED_BY]:
            lines.append(
                f"Who last edited the attributes, notes or ids of {c[EDITED_BY]} annotation(s) "
                "is not written: brat has no place for it (jsonl and spacy keep it)"
            )
        if self.left_out:
            lines.append(f"Left out (brat can't express them): {len(self.left_out)}")
            lines += [f"  {line}" for line in self.left_out]
        if self.renumbered:
            lines.append(
                "Events edited since their brat import, role numbers (Theme2 goes with "
                f"Site2) given anew: {len(self.renumbered)}"
            )
            lines += [f"  {line}" for line in self.renumbered]
        return "\n".join(lines + self.skipped_lines() + self.leftover_lines())


class _Names:
    """File names from external ids (or article ids), safe on every filesystem, unique."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, article) -> str:
        raw = article.ext_id if article.ext_id else f"article-{article.id}"
        base = _UNSAFE.sub("_", raw).strip("._")[:100] or f"article-{article.id}"
        name, n = base, 1
        while name.lower() in self.used:  # case-insensitive filesystems
            n += 1
            name = f"{base}-{n}"
        self.used.add(name.lower())
        return name


def _flat(text: str) -> str:
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def _fragments(span, meta: dict) -> list[tuple[int, int]]:
    """The brat fragments an imported discontinuous span had, if they still fit it."""
    try:
        frags = [(int(s), int(e)) for s, e in meta.get("fragments", [])]
    except (TypeError, ValueError):
        return [(span.start, span.end)]
    if (
        len(frags) > 1
        and frags[0][0] == span.start
        and max(e for _, e in frags) == span.end
        and all(s < e for s, e in frags)
    ):
        return frags
    return [(span.start, span.end)]


class _Ann:
    """The lines of one .ann, and the attributes seen (for the conf)."""

    def __init__(self, article, report: BratExportReport, attributes: dict, equivalences: set):
        self.article, self.report = article, report
        self.attributes, self.equivalences = attributes, equivalences
        self.lines: list[str] = []
        self.extra: list[str] = []  # A, #, N lines go after the annotations they describe
        self.numbers: Counter = Counter()
        self.fillers = Fillers([], [])

    def next_id(self, prefix: str) -> str:
        self.numbers[prefix] += 1
        return f"{prefix}{self.numbers[prefix]}"

    def leave_out(self, what: str) -> None:
        self.report.left_out.append(
            f"article {self.article.id} ({self.article.title[:40]!r}): {what}"
        )

    def meta(self, target: str, meta: dict, kind: str) -> None:
        if meta.get(EDITED_BY):
            self.report.counts[EDITED_BY] += 1  # brat has no line for who edited them
        for name, value in (meta.get("attributes") or {}).items():
            if value is False or value is None:
                continue
            spec = self.attributes.setdefault(name, {"targets": set(), "values": set()})
            spec["targets"].add(kind)
            if value is True:
                self.extra.append(f"{self.next_id('A')}\t{storage_form(name)} {target}")
            else:
                text = str(value)
                if not text or any(c.isspace() for c in text):
                    self.leave_out(
                        f"attribute {name}={text!r} of {target}: brat values are one word"
                    )
                    continue
                spec["values"].add(text)
                self.extra.append(f"{self.next_id('A')}\t{storage_form(name)} {target} {text}")
            self.report.counts["A"] += 1
        for note in meta.get("notes") or []:
            self.extra.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{_flat(str(note))}")
            self.report.counts["#"] += 1
        for norm in meta.get("normalizations") or []:
            try:
                kb, ref = str(norm["type"]), str(norm["ref"])
            except (KeyError, TypeError):
                continue
            if any(c.isspace() for c in kb + ref) or not kb or not ref:
                # The N line's head is split on spaces: brat (and our import) would misread it.
                self.leave_out(
                    f"knowledge-base id {ref!r} ({kb}) of {target}: brat ids are one word"
                )
                continue
            line = f"{kb} {target} {ref}\t{_flat(str(norm.get('text', '')))}"
            self.extra.append(f"{self.next_id('N')}\t{line}")
            self.report.counts["N"] += 1


def article_ann(
    article, spans, events, meta, report: BratExportReport, attributes: dict, equivalences: set
) -> str:
    span_meta, event_meta = meta
    ann = _Ann(article, report, attributes, equivalences)
    ann.fillers = Fillers(spans, events)
    t_ids: dict[int, str] = {}
    for span in spans:
        t = t_ids[span.id] = ann.next_id("T")
        frags = _fragments(span, span_meta.get(span.id, {}))
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        text = " ".join(article.text[s:e] for s, e in frags)
        ann.lines.append(f"{t}\t{storage_form(span.label)} {offsets}\t{_flat(text)}")
        report.counts["T"] += 1
        report.counts["triggers" if span.kind == TRIGGER else "entities"] += 1
        ann.meta(t, span_meta.get(span.id, {}), "<ENTITY>" if span.kind != TRIGGER else "<EVENT>")
    # Ids first: an event's argument may be an event written after it.
    e_ids = {e.id: ann.next_id("E") for e in events if not e.relation and e.trigger_id in t_ids}
    for event in events:
        if not event.relation and event.id not in e_ids:
            ann.leave_out(f"event {event.id} ({event.type}): its trigger is not an accepted span")
    for event in events:
        if event.id in e_ids:
            _event_line(ann, event, e_ids, t_ids, event_meta)
        elif event.relation:
            _relation_line(ann, event, t_ids, e_ids, event_meta)
    return "\n".join(ann.lines + ann.extra) + ("\n" if ann.lines else "")


def _event_line(ann: _Ann, event, e_ids, t_ids, event_meta) -> None:
    parts = [f"{storage_form(event.type)}:{t_ids[event.trigger_id]}"]
    meta = event_meta.get(event.id, {})
    written = []
    for arg in event.arguments:
        ref = t_ids.get(arg.span_id) if arg.span_id is not None else e_ids.get(arg.arg_event_id)
        if ref is None:
            ann.leave_out(
                f"event {event.id} ({event.type}), {arg.role}: its filler is not "
                "exported (not an accepted span, or a relation)"
            )
            continue
        written.append((arg, ref))
    names = role_names([arg for arg, _ in written], meta, ann.fillers)
    for name, (_, ref) in zip(names.names, written, strict=True):
        parts.append(f"{name}:{ref}")
        ann.report.counts["arguments"] += 1
    if names.changes:
        ann.report.renumbered.append(
            f"article {ann.article.id} ({ann.article.title[:40]!r}), event {event.id} "
            f"({event.type}): {'; '.join(names.changes)}"
        )
    ann.lines.append(f"{e_ids[event.id]}\t{' '.join(parts)}")
    ann.report.counts["E"] += 1
    ann.meta(e_ids[event.id], meta, "<EVENT>")


def _relation_line(ann: _Ann, event, t_ids, e_ids, event_meta) -> None:
    refs = [
        (a.role, t_ids.get(a.span_id) if a.span_id is not None else e_ids.get(a.arg_event_id))
        for a in event.arguments
    ]
    meta = event_meta.get(event.id, {})
    if any(ref is None for _, ref in refs):
        ann.leave_out(f"relation {event.id} ({event.type}): an argument is not exported")
        return
    if meta.get("brat") == "equivalence" and len(refs) >= 2:
        ann.lines.append(f"*\t{storage_form(event.type)} {' '.join(ref for _, ref in refs)}")
        ann.equivalences.add(storage_form(event.type))
        ann.report.counts["*"] += 1
        if set(meta) - {"brat"}:
            ann.leave_out(
                f"equivalence {event.id} ({event.type}): brat's * lines have no id, "
                "so its attributes and notes can't be written"
            )
        return
    if len(refs) != 2:
        ann.leave_out(
            f"relation {event.id} ({event.type}) has {len(refs)} argument(s); brat "
            "relations have two"
        )
        return
    r = ann.next_id("R")
    ann.lines.append(
        f"{r}\t{storage_form(event.type)} {' '.join(f'{role}:{ref}' for role, ref in refs)}"
    )
    ann.report.counts["R"] += 1
    ann.meta(r, meta, "<RELATION>")


def _check_names(schema, report: BratExportReport) -> None:
    """Names that brat would spell alike can't be told apart on the way back: say so."""
    restored = brat_names(schema)
    for name in schema.names:
        form = storage_form(name)
        if form != name and restored.get(form) != name:
            report.left_out.append(
                f"the name {name} is {form} in brat, which another name "
                "shares or is: an import can't restore it"
            )


def export_brat(
    store: ProjectStore,
    outdir: str | Path,
    *,
    done_only: bool = False,
    progress: Progress | None = None,
) -> BratExportReport:
    """Write the selected articles to OUTDIR as brat standoff; return the report.

    Files are written to a hidden folder inside OUTDIR and moved into place at the end, so a
    cancel or a failure leaves OUTDIR as it was.
    """
    # Every article, spans or not: brat and doccano are where a corpus is annotated further.
    export = Export(store, done_only, progress, unlabelled=True)
    outdir = prepare_outdir(Path(outdir))
    report = export.report(BratExportReport, outdir.resolve())
    _check_names(store.schema, report)
    attributes: dict[str, dict] = {}
    equivalences: set[str] = set()
    names = _Names()
    report.leftovers = [str(path) for path in leftover_staging(outdir)]
    with staged_folder(outdir) as staging:
        for article, spans in export:
            name = names(article)
            ann = article_ann(
                article,
                spans,
                store.events(article.id),
                store.annotation_meta(article.id),
                report,
                attributes,
                equivalences,
            )
            (staging / f"{name}.txt").write_text(article.text, encoding="utf-8", newline="")
            (staging / f"{name}.ann").write_text(ann, encoding="utf-8", newline="")
            report.documents += 1
        conf = write_conf(store.schema, attributes, equivalences)
        (staging / CONF).write_text(conf, encoding="utf-8")
    return report
