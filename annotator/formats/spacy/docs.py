"""One article as spaCy Docs (one, or several parts past spaCy's length limit), and one shard
of the export: a DocBin file of a run of articles, written by write_shard.

write_shard is a plain function of its ShardTask (the articles with their spans, events and
what they carry, the language, the file to write) and returns the figures of what it wrote:
no store, no shared state, nothing global but a cached blank pipeline. So the export runs it in
the calling process or in a pool of processes alike and the files are the same bytes, and an
engine that runs functions over shards (Ray, Dask) could run it as it is.

spaCy is imported inside the functions: the export's own process, when a pool makes the
shards, then never loads it (90 MB less under the memory bound).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.core.model import ENTITY
from annotator.core.tokens import blank_nlp
from annotator.formats.alignment import Misaligned, align
from annotator.formats.annotation_meta import (
    USER_DATA_KEY,
    kb_ids,
    meta_counts,
    user_data_payload,
)
from annotator.formats.event_export import event_structures
from annotator.formats.jsonl.answers import VIEW_KEY, spans_only
from annotator.formats.spacy.packing import encoders_read_once
from annotator.formats.spacy.parts import (
    MAX_CHARS,
    PART,
    article_blocks,
    cut_points,
    split_article,
)

SPAN_KEY = "sc"
TRIGGER_KEY = "triggers"
LAYER_KEY = "annotator:"  # + a name: one annotator's entity spans (export --span-groups yes)


@dataclass(kw_only=True)
class DocFigures:
    """What making the Docs finds, counted per shard and added up by the export (merge):
    every field a count, a Counter or a list, so a sum of shards is the whole corpus's."""

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
    split: list[str] = field(default_factory=list)  # articles cut into parts (spacy.parts)
    too_long: list[str] = field(default_factory=list)  # articles left out: no place to cut
    extra_parts: int = 0  # Docs beyond one per article, from the cuts
    layer_spans: Counter = field(default_factory=Counter)  # per annotator's span group
    layer_dropped: int = 0  # a person's spans left out of their group (--span-groups)
    layer_dropped_examples: list[str] = field(default_factory=list)  # a few of them

    def merge(self, other: DocFigures) -> None:
        """Add a shard's figures (in shard order, so the lists read as one run would)."""
        for item in dataclasses.fields(DocFigures):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, (Counter, list)):
                mine += theirs  # in place: a Counter adds, a list extends
            else:
                setattr(self, item.name, mine + theirs)


@dataclass
class ShardTask:
    """One shard's work: everything it needs travels with it (pickled to a pool process)."""

    language: str
    path: Path  # the .spacy file to write
    # (article, accepted spans, events, span meta, event meta[, {annotator: entity spans}]),
    # in the export's order; the last, with --span-groups, goes to doc.spans["annotator:NAME"]
    articles: list[tuple] = field(default_factory=list)
    chars: int = 0  # of the articles' text


@dataclass
class ShardResult:
    path: Path
    articles: int
    docs: int
    figures: DocFigures


def write_shard(task: ShardTask) -> ShardResult:
    """Make the task's Docs and write them to task.path as one DocBin."""
    from spacy.tokens import DocBin

    nlp = blank_nlp(task.language)  # cached per process: the tokenizer is built once
    figures = DocFigures()
    docbin = DocBin(store_user_data=True)
    with encoders_read_once():  # DocBin.add packs three times a Doc (formats.spacy.packing)
        for article, spans, events, span_meta, event_meta, *layers in task.articles:
            made = article_docs(nlp, article, spans, events, span_meta, event_meta, figures)
            for doc in made:
                if layers:
                    layer_groups(doc, article, layers[0], figures)
                docbin.add(doc)
        docbin.to_disk(task.path)
    return ShardResult(task.path, len(task.articles), len(docbin), figures)


def article_docs(nlp, article, spans, events, span_meta, event_meta, figures: DocFigures):
    """The article's Docs: one, or its parts when it is longer than spaCy takes."""
    docs = []
    for part_article, part_spans, part_events, part in _parts(article, spans, events, figures):
        seen = len(figures.misaligned)
        doc = article_doc(
            nlp, part_article, part_spans, figures, part_events, event_meta, span_meta
        )
        if part is not None:
            doc.user_data[PART] = part
            figures.extra_parts += part["index"] > 0
            # The report names places in the article, not in the part.
            figures.misaligned[seen:] = [
                shifted(m, part["start"]) for m in figures.misaligned[seen:]
            ]
        docs.append(doc)
    return docs


def article_doc(
    nlp, article, spans, report: DocFigures, events=(), event_meta=None, span_meta=None
):
    """One article as a Doc: tokens, entities, the span groups, and in user_data who it is,
    its events and what its spans and events carry beside their labels."""
    from spacy.util import filter_spans

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
    structures: list[dict] = []
    if events:  # most news articles have none: no copies of their spans then
        structures = event_structures(
            article.text,
            # Spans widened or trimmed to tokens are named where the doc has them, so an
            # import finds the entity there rather than adding one at the stored offsets.
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


def layer_groups(doc, article, layers: dict, figures: DocFigures) -> None:
    """Each annotator's entity spans in a span group of their own, doc.spans["annotator:NAME"]
    (doc.ents stays the exported layer's: gold, when there is one). A Doc that is a part of a
    long article takes the spans inside it. Misaligned spans are widened as in doc.ents, and
    not reported twice: the report lists the exported layer's."""
    start = doc.user_data.get(PART, {}).get("start", 0)
    end = start + len(doc.text)
    for name, spans in sorted(layers.items()):
        group = []
        for span in spans:
            if not start <= span.start < end:
                continue  # another part's (said there, once, if it is dropped)
            aligned = None
            if span.end <= end:
                moved = replace(span, start=span.start - start, end=span.end - start)
                aligned = align(doc, replace(article, text=doc.text), moved, [])
            if aligned is not None:
                group.append(aligned)
                continue
            # On no token, or across a cut made around the exported layer's spans only.
            figures.layer_dropped += 1
            if len(figures.layer_dropped_examples) < 3:  # bounded: examples, not a list
                figures.layer_dropped_examples.append(
                    f"{name}'s {span.label} {article.text[span.start : span.end]!r} "
                    f"(article {article.id}, {span.start}-{span.end})"
                )
        doc.spans[LAYER_KEY + name] = group
        figures.layer_spans[name] += len(group)


def shifted(item: Misaligned, by: int) -> Misaligned:
    moved = None if item.exported is None else (item.exported[0] + by, item.exported[1] + by)
    return replace(item, start=item.start + by, end=item.end + by, exported=moved)


def _parts(article, spans, events, report: DocFigures) -> list[tuple]:
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
