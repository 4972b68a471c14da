"""A scripted person in the real window: a seeded random mix of edits through the widgets' own
key and mouse handling, one every --interval ms, on a project file.

    python -m tests.reliability.driver PROJECT.db [--seed N] [--interval MS] [--seconds S]
                                              [--until-stdin-closes]

It prints one line per edit to stdout, flushed, and only once the window has committed it
(the controller's `saved` signal; for undo and redo, the stack has moved and write_failed is
False), so a line on stdout is an acknowledged edit whatever happens to the process next:

    try <op> | {what it is about to do}          before the key that makes the edit
    ack <op> <words> | {"do": ..., "undo": ..., "ms": latency}
    fail <op> <why> | {...}                      the window said it could not save
    refused <op> <why>                           the window refused (a message, no write)
    end | {summary: edits, failures, latency percentiles, event-loop stalls}

`do` and `undo` are what must be in SQLite after the edit and after its undo: a list of
[span_id, [article_id, start, end, label, state] or null]; `status` pairs are
[article_id, [allowed statuses]]. tests/reliability/ledger.py turns the lines into the state
the file must hold. Latency runs from the key event to the commit; a 10 ms heartbeat timer
records how long the event loop went without turning (stalls).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSocketNotifier, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from annotator.core import edits as core_edits  # noqa: E402
from annotator.core.errors import AnnotatorError  # noqa: E402
from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SUGGESTED  # noqa: E402
from tests.reliability.ledger import percentile  # noqa: E402

WORD = re.compile(r"\b[A-Za-z][A-Za-z]{2,}\b")
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
# The mix of a person's work: mostly labelling, then review, fixes, undo.
WEIGHTS = {
    "add": 30,
    "relabel": 10,
    "delete": 8,
    "accept": 12,
    "reject": 8,
    "done": 3,
    "undo": 12,
    "redo": 6,
    "switch": 4,
}
ACK_TIMEOUT = 30.0  # a write that waits for a lock may take long; a stuck one is a failure


def row(span) -> list:
    return [span.article_id, span.start, span.end, span.label, span.state]


def effects(edit) -> tuple[list, list, list, list]:
    """What must be in SQLite once `edit` is applied, and once it is reverted: span rows, and
    the statuses the article may have (start_work moves new to in progress; its undo puts
    back "new" only when the article holds nothing, so either is right then)."""
    do, undo, status_do, status_undo = [], [], [], []
    if isinstance(edit, core_edits.AddSpan):
        do.append([edit.span.id, row(edit.span)])
        undo.append([edit.span.id, None])
        if edit.started:
            status_do.append([edit.article_id, [IN_PROGRESS]])
            status_undo.append([edit.article_id, [NEW, IN_PROGRESS]])
    elif isinstance(edit, core_edits.Decide):
        s = edit.span
        start, end = edit.bounds or (s.start, s.end)
        do.append([s.id, [s.article_id, start, end, edit.label or s.label, edit.state]])
        undo.append([s.id, row(s)])
        if edit.started:
            status_do.append([edit.article_id, [IN_PROGRESS]])
            status_undo.append([edit.article_id, [NEW, IN_PROGRESS]])
    elif isinstance(edit, core_edits.RelabelSpan):
        s = edit.span
        do.append([s.id, [s.article_id, s.start, s.end, edit.label, s.state]])
        undo.append([s.id, row(s)])
    elif isinstance(edit, core_edits.Remove):
        for s in edit.removal.spans if edit.removal else ():
            do.append([s.id, None])
            undo.append([s.id, row(s)])
    elif isinstance(edit, core_edits.SetStatus):
        status_do.append([edit.article_id, [edit.status]])
        status_undo.append([edit.article_id, [edit._old or NEW]])
    elif isinstance(edit, core_edits.AddEvent):
        if edit.trigger is not None:
            do.append([edit.trigger.id, row(edit.trigger)])
            undo.append([edit.trigger.id, None])
        if edit.started:
            status_do.append([edit.article_id, [IN_PROGRESS]])
            status_undo.append([edit.article_id, [NEW, IN_PROGRESS]])
    elif isinstance(edit, core_edits.Batch):
        for part in edit.edits:
            d, u, sd, su = effects(part)
            do += d
            undo = u + undo
            status_do += sd
            status_undo = su + status_undo
    return do, undo, status_do, status_undo


class Driver:
    def __init__(self, window, seed: int, out=sys.stdout):
        self.window = window
        self.view = window.view
        self.controller = window.controller
        self.stack = self.controller.undo_stack
        self.rng = random.Random(seed)
        self.out = out
        self.saved = 0
        self.failures: list[str] = []
        self.boxes: list[str] = []
        self.latencies: list[float] = []
        self.refusals = 0
        self.failed_edits = 0  # edits (and undos, redos) the window said it could not save
        self.counts: dict[str, int] = {}
        self.controller.saved.connect(self._on_saved)
        self.controller.failed.connect(self.failures.append)
        self.messages: list[str] = []
        self.controller.message.connect(self.messages.append)
        self.labels = [label for label in window.store.schema.entities if label.key]
        # The heartbeat: a 10 ms timer; a gap between two ticks is how long the event loop
        # could not turn (what a person sees as a frozen window).
        self.gaps: list[float] = []
        self._last_tick = time.perf_counter()
        self.heartbeat = QTimer(window)
        self.heartbeat.setInterval(10)
        self.heartbeat.timeout.connect(self._tick)
        self.doing = "start"
        self.stalls: list[tuple[float, str, float]] = []
        self.t0 = time.perf_counter()
        self.stopped = False  # told to stop before --seconds (--until-stdin-closes)

    # -- plumbing ------------------------------------------------------------------------------

    def _on_saved(self, *_args) -> None:
        self.saved += 1

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last_tick
        self.gaps.append(gap)
        self._last_tick = now
        if gap > 0.1:  # what the window was doing when it froze, for the summary
            self.stalls.append((round(gap * 1000, 1), self.doing, round(now - self.t0, 2)))

    def say(self, kind: str, words: str, data: dict | None = None) -> None:
        line = f"{kind} {words}"
        if data is not None:
            line += " | " + json.dumps(data, separators=(",", ":"))
        self.out.write(line + "\n")
        self.out.flush()

    def pause(self, ms: float) -> None:
        """Let the event loop run for `ms` (timers, repaints, queued signals)."""
        loop = QEventLoop()
        QTimer.singleShot(max(0, int(ms)), loop.quit)
        loop.exec()

    def wait_for(self, done, timeout: float = ACK_TIMEOUT) -> bool:
        end = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > end:
                return False
            self.pause(1)
        return True

    def key(self, target, key, modifiers=NONE) -> None:
        QTest.keyClick(target, key, modifiers)

    # -- what a person does ------------------------------------------------------------------

    def run(self, seconds: float, interval_ms: float, first: str | None = None) -> dict:
        self.heartbeat.start()
        self._last_tick = self.t0 = started = time.perf_counter()
        next_at = started
        ops, weights = list(WEIGHTS), list(WEIGHTS.values())
        if first:
            self.step(first)
        while time.perf_counter() - started < seconds and not self.stopped:
            op = self.rng.choices(ops, weights)[0]
            self.step(op)
            next_at += interval_ms / 1000
            self.pause((next_at - time.perf_counter()) * 1000)
        self.heartbeat.stop()
        return self.summary(time.perf_counter() - started)

    def step(self, op: str) -> None:
        self.counts[op] = self.counts.get(op, 0) + 1
        self.doing = op
        getattr(self, f"do_{op}")()  # `doing` stays: a stall is seen by the tick after it

    def summary(self, elapsed: float) -> dict:
        gaps_ms = [g * 1000 for g in self.gaps]
        lat_ms = self.latencies
        return {
            "seconds": round(elapsed, 2),
            "edits": len(lat_ms),
            "failed": self.failed_edits,
            "refused": self.refusals,
            "ops": self.counts,
            "p50_ms": round(percentile(lat_ms, 0.5), 2),
            "p99_ms": round(percentile(lat_ms, 0.99), 2),
            "max_ms": round(max(lat_ms, default=0.0), 2),
            "max_stall_ms": round(max(gaps_ms, default=0.0), 2),
            "stalls_over_100ms": sum(1 for g in gaps_ms if g > 100),
            # The worst stalls: [ms, what the driver was doing, seconds into the run].
            "worst_stalls": sorted(self.stalls, reverse=True)[:5],
        }

    def _article(self):
        return self.window.session.article

    def _select_word(self) -> tuple[int, int] | None:
        """Double-click a random word of the open article, as a person would."""
        article = self._article()
        if article is None:
            return None
        words = [m for m in WORD.finditer(article.text)]
        if not words:
            return None
        word = self.rng.choice(words)
        offset = word.start() + 1
        self.view.ensure_visible(offset)
        QTest.mouseDClick(self.view.viewport(), Qt.MouseButton.LeftButton, NONE,
                          self.view.point_for_offset(offset))
        return self.view.selection()

    def _click_span(self, spans) -> object | None:
        """Click the middle of a random span; returns the span the view then has selected."""
        if not spans:
            return None
        span = self.rng.choice(spans)
        offset = (span.start + span.end) // 2
        self.view.ensure_visible(offset)
        self.view.clear_selection()
        QTest.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, NONE,
                         self.view.point_for_offset(offset))
        return self.view.selected_span()

    def _edit_by_key(self, op: str, target, key, modifiers=NONE, about: dict | None = None):
        """Press the key that makes an edit and wait until the window has committed it."""
        saved, failed, boxes = self.saved, len(self.failures), len(self.boxes)
        messages = len(self.messages)
        stack = (self.stack.count(), self.stack.index())
        self.say("try", op, about or {})
        t0 = time.perf_counter()
        self.key(target, key, modifiers)
        # A refusal is said at once (a status message, nothing pushed, nothing saved);
        # anything else is a write on its way, however long it has to wait for the lock (a
        # window that says "waiting…" meanwhile has pushed the step, so it is waited for).
        self.wait_for(lambda: self.saved > saved or len(self.failures) > failed
                      or len(self.boxes) > boxes
                      or (len(self.messages) > messages
                          and (self.stack.count(), self.stack.index()) == stack))
        ms = (time.perf_counter() - t0) * 1000
        if len(self.failures) > failed or len(self.boxes) > boxes:
            why = (self.failures[failed:] + self.boxes[boxes:])[0]
            self.failed_edits += 1
            self.say("fail", f"{op} {why}", {"ms": round(ms, 2)})
            return
        if self.saved == saved and len(self.messages) == messages:
            self.failed_edits += 1
            self.say("fail", f"{op} no answer in {ACK_TIMEOUT:.0f} s", {"ms": round(ms, 2)})
            self.failures.append(f"{op}: no answer")
            return
        if self.saved == saved:
            self.refusals += 1
            self.say("refused", f"{op} {self.messages[-1]!r}")
            return
        edit = self.controller.last_edit
        if edit is None:  # saved, but which edit? the ledger could not follow: say so
            self.failed_edits += 1
            self.say("fail", f"{op} saved without an edit to describe", {"ms": round(ms, 2)})
            self.failures.append(f"{op}: saved without an edit")
            return
        do, undo, sdo, sundo = effects(edit)
        self.latencies.append(ms)
        self.say("ack", f"{op} {edit.description} article {edit.article_id}",
                 {"do": do, "undo": undo, "sdo": sdo, "sundo": sundo, "ms": round(ms, 2),
                  "edit": edit.description})

    def do_add(self) -> None:
        selection = self._select_word()
        if selection is None:
            return
        label = self.rng.choice(self.labels)
        article = self._article()
        self._edit_by_key("add", self.view, label.key, about={
            "article": article.id, "start": selection[0], "end": selection[1],
            "label": label.name})

    def do_relabel(self) -> None:
        span = self._click_span(self.window.session.spans)
        if span is None or span.state != ACCEPTED:
            return
        label = self.rng.choice([lab for lab in self.labels if lab.name != span.label])
        self._edit_by_key("relabel", self.view, label.key,
                          about={"span": span.id, "label": label.name})

    def do_delete(self) -> None:
        span = self._click_span(self.window.session.spans)
        if span is None or span.state != ACCEPTED:
            return
        self._edit_by_key("delete", self.view, Qt.Key.Key_Delete, about={"span": span.id})

    def _next_suggestion(self):
        self.key(self.view, Qt.Key.Key_Space)
        span = self.view.selected_span()
        return span if span is not None and span.state == SUGGESTED else None

    def do_accept(self) -> None:
        span = self._next_suggestion()
        if span is not None:
            self._edit_by_key("accept", self.view, "a", about={"span": span.id})

    def do_reject(self) -> None:
        span = self._next_suggestion()
        if span is not None:
            self._edit_by_key("reject", self.view, "x", about={"span": span.id})

    def do_done(self) -> None:
        article = self._article()
        if article is None or article.status == "done":
            return
        self._edit_by_key("done", self.window, Qt.Key.Key_Return, CTRL,
                          about={"article": article.id})

    def do_undo(self) -> None:
        self._step("undo", Qt.Key.Key_Z, CTRL, -1)

    def do_redo(self) -> None:
        self._step("redo", Qt.Key.Key_Z, CTRL | SHIFT, +1)

    def _step(self, op: str, key, modifiers, direction: int) -> None:
        stack = self.stack
        if not (stack.canUndo() if direction < 0 else stack.canRedo()):
            return
        before = stack.index()
        at = before - 1 if direction < 0 else before
        command = stack.command(at)
        failed, boxes = len(self.failures), len(self.boxes)
        self.say("try", op, {"edit": command.text()})
        t0 = time.perf_counter()
        self.key(self.window, key, modifiers)
        self.wait_for(lambda: stack.index() == before + direction or len(self.failures) > failed
                      or len(self.boxes) > boxes)
        ms = (time.perf_counter() - t0) * 1000
        if stack.index() != before + direction or self.controller.write_failed:
            why = (self.failures[failed:] + self.boxes[boxes:] + ["the stack did not move"])[0]
            self.failed_edits += 1
            self.say("fail", f"{op} {why}", {"ms": round(ms, 2)})
            return
        self.latencies.append(ms)
        self.say("ack", f"{op} {command.text()}", {"ms": round(ms, 2), "edit": command.text()})

    def do_switch(self) -> None:
        forward = self.rng.random() < 0.7
        self.key(self.window, Qt.Key.Key_Down if forward else Qt.Key.Key_Up, ALT)
        self.view.setFocus()


def record_boxes(boxes: list[str]) -> None:
    """A message box offscreen would wait forever for a click: record what it said instead
    (a box is what the person would have seen: a failure, unless it is a question)."""

    def box(kind):
        def show(parent, title, text, *args, **kwargs):
            boxes.append(f"{kind} box: {title}: {text}")
            return QMessageBox.StandardButton.No
        return show

    for kind in ("information", "warning", "critical", "question"):
        setattr(QMessageBox, kind, staticmethod(box(kind)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--interval", type=float, default=50, help="ms between edits")
    parser.add_argument("--seconds", type=float, default=3600)
    parser.add_argument("--first", choices=sorted(WEIGHTS), help="the first thing to do")
    parser.add_argument("--until-stdin-closes", action="store_true",
                        help="stop (and say end) once stdin closes, --seconds at the latest")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    from annotator.qt.main_window import MainWindow
    from annotator.store import open_project

    boxes: list[str] = []
    record_boxes(boxes)  # from the start: a window may say something as it opens
    try:
        store = open_project(args.project)
        window = MainWindow(store)
    except AnnotatorError as error:  # refused to open: what the person is told
        print(f"unopened {error} | " + json.dumps({"said": boxes}), flush=True)
        return 3
    window.resize(1300, 800)
    window.show()
    window.activateWindow()
    window.view.setFocus()
    app.processEvents()
    driver = Driver(window, args.seed)
    driver.boxes = boxes
    # A first double-click loads the tokenizer (token snapping): start-up, not editing.
    driver._select_word()
    window.view.clear_selection()
    stack = driver.stack
    if args.until_stdin_closes:  # the notifier fires in the pauses between edits
        notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, window)
        notifier.activated.connect(lambda *_: (setattr(driver, "stopped", True),
                                               notifier.setEnabled(False)))
    driver.say("start", f"pid {os.getpid()}", {"undo_count": stack.count(),
                                               "undo_index": stack.index()})
    summary = driver.run(args.seconds, args.interval, args.first)
    # Everything the person was told, for the tests that check how (read-only, disk full).
    summary["said"] = sorted(set(boxes + driver.failures + driver.messages
                                 + [window.windowTitle(), window.status.currentMessage()]))
    driver.say("end", "", summary)
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
