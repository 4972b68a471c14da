"""CSV and TSV files of articles: a header row, then one article a row.

The text is in the column named `text_column` ("text" unless the user names another); an
"id" column gives the external id and a "title" column the title (either name in any case).
Every other non-empty column goes to the article's meta under its header. Comma-separated
for .csv, tab-separated for .tsv/.tab; for another extension, by the header (a tab in it
means TSV). Quoted cells may hold line breaks: a record's line is the one it starts on. Line
ends may be LF, CRLF or a lone CR (old Mac files, Excel's "CSV (Macintosh)"); line ends in the
text become \n (no offsets depend on them here).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ImportFailed
from annotator.formats.reading import any_line_ends, normalise_newlines, read_lines
from annotator.formats.records import ArticleRecord, ImportReport

csv.field_size_limit(sys.maxsize)  # a long article is one cell; csv's 128 KB limit is too small


def delimiter_for(path: Path, header: str, forced: str | None = None) -> str:
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return ","
    if suffix in (".tsv", ".tab"):
        return "\t"
    return "\t" if "\t" in header else ","


def _find(header: list[str], name: str) -> int | None:
    exact = [i for i, h in enumerate(header) if h == name]
    if exact:
        return exact[0]
    folded = [i for i, h in enumerate(header) if h.strip().lower() == name.strip().lower()]
    return folded[0] if folded else None


def read_csv(
    path: Path,
    report: ImportReport,
    encoding: str | None = None,
    *,
    text_column: str = "text",
    delimiter: str | None = None,
) -> Iterator[ArticleRecord]:
    lines = any_line_ends(read_lines(path, encoding))
    first = next(((n, line) for n, line in lines if line.strip()), None)
    if first is None:
        report.skip(f"{path}:1", "empty file")
        return
    header_line, header_text = first
    sep = delimiter_for(path, header_text, delimiter)
    try:
        header = next(csv.reader([header_text.lstrip("\ufeff")], delimiter=sep))
    except csv.Error as error:  # a stray carriage return or other control in the header
        raise ImportFailed(f"{path}:{header_line}: not a valid header row ({error})") from None
    text_at = _find(header, text_column)
    if text_at is None:
        shown = ", ".join(repr(h) for h in header[:12]) + (" ..." if len(header) > 12 else "")
        raise ImportFailed(
            f"{path}:{header_line}: no column {text_column!r} for the text "
            f"(columns: {shown}); name it with --text-column"
        )
    id_at, title_at = _find(header, "id"), _find(header, "title")
    numbers: list[int] = []
    raw: list[str] = []  # the current record's lines, to check its quotes

    def feed():
        # csv needs the line ends back to keep line breaks inside quoted cells.
        for number, line in lines:
            numbers.append(number)
            raw.append(line + "\n")
            yield line + "\n"

    reader = csv.reader(feed(), delimiter=sep)
    empty = True
    try:
        for row in reader:
            if not numbers:
                continue
            where = f"{path}:{numbers[0]}"
            first, record = numbers[0], raw[:]
            numbers.clear()
            raw.clear()
            if len(record) > 1:
                _check_quotes(path, first, record, sep, header, id_at, report)
            if not any(cell.strip() for cell in row):
                continue
            empty = False
            if len(row) != len(header):
                report.note(where, f"{len(row)} cell(s) for {len(header)} column(s)")
            text = normalise_newlines(row[text_at]) if text_at < len(row) else ""
            if not text.strip():
                report.skip(where, f"no text in column {header[text_at]!r}")
                continue
            meta = {
                name: cell
                for i, (name, cell) in enumerate(
                    zip(header, row, strict=False)
                )  # a short row leaves cells out
                if i not in (text_at, id_at, title_at) and cell.strip()
            }
            ext_id = row[id_at].strip() if id_at is not None and id_at < len(row) else ""
            title = row[title_at].strip() if title_at is not None and title_at < len(row) else ""
            yield ArticleRecord(
                text=text, where=where, title=title, ext_id=ext_id or None, meta=meta
            )
    except csv.Error as error:
        line = numbers[0] if numbers else "?"
        raise ImportFailed(
            f"{path}:{line}: not valid {'TSV' if sep == chr(9) else 'CSV'} ({error})"
        ) from error
    if empty:
        report.skip(f"{path}:{header_line}", "a header row and no articles")


def _check_quotes(path, first: int, record: list[str], sep: str, header, id_at, report) -> None:
    """A record over several lines: a quoted cell with line breaks, or a quote left open. One
    never closed runs to the end of the file (csv reads the rest as one cell, without a word):
    refused. One closed by a later stray quote swallows the rows between: those lines look
    like rows of their own (as many cells as the header, an id), and the report says so."""
    try:
        list(csv.reader(record, delimiter=sep, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise ImportFailed(
                f"{path}:{first}: a quote opened on this line is never closed, so the "
                f"{len(record) - 1} line(s) after it would be one cell; close the quote"
            ) from None
    if id_at is None:
        return
    rows = [
        cells
        for line in record[1:]
        for cells in csv.reader([line], delimiter=sep)
        if len(cells) == len(header) and re.fullmatch(r"[\w.:/-]{1,40}", cells[id_at].strip())
    ]
    if len(rows) >= 2:
        ids = ", ".join(repr(cells[id_at].strip()) for cells in rows[:3])
        report.note(
            f"{path}:{first}",
            f"a quoted cell runs over {len(record)} lines, {len(rows)} of which look like rows "
            f"of their own (ids {ids}): check for a quote left open",
        )
