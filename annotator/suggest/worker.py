"""Running a suggestion or training job in a separate process.

spaCy holds the GIL for long stretches, so a thread would make the window stutter; a worker
process keeps the GUI responsive. The worker opens its own connection to the project file and
reports through a queue; the caller polls it and sets an event to cancel.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass


def _may_start_processes() -> None:
    """Let this worker start processes of its own (spaCy's nlp.pipe with n_process, the
    export's pool of shard writers), which a daemonic process may not. The window started it
    as a daemon and still ends it when it closes; SIGTERM then unwinds (SystemExit) through
    the finally blocks that stop those processes, rather than leaving them orphaned."""
    multiprocessing.current_process().daemon = False
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


def _reported(project_path: str, messages, job: Callable) -> None:
    """job(store) on the project opened for it; every error, opening included, reported to
    the window (not lost in a dead process), and the project closed however the job ends."""
    from annotator.core.errors import AnnotatorError
    from annotator.store.project import ProjectStore

    store = None
    try:
        store = ProjectStore(project_path)
        job(store)
    except AnnotatorError as error:
        messages.put(("error", str(error)))
    except Exception as error:
        messages.put(("error", f"{error.__class__.__name__}: {error}"))
    finally:
        if store is not None:
            store.close()


def _suggest(project_path: str, source: str, article_ids, messages, cancel) -> None:
    from annotator.suggest.runner import run_suggestions

    _may_start_processes()

    def job(store) -> None:
        def progress(done: int, total: int, ids: list[int]) -> bool:
            messages.put(("progress", done, total, ids))
            return not cancel.is_set()

        # Registered as a writer while it runs: a window waiting for the lock names it.
        with store.activity("suggest", f"the suggestions of {source}"):
            report = run_suggestions(store, source, article_ids, progress)
        messages.put(("done", report.summary(), report.cancelled))

    _reported(project_path, messages, job)


def _train(project_path: str, outdir: str, options: dict, messages, cancel) -> None:
    from annotator.suggest.train import train_model

    _may_start_processes()

    def job(store) -> None:
        def progress(row: dict) -> bool:
            messages.put(("progress", row))
            return not cancel.is_set()

        with store.activity("train", "the training run"):
            report = train_model(store, outdir, progress=progress, **options)
        messages.put(("done", report.summary(), report.cancelled))

    _reported(project_path, messages, job)


def _propagate(project_path: str, request: dict, messages, cancel) -> None:
    from annotator.core.occurrences import MatchOptions
    from annotator.suggest.propagate import propagate

    def job(store) -> None:
        def progress(done: int, total: int, ids: list[int]) -> bool:
            messages.put(("progress", done, total, ids))
            return not cancel.is_set()

        options = MatchOptions(request["match_case"], request["whole_word"])
        with store.activity("suggest", f"labelling all of “{request['text']}”"):
            report = propagate(store, request["text"], request["label"], options, None, progress)
        messages.put(("done", report.summary(), report.cancelled))

    _reported(project_path, messages, job)


@dataclass
class Worker:
    process: multiprocessing.Process
    messages: multiprocessing.Queue
    cancel: object

    def poll(self) -> list[tuple]:
        found = []
        while True:
            try:
                found.append(self.messages.get_nowait())
            except queue_module.Empty:
                return found

    def stop(self) -> None:
        self.cancel.set()


def start(kind: str, *args) -> Worker:
    # spawn, not fork: the GUI process has Qt threads that a fork would copy half-alive.
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    cancel = context.Event()
    target = {"suggest": _suggest, "train": _train, "propagate": _propagate}[kind]
    process = context.Process(target=target, args=(*args, messages, cancel), daemon=True)
    process.start()
    return Worker(process, messages, cancel)
