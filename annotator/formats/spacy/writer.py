"""Export for spaCy: train.spacy and dev.spacy (DocBin), a config.cfg, and a report.

Entities go to doc.ents where they can (doc.ents can't overlap) and all of them, overlaps
included, to the span group doc.spans["sc"], where spancat looks by default. Event triggers go
to doc.spans["triggers"] (label = event type) and the whole event structure (type, trigger,
role -> argument, char and token offsets) to doc.user_data["events"], which DocBin keeps
(docs/events-in-spacy.md; annotator.formats.event_export). A span's first normalization
(a knowledge-base id: brat's N line, Prodigy's entity linking) is its Span.kb_id_; every
attribute, note and normalization goes to doc.user_data["annotator"], versioned
(annotator.formats.annotation_meta), keyed by the characters each span has in the doc (widened
or trimmed to tokens). A fully annotated article's tokens outside its entities are "O", known
to be no entity (an article without entities is a negative example); an article whose
answers vouch only for their spans (Prodigy's binary or entity-linking answers, not since
marked done: annotator.formats.jsonl.answers.spans_only) has its other tokens missing, "",
unknown to training. The config comes
from spaCy's own `init config` machinery, so it is what `spacy init config` would write for
this language, with the data paths filled in as absolute paths: `python -m spacy train
OUTDIR/config.cfg` then runs as is, from any folder.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import DocBin
from spacy.util import filter_spans

from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY
from annotator.core.tokens import blank_nlp
from annotator.formats.annotation_meta import (
    USER_DATA_KEY,
    describe,
    kb_ids,
    meta_counts,
    user_data_payload,
)
from annotator.formats.event_export import event_structures
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    Misaligned,
    align,
    label_counts,
    misaligned_lines,
    prepare_outdir,
    staged_folder,
)
from annotator.formats.jsonl.answers import VIEW_KEY, spans_only
from annotator.formats.records import Progress
from annotator.formats.spacy.parts import (
    MAX_CHARS,
    PART,
    article_blocks,
    cut_points,
    split_article,
)

SPAN_KEY = "sc"
TRIGGER_KEY = "triggers"
TRAIN, DEV, CONFIG, REPORT = "train.spacy", "dev.spacy", "config.cfg", "export-report.txt"


@dataclass
class ExportReport(ExportFigures):
    outdir: Path
    dev_share: float
    seed: int
    train_docs: int = 0
    dev_docs: int = 0
    spans_by_label: Counter = field(default_factory=Counter)  # every span in doc.spans["sc"]
    ents_by_label: Counter = field(default_factory=Counter)  # the ones also in doc.ents
    overlaps_by_label: Counter = field(default_factory=Counter)  # kept out of doc.ents
    duplicates: int = 0  # same tokens, same label: written once
    triggers: int = 0  # event trigger spans, in doc.spans["triggers"]
    events: int = 0  # in doc.user_data["events"], relations included
    relations: int = 0
    arguments: int = 0
    events_left_out: list[str] = field(default_factory=list)
    misaligned: list[Misaligned] = field(default_factory=list)
    negatives: int = 0  # docs with no entity: every token outside
    spans_only: int = 0  # docs whose tokens outside their entities are missing, not outside
    kb_ids: int = 0  # spans with a Span.kb_id_
    more_kb_ids: int = 0  # spans with more than one id: the others only in user_data
    meta: Counter = field(default_factory=Counter)  # attributes, notes, normalizations
    meta_not_written: Counter = field(default_factory=Counter)  # of spans not exported
    answered_out: int = 0  # articles answered reject or ignore in Prodigy, left out
    split: list[str] = field(default_factory=list)  # articles cut into parts (spacy.parts)
    too_long: list[str] = field(default_factory=list)  # articles left out: no place to cut
    extra_parts: int = 0  # Docs beyond one per article, from the cuts
    language: str = ""  # the project's, which the config's nlp.lang follows

    @property
    def docs(self) -> int:
        return self.train_docs + self.dev_docs

    @property
    def overlaps(self) -> int:
        return sum(self.overlaps_by_label.values())

    def summary(self) -> str:
        out = self.outdir
        lines = [
            f"Exported {self.docs - self.extra_parts} article(s) ({self.which}): "
            f"{self.train_docs} to {TRAIN}, "
            f"{self.dev_docs} to {DEV} (dev share {self.dev_share:g}, seed {self.seed}).",
            f"Entity spans: {sum(self.spans_by_label.values())} "
            f"({label_counts(self.spans_by_label)}), all in doc.spans[{SPAN_KEY!r}].",
            f"In doc.ents: {sum(self.ents_by_label.values())}; overlapping spans kept out of "
            f"doc.ents (still in the span group): {self.overlaps}"
            + (f" ({label_counts(self.overlaps_by_label)})" if self.overlaps else "")
            + ".",
        ]
        if self.triggers:
            lines.append(f"Event triggers: {self.triggers}, in doc.spans[{TRIGGER_KEY!r}].")
        if self.events:
            lines.append(
                f"Events: {self.events - self.relations} with {self.arguments} "
                f"argument(s), relations: {self.relations}; all in "
                "doc.user_data['events']."
            )
        if self.events_left_out:
            lines.append(f"Events or arguments left out: {len(self.events_left_out)}")
            lines += [f"  {line}" for line in self.events_left_out]
        lines += self._meta_lines()
        if self.duplicates:
            lines.append(f"Duplicate spans (same tokens and label) written once: {self.duplicates}")
        if self.split:
            lines.append(
                f"Articles over {MAX_CHARS:,} characters (spaCy's limit), cut into parts at "
                f"paragraph or sentence ends (user_data['part']): {len(self.split)}"
            )
            lines += [f"  {line}" for line in self.split]
        if self.too_long:
            lines.append(f"Articles too long for spaCy, left out: {len(self.too_long)}")
            lines += [f"  {line}" for line in self.too_long]
        lines += self.skipped_lines()
        if self.answered_out:
            lines.append(
                f"Articles answered reject or ignore in Prodigy (marked skipped), left out: "
                f"{self.answered_out}"
            )
        if self.dev_docs == 0:
            lines.append(
                f"Warning: {DEV} is empty; spacy train needs at least one dev document "
                "(export two or more articles with a dev share above 0)."
            )
        lines += misaligned_lines(self.misaligned)
        if self.language:
            lines.append(f"{CONFIG}: lang = {self.language!r} (the project's language).")
        lines += [
            f"Wrote {out / TRAIN}, {out / DEV}, {out / CONFIG} and {out / REPORT}.",
            f"Train with: python -m spacy train {out / CONFIG} --output {out / 'model'}",
        ]
        return "\n".join(lines)

    def _meta_lines(self) -> list[str]:
        lines = [
            f"Docs with no entities (every token outside an entity: negative examples): "
            f"{self.negatives}."
        ]
        if self.spans_only:
            lines.append(
                "Docs answered for their spans only (Prodigy binary or entity-linking answers, "
                f"not marked done; tokens outside their entities missing, not O): "
                f"{self.spans_only}."
            )
        if self.kb_ids:
            lines.append(
                f"Knowledge-base ids: {self.kb_ids} span(s) with Span.kb_id_"
                + (
                    f"; {self.more_kb_ids} have more than one (the others only in user_data)"
                    if self.more_kb_ids
                    else ""
                )
                + "."
            )
        if self.meta:
            lines.append(
                f"Attributes, notes and normalizations: {describe(self.meta)}, in "
                f"doc.user_data[{USER_DATA_KEY!r}]."
            )
        if self.meta_not_written:
            lines.append(
                f"Not written (their span covers no token): {describe(self.meta_not_written)}."
            )
        return lines


def split_ids(ids: list[int], dev_share: float, seed: int) -> set[int]:
    """The ids that go to dev: a seeded shuffle, so the same project and seed give the same split.

    Dev gets round(n * share) articles, at least one when there are two or more and the share
    is above 0, and never all of them (training needs at least one).
    """
    if not 0.0 <= dev_share < 1.0:
        raise AnnotatorError(f"the dev share must be at least 0 and below 1, not {dev_share:g}")
    n = len(ids)
    n_dev = round(n * dev_share)
    if dev_share > 0 and n >= 2:
        n_dev = min(max(n_dev, 1), n - 1)
    else:
        n_dev = 0
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    return set(shuffled[:n_dev])


def article_doc(
    nlp, article, spans, report: ExportReport, events=(), event_meta=None, span_meta=None
):
    """One article as a Doc: tokens, entities, the span groups, and in user_data who it is,
    its events and what its spans and events carry beside their labels."""
    doc = nlp.make_doc(article.text)
    group, triggers, seen = [], [], set()
    bounds: dict[int, tuple[int, int]] = {}
    chars: dict[int, tuple[int, int]] = {}  # where each span is in the doc, for user_data
    span_meta = span_meta or {}
    for span in spans:
        aligned = align(doc, article, span, report.misaligned)
        meta = span_meta.get(span.id, {})
        if aligned is None:
            report.meta_not_written += meta_counts([meta])
            continue
        ids = kb_ids(meta)
        if ids:
            aligned.kb_id_ = ids[0]
            report.kb_ids += 1
            report.more_kb_ids += len(ids) > 1
        bounds[span.id] = (aligned.start, aligned.end)
        chars[span.id] = (aligned.start_char, aligned.end_char)
        key = (aligned.start, aligned.end, aligned.label_, span.kind)
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        (group if span.kind == ENTITY else triggers).append(aligned)
    if triggers:  # event triggers, labelled with the event type, never in doc.ents
        doc.spans[TRIGGER_KEY] = triggers
        report.triggers += len(triggers)
    ents = filter_spans(group)  # longest first, then earliest: a non-overlapping subset
    # A binary or linking answer says nothing of the other tokens: missing (""), which
    # training skips; otherwise they are O, known to be no entity (spaCy's default), and a
    # doc without entities is a negative example.
    partial = spans_only(article.meta, article.status)
    doc.set_ents(ents, default="missing" if partial else "outside")
    report.spans_only += partial
    report.negatives += not ents and not partial
    doc.spans[SPAN_KEY] = group
    kept = {(s.start, s.end, s.label_) for s in ents}
    for s in group:
        report.spans_by_label[s.label_] += 1
        if (s.start, s.end, s.label_) in kept:
            report.ents_by_label[s.label_] += 1
        else:
            report.overlaps_by_label[s.label_] += 1
    problems: list[str] = []
    structures = event_structures(
        article.text,
        # Spans widened or trimmed to tokens are named where the doc has them, so an import
        # finds the entity there rather than adding one at the stored offsets.
        [
            replace(span, start=chars[span.id][0], end=chars[span.id][1])
            if span.id in chars
            else span
            for span in spans
        ],
        list(events),
        bounds.get,
        event_meta=event_meta,
        problems=problems,
    )
    report.events_left_out += [f"article {article.id}: {p}" for p in problems]
    report.events += len(structures)
    report.relations += sum(1 for e in structures if e["relation"])
    report.arguments += sum(len(e["arguments"]) for e in structures if not e["relation"])
    exported = [span for span in spans if span.id in bounds]
    written_events = {e["id"] for e in structures}
    payload = user_data_payload(
        exported,
        chars,
        span_meta,
        {k: v for k, v in (event_meta or {}).items() if k in written_events},
    )
    report.meta += meta_counts(payload["spans"].values()) + meta_counts(payload["events"].values())
    # Plain values only (dicts, lists, str, int, bool, None): DocBin keeps user_data
    # through msgpack.
    doc.user_data.update(
        {
            "article_id": article.id,
            "ext_id": article.ext_id,
            "title": article.title,
            "status": article.status,
            "events": structures,
            # Where each span came from: manual, an import, or a suggestion source and the
            # decision on it (accepted, relabelled, resized); and whose layer it is (with
            # several annotators, an export of every layer keeps them apart).
            "provenance": [
                {
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "origin": s.origin,
                    "decision": s.decision,
                    "annotator": s.annotator,
                }
                for s in spans
            ],
            USER_DATA_KEY: payload,
        }
    )
    if partial:  # read back by the DocBin importer: still answered for its spans only
        doc.user_data[VIEW_KEY] = article.meta[VIEW_KEY]
    return doc


def shifted(item: Misaligned, by: int) -> Misaligned:
    moved = None if item.exported is None else (item.exported[0] + by, item.exported[1] + by)
    return replace(item, start=item.start + by, end=item.end + by, exported=moved)


def _parts(article, spans, events, report: ExportReport) -> list[tuple]:
    """The article as one Doc's worth, or cut into parts spaCy can take (formats.spacy.parts):
    (article, spans, events, part info or None) each."""
    if len(article.text) <= MAX_CHARS:
        return [(article, spans, events, None)]
    cuts = cut_points(article.text, article_blocks(spans, events))
    title = article.title if len(article.title) <= 50 else article.title[:49] + "…"
    if cuts is None:
        report.too_long.append(
            f"article {article.id} ({title!r}): {len(article.text):,} characters, and no "
            f"paragraph, line, sentence or space to cut it at into parts of at most "
            f"{MAX_CHARS:,} without cutting a span or an event; left out"
        )
        return []
    parts = split_article(article, spans, events, cuts)
    report.split.append(f"article {article.id} ({title!r}): {len(parts)} parts")
    return [
        (text, part_spans, part_events, {"index": i, "of": len(parts), "start": start})
        for i, (text, part_spans, part_events, start) in enumerate(parts)
    ]


def training_config(language: str, train: Path, dev: Path):
    """What `spacy init config --lang L --pipeline ner --optimize efficiency` writes (CPU)."""
    from spacy.cli.init_config import init_config

    config = init_config(
        lang=language, pipeline=["ner"], optimize="efficiency", gpu=False, silent=True
    )
    config["paths"]["train"] = str(train.resolve())
    config["paths"]["dev"] = str(dev.resolve())
    return config


def export_spacy(
    store,
    outdir: str | Path,
    *,
    dev_share: float = 0.2,
    seed: int = 0,
    done_only: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write OUTDIR/train.spacy, dev.spacy, config.cfg and export-report.txt; return the report.

    Nothing is written until every article has been converted, so a cancel (progress returning
    False raises Cancelled) or a failure leaves the folder as it was.
    """
    export = Export(store, done_only, progress)
    dev_ids = split_ids(export.ids, dev_share, seed)
    outdir = Path(outdir)
    report = export.report(ExportReport, outdir.resolve(), dev_share, seed)
    nlp = blank_nlp(store.schema.language)
    train, dev = DocBin(store_user_data=True), DocBin(store_user_data=True)
    report.answered_out = store.answered_out()
    for article, spans in export:
        span_meta, event_meta = store.annotation_meta(article.id)
        events = store.events(article.id)
        for part_article, part_spans, part_events, part in _parts(article, spans, events, report):
            seen = len(report.misaligned)
            doc = article_doc(
                nlp, part_article, part_spans, report, part_events, event_meta, span_meta
            )
            if part is not None:
                doc.user_data[PART] = part
                report.extra_parts += part["index"] > 0
                # The report names places in the article, not in the part.
                report.misaligned[seen:] = [
                    shifted(m, part["start"]) for m in report.misaligned[seen:]
                ]
            (dev if article.id in dev_ids else train).add(doc)
    report.train_docs, report.dev_docs = len(train), len(dev)

    report.language = store.schema.language
    config = training_config(store.schema.language, outdir / TRAIN, outdir / DEV)
    outdir = prepare_outdir(outdir)
    with staged_folder(outdir) as staging:
        train.to_disk(staging / TRAIN)
        dev.to_disk(staging / DEV)
        config.to_disk(staging / CONFIG)
        (staging / REPORT).write_text(report.summary() + "\n", encoding="utf-8")
    return report
