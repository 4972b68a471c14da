"""Regression (found in review): closing the window removes its claim through the edit write path, so
while another program holds the write lock, Quit waits the whole edit wait limit (120 s in
the app) before the window goes; the heartbeat and takeover use without_waiting, release
doesn't."""

import time

from tests.lock_holder import hold_lock, release


def test_close_does_not_wait_for_the_lock(qtbot, window):
    window.store.wait_limit = 2.0  # 120 s in the app
    # Held until the window has closed (4 s at most), then let go: not waited out.
    holder = hold_lock(window.store.path, 4.0, until_told=True)
    began = time.monotonic()
    window.close()
    took = time.monotonic() - began
    release(holder)
    holder.wait(timeout=10)
    assert took < 0.5, f"closing took {took:.1f} s"
