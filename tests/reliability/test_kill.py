"""kill -9 of the real app while a scripted person edits: every edit the window acknowledged
is in the file, the file is sound, and the work goes on in a new process on the same file."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from tests.reliability.conftest import finish, start_driver
from tests.reliability.ledger import Ledger

# Kills alternate between the two moments a person's work can be at: between edits, and at a
# write, half of those the instant the driver says it presses the key (the write is on its
# way, so not acknowledged) and half a little later (before, inside or just after its commit).
# Twenty random moments covered no state that ten of these do not.
KILLS = 10


def run_and_kill(project, ledger: Ledger, rng: random.Random, seed: int, *args: str,
                 at_a_write: bool | None = None, at_once: bool = False) -> tuple[int, bool, str]:
    """Start the driver on `project`, let it acknowledge a few edits, then kill -9 it at a
    random moment (between edits or in the middle of one). Returns (edits acknowledged in
    this run, whether one was on its way, stderr)."""
    proc = start_driver(project, "--seed", str(seed), "--interval", "4", *args)
    wanted = rng.randint(1, 8)
    # Any moment, or just after the driver said it is about to press a key that writes, so
    # that the kill lands before, inside or just after a commit (at_once: before it).
    if at_a_write is None:
        at_a_write = rng.random() < 0.5
    acked = ledger.acked
    while True:
        line = proc.stdout.readline()
        if not line:
            break  # the driver ended by itself: finish() reports how
        ledger.feed(line)
        if ledger.acked - acked >= wanted and (not at_a_write or line.startswith("try")):
            break
    delay = rng.uniform(0, 0.002 if at_a_write else 0.012)
    if not at_once:
        time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    stderr = finish(proc, ledger)
    assert proc.returncode == -signal.SIGKILL, f"the driver ended by itself: {stderr[-2000:]}"
    return ledger.acked - acked, ledger.pending is not None, stderr


def test_every_acknowledged_edit_survives_kill_9_between_and_during_edits(project):
    rng = random.Random(20)
    ledger = Ledger.from_file(project)
    in_flight = 0
    for kill in range(KILLS):
        acked, pending, _ = run_and_kill(project, ledger, rng, seed=kill,
                                         at_a_write=kill % 2 == 0, at_once=kill % 4 == 0)
        assert acked > 0
        in_flight += pending
        problems = ledger.check(project)
        assert problems == [], f"after kill {kill + 1}: {problems}"
    assert ledger.failures == []
    # The kills must have hit edits on their way, not only the pauses between them.
    print(f"{ledger.acked} edits acknowledged over {KILLS} kills; {in_flight} kills "
          "landed while an edit was on its way")
    assert in_flight >= 4


def test_the_undo_history_survives_kill_9(project):
    """After each kill, a new window on the file can undo what the killed one did: its undo
    stack comes back as acknowledged, and Ctrl+Z first undoes the last acknowledged step."""
    rng = random.Random(5)
    ledger = Ledger.from_file(project)
    run_and_kill(project, ledger, rng, seed=100)
    # Twice: after a kill of a window that had itself brought the history back and undone.
    for kill in range(2):
        assert ledger.check(project) == []
        assert ledger.index > 0, "the seeded run left nothing to undo: pick another seed"
        proc = start_driver(project, "--seed", str(200 + kill), "--interval", "4",
                            "--first", "undo")
        start = proc.stdout.readline()
        ledger.feed(start)
        # The whole history or its latest part (a bounded log is a choice), up to the last
        # acknowledged step.
        assert ledger.starts[-1].get("undo_index", 0) > 0, \
            "the undo history did not come back after the restart"
        lines = [proc.stdout.readline(), proc.stdout.readline()]  # try undo, ack undo
        for line in lines:
            ledger.feed(line)
        os.kill(proc.pid, signal.SIGKILL)
        finish(proc, ledger)
        # The undo undid the last acknowledged step (the ledger compares the step's name)
        # and the file holds what that undo leaves.
        assert lines[1].startswith("ack undo"), lines
        assert ledger.check(project) == []
        run_and_kill(project, ledger, rng, seed=300 + kill)
