"""CoNLL 2003 / BIO / BILUO token files: one token a line, its tag in a column.

    -DOCSTART- -X- -X- O          a document break (CoNLL 2003)
    EU NNP B-NP B-ORG             token, then columns; the tag in the last one by default
    # comment                     a comment (GermEval: the sentence's source and date)
    (blank line)                  a sentence break

GermEval 2014 puts a token index first and two NER columns (outer, nested) after the token;
such a file (first column 1, 2, 3 ... in its first sentence) reads its first NER column by
default. `column` (1-based, negative from the end) picks another one.

The article text is rebuilt from the tokens: one space between tokens, a line break between
sentences; spans are the tagged tokens' character offsets in it. Every other column (CoNLL
2003's POS and chunk tags, GermEval's index and nested NER column) is kept, token by token, in
the article's meta (COLUMNS), and written back by the CoNLL export. A file with -DOCSTART- lines
has a document between two of them; a file without any has one document per sentence (the
layout of GermEval, WNUT and most sentence-level BIO corpora). One tag per token: entities
can't overlap, so there is nothing to check there. The whole file is read before the first
document goes out, since only the end of the file tells whether it has document breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.conll.bio import decode, is_tag, parse_tag
from annotator.formats.reading import any_line_ends, read_lines
from annotator.formats.records import ArticleRecord, ImportReport, SpanRecord

DOCSTART = "-DOCSTART-"
# The article meta key for the columns other than token and tag, when the file has any:
# {"token": i, "tag": j, "separator": " " or "\t", "values": [[column values] per token]},
# i and j the 0-based places of the token and the tag. The CoNLL export writes them back
# where its tokens are the file's (annotator.formats.conll.writer).
COLUMNS = "conll_columns"


def split_fields(line: str) -> list[str]:
    # Tab-separated when there are tabs (GermEval), else any run of spaces (CoNLL 2003).
    return line.split("\t") if "\t" in line else line.split()


@dataclass
class Layout:
    token: int  # column indexes, 0-based
    tag: int
    columns: int  # in the first token line, to tell a token "#" from a comment
    separator: str = " "

    def extra(self, fields: list[str]) -> list[str]:
        """The columns other than the token and the tag (POS, chunk, an index, a second NER
        column): kept as the article's token metadata, see COLUMNS."""
        return [value for i, value in enumerate(fields) if i not in (self.token, self.tag)]

    def describe(self) -> str:
        return f"token in column {self.token + 1}, tag in column {self.tag + 1}"


@dataclass
class _Document:
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])
    comments: list[str] = field(default_factory=list)
    line: int = 0  # of its first token
    extra: list[list[str]] = field(default_factory=list)  # per token: the other columns

    def add(self, token: str, tag: str, number: int, extra: list[str]) -> None:
        self.line = self.line or number
        self.sentences[-1].append((token, tag, number))
        self.extra.append(extra)

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    @property
    def empty(self) -> bool:
        return not any(self.sentences)


def _has_index(block: list[list[str]]) -> bool:
    return len(block) > 0 and all(
        len(fields) >= 3 and fields[0] == str(i) for i, fields in enumerate(block, start=1)
    )


def choose_layout(lines: list[tuple[int, str]], column: int | None, path: Path) -> Layout | None:
    """Where the token and the tag are, from the first sentence of token lines."""
    block: list[list[str]] = []
    for _, line in lines:
        fields = split_fields(line)
        if not line.strip() or fields[0] == DOCSTART:
            if block:
                break
            continue
        if line.startswith("#") and not is_tag(fields[-1]):
            continue  # a comment (a token "#" has a tag after it)
        block.append(fields)
    if not block:
        return None
    indexed = _has_index(block)
    token = 1 if indexed else 0
    columns = len(block[0])
    if column is None:
        tag = 2 if indexed else columns - 1
    elif column == 0:
        raise ImportFailed(f"{path}: --conll-column counts from 1 (or from -1 for the last)")
    else:
        tag = column - 1 if column > 0 else columns + column
    if not 0 <= tag < columns or tag == token:
        raise ImportFailed(
            f"{path}: no tag column {column} (the first token line has "
            f"{columns} column(s), the token in column {token + 1})"
        )
    if columns < 2:
        raise ImportFailed(
            f"{path}:{lines[0][0]}: one column only; a CoNLL file has a token "
            "and its tag on each line"
        )
    separator = "\t" if any("\t" in line for _, line in lines[:200]) else " "
    return Layout(token, tag, columns, separator)


def read_conll(
    path: Path, report: ImportReport, encoding: str | None = None, *, column: int | None = None
) -> Iterator[ArticleRecord]:
    # rstrip: a CRLF file's \r, and trailing spaces, are no part of the last column.
    lines = [(n, line.rstrip()) for n, line in any_line_ends(read_lines(path, encoding))]
    layout = choose_layout(lines, column, path)
    if layout is None:
        report.skip(f"{path}:1", "empty file (no token lines)")
        return
    if layout.columns > 2:
        others = [str(i + 1) for i in range(layout.columns) if i not in (layout.token, layout.tag)]
        report.note(
            str(path),
            f"column(s) {', '.join(others)} besides the token and the tag kept per token "
            f"in the articles' meta ({COLUMNS}); the CoNLL export writes them back",
        )
    by_docstart = any(split_fields(line)[:1] == [DOCSTART] for _, line in lines)
    doc = _Document()
    for number, line in lines:
        fields = split_fields(line)
        if not line.strip():
            if by_docstart:
                doc.end_sentence()
            else:
                yield from _finish(doc, path, report, layout)
                doc = _Document()
            continue
        if fields[0] == DOCSTART:
            yield from _finish(doc, path, report, layout)
            doc = _Document()
            continue
        if line.startswith("#") and not (
            len(fields) == layout.columns and is_tag(fields[layout.tag])
        ):
            doc.comments.append(line[1:].strip())
            continue
        where = f"{path}:{number}"
        if len(fields) <= max(layout.token, layout.tag):
            report.skip(where, f"{len(fields)} column(s), not a token line ({layout.describe()})")
            continue
        token, tag = fields[layout.token].strip(), fields[layout.tag].strip()
        if not token:
            report.skip(where, "no token in the token column")
            continue
        if not is_tag(tag):
            report.skip(
                where,
                f"tag {tag!r} is not O or B-/I-/L-/E-/U-/S-LABEL; the token "
                "is kept without a label",
            )
            tag = "O"
        doc.add(token, tag, number, layout.extra(fields))
    yield from _finish(doc, path, report, layout)


def _finish(
    doc: _Document, path: Path, report: ImportReport, layout: Layout
) -> Iterator[ArticleRecord]:
    if doc.empty:
        if doc.comments:
            report.skip(f"{path}", f"comment(s) with no tokens after them: {doc.comments[0]!r}")
        return
    parts: list[str] = []
    spans: list[SpanRecord] = []
    offset = 0
    for sentence in doc.sentences:
        if not sentence:
            continue
        if parts:
            parts.append("\n")
            offset += 1
        starts, ends = [], []
        for i, (token, _, _) in enumerate(sentence):
            if i:
                parts.append(" ")
                offset += 1
            starts.append(offset)
            parts.append(token)
            offset += len(token)
            ends.append(offset)
        tags = [parse_tag(tag) for _, tag, _ in sentence]
        spans += [
            SpanRecord(starts[first], ends[last - 1], label) for first, last, label in decode(tags)
        ]
    meta = {"file": path.name}
    if doc.comments:
        meta["comments"] = doc.comments
    if any(doc.extra):
        meta[COLUMNS] = {
            "token": layout.token,
            "tag": layout.tag,
            "separator": layout.separator,
            "values": doc.extra,
        }
    yield ArticleRecord(text="".join(parts), where=f"{path}:{doc.line}", meta=meta, spans=spans)
