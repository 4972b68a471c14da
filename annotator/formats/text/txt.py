"""Plain .txt articles: one file, one article; the title is the first non-empty line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import title_from_text
from annotator.formats.reading import normalise_newlines, read_text
from annotator.formats.records import ArticleRecord, ImportReport


def read_txt(
    path: Path, report: ImportReport, encoding: str | None = None
) -> Iterator[ArticleRecord]:
    text = normalise_newlines(read_text(path, encoding))
    if not text.strip():
        report.skip(f"{path}:1", "empty file")
        return
    yield ArticleRecord(
        text=text,
        where=f"{path}:1",
        title=title_from_text(text),
        meta={"file": path.name},
    )
