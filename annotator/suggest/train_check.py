"""Before training: how many examples of each label the training and dev sets hold, and
whether that is enough to be worth a run.

spaCy trains on anything, even one article, and after minutes reports F 0.0 without a word of
why. The counts come from the same selection and seeded split the spaCy export makes
(formats.spacy.writer.split_ids), so they are the examples the run would see; a run below the
minimum is refused with the labels and counts named, before spaCy starts, unless the person
says "train anyway" (then the same reasons go into the report as warnings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.formats.spacy.writer import split_ids
from annotator.store.project import ProjectStore

# Per label, in the training set. Five is a floor, not a recipe: below it a model learns
# nothing measurable; the spaCy and Prodigy docs speak of hundreds for a useful one.
MIN_EXAMPLES = 5
CHUNK = 50_000  # article ids per statement: bounded on a large corpus


@dataclass
class TrainingCounts:
    """Accepted entity spans per label in the training and dev articles of the split."""

    train_articles: int = 0
    dev_articles: int = 0
    train: dict[str, int] = field(default_factory=dict)
    dev: dict[str, int] = field(default_factory=dict)
    min_examples: int = MIN_EXAMPLES

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.train) | set(self.dev))

    def problems(self) -> list[str]:
        """Why a run would be a waste, each in a sentence that names the labels and counts;
        empty when training may go ahead."""
        found = []
        if not self.labels:
            found.append("no accepted entity spans to learn from")
        few = [
            f"{label} ({self.train.get(label, 0)} in training, {self.dev.get(label, 0)} in dev)"
            for label in self.labels
            if self.train.get(label, 0) < self.min_examples
        ]
        if few:
            found.append(f"fewer than {self.min_examples} training examples of " + ", ".join(few))
        if self.train_articles and not self.dev_articles:
            found.append("no dev articles to measure the model on (2 or more articles needed)")
        return found

    def notes(self) -> list[str]:
        """Not reasons to refuse, but worth knowing: labels the dev set can't measure."""
        unmeasured = [label for label in self.labels if not self.dev.get(label)]
        if unmeasured and self.dev_articles:
            return [f"no dev examples of {', '.join(unmeasured)}: their scores can't be measured"]
        return []

    def table(self) -> str:
        """The counts as the command line prints them (and the dialog's text copy)."""
        lines = [
            f"Training examples: {self.train_articles} training and {self.dev_articles} dev "
            "article(s)",
            f"  {'label':<14} {'train':>6} {'dev':>6}",
        ]
        for label in self.labels:
            mark = "  < minimum" if self.train.get(label, 0) < self.min_examples else ""
            lines.append(
                f"  {label:<14} {self.train.get(label, 0):>6} {self.dev.get(label, 0):>6}{mark}"
            )
        return "\n".join(lines)


class TooFewExamples(AnnotatorError):
    """Training refused before spaCy starts; the message names the labels and counts."""

    def __init__(self, counts: TrainingCounts):
        self.counts = counts
        super().__init__(
            "Training refused: "
            + "; ".join(counts.problems())
            + f". Label more (at least {counts.min_examples} examples of each label), lower "
            "the minimum, or train anyway (--anyway; in the window, Train anyway)."
        )


class training_layer:
    """`with training_layer(store):` the store reads the layer a training run trains on:
    the one set (read_layer), else the export's default, gold when the project has any (the
    counts and the export then see the same spans)."""

    def __init__(self, store: ProjectStore):
        self.store = store
        self.before = store.read_layer

    def __enter__(self) -> str | None:
        if self.before is None:
            self.store.read_layer = self.store.export_layer(None, False, str(self.store.path))
        return self.store.read_layer

    def __exit__(self, *exc) -> None:
        self.store.read_layer = self.before


def training_counts(
    store: ProjectStore,
    *,
    dev_share: float = 0.2,
    seed: int = 0,
    done_only: bool = False,
    min_examples: int = MIN_EXAMPLES,
) -> TrainingCounts:
    """The examples the spaCy export would put in train/ and dev/, per label (of the layer
    trained on: training_layer)."""
    with training_layer(store):
        return _counts(store, dev_share, seed, done_only, min_examples)


def _counts(
    store: ProjectStore, dev_share: float, seed: int, done_only: bool, min_examples: int
) -> TrainingCounts:
    ids = store.export_ids(done_only)
    dev_ids = split_ids(ids, dev_share, seed)
    counts = TrainingCounts(
        train_articles=len(ids) - len(dev_ids),
        dev_articles=len(dev_ids),
        min_examples=min_examples,
    )
    dev = sorted(dev_ids)
    # Counted in SQLite by label: all of the split, then dev; training is the difference.
    for start in range(0, len(ids), CHUNK):
        for label, count in store.entity_counts_in(ids[start : start + CHUNK]).items():
            counts.train[label] = counts.train.get(label, 0) + count
    for start in range(0, len(dev), CHUNK):
        for label, count in store.entity_counts_in(dev[start : start + CHUNK]).items():
            counts.dev[label] = counts.dev.get(label, 0) + count
            counts.train[label] -= count
    counts.train = {label: n for label, n in counts.train.items() if n}
    return counts


def check_training(counts: TrainingCounts, anyway: bool = False) -> list[str]:
    """Refuse (TooFewExamples) below the minimum; with `anyway`, the reasons come back as
    warnings for the report instead. Notes (unmeasured labels) come back either way."""
    problems = counts.problems()
    if problems and not anyway:
        raise TooFewExamples(counts)
    warnings = [f"trained anyway with {problem}" for problem in problems]
    return warnings + counts.notes()
