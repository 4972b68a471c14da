"""core/collector.py: a window's full collections put off (defer_full_collections) and when one
is owed; the owed pass is never asked for while a bulk job has the collector paused."""

import gc

from annotator.core import collector


def test_holders_raise_generation_2s_threshold_and_the_last_puts_it_back():
    before = gc.get_threshold()
    first = collector.defer_full_collections()
    second = collector.defer_full_collections()
    assert gc.get_threshold() == (before[0], before[1], collector.DEFERRED_THRESHOLD)
    first()
    first()  # twice: still one holder less, not two
    assert gc.get_threshold()[2] == collector.DEFERRED_THRESHOLD
    second()
    assert gc.get_threshold() == before


def test_a_pass_is_owed_after_pythons_own_number_of_young_passes_unless_the_collector_is_paused():
    release = collector.defer_full_collections()
    try:
        gc.collect()
        assert not collector.full_collection_owed()
        passes = collector.young_passes()
        for _ in range(9):  # Python's own threshold: a full pass after 10 of generation 1
            gc.collect(1)
        assert not collector.full_collection_owed()
        gc.collect(1)
        assert collector.young_passes() - passes >= 10
        assert collector.full_collection_owed()
        with collector.collector_paused():
            assert not collector.full_collection_owed()
        assert collector.full_collection_owed()
        gc.collect()
        assert not collector.full_collection_owed()
    finally:
        release()
