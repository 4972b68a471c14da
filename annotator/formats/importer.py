"""`annotator import`: find the files, pick each one's format, write each in one transaction.

Formats: txt, jsonl (Prodigy-style), brat, conll (CoNLL 2003 / BIO / BILUO), doccano, spacy
(DocBin), spacy-json (v2 training files), csv and tsv (tables of articles); detected from the
extension and the content (annotator.formats.detect) unless the caller names one.

A brat document is a DOC.txt with a DOC.ann beside it (either file, or a folder holding them,
may be named); the annotation.conf that applies to it (in its folder or the nearest parent,
as brat looks for it) is merged into the project's schema with its first document.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.formats.brat.reader import read_brat
from annotator.formats.brat.conf import brat_names, find_conf, load_conf, renamed
from annotator.formats.conll.reader import read_conll
from annotator.formats.text.tables import read_csv
from annotator.formats.detect import LISTED, detect_format
from annotator.formats.doccano.reader import read_doccano
from annotator.formats.jsonl.reader import read_jsonl
from annotator.formats.reading import count_lines
from annotator.formats.record_writer import write_records
from annotator.formats.records import Cancelled, ImportReport, Progress, hinting_utf16
from annotator.formats.schema_growth import SchemaGrowth
from annotator.formats.spacy.docbin import read_docbin
from annotator.formats.spacy.v2json import read_spacy_json
from annotator.formats.text.txt import read_txt

FORMATS = ("txt", "jsonl", "brat", "conll", "doccano", "spacy", "spacy-json", "csv", "tsv")
__all__ = ["FORMATS", "detect_format", "expand_paths", "import_paths"]


def reader_for(fmt: str, store, *, conll_column: int | None = None, text_column: str = "text",
               offsets: str = "chars"):
    """The reader of a format (not brat: _BratSetup makes those), with the options it takes."""
    readers = {
        "txt": read_txt, "jsonl": partial(read_jsonl, offsets=offsets), "spacy": read_docbin,
        "spacy-json": read_spacy_json,
        "conll": partial(read_conll, column=conll_column),
        # The project's event types tell triggers from entities in doccano's spans.
        "doccano": partial(read_doccano, types=store.schema, offsets=offsets),
        "csv": partial(read_csv, text_column=text_column),
        "tsv": partial(read_csv, text_column=text_column, delimiter="\t"),
    }
    read = readers[fmt]
    if fmt in ("jsonl", "doccano") and offsets == "chars":
        # Browser tools write these formats; their offsets may count UTF-16 units.
        return lambda path, report, encoding=None: hinting_utf16(read(path, report, encoding), report)
    return read


def _expand(paths: Iterable[str | Path]) -> list[tuple[Path, Path | None]]:
    """(file, the folder it was found in as given, or None for a file named directly)."""
    files: list[tuple[Path, Path | None]] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append((path, None))
            continue
        found = sorted(
            p for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            # An .ann without its .txt is listed so that the import reports it.
            and (p.suffix.lower() in LISTED
                 or (p.suffix.lower() == ".ann" and not p.with_suffix(".txt").exists()))
        )
        files += [(p, path) for p in found]
    return files


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the importable files inside folders (sorted, hidden ones left out)."""
    return [path for path, _ in _expand(paths)]


def brat_ext_id(path: Path, root: Path | None) -> str:
    """A brat document's external id: its path under the imported folder, without suffix
    (esp/esp.train-doc-46), so that documents of the same name in two subfolders stay apart."""
    if root is None:
        return path.stem
    return path.relative_to(root).with_suffix("").as_posix()


class _BratSetup:
    """The annotation.conf of each brat folder, read once, its notes reported once."""

    def __init__(self, report: ImportReport, unknown_labels: str):
        self.report, self.policy = report, unknown_labels
        self.seen: set[Path] = set()  # confs whose notes are reported
        self.named: set[Path] = set()  # confs whose renamed types are reported

    def reader(self, store, path: Path, root: Path | None):
        conf_path = find_conf(path.parent, root)
        conf = load_conf(conf_path) if conf_path else None
        names = brat_names(store.schema)
        types, declared = store.schema, None
        if conf is not None:
            # The names our export wrote down into this conf say what its documents meant,
            # whatever the project (or another folder's conf) spells that way.
            names = names | conf.names
            if conf_path not in self.seen:
                self.seen.add(conf_path)
                self.report.notes += conf.notes
                if self.policy != "add":
                    self.report.note(str(conf_path), "not merged into the schema "
                                                     f"(--unknown-labels {self.policy})")
            if self.policy == "add":
                declared = renamed(conf.schema, names)
                self._note_names(conf_path, conf.schema, names)
                growth = SchemaGrowth(store.schema, "add")
                growth.merge(declared)
                types = growth.schema
        return partial(read_brat, types=types, declared=declared, names=names,
                       ext_id=brat_ext_id(path, root))


    def _note_names(self, conf_path: Path, schema, names: dict[str, str]) -> None:
        if conf_path in self.named:
            return
        self.named.add(conf_path)
        declared = set(schema.names)
        used = sorted(f"{form} → {name}" for form, name in names.items() if form in declared)
        if used:
            self.report.note(str(conf_path), "brat's spellings read as the schema's names: "
                                             + ", ".join(used))


def import_paths(
    store,
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    unknown_labels: str = "add",
    progress: Progress | None = None,
    conll_column: int | None = None,
    text_column: str = "text",
    offsets: str = "chars",
) -> ImportReport:
    """Import files and folders. A file that fails is rolled back whole and reported.

    conll_column: the tag column of CoNLL files (1-based, negative from the end);
    text_column: the column of a CSV/TSV file that holds the text;
    offsets: what JSONL and doccano offsets count, "chars" or "utf16" (JavaScript's units)."""
    report = ImportReport()
    files = _expand(paths)
    brat = _BratSetup(report, unknown_labels)
    for index, (path, root) in enumerate(files):
        if progress and len(files) > 1 and not progress(index, len(files)):
            raise Cancelled(report)
        file_report = ImportReport()
        try:
            if not path.exists():
                raise AnnotatorError(f"{path}: no such file or folder")
            chosen = fmt or detect_format(path, text_column)
            reader = (brat.reader(store, path, root) if chosen == "brat" else
                      reader_for(chosen, store, conll_column=conll_column,
                                 text_column=text_column, offsets=offsets))
            # Records stream from the file into one transaction: memory stays flat on big
            # files, and any failure rolls the whole file back.
            single = len(files) == 1
            total = count_lines(path) if single and chosen == "jsonl" else 1
            write_records(store, reader(path, file_report, encoding), file_report,
                          source=path.name, unknown_labels=unknown_labels,
                          progress=progress if single else None, total=total)
        except Cancelled:
            raise Cancelled(report) from None
        except AnnotatorError as error:
            report.failed_files.append(str(error))
            continue
        report.files.append(str(path))
        report.merge(file_report)
    if progress:
        progress(len(files), len(files))
    return report
