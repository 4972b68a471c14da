"""What an import of articles with events costs, now that span ids follow the file.

    python benchmarks/bench_import_events.py [--articles 5000] [--every 2] [--runs 3]

Every span of a batch goes in a few statements of many rows, in the file's order; a batch
with events gives its spans their ids itself, so that its events can point at them
(store/imports.py). Before, the spans of an article with events went in one INSERT each
(their ids were needed), after the batch's other spans, so span ids depended on where the
clock ended a batch. This times `import_paths` of a JSONL file (our
export's shape: spans and "events") of --articles articles of about 1,200 characters with 20
spans each, one article in --every with two events of two arguments each (2: every other
one, the most runs), into a new project each run, in this process. Printed: the best and the
median of --runs, CPU time (user + system, what a shared machine's load changes least) and
wall time, the load average before and after, and the figures to compare with the code before
(run the same command on a checkout of it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.formats.importer import import_paths  # noqa: E402
from annotator.store import open_project  # noqa: E402

WORDS = "the minister said on monday that talks in the capital would resume soon after".split()
PLACES = ["Kyiv", "Berlin", "Paris", "Rome", "Madrid", "Warsaw", "Vienna", "Prague"]


def article(rng: random.Random, number: int, with_events: bool) -> dict:
    """About 1,200 characters: 20 sentences, each naming a place (a GPE span); with events,
    two attacks whose trigger is a word of the text and whose arguments are two places."""
    parts, spans, at = [], [], 0
    for _ in range(20):
        place = rng.choice(PLACES)
        sentence = f"{place} " + " ".join(rng.choices(WORDS, k=8)) + " strike. "
        spans.append({"start": at, "end": at + len(place), "label": "GPE"})
        parts.append(sentence)
        at += len(sentence)
    text = "".join(parts)
    record = {"id": f"a-{number}", "text": text, "spans": spans}
    if with_events:
        events, starts = [], [i for i in range(len(text)) if text.startswith("strike", i)]
        for n, start in enumerate(starts[:2]):
            args = [spans[2 * n], spans[2 * n + 1]]
            events.append(
                {
                    "id": n + 1,
                    "type": "Conflict.Attack",
                    "trigger": {"start": start, "end": start + 6},
                    "arguments": [
                        {"role": role, **arg}
                        for role, arg in zip(("Attacker", "Place"), args, strict=True)
                    ],
                }
            )
        record["events"] = events
        record["spans"] = spans + [
            {
                "start": e["trigger"]["start"],
                "end": e["trigger"]["end"],
                "label": "Conflict.Attack",
                "kind": "trigger",
            }
            for e in events
        ]
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--every", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "events.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for number in range(args.articles):
                record = article(rng, number, number % args.every == 0)
                handle.write(json.dumps(record) + "\n")
        load_before = os.getloadavg()
        cpu, wall = [], []
        for run in range(args.runs):
            store = open_project(Path(folder) / f"run-{run}.db")
            start_cpu, start = time.process_time(), time.perf_counter()
            report = import_paths(store, [source])
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
            store.close()
            assert report.ok and report.events, report.summary()
        load_after = os.getloadavg()
    print(
        f"import of {args.articles:,} articles (20 spans each; events on one in {args.every}),"
        f" {args.runs} runs"
    )
    print(f"  {report.summary().splitlines()[1]}")
    print(f"  CPU  best {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s")
    print(f"  wall best {min(wall):.3f} s, median {statistics.median(wall):.3f} s")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")


if __name__ == "__main__":
    main()
