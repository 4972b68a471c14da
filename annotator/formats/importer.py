"""`annotator import`: find the files, pick each one's format, import each all or nothing.

Formats: those of annotator.formats.registry (txt, jsonl, brat, conll, doccano, spacy,
spacy-json, csv, tsv); detected from the extension and the content (annotator.formats.detect)
unless the caller names one.

A brat document is a DOC.txt with a DOC.ann beside it (either file, or a folder holding them,
may be named); the annotation.conf that applies to it (in its folder or the nearest parent,
as brat looks for it) is merged into the project's schema with its first document.

Found in a folder, a file's sub-folder (relative to the folder given) goes to each of its
articles' meta as "folder" (a corpus's categories: sport/football), which the article list
can filter by. A text file without an extension is an article (20 Newsgroups' are numbered
files); README, LICENSE and the like, an export's report, and files of kinds no reader lists
(.md, .xml) are left out, and the report names each. Files that are not UTF-8 and need
different encodings are named by encoding, to import each group on its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.formats import json_stream, reader_process, registry
from annotator.formats.detect import detect_format
from annotator.formats.fields import ForeignFormat
from annotator.formats.prefetch import prefetched
from annotator.formats.reader_process import ReadingJob, schema_reader, with_folder
from annotator.formats.reading import NotUtf8, count_lines, encoding_note
from annotator.formats.record_writer import write_records
from annotator.formats.records import Cancelled, ImportReport, Progress
from annotator.store.project import ProjectStore

__all__ = ["detect_format", "expand_paths", "import_paths"]


def reader_for(fmt: str, store: ProjectStore, options: dict[str, Any] | None = None):
    """The reader of a format (not one with a setup, as brat: its setup makes those), with the
    import options it takes (registry.import_option; the rest keep their defaults)."""
    return schema_reader(fmt, store.schema, options)


def _job(fmt: str, store: ProjectStore, path: Path, encoding, given) -> ReadingJob:
    return ReadingJob(fmt, store.schema, given, path, encoding, None)


# A corpus's own documentation, not articles (README.TXT, LICENSE, COPYING.md, ...), and the
# report an export writes beside its files: left out of folders, with a note. A file named on
# its own is imported whatever its name.
NOT_ARTICLES = (
    *("readme", "license", "licence", "copying", "changelog", "manifest", "notice", "authors"),
    "export-report",
)
# Read by the brat import with the documents beside them.
BRAT_CONFS = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")


def not_an_article(path: Path) -> bool:
    stem = path.name.lower().split(".")[0]
    return stem in NOT_ARTICLES or stem.startswith(("license-", "licence-", "readme-"))


def _text_without_suffix(path: Path) -> bool:
    """A file with no extension that holds text (20 Newsgroups' articles are numbered files):
    no NUL byte in its first 8 KB."""
    try:
        with path.open("rb") as handle:
            return b"\x00" not in handle.read(8192)
    except OSError:
        return True  # listed, so that the import reports why it cannot be read


def _left_out_reason(path: Path, listed) -> str | None:
    """Why a file found in a folder is not imported, None if it is, "" if another file's
    import reads it (a brat .ann with its .txt, an annotation.conf)."""
    suffix = path.suffix.lower()
    if not_an_article(path):
        return "a README, licence or the like, not an article"
    if suffix in listed:
        return None
    if suffix == ".ann":  # read with its .txt; one without is listed for the import to report
        return "" if path.with_suffix(".txt").exists() else None
    if suffix == ".conf" and path.name in BRAT_CONFS:
        return ""
    if not suffix:
        return None if _text_without_suffix(path) else "no extension, and not text"
    return (
        f"{suffix} is not among the formats read from folders "
        "(name the file itself to import it as text)"
    )


def _expand(
    paths: Iterable[str | Path], left_out: list[str] | None = None
) -> list[tuple[Path, Path | None]]:
    """(file, the folder it was found in as given, or None for a file named directly); the
    files of a folder that are not imported go to left_out, each with the reason."""
    files: list[tuple[Path, Path | None]] = []
    listed = registry.listed_suffixes()
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append((path, None))
            continue
        for p in sorted(path.rglob("*")):
            if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
                continue
            reason = _left_out_reason(p, listed)
            if reason is None:
                files.append((p, path))
            elif reason and left_out is not None:
                left_out.append(f"{p}: {reason}")
    return files


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the importable files inside folders (sorted, hidden ones and
    READMEs, licences and the like left out)."""
    return [path for path, _ in _expand(paths)]


def sub_folder(path: Path, root: Path | None) -> str | None:
    """The folder a file was found in, relative to the folder given ("sport/football")."""
    if root is None:
        return None
    relative = path.parent.relative_to(root).as_posix()
    return None if relative == "." else relative


def _encoding_note(path: Path, encoding: str | None, report: ImportReport) -> None:
    """Say which files the named encoding was used for, and how they read (the UTF-8 ones are
    read as UTF-8)."""
    if note := encoding_note(path, encoding):
        report.note(str(path), note)


def _encodings_advice(guesses: dict[str, str | None], report: ImportReport) -> None:
    """Files that need different encodings: a folder imported with one --encoding would read
    some of them wrong (or refuse them), so say to import each group on its own."""
    named = {path: guess for path, guess in guesses.items() if guess}
    if len(set(named.values())) < 2:
        return
    report.advice.append("These files are in different encodings; import each group on its own:")
    report.advice += [
        f"  --encoding {guess}: " + ", ".join(p for p, g in named.items() if g == guess)
        for guess in dict.fromkeys(named.values())
    ]


def _import_file(
    store, path, root, encoding, unknown_labels, progress, counted, ahead, reader, file_report, job
) -> None:
    write = partial(
        _write_file, store, path, root, encoding, unknown_labels, progress, counted, ahead, reader
    )
    if job is None or path.stat().st_size < reader_process.PROCESS_FROM:
        write(file_report, None)
        return
    # A reading process's report goes to `file_report` only once the file is in: a stream
    # found not UTF-8 past its head (json_stream.NotStreamed) is read again, whole, on a thread.
    attempt = ImportReport()
    try:
        write(attempt, job)
    except json_stream.NotStreamed:
        write(file_report, None)
        return
    reader_process.add_report(file_report, attempt)


def _write_file(
    store, path, root, encoding, unknown_labels, progress, counted, ahead, reader, file_report, job
) -> None:
    folder = sub_folder(path, root)
    process = None
    check = None
    if job is not None:
        # Parsed in a process of its own while this one writes (formats/reader_process.py),
        # started first: it reads while the lines are counted and the import run is made.
        # A JSON stream is checked as UTF-8 here, beside the writing, not there before its
        # first record (json_stream.UTF8_CHECKED_ELSEWHERE).
        # Only where the reading process can stream from the head: a JSON stream read with
        # no encoding named (json_stream.json_values); any other file is read once, as it is.
        head_first = encoding is None and job.fmt in JSON_STREAM_FORMATS
        job = replace(job, folder=folder, utf8_checked_elsewhere=head_first)
        process = reader_process.read_in_process(job, file_report)
        records = process
        if head_first:
            check = _StreamCheck(path)  # after the fork, which copies one thread
            records = check.before_the_end(process)
    else:
        records = reader(path, file_report, encoding)
        if folder is not None:
            records = with_folder(records, folder, file_report)
        if ahead:  # parsed on a thread while the store writes (formats/prefetch.py)
            records = prefetched(records)
    lines = None
    try:
        # One record a line (mostly): the lines count what the progress bar goes to.
        total = 1
        if counted and process is not None and progress is not None:
            lines = _LineCount(path)
            progress = lines.reporting(progress)
        elif counted:
            total = count_lines(path)
        write_records(
            store,
            records,
            file_report,
            source=path.name,
            unknown_labels=unknown_labels,
            progress=progress,
            total=total,
        )
    finally:
        if process is not None:
            process.close()
        for beside in (lines, check):
            if beside is not None:
                beside.result()


# The formats whose readers read through json_stream.json_values, which streams a file
# from its head when UTF8_CHECKED_ELSEWHERE (tests/formats/test_import_session.py checks it).
JSON_STREAM_FORMATS = frozenset({"jsonl", "doccano", "spacy-json"})


class _Beside:
    """function(path) on a thread of its own while the import goes on; result() waits for
    it (`otherwise` when it raised)."""

    def __init__(self, function: Callable[[Path], Any], path: Path, name: str):
        self.path = path
        self._result: list = []
        self._thread = threading.Thread(
            target=lambda: self._result.append(function(path)), name=name, daemon=True
        )
        self._thread.start()

    def result(self, otherwise: Any = None) -> Any:
        self._thread.join()
        return self._result[0] if self._result else otherwise


class _StreamCheck(_Beside):
    """json_stream.stream_check of a file, on a thread while the reading process streams it:
    the file's last records are handed over only once it says the stream read what reading
    the file whole would have (else NotStreamed, before anything is published)."""

    def __init__(self, path: Path):
        super().__init__(json_stream.stream_check, path, "import-utf8-check")

    def before_the_end(self, records: Iterable) -> Iterator:
        yield from records
        if not self.result(False):
            raise json_stream.NotStreamed(f"{self.path}: not UTF-8 past its start; read whole")


class _LineCount(_Beside):
    """A big file's lines counted on a thread while its import starts (the import run, the
    first records): 30 MB took 20 ms on the way to the first batch. The first progress
    report waits for the count. Started after the reading process: a fork copies one
    thread; ended with the file, before the next file's process starts."""

    def __init__(self, path: Path):
        super().__init__(count_lines, path, "import-line-count")

    def reporting(self, progress: Progress) -> Progress:
        return lambda done, _total: progress(done, self.result(1))  # 1: unreadable, unknown


def _asking(progress: Progress | None, index: int, files: int) -> Progress | None:
    """For one file of several: the callback asked within the file (whether to go on, so a
    cancel needn't wait for a big file's end), still counting files, not records."""
    if progress is None:
        return None
    return lambda done, total: progress(index, files)


def import_paths(
    store,
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    unknown_labels: str = "add",
    progress: Progress | None = None,
    **options: Any,
) -> ImportReport:
    """Import files and folders. A file that fails is rolled back whole and reported.

    options: the readers' options by dest (formats.registry declares them): conll_column,
    the tag column of CoNLL files (1-based, negative from the end); text_column, the column
    of a CSV/TSV file that holds the text; offsets, what JSONL and doccano offsets count,
    "chars" or "utf16" (JavaScript's units)."""
    given = registry.import_option_values(options)
    report = ImportReport()
    files = _expand(paths, report.left_out)
    setups: dict[str, object] = {}  # per import: formats with state across files (brat)
    guesses: dict[str, str | None] = {}  # files not UTF-8 -> the encoding advised
    for index, (path, root) in enumerate(files):
        if progress and len(files) > 1 and not progress(index, len(files)):
            raise Cancelled(report)
        file_report = ImportReport()
        try:
            if not path.exists():
                raise AnnotatorError(f"{path}: no such file or folder")
            chosen = fmt or detect_format(path, given["text_column"])
            entry = registry.reader(chosen)
            if entry.setup:
                if chosen not in setups:
                    setups[chosen] = entry.make_setup(report, unknown_labels)
                reader = setups[chosen].reader(store, path, root)
            else:
                reader = reader_for(chosen, store, given)
            # Records stream from the file in short transactions, invisible until the file is
            # complete: memory stays flat on big files, an edit never waits long, and any
            # failure removes the whole file.
            single = len(files) == 1
            import_file = partial(
                _import_file,
                store,
                path,
                root,
                encoding,
                unknown_labels,
                progress if single else _asking(progress, index, len(files)),
                single and chosen in ("jsonl", "doccano"),  # lines counted for the progress
                # A reader made by a setup (brat) may look at the store: it stays on this
                # thread, which owns the connection.
                not entry.setup,
            )
            try:
                import_file(
                    reader,
                    file_report,
                    None if entry.setup else _job(chosen, store, path, encoding, given),
                )
            except ForeignFormat as foreign:
                # Detection saw the first record; a later one holds another format's
                # annotations. Nothing of the file stayed: read it again in that format.
                if fmt or foreign.fmt not in registry.READERS or registry.reader(foreign.fmt).setup:
                    raise
                file_report = ImportReport()
                file_report.note(
                    foreign.where,
                    f"{foreign.key!r} holds {foreign.what}: the file was read as {foreign.fmt}",
                )
                import_file(
                    reader_for(foreign.fmt, store, given),
                    file_report,
                    _job(foreign.fmt, store, path, encoding, given),
                )
        except Cancelled:
            raise Cancelled(report) from None
        except NotUtf8 as error:
            guesses[str(path)] = error.guess
            report.failed_files.append(str(error))
            continue
        except AnnotatorError as error:
            report.failed_files.append(str(error))
            continue
        _encoding_note(path, encoding, file_report)
        report.files.append(str(path))
        report.merge(file_report)
    _encodings_advice(guesses, report)
    if progress:
        progress(len(files), len(files))
    return report
