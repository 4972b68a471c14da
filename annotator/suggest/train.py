"""Training a spaCy NER model from the project's accepted annotations.

Checks first that each label has enough examples (train_check: refused, with the labels and
counts, before spaCy starts), exports the annotations (annotator.formats.spacy.writer), then
runs `python -m spacy train` in a child process, reading its table of epochs, losses and dev
scores as it goes, so that the caller can show progress and cancel. The best model becomes a
suggestion source, mapped on every label its pipeline predicts.
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
from annotator.suggest.pipelines import as_they_act, pipeline_labels
from annotator.suggest.train_check import (
    MIN_EXAMPLES,
    TrainingCounts,
    check_training,
    training_counts,
    training_layer,
)

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
    counts: TrainingCounts | None = None  # the examples per label it was given
    warnings: list[str] = field(default_factory=list)  # trained anyway, unmeasured labels
    labels: list[str] = field(default_factory=list)  # what the model predicts (its pipeline)

    def summary(self) -> str:
        if self.cancelled:
            return "Training cancelled; no model was added."
        notes = [f"  {line}" for line in self.export_notes]
        lines = [
            f"Trained {self.model_path} ({len(self.rows)} evaluation(s)); "
            f"added as suggestion source {self.source_name!r}",
            f"  {'label':<12} {'P':>6} {'R':>6} {'F':>6}",
        ]
        # Every label the model predicts, measured or not: dev scores name only the labels
        # the dev set holds, which is why a model predicting five showed one.
        for label in sorted(set(self.per_label) | set(self.labels)):
            scores = self.per_label.get(label)
            if scores is None:
                lines.append(f"  {label:<12} {'—':>6} {'—':>6} {'—':>6}  (no dev examples)")
                continue
            lines.append(
                f"  {label:<12} {scores['p'] * 100:6.1f} {scores['r'] * 100:6.1f} "
                f"{scores['f'] * 100:6.1f}"
            )
        warnings = [f"  {line}" for line in self.warnings]
        return "\n".join(
            lines
            + (["Warnings:", *warnings] if warnings else [])
            + (["Export notes:", *notes] if notes else [])
        )


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
    min_examples: int = MIN_EXAMPLES,
    anyway: bool = False,
) -> TrainReport:
    """Train on the project's accepted entities. Refused (TooFewExamples) when a label has
    fewer than `min_examples` training examples or there is no dev article, unless `anyway`."""
    from annotator.formats.spacy.writer import export_spacy

    counts = training_counts(store, dev_share=dev_share, seed=seed, min_examples=min_examples)
    warnings = check_training(counts, anyway)
    outdir = Path(outdir)
    corpus, model = outdir / "corpus", outdir / "model"
    # train/ and dev/ folders of shards, made on `jobs` processes; the config names the
    # folders, and for a large corpus streams them (bounded memory while training).
    with training_layer(store):  # the layer counted is the layer trained on
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
    report = TrainReport(counts=counts, warnings=warnings)
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
    report.labels = model_labels(best)
    store.add_source(
        report.source_name,
        "model",
        str(best.resolve()),
        as_they_act(report.labels, set(store.schema.label_names)),
    )
    return report


def model_labels(path: str | Path) -> list[str]:
    """Every label a trained pipeline predicts, read from the pipeline itself (its ner or
    spancat component). The dev scores (meta.json's ents_per_type) list only the labels the
    dev articles held: a mapping made from them left out labels the model does predict."""
    import spacy

    return pipeline_labels(spacy.load(path))
