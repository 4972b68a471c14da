"""Shared by the reliability tests: a project to edit and the driver as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.reliability.ledger import Ledger
from tests.reliability.projects import ROOT, make_project


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "project.db"
    make_project(path)
    return path


def start_driver(project: Path, *args: str, watchdog: float = 120) -> subprocess.Popen:
    """The driver (tests/reliability/driver.py) in a process of its own, its stdout a pipe
    read line by line; killed by a watchdog if it hangs, so a stuck run fails, not hangs."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.driver", str(project), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT, env=env)
    timer = threading.Timer(watchdog, proc.kill)
    timer.daemon = True
    timer.start()
    proc.watchdog = timer  # type: ignore[attr-defined]
    return proc


def finish(proc: subprocess.Popen, ledger: Ledger) -> str:
    """Read what is left of the driver's stdout into the ledger; returns its stderr."""
    for line in proc.stdout:
        ledger.feed(line)
    proc.wait()
    proc.watchdog.cancel()  # type: ignore[attr-defined]
    return proc.stderr.read()
