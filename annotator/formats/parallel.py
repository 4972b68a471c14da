"""Work over chunks of articles on every core, results in order, memory bounded.

An export that tokenizes (JSONL) spends its time in spaCy's tokenizer and in building each
line, one article at a time with nothing shared between articles: a chunk of article ids is a
unit that a process can do alone (it opens the project read-only itself) and whose result
(text, figures) the parent writes in order. So the output is the same whatever the number of
processes, byte for byte, and the same shard-level function could run on another engine
(README, "Scale past one machine").

Processes are forked where that is safe (Linux, a process of one thread and no GUI: the
command line), as formats/reader_process.py forks its reader: a fork starts at once with what
this process has loaded (spaCy: ordered_map's `preload`), where a spawned process imports
Python's and annotator's modules and spaCy again (1.5 s of CPU each). Elsewhere they are
spawned: the window runs exports in a QThread, and a fork of a process with Qt threads is
unsafe. A forked process opens its own read-only connection and never touches the parent's. At most two chunks per process are in
flight, so memory stays bounded whatever the corpus size. The processes ignore Ctrl+C: the
parent decides (the command line cancels at the next chunk), and stops them.

ordered_map can also put the calling process to work (`here`): rather than wait for the next
chunk in order, it does the next chunk not yet handed out itself. N jobs are then N - 1
processes and this one, which would otherwise sit idle most of the time: one process start
(a Python and spaCy import, 1.5 s of CPU) less, and a share of the results made where they
are written instead of sent through a pipe.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

# Starting a process (importing spaCy) costs about a second: below this many articles one
# process is quicker.
PARALLEL_FROM = 2_000


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def jobs_for(jobs: int | None, articles: int) -> int:
    """How many processes to use for `articles`: `jobs` (None: every core), but one when the
    work is too small to repay starting them."""
    wanted = default_jobs() if jobs is None else max(1, jobs)
    return 1 if articles < PARALLEL_FROM else wanted


def chunked(ids: Sequence[int], size: int) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _start(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def fork_is_safe() -> bool:
    """Whether a fork is safe and quick here (the import's reading process and the JSONL
    export's workers): Linux, no
    other Python thread, no GUI (QtGui is loaded with the window and the tests' Qt
    fixtures)."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "PySide6.QtGui" not in sys.modules
    )


def spawn_pool(
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    *,
    fork: bool = False,
) -> ProcessPoolExecutor:
    """`jobs` spawned processes (forked with `fork`) that ignore Ctrl+C. An executor, not
    multiprocessing.Pool: when one of its processes dies (the OOM killer, a crash in a
    library) every pending result raises BrokenProcessPool, where a Pool would wait for it
    forever. A forked executor forks all its processes at its first task, before it starts
    its own threads."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
        initializer=_start,
        initargs=(initializer, initargs),
    )


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now, its running tasks too (a cancel or a failure must not wait for
    them): the executor can only cancel tasks not yet started, so its processes are ended."""
    processes = list((pool._processes or {}).values())
    tasks = pool._call_queue  # shutdown() lets go of it
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()
    # The executor's own thread joins them too (it sees them die), and whichever thread reaps
    # a process first sets its exit code: our join can return before the other has set it,
    # and the dead process still counted as running (multiprocessing.active_children()).
    # Wait, briefly, until each one says it has ended.
    deadline = time.monotonic() + 2.0
    while any(process.exitcode is None for process in processes) and time.monotonic() < deadline:
        time.sleep(0.001)
    # The processes are dead, so nothing reads the task pipe. Python before 3.11.5 (Debian 12
    # has 3.11.2) then leaves the thread feeding that pipe blocked on it when it is full, and
    # its executor thread waits for that feeder forever: the program hangs at exit after an
    # export's worker was killed (CPython gh-94777). Closing our end of the pipe ends the
    # feeder with a broken pipe. Later Pythons close it in their executor thread, and a second
    # close from here could race with theirs and close a file descriptor reused meanwhile.
    if tasks is not None and sys.version_info < (3, 11, 5):
        try:
            tasks._reader.close()
        except OSError:
            pass


def ordered_map(
    function: Callable[[Any], T],
    chunks: Iterable[Any],
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    here: Callable[[Any], T] | None = None,
    preload: Callable[[], Any] | None = None,
) -> Iterator[T]:
    """function(chunk) for each chunk, yielded in the chunks' order. With jobs == 1 it runs
    here (initializer first); else in `jobs` spawned processes, at most 2 * jobs chunks in
    flight. The processes start now, before the first result is asked for: they import spaCy
    for about a second, while the caller does its own reading. Close the iterator when done
    or on an error (try/finally): closing it early (a cancel) stops the processes.

    here: the same work done in this process (here(chunk) == function(chunk) after the
    initializer); given, `jobs` counts this process, which takes the next chunk not handed
    out whenever the next result in order is not ready yet. preload: what the processes'
    initializer loads (spaCy), loaded here first when they are forked (fork_is_safe), so
    that they start with it."""
    if jobs <= 1:
        if here is not None:
            return (here(chunk) for chunk in chunks)
        return _here(function, chunks, initializer, initargs)
    fork = fork_is_safe()
    if fork and preload is not None:
        preload()
    if fork:
        # What is loaded now (spaCy's 100,000 objects) moves out of the collector's sight, as
        # Python's gc.freeze advises before a fork: the processes' full collections no longer
        # walk it (0.1 s of CPU each) nor write to its pages (each written page is copied).
        gc.freeze()
    results = _in_processes(function, chunks, jobs, initializer, initargs, here, fork)
    next(results)  # up to its first yield: the processes are started, with their chunks
    return results


def _here(
    function: Callable[[Any], T],
    chunks: Iterable[Any],
    initializer: Callable[..., None] | None,
    initargs: tuple,
) -> Iterator[T]:
    if initializer is not None:
        initializer(*initargs)
    for chunk in chunks:
        yield function(chunk)


def _in_processes(
    function: Callable[[Any], T],
    chunks: Iterable[Any],
    jobs: int,
    initializer: Callable[..., None] | None,
    initargs: tuple,
    here: Callable[[Any], T] | None = None,
    fork: bool = False,
) -> Iterator[Any]:
    processes = jobs - 1 if here is not None else jobs
    pool = spawn_pool(processes, initializer, initargs, fork=fork)
    # In the chunks' order: a Future of the pool, or a result made here (a list of one).
    pending: deque[Future | list] = deque()
    window = 2 * processes  # chunks in the pool at most
    # Results made here may run ahead of the pool's by this many chunks at most.
    ahead = 2 * jobs
    in_pool = 0
    rest = iter(chunks)
    started = False
    try:
        while True:
            while in_pool < window and (chunk := next(rest, _END)) is not _END:
                pending.append(pool.submit(function, chunk))
                in_pool += 1
            if not started:
                started = True
                yield None  # started (ordered_map's priming step)
            if not pending:
                return
            first = pending[0]
            if isinstance(first, list) or first.done():
                pending.popleft()
                if isinstance(first, list):
                    yield first[0]
                else:
                    in_pool -= 1
                    yield first.result()
            elif (
                here is not None
                and len(pending) < window + ahead
                and (chunk := next(rest, _END)) is not _END
            ):
                pending.append([here(chunk)])
            else:
                wait([first], return_when=FIRST_COMPLETED)
    except BrokenProcessPool:
        stop_pool(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if fork:
            gc.unfreeze()


_END = object()  # the end of the chunks
