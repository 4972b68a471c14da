"""Read a big file in a process of its own while this one writes it to the store.

An import's time is parsing (Python) and writing (SQLite, and the Python around it). On a
thread (formats/prefetch.py) the two share one interpreter lock, so they add up; a process
of its own parses on the second core while this one writes: on doccano's benchmark corpus
(10,000 articles, 200,000 spans) the import took about as long as the writing alone. The
process runs the very reader the thread would (same records, same report, in the same
order) and sends its records in batches through a pipe, packed as store rows
(formats/packed.py). The pipe holds a few batches at most, so memory stays flat whatever the
file's size.

The process never opens the project: SQL stays in this one. Its report (skips, notes,
fields not read) comes back at the end of the file and is added to the file's report, where
the reader would have written it; whatever the reader raises (a bad file, another format's
annotations) is raised here. A cancel, or a failed batch, ends the process.

It is forked where that is safe (Linux, a process of one thread: the command line): a fork
starts at once, with every module imported. Otherwise (the window imports on a thread) it is
spawned, which imports the readers again first (a fraction of a second, repaid on the files
big enough to get a process: PROCESS_FROM).
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import queue
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.schema import Schema
from annotator.formats import json_stream, registry
from annotator.formats.packed import PackedRecord, packed
from annotator.formats.parallel import fork_is_safe
from annotator.formats.records import ArticleRecord, ImportReport, hinting_utf16

# Files at least this big are read in a process (bytes): starting one costs a few
# milliseconds forked, a few tenths of a second spawned; smaller files use a thread.
PROCESS_FROM = 4 << 20
SEND_RECORDS = 500  # records a message holds at most ...
SEND_CHARS = 1 << 20  # ... and characters of text
# The first message is short: the writer starts on it (its first batch is 50 records) while
# the rest is read, rather than wait for 500 (about 30 ms of doccano's corpus). The next ones
# double up to SEND_RECORDS, as the writer's batches grow by half: a second message of 346
# records (SEND_CHARS) kept the writer waiting 20-25 ms after its first batch.
FIRST_RECORDS = 50
RECEIVED_AHEAD = 2  # messages unpickled ahead of the writer at most (each SEND_RECORDS)


def schema_reader(fmt: str, schema: Schema | None, options: dict[str, Any] | None = None):
    """The reader of a format (not one with a setup, as brat: its setup makes those), with the
    import options it takes (registry.import_option; the rest keep their defaults) and the
    project's schema; made the same way here and in a reading process."""
    entry = registry.reader(fmt)
    given = registry.import_option_values(options or {})
    keywords = {keyword: given[option] for option, keyword in entry.options.items()}
    keywords.update(entry.fixed)
    if entry.schema:
        keywords[entry.schema] = schema
    read = partial(entry.function(), **keywords)
    if entry.utf16_hint and given["offsets"] == "chars":
        # Browser tools write these formats; their offsets may count UTF-16 units.
        return lambda path, report, encoding=None: hinting_utf16(
            read(path, report, encoding), report
        )
    return read


def with_folder(records: Iterable[ArticleRecord], folder: str, report: ImportReport):
    """The records, each with its sub-folder in meta["folder"] (a value the file itself gave
    that key is kept, and the report says so)."""
    clashed = False
    for record in records:
        given = record.meta.setdefault("folder", folder)
        if given != folder and not clashed:
            clashed = True
            report.note(record.where, f"meta 'folder' {given!r} kept; its sub-folder is {folder}")
        yield record


@dataclass(frozen=True)
class ReadingJob:
    """What a reading process needs to make the file's records (picklable)."""

    fmt: str
    schema: Schema | None
    options: dict[str, Any]
    path: Path
    encoding: str | None
    folder: str | None  # the file's sub-folder, for meta["folder"]
    # The importer checks the whole file as UTF-8 itself (json_stream.stream_check): a JSON
    # stream starts once its head is checked (json_stream.UTF8_CHECKED_ELSEWHERE).
    utf8_checked_elsewhere: bool = False

    def records(self, report: ImportReport) -> Iterator[ArticleRecord]:
        read = schema_reader(self.fmt, self.schema, self.options)
        records = read(self.path, report, self.encoding)
        if self.folder is not None:
            records = with_folder(records, self.folder, report)
        return iter(records)


def add_report(report: ImportReport, other: ImportReport) -> None:
    """Every entry of `other` added to `report`, as if written there (ImportReport.merge
    leaves out what only an import's own report holds; a reader may write any of it)."""
    for name in (f.name for f in fields(ImportReport)):
        value = getattr(other, name)
        if isinstance(value, list):
            getattr(report, name).extend(value)
        elif isinstance(value, dict):
            mine = getattr(report, name)
            for key, count in value.items():
                mine[key] = mine.get(key, 0) + count
        else:
            setattr(report, name, getattr(report, name) + value)


def _message(kind: str, payload) -> bytes:
    return pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)


def _error_message(error: BaseException, path: Path) -> bytes:
    """The error to raise in the importing process: itself when it survives pickling with its
    attributes (the import's own errors do: ForeignFormat's format, NotUtf8's guess), else an
    ImportFailed naming the file and the error."""
    try:
        message = _message("error", error)
        pickle.loads(message)
        return message
    except Exception:
        return _message("error", ImportFailed(f"{path}: {type(error).__name__}: {error}"))


def _read(job: ReadingJob, sending, receiving) -> None:
    """The reading process: records in batches, then its report, or the error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the importing process's to handle
    if job.utf8_checked_elsewhere:  # this process reads nothing else
        json_stream.UTF8_CHECKED_ELSEWHERE = True
    receiving.close()  # a fork has both ends; this one only writes
    gc.disable()  # records are not cycles: the collector found nothing (core/collector.py)
    report = ImportReport()
    batch: list[ArticleRecord | PackedRecord] = []
    chars = 0
    most = FIRST_RECORDS
    try:
        for record in job.records(report):
            batch.append(packed(record))
            chars += len(record.text)
            if len(batch) >= most or chars >= SEND_CHARS:
                sending.send_bytes(_message("records", batch))
                batch, chars, most = [], 0, min(SEND_RECORDS, 2 * most)
        sending.send_bytes(_message("records", batch))
        sending.send_bytes(_message("end", report))
    except BrokenPipeError:
        pass  # the import stopped (a cancel, a failed batch): nobody reads any more
    except BaseException as error:
        try:
            sending.send_bytes(_error_message(error, job.path))
        except BrokenPipeError:
            pass
    finally:
        sending.close()


def _context():
    """fork where it is safe and quick (see the module's doc), else spawn. Safe: this process
    runs no other Python thread and no GUI (QtGui is loaded with the window and the tests'
    Qt fixtures). Native threads that only wait are fine: numpy's OpenBLAS pool, which
    sqlite-utils' import starts, handles a fork itself, and the child never calls it."""
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class ReadingProcess:
    """A file's records (packed where they can be), read by a process of their own, which
    starts at once: it reads while the caller sets its import up (the import run, the
    progress bar's count of lines), not after. Its report is added to `report` once the file
    is read. close() ends the process, whether or not its records were taken.

    Its messages are taken from the pipe and unpickled on a thread of this process (a tenth
    of a second for doccano's corpus), while the importing thread writes: SQLite lets the
    interpreter lock go while it steps, so the two overlap on the second core, which the
    reading process leaves idle half the time. RECEIVED_AHEAD messages wait at most."""

    def __init__(self, job: ReadingJob, report: ImportReport):
        self.job, self.report = job, report
        context = _context()
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_read, args=(job, sending, self._receiving), name="import-reader", daemon=True
        )
        self._process.start()
        sending.close()  # so that the pipe ends (EOFError) if the process dies
        # Started after the process: a fork copies only the thread that forks.
        self._messages: queue.Queue = queue.Queue(maxsize=RECEIVED_AHEAD)
        self._stop = threading.Event()
        self._receiver = threading.Thread(target=self._receive, name="import-receiver", daemon=True)
        self._receiver.start()

    def _receive(self) -> None:
        """On the receiving thread: each message as (kind, payload), or None once the pipe
        ended without the file's end (the process died); stops after the last message."""
        while True:
            message: tuple[str, Any] | None
            try:
                message = pickle.loads(self._receiving.recv_bytes())
            except (EOFError, OSError):
                message = None
            except Exception as error:  # a message that can't be read: the import's error
                message = ("error", error)
            if not self._put(message) or message is None or message[0] != "records":
                return

    def _put(self, message) -> bool:
        while not self._stop.is_set():
            try:
                self._messages.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[ArticleRecord | PackedRecord]:
        try:
            while True:
                message = self._messages.get()
                if message is None:
                    self._process.join()
                    raise ImportFailed(
                        f"{self.job.path}: the process reading it stopped (exit code "
                        f"{self._process.exitcode}); nothing of the file was imported"
                    )
                kind, payload = message
                if kind == "records":
                    yield from payload
                elif kind == "end":
                    add_report(self.report, payload)
                    return
                else:
                    raise payload
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        # The process is gone, and the pipe's other end with it: the receiving thread's
        # read ends (EOFError), and a wait to hand a message over ends on the stop.
        self._receiver.join()
        self._receiving.close()


def read_in_process(job: ReadingJob, report: ImportReport) -> ReadingProcess:
    """The file's records, read by a process of their own, started now (ReadingProcess);
    close() it when done (iterating to the end closes it too)."""
    return ReadingProcess(job, report)
