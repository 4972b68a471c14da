"""The "fields not read" lines of an import report come in the order the fields were first met
in the file, whatever the interpreter's hash seed: the same file imported twice reports the
same lines in the same order, on a thread (a small file) and in a reading process (a big one,
formats/reader_process.py). Driven through `annotator import` in fresh interpreters, each with
its own PYTHONHASHSEED, since a set's order of strings changes with it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"

# A reading process only for the big files: PROCESS_FROM lowered (or raised) in the importing
# interpreter itself, which reports how it started the process it used, if any.
SCRIPT = """\
import sys, annotator.formats.reader_process as r
r.PROCESS_FROM = {process_from}
chosen = r._context
r._context = lambda: print('start method', chosen()._name, file=sys.stderr) or chosen()
from annotator.cli import main
sys.exit(main(['import', sys.argv[1], sys.argv[2]]))
"""

# Keys the Prodigy JSONL reader does not read: several in one record (where a set of them had
# the seed's order) and, in later records, one more met for the first time.
RECORDS = [
    {"text": "Kyiv said so on Monday.", "zeta": 1, "alpha": 2, "mid": 3,
     "spans": [{"start": 0, "end": 4, "label": "GPE", "confidence": 0.9, "by": "ann"}],
     "omega": 4},
    {"text": "Berlin said so too.", "beta": 5, "alpha": 6,
     "spans": [{"start": 0, "end": 6, "label": "GPE", "weight": 1, "confidence": 0.5}]},
    {"text": "Nothing else was said.", "zeta": 7, "gamma": 8},
]

FIRST_MET = [  # record by record: its own keys as it writes them, then its spans' keys
    "field 'zeta' not read in 2 records",
    "field 'alpha' not read in 2 records",
    "field 'mid' not read in 1 record",
    "field 'omega' not read in 1 record",
    "span field 'confidence' not read in 2 spans",
    "span field 'by' not read in 1 span",
    "field 'beta' not read in 1 record",
    "span field 'weight' not read in 1 span",
    "field 'gamma' not read in 1 record",
]


def import_with_seed(tmp_path, source, seed: str, process: bool) -> tuple[list[str], str]:
    """The report's "not read" lines of `annotator import` run with PYTHONHASHSEED=seed, and
    the interpreter's stderr."""
    script = SCRIPT.format(process_from=0 if process else 1 << 40)
    db = tmp_path / f"{seed}-{'process' if process else 'thread'}.db"
    done = subprocess.run(
        [sys.executable, "-c", script, str(db), str(source)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.strip() for line in done.stdout.splitlines() if " not read in " in line]
    assert f"Fields not read (no place for them here): {len(lines)}" in done.stdout, done.stdout
    return lines, done.stderr


@pytest.mark.parametrize("process", [False, True], ids=["thread", "process"])
def test_fields_not_read_are_reported_in_the_order_first_met_whatever_the_hash_seed(
    tmp_path, process
):
    source = tmp_path / "extra.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in RECORDS))
    reports = {}
    for seed in ("1", "2"):
        lines, stderr = import_with_seed(tmp_path, source, seed, process)
        assert ("start method" in stderr) == process, stderr  # the path this case is about
        reports[seed] = lines
    assert reports["1"] == reports["2"]
    assert reports["1"] == [f"{source}: {line}" for line in FIRST_MET]


def test_a_spacy_files_token_columns_not_read_come_in_the_files_order(tmp_path):
    """spaCy's own example (v2 JSON): each token writes "head", "dep", "tag" before the
    columns the reader reads; a sentence's level is looked at before its tokens'."""
    source = DATA / "spacy" / "training-data.json"
    reports = [import_with_seed(tmp_path, source, seed, False)[0] for seed in ("3", "4")]
    assert reports[0] == reports[1] == [
        f"{source}: sentence field 'brackets' not read in 2 sentences",
        f"{source}: token field 'head' not read in 54 tokens",
        f"{source}: token field 'dep' not read in 54 tokens",
        f"{source}: token field 'tag' not read in 54 tokens",
    ]
