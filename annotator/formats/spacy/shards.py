"""The spaCy export's shards: train/ and dev/ folders of DocBin files of SHARD_ARTICLES
articles each, written as the articles stream from the store, on every core.

Holding every Doc of a corpus until the end took 2.7 GB for 10,000 news articles; a shard is
written and let go as soon as it is full, so memory stays that of a few shards whatever the
corpus. `spacy train` reads a folder of .spacy files for --paths.train and --paths.dev
(spacy.training.corpus.walk_corpus, sorted by name: the shard names keep the export's order).

Shards go to the calling process (jobs=1, or a corpus of one shard, where starting processes
would cost more than it saves) or to a pool of `jobs` processes. Each shard is a plain
function of its task (annotator.formats.spacy.docs.write_shard), and which shard holds which
article depends only on the order of the articles and SHARD_ARTICLES, never on jobs: one
core and all of them write the same files. At most two shards a process are in flight, so a
fast store cannot pile the corpus up in the pool's queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from annotator.core.cores import usable_cores
from annotator.core.errors import AnnotatorError
from annotator.formats.parallel import spawn_pool, stop_pool
from annotator.formats.records import Cancelled
from annotator.formats.spacy.docs import ShardResult, ShardTask, write_shard

SHARD_ARTICLES = 1000
# A shard also ends at this many characters of text: DocBin.to_bytes makes a few copies of a
# shard's token arrays at once, about 200 MB for 1,000 news articles of 3,000 characters, and
# long articles would make it more. 500,000 characters keep a shard writer near 200 MB.
SHARD_CHARS = 500_000
TRAIN_DIR, DEV_DIR = "train", "dev"


def shard_path(folder: Path, split: str, index: int) -> Path:
    return folder / split / f"{split}-{index:05d}.spacy"


class ShardWriter:
    """Collects (split, article...) items into shards and writes each one when it is full.

    Use as a context manager: leaving it by an exception (a cancel, a failure) stops the pool
    processes at once (terminate, not a wait for their shards), so a cancel is prompt; the
    export's staging folder then goes with whatever they had written. A pool process that
    dies (killed, out of memory) fails the export with an AnnotatorError instead of leaving
    it waiting for the shard forever.
    """

    def __init__(
        self,
        folder: Path,
        language: str,
        *,
        jobs: int | None = None,
        shard_articles: int = SHARD_ARTICLES,
        articles: int = 0,
        keep_going: Callable[[], bool] | None = None,
    ):
        if shard_articles < 1:
            raise ValueError("a shard holds at least one article")
        self.folder, self.language, self.size = folder, language, shard_articles
        self.jobs = max(1, jobs or usable_cores())
        self.keep_going = keep_going
        self.tasks: dict[str, ShardTask] = {}
        self.counts: dict[str, int] = {TRAIN_DIR: 0, DEV_DIR: 0}
        self.results: list[ShardResult] = []
        self.pending: deque[Future] = deque()
        # A pool only pays for itself past one shard: starting a process imports spaCy.
        self.pool: ProcessPoolExecutor | None = None
        if self.jobs > 1 and articles > shard_articles:
            self.pool = spawn_pool(self.jobs)
        for split in (TRAIN_DIR, DEV_DIR):
            (folder / split).mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self.pool is None:
            return
        if error is None:
            self.pool.shutdown(wait=True)
        else:
            stop_pool(self.pool)

    def add(self, split: str, item: tuple) -> None:
        task = self.tasks.get(split)
        if task is None:
            path = shard_path(self.folder, split, self.counts[split])
            task = self.tasks[split] = ShardTask(self.language, path)
        task.articles.append(item)
        task.chars += len(item[0].text)
        if len(task.articles) >= self.size or task.chars >= SHARD_CHARS:
            self._write(self.tasks.pop(split), split)

    def finish(self) -> list[ShardResult]:
        """Write the shards not yet full (and an empty one for a split with none, as the
        single-file export wrote an empty dev.spacy) and wait for all; the results in order."""
        for split in (TRAIN_DIR, DEV_DIR):
            task = self.tasks.pop(split, None)
            if task is None and self.counts[split] == 0:
                task = ShardTask(self.language, shard_path(self.folder, split, 0))
            if task is not None:
                self._write(task, split)
        while self.pending:
            self._collect()
        return self.results

    def call(self, function, *args):
        """function(*args) in a pool process when there is a pool (it has spaCy loaded;
        this process need not), else here."""
        if self.pool is None:
            return function(*args)
        return self._result(self.pool.submit(function, *args))

    def _write(self, task: ShardTask, split: str) -> None:
        self.counts[split] += 1
        if self.pool is None:
            self.results.append(write_shard(task))
            return
        self.pending.append(self.pool.submit(write_shard, task))
        while len(self.pending) > 2 * self.jobs:
            self._collect()

    def _collect(self) -> None:
        """Wait for the oldest shard in flight, asking now and then whether to go on."""
        oldest = self.pending[0]
        while not oldest.done():
            wait([oldest], timeout=0.1)
            if self.keep_going is not None and not self.keep_going():
                raise Cancelled("export cancelled; no files were written")
        self.results.append(self._result(oldest))
        self.pending.popleft()

    def _result(self, future: Future):
        try:
            return future.result()
        except BrokenProcessPool as error:
            raise AnnotatorError(
                "the spaCy export failed: one of its shard processes stopped unexpectedly "
                "(killed, or out of memory?); no files were written. With --jobs 1 the shards "
                "are written in this process."
            ) from error
