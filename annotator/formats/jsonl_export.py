"""Prodigy-style JSONL export: one accepted task per article, with tokens and token offsets.

Each line carries text, id, title, meta, status, answer, tokens ({text, start, end, id, ws})
and spans ({start, end, label, token_start, token_end}, token_end inclusive as in Prodigy).
The importer in annotator.formats.jsonl reads it back. A span off token boundaries keeps its
own character offsets; its token offsets are those of the tokens it touches, and the report
lists it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY
from annotator.core.tokens import blank_nlp
from annotator.formats.export_common import (
    Misaligned, align, check_progress, iter_articles, label_counts, misaligned_lines,
    nothing_to_export, selected_ids, skipped_with_spans,
)
from annotator.formats.records import Progress


@dataclass
class JsonlExportReport:
    path: Path
    done_only: bool
    articles: int = 0
    spans_by_label: Counter = field(default_factory=Counter)
    misaligned: list[Misaligned] = field(default_factory=list)
    skipped_articles: int = 0

    def summary(self) -> str:
        which = "articles marked done" if self.done_only else "articles with spans or marked done"
        lines = [
            f"Exported {self.articles} article(s) ({which}) with "
            f"{sum(self.spans_by_label.values())} span(s) to {self.path}.",
            f"Spans per label: {label_counts(self.spans_by_label)}",
        ]
        if self.skipped_articles:
            lines.append(f"Articles marked skipped, left out although they have spans: "
                         f"{self.skipped_articles}")
        return "\n".join(lines + misaligned_lines(self.misaligned))


def article_task(nlp, article, spans, misaligned: list[Misaligned]) -> dict:
    doc = nlp.make_doc(article.text)
    tokens = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i,
         "ws": bool(t.whitespace_)}
        for t in doc
    ]
    out_spans = []
    for span in spans:
        item = {"start": span.start, "end": span.end, "label": span.label}
        aligned = align(doc, article, span, misaligned)
        if aligned is not None:
            item["token_start"], item["token_end"] = aligned.start, aligned.end - 1
        if span.kind != ENTITY:
            item["kind"] = span.kind
        out_spans.append(item)
    return {
        "text": article.text,
        "id": article.ext_id if article.ext_id is not None else article.id,
        "title": article.title,
        "meta": article.meta,
        "status": article.status,
        "answer": "accept",
        "tokens": tokens,
        "spans": out_spans,
    }


def export_jsonl(
    store,
    path: str | Path,
    *,
    done_only: bool = False,
    progress: Progress | None = None,
) -> JsonlExportReport:
    """Write the selected articles to `path`; a failure or cancel leaves no partial file."""
    ids = selected_ids(store, done_only)
    if not ids:
        raise nothing_to_export(done_only)
    path = Path(path)
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give the name of the .jsonl file to write")
    if not path.parent.is_dir():
        raise AnnotatorError(f"{path}: the folder {path.parent} does not exist")
    report = JsonlExportReport(path.resolve(), done_only)
    if not done_only:
        report.skipped_articles = skipped_with_spans(store)
    nlp = blank_nlp(store.schema.language)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            for done, (article, spans) in enumerate(iter_articles(store, done_only), start=1):
                task = article_task(nlp, article, spans, report.misaligned)
                handle.write(json.dumps(task, ensure_ascii=False) + "\n")
                report.articles += 1
                report.spans_by_label.update(span["label"] for span in task["spans"])
                check_progress(progress, done, len(ids))
        os.replace(partial, path)
    except OSError as error:
        raise AnnotatorError(f"{path}: cannot write ({error.strerror})") from error
    finally:
        partial.unlink(missing_ok=True)
    return report
