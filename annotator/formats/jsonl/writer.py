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

Speed (issue 16): the tokens are read from the Doc as one array (no Token object per token),
a span on token boundaries finds its tokens by search (spaCy's char_span only for the rest),
a line's other fields are encoded with orjson and a chunk's lines put together by numpy
(token_json: no dict per token), and chunks of articles are exported on every core
(annotator.formats.parallel; --jobs N, this process one of them), each chunk by the same
function, so the file is the same byte for byte whatever the number of processes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import orjson

from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY
from annotator.core.tokens import blank_nlp, trim_whitespace
from annotator.formats.annotation_meta import kb_ids
from annotator.formats.chunk_files import (
    ChunkFile,
    append_chunk_file,
    chunk_file_prefix,
    remove_chunk_files,
    write_chunk_file,
)
from annotator.formats.event_export import event_structures, prodigy_relations
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    Misaligned,
    align,
    check_progress,
    file_target,
    label_counts,
    misaligned_lines,
    sync_data,
    written_atomically,
)
from annotator.formats.jsonl.answers import VIEW_KEY, spans_only
from annotator.formats.jsonl.token_json import LineParts, chunk_pieces
from annotator.formats.parallel import chunked, jobs_for, ordered_map
from annotator.formats.records import Progress
from annotator.store.project import ProjectStore, open_project

# Articles a process exports at a time, as often as every export asks its progress callback
# (export_common.check_progress): 50 lines with their tokens are about 1.8 MB, and at most 2
# chunks a process wait to be written.
CHUNK = 50
# Bytes written between two syncs to disk: the export's single fsync at the end waited for
# the whole file (400 MB for 10,000 articles), while the processes had finished; synced as
# it goes, the disk writes while they tokenize.
SYNC_BYTES = 32 << 20


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

    @property
    def handled(self) -> int:
        """Articles of the selection done with so far, written or found deleted."""
        return self.articles + len(self.deleted)

    def absorb(self, part: JsonlExportReport) -> None:
        """Add the figures of one chunk of the export (done in order, maybe elsewhere)."""
        self.articles += part.articles
        self.spans_by_label.update(part.spans_by_label)
        self.misaligned += part.misaligned
        self.events += part.events
        self.relations += part.relations
        self.links += part.links
        self.links_missed += part.links_missed
        self.negatives += part.negatives
        self.events_left_out += part.events_left_out
        self.rejected_spans += part.rejected_spans
        self.deleted += part.deleted

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
) -> tuple[dict, np.ndarray]:
    """The article's line as a dict, but for its "tokens" (None, in its place): those are the
    rows (start, end, followed by a space) returned with it, which token_json writes."""
    doc = nlp.make_doc(article.text)
    rows = _token_rows(doc, len(article.text))
    starts, ends = rows[:, 0], rows[:, 1]
    span_meta, event_meta = meta or ({}, {})
    out_spans = []
    bounds: dict[int, tuple[int, int]] = {}
    on_edges = _on_token_edges(starts, ends, spans)
    for span, edges in zip(spans, on_edges, strict=True):
        item = {"start": span.start, "end": span.end, "label": span.label}
        aligned = _token_range(doc, article, span, edges, misaligned)
        if aligned is not None:
            item["token_start"], item["token_end"] = aligned[0], aligned[1] - 1
            bounds[span.id] = aligned
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
        "tokens": None,  # the rows returned
        "spans": out_spans,
    }
    if spans_only(article.meta, article.status):
        task[VIEW_KEY] = article.meta[VIEW_KEY]
    if structures:
        task["relations"] = relations
        task["events"] = structures
    return task, rows


def _token_rows(doc, length: int) -> np.ndarray:
    """(start, end, followed by a space) of every token of `doc` (of a text of `length`
    characters), in one array: a Token object per token cost more than the tokenizer. The
    ends come from the next token's start: spaCy's tokens and their one space or none make
    up the text exactly, so a token ends where the next one begins, less its space (and the
    last at the text's end): a third less of to_array, which reads each attribute of each
    token through a call."""
    from spacy.attrs import IDX, SPACY  # spaCy loads when an export runs, not before

    found = doc.to_array([IDX, SPACY])
    rows = np.empty((len(found), 3), dtype=np.int64)
    if len(found):
        rows[:, 0], rows[:, 2] = found[:, 0], found[:, 1]
        rows[:-1, 1] = rows[1:, 0] - rows[:-1, 2]
        rows[-1, 1] = length - rows[-1, 2]
    return rows


def _on_token_edges(starts: np.ndarray, ends: np.ndarray, spans) -> list:
    """For each span, its first and last token (first, last) if it starts where a token
    starts and ends where one ends, else None; all spans at once. starts, ends: the tokens'
    offsets (sorted)."""
    if not len(starts) or not spans:
        return [None] * len(spans)
    span_starts = np.array([span.start for span in spans], dtype=np.int64)
    span_ends = np.array([span.end for span in spans], dtype=np.int64)
    first = np.searchsorted(starts, span_starts)
    last = np.searchsorted(ends, span_ends)
    fits = (
        (starts[np.minimum(first, len(starts) - 1)] == span_starts)
        & (ends[np.minimum(last, len(ends) - 1)] == span_ends)
        & (first <= last)
    )
    return [
        (a, b) if fit else None
        for a, b, fit in zip(first.tolist(), last.tolist(), fits.tolist(), strict=True)
    ]


def _token_range(doc, article, span, edges, misaligned) -> tuple[int, int] | None:
    """The span's tokens [first, last + 1), or None; what is not an exact fit goes through
    export_common.align (and to `misaligned`), so the result is align's either way.
    edges: _on_token_edges's for the span."""
    if edges is not None and trim_whitespace(article.text, span.start, span.end) == (
        span.start,
        span.end,
    ):
        return edges[0], edges[1] + 1
    aligned = align(doc, article, span, misaligned)
    return None if aligned is None else (aligned.start, aligned.end)


def line_parts(task: dict, rows: np.ndarray) -> LineParts:
    """The line of `task` (article_task's), in the parts token_json puts together. orjson
    writes what json.dumps(ensure_ascii=False) would mean, in a tenth of the time; what it
    refuses (an integer past 64 bits in meta) goes through json, that line whole. Bytes, not
    text: a line is encoded once, here, and goes to the parent and into the file as it is."""
    keys = list(task)
    cut = keys.index("tokens")
    try:
        head = orjson.dumps({key: task[key] for key in keys[:cut]})
        tail = orjson.dumps({key: task[key] for key in keys[cut + 1 :]})
    except TypeError:  # orjson.JSONEncodeError
        return LineParts(_json_line(task, rows), None, None, b"")
    # Dicts side by side: '{"text":...}' and '{"spans":...}' make '{"text":...,"spans":...}'.
    return LineParts(head[:-1] + b',"tokens":', task["text"], rows, b"," + tail[1:] + b"\n")


def _json_line(task: dict, rows: np.ndarray) -> bytes:
    text = task["text"]
    tokens = [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": bool(space)}
        for i, (start, end, space) in enumerate(rows.tolist())
    ]
    return (json.dumps({**task, "tokens": tokens}, ensure_ascii=False) + "\n").encode("utf-8")


def export_chunk(
    store: ProjectStore, nlp, ids: Sequence[int]
) -> tuple[list[np.ndarray], JsonlExportReport]:
    """The lines of these articles (in pieces of bytes) and their figures: the unit of work
    of one process, which shares nothing with the others. The chunk is read with a query per
    table (a query per article and table was a tenth of the export's time)."""
    figures = JsonlExportReport(Path(store.path))
    lines = []
    items = store.exported_articles(ids)
    if len(items) < len(ids):
        found = {item.article.id for item in items}
        figures.deleted = [article_id for article_id in ids if article_id not in found]
    for item in items:
        figures.rejected_spans += len(item.rejected)
        task, rows = article_task(
            nlp,
            item.article,
            item.spans,
            figures.misaligned,
            item.events,
            (item.span_meta, item.event_meta),
            figures,
            item.rejected,
        )
        lines.append(line_parts(task, rows))
        figures.articles += 1
        accepted = [span for span in task["spans"] if span.get("answer") != "reject"]
        figures.negatives += not accepted
        figures.spans_by_label.update(span["label"] for span in accepted)
    return chunk_pieces(lines), figures


# A spawned process's own read-only connection and tokenizer (set by _start_process).
_process: dict = {}


def _start_process(project: str, language: str, layer: str | None, chunk_files: str) -> None:
    _process["store"] = store = open_project(project, read_only=True)
    store.read_layer = layer  # `export --annotator NAME`: the same layer as the parent reads
    _process["nlp"] = blank_nlp(language)
    _process["chunk_files"] = chunk_files


def _chunk_in_process(ids: Sequence[int]) -> tuple[ChunkFile, JsonlExportReport]:
    """A chunk made in a worker: its bytes go to the writing process through a file
    (formats.chunk_files), only the file's name and the figures through the pipe."""
    pieces, figures = export_chunk(_process["store"], _process["nlp"], ids)
    return write_chunk_file(_process["chunk_files"], ids[0], pieces), figures


def _reported(results: Iterator[tuple[list[np.ndarray] | ChunkFile, JsonlExportReport]]):
    """The chunks' results; a process that died (killed, out of memory) is said in words."""
    try:
        yield from results
    except BrokenProcessPool as error:
        raise AnnotatorError(
            "the JSONL export failed: one of its processes stopped unexpectedly (killed, or "
            "out of memory?); no file was written. With --jobs 1 the lines are made in this "
            "process."
        ) from error


def export_jsonl(
    store,
    path: str | Path,
    *,
    done_only: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> JsonlExportReport:
    """Write the selected articles to `path`; a failure or cancel leaves no partial file.
    jobs: processes to tokenize with (None: every core; one for a small export)."""
    export = Export(store, done_only, progress)
    path = file_target(path, ".jsonl file")
    chunks = chunked(export.ids, CHUNK)
    workers = jobs_for(jobs, len(export.ids))
    language = store.schema.language

    def here(ids: Sequence[int]) -> tuple[list[np.ndarray], JsonlExportReport]:
        # spaCy loads on this process's first chunk: while the others start, it counts.
        return export_chunk(store, blank_nlp(language), ids)

    # The processes start here, and import spaCy while this one counts what the report
    # says; this one is one of the `workers` too (it makes chunks while it would wait).
    chunk_files = chunk_file_prefix(path)
    results = ordered_map(
        _chunk_in_process,
        chunks,
        workers,
        _start_process,
        (str(store.path), language, store.read_layer, chunk_files),
        here=here,
        preload=lambda: blank_nlp(language),
    )
    try:
        report = export.report(JsonlExportReport, path.resolve())
        report.answered_out = store.answered_out()
        with written_atomically(path, binary=True) as handle:
            unsynced = 0
            for part, figures in _reported(results):
                if isinstance(part, ChunkFile):  # a worker's
                    unsynced += append_chunk_file(handle, part)
                else:
                    handle.writelines(part)
                    unsynced += sum(len(piece) for piece in part)
                if unsynced >= SYNC_BYTES:
                    sync_data(handle)
                    unsynced = 0
                report.absorb(figures)
                check_progress(progress, report.handled, len(export.ids))
    finally:
        results.close()  # a cancel or a failure stops the processes
        remove_chunk_files(chunk_files)  # those a cancel, a failure or a killed worker left
    return report
