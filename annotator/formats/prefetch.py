"""Parse the next records while the store writes the last batch.

An import's time is parsing (Python, holding the GIL) and SQLite writing the batch, full-text
index included (C, which lets the GIL go while it steps): run in turn they add up, on two
threads they overlap. The reader runs on a thread of its own and hands records over in small
lists through a bounded queue, so memory stays flat whatever the file's size; whatever it
raises (a bad record, another format's annotations) is raised to the consumer where it stood
in the stream. The reader thread never touches the store: SQL stays on the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

CHUNK = 64  # records handed over at a time (a queue operation per record costs too much)
DEPTH = 16  # chunks waiting at most


class _End:
    def __init__(self, error: BaseException | None = None):
        self.error = error


def prefetched(records: Iterable[T]) -> Iterator[T]:
    """The records, read ahead on a thread. Closing the iterator (a cancel, a failed batch)
    stops the reader at its next record."""
    handoff: queue.Queue = queue.Queue(maxsize=DEPTH)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        chunk: list[T] = []
        try:
            for record in records:
                chunk.append(record)
                if len(chunk) >= CHUNK:
                    if not put(chunk):
                        return
                    chunk = []
            if chunk and not put(chunk):
                return
            put(_End())
        except BaseException as error:  # raised again on the consumer's thread
            put(_End(error))

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = handoff.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield from item
    finally:
        stop.set()
        reader.join()
