"""What the project file must hold, worked out from the driver's acknowledged lines alone.

The ledger starts from the file as the test built it, then replays every `ack` line the
driver printed: an edit's `do` effects, an undo's (the ledger keeps its own model of the undo
stack, so an undo's effect is known without asking the window), a redo's. The one edit that
was on its way when the process was killed (a `try` with no answer) may or may not have
landed: for what it touches, either state is right, and what the file shows is then adopted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

PUSH_OPS = {"add", "relabel", "delete", "accept", "reject", "done", "event", "status"}


@dataclass
class Entry:
    edit: str
    do: list
    undo: list
    sdo: list
    sundo: list


@dataclass
class Ledger:
    spans: dict[int, list | None]
    status: dict[int, set[str]]
    stack: list[Entry] = field(default_factory=list)
    index: int = 0
    pending: tuple[str, dict] | None = None
    acked: int = 0
    failures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    history_problems: list[str] = field(default_factory=list)
    starts: list[dict] = field(default_factory=list)
    last_acked: str | None = None
    summary: dict | None = None

    @classmethod
    def from_file(cls, path: Path) -> Ledger:
        conn = sqlite3.connect(path)
        try:
            spans = {r[0]: list(r[1:]) for r in conn.execute(
                "SELECT id, article_id, start, end, label, state FROM spans")}
            status = {r[0]: {r[1]} for r in conn.execute("SELECT id, status FROM articles")}
        finally:
            conn.close()
        return cls(spans, status)

    # -- replaying the driver's lines ----------------------------------------------------------

    def feed(self, line: str) -> None:
        head, _, payload = line.rstrip("\n").partition(" | ")
        kind, _, words = head.partition(" ")
        op = words.split(" ", 1)[0]
        data = json.loads(payload) if payload else {}
        if kind == "start":
            self.starts.append(data)
            if data.get("undo_count", 0) == 0:  # no history came back: a fresh stack
                self.stack, self.index = [], 0
            elif (data["undo_count"], data["undo_index"]) != (len(self.stack), self.index):
                # Kept apart from the file's problems: a history kept to a bounded length is
                # a choice, not lost data; test_kill's undo-history test asserts on it.
                self.history_problems.append(
                    f"the undo history came back as {data['undo_count']} steps at "
                    f"{data['undo_index']}, acknowledged: {len(self.stack)} at {self.index}")
        elif kind == "try":
            self.pending = (op, data)
        elif kind == "ack":
            self.pending = None
            self.acked += 1
            self.last_acked = data.get("edit")
            if op == "undo":
                self.index -= 1
                entry = self.stack[self.index]
                self._expect_same(entry, data, "undo")
                self._apply(entry.undo, entry.sundo)
            elif op == "redo":
                entry = self.stack[self.index]
                self._expect_same(entry, data, "redo")
                self.index += 1
                self._apply(entry.do, entry.sdo)
            else:
                entry = Entry(data["edit"], data["do"], data["undo"], data["sdo"], data["sundo"])
                self._push(entry)
        elif kind in ("fail", "refused"):
            self.pending = None
            if kind == "fail":
                self.failures.append(words)
        elif kind == "end":
            self.summary = data

    def _push(self, entry: Entry) -> None:
        del self.stack[self.index:]
        self.stack.append(entry)
        self.index += 1
        self._apply(entry.do, entry.sdo)

    def _expect_same(self, entry: Entry, data: dict, what: str) -> None:
        if entry.edit != data.get("edit") and not entry.edit.startswith("(unacknowledged)"):
            self.problems.append(
                f"{what} acknowledged {data.get('edit')!r}, the acknowledged stack has "
                f"{entry.edit!r} there")

    def _apply(self, spans: list, statuses: list) -> None:
        for span_id, row in spans:
            self.spans[span_id] = row
        for article_id, allowed in statuses:
            self.status[article_id] = set(allowed)

    # -- what the edit on its way may have done --------------------------------------------------

    def _alternatives(self) -> tuple[dict[int, list | None], dict[int, set[str]], dict | None]:
        """Span rows and statuses the pending edit would leave, and the new span it may add."""
        if self.pending is None:
            return {}, {}, None
        op, data = self.pending
        spans: dict[int, list | None] = {}
        status: dict[int, set[str]] = {}
        new = None
        current = self.spans.get(data.get("span", -1))
        if op == "add":
            new = data
            status[data["article"]] = {"in_progress"}
            # Labelling the very text of a suggestion accepts it (relabelled) instead.
            for span_id, was in self.spans.items():
                if was and was[0] == data["article"] and was[4] == "suggested" \
                        and was[1] < data["end"] and data["start"] < was[2]:
                    spans[span_id] = was[:3] + [data["label"], "accepted"]
        elif op == "relabel" and current:
            spans[data["span"]] = current[:3] + [data["label"], current[4]]
        elif op == "delete":
            spans[data["span"]] = None
        elif op in ("accept", "reject") and current:
            spans[data["span"]] = current[:4] + ["accepted" if op == "accept" else "rejected"]
            status[current[0]] = {"in_progress"}
        elif op == "done":
            status[data["article"]] = {"done"}
        elif op == "undo" and self.index > 0:
            entry = self.stack[self.index - 1]
            spans.update({i: r for i, r in entry.undo})
            status.update({a: set(s) for a, s in entry.sundo})
        elif op == "redo" and self.index < len(self.stack):
            entry = self.stack[self.index]
            spans.update({i: r for i, r in entry.do})
            status.update({a: set(s) for a, s in entry.sdo})
        return spans, status, new

    # -- the check ---------------------------------------------------------------------------------

    def check(self, path: Path, jobs: bool = False) -> list[str]:
        """Problems found in the file (empty: every acknowledged edit is there and nothing
        else changed). With `jobs`, background jobs (import, suggestions) also wrote: spans a
        job made (origin not "manual") may be there, and open suggestions may have been
        replaced by a suggestion run."""
        problems = list(self.problems)
        conn = sqlite3.connect(path)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            if ok != [("ok",)]:
                problems.append(f"integrity_check: {ok[:5]}")
            on_disk = {r[0]: (list(r[1:6]), r[6]) for r in conn.execute(
                "SELECT id, article_id, start, end, label, state, origin FROM spans")}
            statuses = dict(conn.execute("SELECT id, status FROM articles").fetchall())
            miscounted = conn.execute(
                "SELECT id, n_spans, (SELECT count(*) FROM spans s WHERE s.article_id = a.id "
                "AND s.state = 'accepted') FROM articles a WHERE n_spans != (SELECT count(*) "
                "FROM spans s WHERE s.article_id = a.id AND s.state = 'accepted')").fetchall()
        finally:
            conn.close()
        if miscounted:
            problems.append(f"articles whose span counter disagrees (id, counter, spans): "
                            f"{miscounted[:5]}")
        alt_spans, alt_status, new = self._alternatives()
        landed: dict[int, list | None] = {}
        for span_id, expected in self.spans.items():
            got, origin = on_disk.get(span_id, (None, None))
            if jobs and expected is None and origin not in (None, "manual"):
                continue  # a job's new span took an id an undo had freed (ids are reused)
            allowed = [expected]
            if span_id in alt_spans:
                allowed.append(alt_spans[span_id])
            if jobs and expected is not None and expected[4] == "suggested":
                allowed.append(None)  # a suggestion run replaces the open suggestions
            if got is not None and expected is None and _is_new(got, new):
                landed[span_id] = got  # the pending add, given an id used before and freed
                new = None
                continue
            if got not in allowed:
                problems.append(f"span {span_id}: acknowledged {expected}, file has {got}")
            elif span_id in alt_spans:
                landed[span_id] = got
        unknown = {i: v for i, v in on_disk.items() if i not in self.spans}
        for span_id, (got, origin) in unknown.items():
            if jobs and origin != "manual":
                continue
            if _is_new(got, new):
                landed[span_id] = got
                new = None  # one edit adds one span
                continue
            problems.append(f"span {span_id} {got} is in the file but was never acknowledged")
        for article_id, allowed in self.status.items():
            got = statuses.get(article_id)
            if got not in allowed | alt_status.get(article_id, set()):
                problems.append(f"article {article_id}: acknowledged status {sorted(allowed)}, "
                                f"file has {got}")
        if not problems:
            self._settle(landed, statuses, alt_status)
        return problems

    def _settle(self, landed: dict, statuses: dict, alt_status: dict) -> None:
        """The killed process is gone: what its last edit left in the file is now the state
        the next run starts from (kept on the ledger's stack as the step it was)."""
        if self.pending is None:
            return
        op, data = self.pending
        self.pending = None
        changed = {i: r for i, r in landed.items() if self.spans.get(i) != r}
        if not changed and all(statuses.get(a) in self.status.get(a, set())
                               for a in alt_status):
            return  # it did not land
        if op == "undo":
            self.index -= 1
            self._apply(self.stack[self.index].undo, self.stack[self.index].sundo)
        elif op == "redo":
            self._apply(self.stack[self.index].do, self.stack[self.index].sdo)
            self.index += 1
        else:
            undo = [[i, self.spans.get(i)] for i in changed]
            sundo = [[a, sorted(self.status.get(a, set()))] for a in alt_status]
            sdo = [[a, [statuses[a]]] for a in alt_status]
            self._push(Entry(f"(unacknowledged) {op}", [[i, r] for i, r in changed.items()],
                             undo, sdo, sundo))


def _is_new(row: list, new: dict | None) -> bool:
    """Whether `row` may be the span the pending add made (its bounds may have been snapped
    to tokens, so only the article and the label are sure)."""
    return new is not None and row[0] == new["article"] and row[3] == new["label"] \
        and row[4] == "accepted"


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1) as benchmarks/bench.py computes it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
