"""Label all occurrences: every place a text occurs becomes a suggestion to review, never a span.

As INCEpTION's "annotate all" from its search panel, but soft (what doccano #1990 asks for):
the places are suggested with the chosen label and their own source, "propagated", and the
person accepts (a) or rejects (x) each as any other suggestion. Places already labelled or
suggested (any overlap), and places where a propagated suggestion of this label was rejected,
are skipped; a hit that does not begin and end on spaCy token edges ("Iraq" in "Iraqi") is
skipped too, since the span could not be exported as an entity.

Over the corpus it streams: FTS5 finds the candidate articles a page at a time, the exact
matching runs on each text, and suggestions are written in short BEGIN IMMEDIATE batches, so a
person's edit in the window never waits long. The window runs it in a worker process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
from annotator.core.occurrences import MatchOptions, iter_occurrences
from annotator.core.tokens import Tokens
from annotator.store.occurrences import fts_phrase
from annotator.store.project import ProjectStore

PAGE = 50  # candidate articles read at a time
BATCH_SECONDS = 0.2  # a batch of suggestions is written at least this often,
BATCH_ARTICLES = 64  # and after this many articles: each write stays short


@dataclass
class PropagationReport:
    text: str
    label: str
    suggested: int = 0  # new suggestions written
    articles: int = 0  # articles that got at least one
    scanned: int = 0  # candidate articles read
    already: int = 0  # hits on places already labelled, suggested or rejected
    off_tokens: int = 0  # hits that do not line up with tokens
    cancelled: bool = False

    def summary(self) -> str:
        head = "Cancelled: s" if self.cancelled else "S"
        line = (
            f"{head}uggested {self.label} for {self.suggested} occurrence(s) of "
            f"“{self.text}” in {self.articles} article(s)"
        )
        notes = []
        if self.already:
            notes.append(f"{self.already} already labelled or decided")
        if self.off_tokens:
            notes.append(f"{self.off_tokens} inside a longer word (not on token edges)")
        return line + (f"; skipped {', '.join(notes)}" if notes else "")


def check_request(store: ProjectStore, text: str, label: str) -> None:
    """Refuse, with the reason, what can't be propagated: no text, a label the schema lacks."""
    if not text.strip():
        raise AnnotatorError("Nothing to look for: select some text or type it first")
    if text != text.strip():
        raise AnnotatorError("The text to label starts or ends with a space: leave it out")
    if store.schema.label(label) is None:
        names = ", ".join(store.schema.label_names) or "none"
        raise AnnotatorError(f"{label!r} is not an entity label of this project ({names})")


def places_in(
    text: str,
    needle: str,
    options: MatchOptions,
    taken: list[tuple[int, int]],
    rejected: set,
    language: str,
    report: PropagationReport,
) -> list[tuple[int, int]]:
    """The hits of `needle` in one text that may be suggested, counting the others."""
    hits = list(iter_occurrences(text, needle, options))
    if not hits:
        return []
    tokens = Tokens(text, language)
    starts, ends = set(tokens.starts), set(tokens.ends)
    places = []
    for start, end in hits:
        if (start, end) in rejected or any(s < end and e > start for s, e in taken):
            report.already += 1
        elif start not in starts or end not in ends:
            report.off_tokens += 1
        else:
            places.append((start, end))
    return places


def propagate(
    store: ProjectStore,
    text: str,
    label: str,
    options: MatchOptions = MatchOptions(),
    article_ids: Iterable[int] | None = None,
    progress: Callable[[int, int, list[int]], bool] | None = None,
) -> PropagationReport:
    """Suggest `label` wherever `text` occurs, in these articles (the whole corpus for None).
    progress(done, total, ids written) returning False cancels before the next batch; what
    was written stays (each batch is whole articles)."""
    check_request(store, text, label)
    report = PropagationReport(text, label)
    language = store.schema.language
    ids = list(dict.fromkeys(article_ids)) if article_ids is not None else None
    phrase = fts_phrase(text, options.whole_word)
    total = len(ids) if ids is not None else store.candidate_count(phrase)
    pending: list[tuple[int, int, int]] = []
    touched: list[int] = []
    last_write = time.monotonic()

    def flush() -> bool:
        nonlocal pending, touched, last_write
        written = store.add_propagated(pending, label)
        report.suggested += len(written)
        report.articles += len({article_id for article_id, _, _ in written})
        keep_going = progress(report.scanned, total, touched) if progress else True
        pending, touched, last_write = [], [], time.monotonic()
        return keep_going is not False

    for article_id, article_text in _articles(store, ids, phrase):
        report.scanned += 1
        taken, rejected = store.taken_places(article_id, label)
        places = places_in(article_text, text, options, taken, rejected, language, report)
        pending += [(article_id, start, end) for start, end in places]
        if places:
            touched.append(article_id)
        due = len(touched) >= BATCH_ARTICLES or report.scanned % BATCH_ARTICLES == 0
        if (due or time.monotonic() - last_write > BATCH_SECONDS) and not flush():
            report.cancelled = True
            return report
    flush()
    return report


def _articles(store: ProjectStore, ids: list[int] | None, phrase: str | None):
    """(id, text) of the articles to look in, a page at a time."""
    if ids is not None:
        for article_id in ids:
            yield article_id, store.article(article_id).text
        return
    after = 0
    while page := store.candidate_page(phrase, after, PAGE):
        yield from page
        after = page[-1][0]
