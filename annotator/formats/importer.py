"""`annotator import`: find the files, pick each one's format, write each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.formats.jsonl import looks_like_jsonl, read_jsonl
from annotator.formats.reading import count_lines
from annotator.formats.records import Cancelled, ImportReport, Progress, write_records
from annotator.formats.text_files import read_txt

READERS = {"txt": read_txt, "jsonl": read_jsonl}
FORMATS = tuple(READERS)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".txt", ".text"):
        return "txt"
    return "jsonl" if looks_like_jsonl(path) else "txt"


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the importable files inside folders (sorted, hidden ones left out)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".txt", ".jsonl", ".ndjson")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def import_paths(
    store,
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    unknown_labels: str = "add",
    progress: Progress | None = None,
) -> ImportReport:
    """Import files and folders. A file that fails is rolled back whole and reported."""
    report = ImportReport()
    files = expand_paths(paths)
    for index, path in enumerate(files):
        if progress and len(files) > 1 and not progress(index, len(files)):
            raise Cancelled(report)
        file_report = ImportReport()
        try:
            if not path.exists():
                raise AnnotatorError(f"{path}: no such file or folder")
            chosen = fmt or detect_format(path)
            reader = READERS[chosen]
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
        for name in ("articles", "spans"):
            setattr(report, name, getattr(report, name) + getattr(file_report, name))
        report.duplicates += file_report.duplicates
        report.skipped += file_report.skipped
        report.labels_added += file_report.labels_added
    if progress:
        progress(len(files), len(files))
    return report
