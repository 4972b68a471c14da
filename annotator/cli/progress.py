"""Progress and cancel for the long commands (import, export, suggest): one helper they share.

A bar on stderr when stderr is a terminal (tqdm, MPL-2.0/MIT, which spaCy installs anyway);
nothing at all when it is not, so a script's or a pipe's output stays as it was.

Ctrl+C: the first press asks the job to stop at its next safe point (the progress callback
answers False, as the window's Cancel button does), where the import rolls back the file it was
reading and an export writes nothing; the command then says what was kept. A second press
interrupts at once (KeyboardInterrupt); an import still removes the file it was reading (its
articles are invisible until the file is complete), an export its partial file.
"""

from __future__ import annotations

import shutil
import signal
import sys
import threading
from typing import Any, TextIO

CANCELLED_EXIT = 130  # what a shell reports for a command ended by Ctrl+C


class CommandProgress:
    """A Progress callback ((done, total) -> keep going?) for one command; use it as a
    context manager around the work, which installs the Ctrl+C handling."""

    def __init__(self, what: str, stream: TextIO | None = None, unit: str = "article"):
        self.what, self.unit = what, unit
        self.stream = stream if stream is not None else sys.stderr
        self.shown = _is_terminal(self.stream)
        self.cancelled = False
        self._bar: Any = None
        self._previous: Any = None

    def __call__(self, done: int, total: int) -> bool:
        if self.shown:
            self._draw(done, total)
        return not self.cancelled

    def _draw(self, done: int, total: int) -> None:
        known = total if total >= done and total > 1 else None  # 1: "one file, size unknown"
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=known,
                desc=self.what,
                unit=self.unit,
                file=self.stream,
                leave=False,
                # A terminal that reports no width (some pseudo-terminals) gets 80 columns.
                ncols=None if shutil.get_terminal_size((0, 0)).columns else 80,
                dynamic_ncols=True,
                mininterval=0.2,
            )
        elif known is not None and self._bar.total != known:
            self._bar.total = known
        self._bar.update(done - self._bar.n)

    def __enter__(self) -> CommandProgress:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _on_interrupt(self, signum, frame) -> None:
        if self.cancelled:  # the second press: stop now
            raise KeyboardInterrupt
        self.cancelled = True
        print(
            f"\nannotator: cancelling {self.what} (Ctrl+C again to stop at once)",
            file=sys.stderr,
            flush=True,
        )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced
        return False
