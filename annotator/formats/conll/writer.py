"""CoNLL export: one token a line with its BIO (or BILUO) tag, for taggers that read CoNLL 2003.

    -DOCSTART- -X- O O            before each article (the line `spacy convert` splits on)
    (blank)
    Kataib B-ORG                  token, space, tag
    Hezbollah I-ORG
    (blank)                       between sentences

Tokens are spaCy's (the project's language); sentences come from spaCy's rule-based
sentencizer, and a line break in the text ends a sentence too (a headline has no full stop),
except inside an entity: a tag sequence never breaks mid-entity. With tokens="whitespace" a
token is whatever lies between spaces and a sentence is a line: the layout a CoNLL import
gives its texts, so that CoNLL -> project -> CoNLL gives back the same tokens and tags. One tag per token, so
overlapping entities can't all go out: the non-overlapping choice of the spaCy export's
doc.ents is written (longest first, then earliest), and each span left out is listed in the
report, as are spans widened to token boundaries. Event triggers, events and relations have
no place in the format: the report counts them.

Columns an import kept (meta COLUMNS: CoNLL 2003's POS and chunk tags, GermEval's index) are
written back in their places when the export's tokens are the file's (always with
tokens="whitespace"; with spaCy's tokens when they happen to agree), and the article's `#`
comments after its -DOCSTART-. One file has one layout, the first such article's (a reader
finds the tag by its column): an article without those columns gets `_` in them, and one
whose columns can't be written (other tokens, another layout) is counted in the report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.util import filter_spans

from annotator.core.errors import AnnotatorError
from annotator.core.model import ENTITY
from annotator.formats.annotation_meta import dropped_with, not_written_line
from annotator.formats.conll.bio import SCHEMES, encode
from annotator.formats.conll.reader import COLUMNS
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    Misaligned,
    align,
    file_target,
    label_counts,
    misaligned_lines,
    written_atomically,
)
from annotator.formats.records import Progress

DOCSTART = "-DOCSTART- -X- O O"
TOKENIZERS = ("spacy", "whitespace")
_PIECES = re.compile(r"\S+|\s+")


def whitespace_doc(nlp, text: str):
    """A Doc whose tokens are the text's whitespace-separated pieces, a sentence a line.

    Runs of whitespace other than one space become space tokens, as spaCy makes them, so
    that the Doc's text, and every character offset, is the article's."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    newline = True
    for piece in _PIECES.findall(text):
        if not piece.isspace():
            words.append(piece)
            spaces.append(False)
            starts.append(newline)
            newline = False
            continue
        newline = newline or "\n" in piece
        if words and not spaces[-1] and piece[0] == " " and not words[-1].isspace():
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            words.append(piece)
            spaces.append(False)
            starts.append(False)
    return Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts)


@lru_cache(maxsize=4)
def sentence_nlp(language: str):
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # as blank_nlp: long articles are legitimate
    return nlp


@dataclass
class ConllExportReport(ExportFigures):
    path: Path
    scheme: str = "bio"
    articles: int = 0
    sentences: int = 0
    tokens: int = 0
    spans_by_label: Counter = field(default_factory=Counter)  # written as tags
    overlapping: list[str] = field(default_factory=list)  # kept out: they overlap a written one
    duplicates: int = 0
    triggers: int = 0  # event trigger spans: not written
    events: int = 0  # events and relations: not written
    misaligned: list[Misaligned] = field(default_factory=list)
    layout: dict | None = None  # the extra columns' layout of this file, if it has any
    columns_written: int = 0  # articles whose kept columns were written back
    columns_padded: int = 0  # articles without them, written with _ there
    columns_dropped: list[str] = field(default_factory=list)  # kept columns not written
    meta_dropped: Counter = field(default_factory=Counter)  # attributes, notes, normalizations

    def summary(self) -> str:
        lines = [
            f"Exported {self.articles} article(s) ({self.which}), {self.sentences} sentence(s), "
            f"{self.tokens} token(s) to {self.path} ({self.scheme.upper()} tags).",
            f"Entities written: {sum(self.spans_by_label.values())} "
            f"({label_counts(self.spans_by_label)}).",
        ]
        if self.overlapping:
            lines.append(
                f"Overlapping entities left out (one tag per token): {len(self.overlapping)}"
            )
            lines += [f"  {line}" for line in self.overlapping]
        if self.duplicates:
            lines.append(f"Duplicate spans (same tokens and label) written once: {self.duplicates}")
        if self.triggers or self.events:
            lines.append(
                f"Not expressible in CoNLL, left out: {self.triggers} event trigger "
                f"span(s), {self.events} event(s) and relation(s)."
            )
        if self.columns_written:
            lines.append(
                f"Extra columns written back (as imported): {self.columns_written} article(s)"
                + (
                    f"; {self.columns_padded} without them written with _"
                    if self.columns_padded
                    else ""
                )
                + "."
            )
        if self.columns_dropped:
            lines.append(f"Extra columns not written: {len(self.columns_dropped)} article(s)")
            lines += [f"  {line}" for line in self.columns_dropped]
        lines += not_written_line(self.meta_dropped, "CoNLL")
        lines += self.skipped_lines()
        return "\n".join(lines + misaligned_lines(self.misaligned))


def article_lines(
    nlp, article, spans, report: ConllExportReport, tokens: str = "spacy"
) -> list[str]:
    doc = nlp(article.text) if tokens == "spacy" else whitespace_doc(nlp, article.text)
    entities, seen = [], set()
    for span in spans:
        if span.kind != ENTITY:
            report.triggers += 1
            continue
        aligned = align(doc, article, span, report.misaligned)
        if aligned is None:
            continue
        key = (aligned.start, aligned.end, aligned.label_)
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        entities.append(aligned)
    ents = filter_spans(entities)
    kept = {(s.start, s.end, s.label_) for s in ents}
    title = article.title if len(article.title) <= 50 else article.title[:49] + "…"
    for s in entities:
        if (s.start, s.end, s.label_) not in kept:
            report.overlapping.append(
                f"article {article.id} ({title!r}): {s.start_char}-"
                f"{s.end_char} {s.text!r} {s.label_}"
            )
    report.spans_by_label.update(s.label_ for s in ents)
    tags = encode(len(doc), [(s.start, s.end, s.label_) for s in ents], report.scheme)
    line = _line_maker(doc, article, title, report)
    lines = [DOCSTART, ""]
    comments = article.meta.get("comments")
    if isinstance(comments, list) and comments:
        lines += [f"# {comment}" for comment in comments] + [""]
    sentence, newline, k = [], False, 0
    for token in doc:
        if token.is_space:
            newline = newline or "\n" in token.text
            continue
        inside = tags[token.i][:1] in ("I", "L")
        if sentence and (token.is_sent_start or newline) and not inside:
            lines += sentence + [""]
            report.sentences += 1
            sentence = []
        newline = False
        sentence.append(line(k, token.text, tags[token.i]))
        k += 1
    if sentence:
        lines += sentence + [""]
        report.sentences += 1
    report.tokens += sum(1 for token in doc if not token.is_space)
    return lines


def _fields(layout: dict, extra: list[str], token: str, tag: str) -> list[str]:
    fields = list(extra)
    for place, value in sorted([(layout["token"], token), (layout["tag"], tag)]):
        fields.insert(place, value)
    return fields


def _line_maker(doc, article, title: str, report: ConllExportReport):
    """How each token line of this article is written: "token tag", or with the columns an
    import kept, in the file's one layout."""
    kept = article.meta.get(COLUMNS)
    words = [t.text for t in doc if not t.is_space]
    shape = None
    try:
        if kept is not None:
            values = [[str(v) for v in row] for row in kept["values"]]
            shape = {
                "token": int(kept["token"]),
                "tag": int(kept["tag"]),
                "separator": "\t" if kept.get("separator") == "\t" else " ",
                "width": len(values[0]) if values else 0,
            }
    except (KeyError, TypeError, ValueError, IndexError):
        values, shape = [], None
    where = f"article {article.id} ({title!r})"
    if report.layout is None and shape is not None and report.articles == 0:
        report.layout = shape
    layout = report.layout
    if shape is not None:
        if words != article.text.split() or len(values) != len(words):
            report.columns_dropped.append(
                f"{where}: the export's tokens are not the file's (--tokens whitespace keeps them)"
            )
        elif shape != layout:
            report.columns_dropped.append(
                f"{where}: another column layout than the file's first article"
            )
        else:
            report.columns_written += 1
            sep = layout["separator"]
            return lambda k, token, tag: sep.join(_fields(layout, values[k], token, tag))
    if layout is None:
        return lambda k, token, tag: f"{token} {tag}"
    report.columns_padded += 1
    pad = ["_"] * layout["width"]
    sep = layout["separator"]
    return lambda k, token, tag: sep.join(_fields(layout, pad, token, tag))


def export_conll(
    store,
    path: str | Path,
    *,
    done_only: bool = False,
    scheme: str = "bio",
    tokens: str = "spacy",
    progress: Progress | None = None,
) -> ConllExportReport:
    """Write the selected articles to `path`; a failure or cancel leaves no partial file."""
    if scheme not in SCHEMES:
        raise AnnotatorError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    if tokens not in TOKENIZERS:
        raise AnnotatorError(f"unknown tokens {tokens!r}; expected one of {', '.join(TOKENIZERS)}")
    export = Export(store, done_only, progress)
    path = file_target(path, "file")
    report = export.report(ConllExportReport, path.resolve(), scheme)
    nlp = sentence_nlp(store.schema.language)
    with written_atomically(path) as handle:
        for article, spans in export:
            lines = article_lines(nlp, article, spans, report, tokens)
            handle.write("\n".join(lines) + "\n")
            report.events += len(store.events(article.id))
            report.meta_dropped += dropped_with(*store.annotation_meta(article.id), spans)
            report.articles += 1
    return report
