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

KILLS = 20


def run_and_kill(project, ledger: Ledger, rng: random.Random, seed: int,
                 *args: str) -> tuple[int, bool, str]:
    """Start the driver on `project`, let it acknowledge a few edits, then kill -9 it at a
    random moment (between edits or in the middle of one). Returns (edits acknowledged in
    this run, whether one was on its way, stderr)."""
    proc = start_driver(project, "--seed", str(seed), "--interval", "4", *args)
    wanted = rng.randint(1, 8)
    # Half the kills come at any moment; half just after the driver said it is about to
    # press a key that writes, so that they land before, inside or just after a commit.
    at_a_write = rng.random() < 0.5
    acked = ledger.acked
    while True:
        line = proc.stdout.readline()
        if not line:
            break  # the driver ended by itself: finish() reports how
        ledger.feed(line)
        if ledger.acked - acked >= wanted and (not at_a_write or line.startswith("try")):
            break
    time.sleep(rng.uniform(0, 0.002 if at_a_write else 0.012))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    stderr = finish(proc, ledger)
    assert proc.returncode == -signal.SIGKILL, f"the driver ended by itself: {stderr[-2000:]}"
    return ledger.acked - acked, ledger.pending is not None, stderr


def test_every_acknowledged_edit_survives_kill_9_at_20_random_moments(project):
    rng = random.Random(20)
    ledger = Ledger.from_file(project)
    in_flight = 0
    for kill in range(KILLS):
        acked, pending, _ = run_and_kill(project, ledger, rng, seed=kill)
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
    for kill in range(3):
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
