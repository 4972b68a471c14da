"""Python's cyclic garbage collector held off while a bulk job makes millions of objects.

The collector runs every 700 new container objects, and each run walks every container the
young generations hold: an import makes a row tuple per span and a list per record, none of
them in a cycle, and the collector spent a fifth of the import's time finding nothing to
collect (unpickling a batch of records took four times as long with it on). Reference
counting still frees everything at once; what cycles there are wait until the job ends.

The collector is the process's, and jobs may overlap on threads (two imports): it is off
while any of them runs and back on, if it was on, when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holding = 0  # jobs running with the collector off
_was_enabled = False  # whether it was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _holding, _was_enabled
    with _lock:
        if _holding == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holding += 1
    try:
        yield
    finally:
        with _lock:
            _holding -= 1
            if _holding == 0 and _was_enabled:
                gc.enable()
