"""Python's cyclic garbage collector held off while a bulk job makes millions of objects.

The collector runs every 700 new container objects, and each run walks every container the
young generations hold: an import makes a row tuple per span and a list per record, none of
them in a cycle, and the collector spent a fifth of the import's time finding nothing to
collect (unpickling a batch of records took four times as long with it on). Reference
counting still frees everything at once; what cycles there are wait until the job ends.

The collector is the process's, and jobs may overlap on threads (two imports): it is off
while any of them runs and back on, if it was on, when the last one ends.

A window puts its full collections off to its idle turns instead (defer_full_collections):
there the objects are long-lived, the cycles few but real (a closed article's lines and their
arcs), and what matters is that no walk of them lands inside an action.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
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


# While a window is open its full collections (generation 2) wait for its idle turns
# (qt/controllers/idle_collection.py): one walks every object the open article made (33,000 on
# bench_long's long articles, 3-13 ms) and landed inside opens and edits, a frame on its own.
# Generation 2's threshold is raised from Python's 10 generation-1 passes to this many: the
# bound on cyclic garbage if the window never had an idle moment (about 700 x 10 x this net new
# container objects; Python's own rule, a full pass only when the objects new to generation 2
# are a quarter of those there, still holds too).
DEFERRED_THRESHOLD = 100

_deferring = 0  # windows holding full collections to their idle turns
_threshold_before: tuple[int, int, int] | None = None  # Python's, as it was when they began


def defer_full_collections() -> Callable[[], None]:
    """Full collections put off (see DEFERRED_THRESHOLD) until the returned function is called
    (it may be called more than once); thresholds as they were once the last holder lets go."""
    global _deferring, _threshold_before
    with _lock:
        if _deferring == 0:
            _threshold_before = gc.get_threshold()
            young, middle, full = _threshold_before
            gc.set_threshold(young, middle, max(full, DEFERRED_THRESHOLD))
        _deferring += 1
    released = False

    def release() -> None:
        global _deferring
        nonlocal released
        with _lock:
            if released:
                return
            released = True
            _deferring -= 1
            if _deferring == 0 and _threshold_before is not None:
                gc.set_threshold(*_threshold_before)

    return release


def full_collection_owed() -> bool:
    """Whether Python would have made a full pass by now (as many generation-1 passes since
    the last as its own threshold), and the collector is on: a bulk job that paused it
    (collector_paused) makes millions of objects a full pass would walk."""
    threshold = (_threshold_before if _deferring and _threshold_before else gc.get_threshold())[2]
    return gc.isenabled() and gc.get_count()[2] >= threshold


def young_passes() -> int:
    """The collector's passes over the young generations so far: one per ~700 new container
    objects, so how many went by in a while says whether the program was busy."""
    first, second, _full = gc.get_stats()
    return first["collections"] + second["collections"]


_settled = False  # settle() froze what existed, and nothing has unfrozen it since (unfreeze())


def settle() -> None:
    """What exists now put out of the collector's sight: a full pass, then gc.freeze. Its full
    passes walk only what is made after (qt.app.settle_heap: start-up's objects)."""
    global _settled
    gc.collect()
    gc.freeze()
    _settled = True


def unfreeze() -> None:
    """Every frozen object back in the collector's sight (gc.unfreeze), and settled() false."""
    global _settled
    gc.unfreeze()
    _settled = False


def settled() -> bool:
    """Whether settle() froze the heap (kept as a flag: gc.get_freeze_count walks every frozen
    object, a million in a test run, and the window asks four times a second)."""
    return _settled
