"""What every exporter shares: which articles go out, and lining spans up with spaCy's tokens.

Articles are read a page at a time by key (`WHERE id > ? LIMIT ?`), so an export of a large
project never holds every text at once. Spans that don't fall on token boundaries are widened
to whole tokens and listed in the report: an export never drops one silently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article, Span
from annotator.core.tokens import trim_whitespace
from annotator.formats.records import Cancelled, Progress

_HAS_SPANS = "EXISTS (SELECT 1 FROM spans WHERE spans.article_id = articles.id AND state = 'accepted')"


def selection(done_only: bool) -> str:
    """The SQL condition for the articles an export takes.

    By default: every article marked done, and every other one with accepted spans unless the
    annotator skipped it (a skip means "not fit for training", as an ignore does in Prodigy).
    """
    if done_only:
        return "status = 'done'"
    return f"(status = 'done' OR (status != 'skipped' AND {_HAS_SPANS}))"


def selected_ids(store, done_only: bool) -> list[int]:
    sql = f"SELECT id FROM articles WHERE {selection(done_only)} ORDER BY id"
    return [row[0] for row in store.conn.execute(sql)]


def skipped_with_spans(store) -> int:
    """Skipped articles that hold spans: left out of an export, so the report says how many."""
    sql = f"SELECT count(*) FROM articles WHERE status = 'skipped' AND {_HAS_SPANS}"
    return store.conn.execute(sql).fetchone()[0]


def iter_articles(store, done_only: bool, page: int = 200) -> Iterator[tuple[Article, list[Span]]]:
    """The selected articles in id order, with their accepted spans, one page of texts at a time."""
    sql = (
        "SELECT id, text, title, ext_id, status, meta, n_spans FROM articles "
        f"WHERE id > ? AND {selection(done_only)} ORDER BY id LIMIT ?"
    )
    after = 0
    while True:
        rows = store.conn.execute(sql, (after, page)).fetchall()
        if not rows:
            return
        for row in rows:
            article = Article(row[0], row[1], row[2] or "", row[3], row[4],
                              json.loads(row[5] or "{}"), row[6])
            yield article, store.spans(article.id)
        after = rows[-1][0]


def check_progress(progress: Progress | None, done: int, total: int) -> None:
    # Called per article, but the callback (a Qt signal in the GUI) only every 50.
    if progress and (done % 50 == 0 or done == total) and not progress(done, total):
        raise Cancelled("export cancelled; no files were written")


def prepare_outdir(outdir: Path) -> Path:
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise AnnotatorError(f"{outdir}: exists and is not a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnnotatorError(f"{outdir}: cannot create the folder ({error.strerror})") from error
    return outdir


def nothing_to_export(done_only: bool) -> AnnotatorError:
    if done_only:
        return AnnotatorError("nothing to export: no article is marked done")
    return AnnotatorError("nothing to export: no article has accepted spans or is marked done")


@dataclass(frozen=True)
class Misaligned:
    """A stored span whose offsets are not on spaCy token boundaries, and what became of it."""

    article_id: int
    title: str
    start: int
    end: int
    text: str
    label: str
    exported: tuple[int, int] | None  # character offsets written instead; None: not written
    how: str  # "trimmed" (of spaces), "expanded" (to whole tokens) or "dropped" (no token)

    def describe(self) -> str:
        title = self.title if len(self.title) <= 50 else self.title[:49] + "…"
        where = f"article {self.article_id} ({title!r}): {self.start}-{self.end} {self.text!r} {self.label}"
        if self.exported is None:
            return f"{where}: NOT exported, it covers no token"
        what = "trimmed of spaces" if self.how == "trimmed" else "widened to whole tokens"
        return f"{where}: exported as {self.exported[0]}-{self.exported[1]} ({what})"


def align(doc, article: Article, span: Span, misaligned: list[Misaligned]):
    """The spaCy Span for a stored span, or None; anything but an exact fit goes to `misaligned`.

    Leading and trailing spaces are trimmed first (a tokenizer never puts them in a word);
    what still falls inside a token is widened with alignment_mode="expand".
    """
    trimmed = trim_whitespace(article.text, span.start, span.end)
    result, how = None, "dropped"
    if trimmed is not None:
        result = doc.char_span(*trimmed, label=span.label, alignment_mode="strict")
        how = "trimmed"
        if result is None:
            result = doc.char_span(*trimmed, label=span.label, alignment_mode="expand")
            how = "expanded"
        if result is not None and len(result) == 0:
            result, how = None, "dropped"
    exact = result is not None and (result.start_char, result.end_char) == (span.start, span.end)
    if not exact:
        misaligned.append(Misaligned(
            article.id, article.title, span.start, span.end, article.text[span.start:span.end],
            span.label, None if result is None else (result.start_char, result.end_char), how,
        ))
    return result


def misaligned_lines(misaligned: list[Misaligned]) -> list[str]:
    if not misaligned:
        return ["Every span lines up with spaCy's token boundaries."]
    dropped = sum(1 for item in misaligned if item.exported is None)
    head = (f"Spans not on token boundaries: {len(misaligned)} (exported trimmed of spaces or "
            "widened to whole tokens with alignment_mode=\"expand\"")
    head += f"; {dropped} covering no token not exported):" if dropped else "):"
    return [head] + [f"  {item.describe()}" for item in misaligned]


def label_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "none"


def file_target(store, path, done_only: bool, what: str = "file") -> tuple[Path, list[int]]:
    """Check a one-file export before any work: something to export, a writable place."""
    ids = selected_ids(store, done_only)
    if not ids:
        raise nothing_to_export(done_only)
    path = Path(path)
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give the name of the {what} to write")
    if not path.parent.is_dir():
        raise AnnotatorError(f"{path}: the folder {path.parent} does not exist")
    return path, ids


@contextmanager
def written_atomically(path: Path):
    """A handle on a hidden partial file that replaces `path` only when the block ends without
    error: a failure or a cancel never leaves half an export."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(partial, path)
    except OSError as error:
        raise AnnotatorError(f"{path}: cannot write ({error.strerror})") from error
    finally:
        partial.unlink(missing_ok=True)
