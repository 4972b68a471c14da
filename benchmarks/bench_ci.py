"""Benchmark: how long each step of CI takes, on a clean clone as CI runs it.

    python benchmarks/bench_ci.py [REPO] [--keep]       # REPO: default this tree's repository

Clones REPO's checked-out branch into a temporary folder, runs `bash .ci/run` there with
CI=true (no PYTHONPATH, no XDG_CONFIG_HOME: as CI's machine has them) and times each step by
the lines the steps print. Prints the machine's load before and after, which makes the figures
comparable: on a busy machine every step stretches. CI's limit is 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A step ends at the first line starting with its marker, after the previous step's end.
STEPS = (
    ("set-up (venv, pip/uv install)", "setup: done"),
    ("checks (system packages, ruff, mypy, lint-imports)", "Contracts:"),
    ("wheel smoke test", "wheel-smoke-test: passed"),
    ("set-up again (README's test command)", "setup: done"),
    ("pytest", None),  # to the end
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--keep", action="store_true", help="keep the clone and its log")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="annotator-ci-"))
    clone = work / "repo"
    subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XDG_CONFIG_HOME")}
    env["CI"] = "true"
    print(f"cpus {os.cpu_count()}, load before {os.getloadavg()}", flush=True)
    began = time.monotonic()
    lines: list[tuple[float, str]] = []
    with subprocess.Popen(["bash", ".ci/run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL) as run:
        assert run.stdout is not None
        for line in run.stdout:
            lines.append((time.monotonic() - began, line.rstrip("\n")))
    total = time.monotonic() - began
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # every process of the run, reaped
    (work / "ci.log").write_text("".join(f"{t:8.1f} {text}\n" for t, text in lines))
    print(f"exit {run.returncode}, load after {os.getloadavg()}")
    start, at = 0.0, 0
    for name, marker in STEPS:
        end = total
        if marker is not None:
            found = next((i for i in range(at, len(lines)) if lines[i][1].startswith(marker)), None)
            if found is None:
                print(f"{name:<52} (its line {marker!r} never came)")
                break
            end, at = lines[found][0], found + 1
        print(f"{name:<52} {end - start:7.1f} s")
        start = end
    print(f"{'whole run':<52} {total:7.1f} s  ({total / 60:.1f} min; CI's limit: 10 min)")
    # CPU time stretches less than wall time on a busy machine: compare runs by both.
    print(f"{'CPU time of the whole run (user + sys)':<52} {used.ru_utime + used.ru_stime:7.1f} s"
          f"  (user {used.ru_utime:.1f}, sys {used.ru_stime:.1f})")
    print(lines[-1][1] if lines else "(no output)")
    if args.keep:
        print(f"log: {work / 'ci.log'}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
