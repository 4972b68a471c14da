"""Training a spaCy NER model from the project's accepted annotations.

Exports the annotations (annotator.formats.spacy.writer), then runs `python -m spacy train`
in a child process, reading its table of epochs, losses and dev scores as it goes, so that
the caller can show progress and cancel. The best model becomes a suggestion source.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.store.project import ProjectStore

# spaCy's training table: E  #  LOSS TOK2VEC  LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE
_ROW = re.compile(
    r"^\s*(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$"
)


@dataclass
class TrainReport:
    model_path: Path | None = None
    source_name: str | None = None
    rows: list[dict] = field(default_factory=list)
    per_label: dict = field(default_factory=dict)  # label -> {"p", "r", "f"}
    cancelled: bool = False
    # From the export: articles cut into parts, or left out (too long to cut), for spaCy.
    export_notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.cancelled:
            return "Training cancelled; no model was added."
        notes = [f"  {line}" for line in self.export_notes]
        lines = [
            f"Trained {self.model_path} ({len(self.rows)} evaluation(s)); "
            f"added as suggestion source {self.source_name!r}",
            f"  {'label':<12} {'P':>6} {'R':>6} {'F':>6}",
        ]
        for label, scores in sorted(self.per_label.items()):
            lines.append(
                f"  {label:<12} {scores['p'] * 100:6.1f} {scores['r'] * 100:6.1f} "
                f"{scores['f'] * 100:6.1f}"
            )
        return "\n".join(lines + (["Export notes:", *notes] if notes else []))


def parse_row(line: str) -> dict | None:
    match = _ROW.match(line)
    if not match:
        return None
    e, step, loss_tok2vec, loss_ner, f, p, r, score = match.groups()
    return {
        "epoch": int(e),
        "step": int(step),
        "loss": float(loss_ner),
        "f": float(f),
        "p": float(p),
        "r": float(r),
        "score": float(score),
    }


def train_model(
    store: ProjectStore,
    outdir: str | Path,
    *,
    max_steps: int = 2000,
    eval_frequency: int = 100,
    dev_share: float = 0.2,
    seed: int = 0,
    name: str | None = None,
    progress: Callable[[dict], bool] | None = None,
    jobs: int | None = None,
) -> TrainReport:
    from annotator.formats.spacy.writer import export_spacy

    outdir = Path(outdir)
    corpus, model = outdir / "corpus", outdir / "model"
    # train/ and dev/ folders of shards, made on `jobs` processes; the config names the
    # folders, and for a large corpus streams them (bounded memory while training).
    exported = export_spacy(store, corpus, dev_share=dev_share, seed=seed, jobs=jobs)
    command = [
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(corpus / "config.cfg"),
        "--output",
        str(model),
        f"--training.max_steps={max_steps}",
        f"--training.eval_frequency={eval_frequency}",
        f"--system.seed={seed}",
    ]
    report = TrainReport()
    if exported.split:
        report.export_notes.append(f"cut into parts for spaCy: {'; '.join(exported.split)}")
    report.export_notes += exported.too_long
    output: list[str] = []
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in child.stdout:
        output.append(line)
        row = parse_row(line)
        if row is not None:
            report.rows.append(row)
            if progress is not None and not progress(row):
                child.terminate()
                child.wait()
                report.cancelled = True
                return report
    if child.wait() != 0:
        tail = "".join(output[-15:])
        raise AnnotatorError(f"spacy train failed (exit {child.returncode}):\n{tail}")
    best = model / "model-best"
    meta = json.loads((best / "meta.json").read_text())
    per_type = meta.get("performance", {}).get("ents_per_type", {}) or {}
    report.per_label = {label: {k: float(v) for k, v in s.items()} for label, s in per_type.items()}
    report.model_path = best
    report.source_name = name or f"trained-{time.strftime('%Y%m%d-%H%M%S')}"
    labels = sorted(per_type) or store.schema.label_names
    store.add_source(
        report.source_name, "model", str(best.resolve()), {label: label for label in labels}
    )
    return report
