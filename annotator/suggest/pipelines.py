"""Turning a suggestion source into a spaCy pipeline, and a doc into suggested spans.

Any pipeline works: its `ner` and `entity_ruler` output comes from doc.ents, `spancat`
output from doc.spans (with the scores spancat keeps in the group's attrs). Labels pass
through the source's mapping; a label the mapping drops (or the project lacks) is ignored.
"""

from __future__ import annotations

import math
from pathlib import Path

from annotator.core.errors import AnnotatorError

# Reading a pattern file needs no spaCy: it lives in the core, where the store finds it too.
from annotator.core.patterns import pattern_file_labels, read_patterns
from annotator.store.suggestions import Source


def load_pipeline(source: Source, language: str = "en"):
    import spacy

    if source.kind == "patterns":
        nlp = spacy.blank(language)
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(read_patterns(Path(source.location)))
    else:
        try:
            nlp = spacy.load(source.location)
        except (OSError, ValueError) as error:
            raise AnnotatorError(
                f"{source.location}: cannot load this spaCy pipeline ({error})"
            ) from error
    nlp.max_length = 50_000_000
    return nlp


def pattern_labels(source: Source) -> set[str]:
    """The labels a pattern source's file names: none for a pipeline, or for a file that
    moved or broke (running the source will say so)."""
    if source.kind != "patterns":
        return set()
    return pattern_file_labels(source.location)


def as_they_act(labels, known_labels: set[str]) -> dict:
    """A mapping for labels that have none: each as itself where the project has the label,
    else left out (what suggested_spans does with a label the mapping doesn't list)."""
    return {label: (label if label in known_labels else None) for label in labels}


def pipeline_labels(nlp) -> list[str]:
    """The labels a pipeline can predict, for the mapping dialog."""
    labels: set[str] = set()
    for _name, component in nlp.pipeline:
        for attribute in ("labels",):
            found = getattr(component, attribute, None)
            if found:
                labels.update(found)
    return sorted(labels)


def suggested_spans(doc, mapping: dict, known_labels: set[str]) -> list[tuple]:
    """(start, end, label, score) of what the pipeline found in doc, in the project's labels,
    one per offsets and label (the best score wins), sorted."""
    if not doc.spans:
        # ner and entity_ruler only: doc.ents are sorted and never repeat, and this loop runs
        # for every article of a corpus-wide job.
        found = []
        for ent in doc.ents:
            label = mapping.get(ent.label_, ent.label_) if mapping else ent.label_
            if label and label in known_labels:
                found.append((ent.start_char, ent.end_char, label, None))
        return found
    best: dict[tuple[int, int, str], float | None] = {}

    def add(span, score=None):
        label = mapping.get(span.label_, span.label_) if mapping else span.label_
        if label and label in known_labels:
            key = (span.start_char, span.end_char, label)
            if key not in best or (score or 0) > (best[key] or 0):
                best[key] = score

    for ent in doc.ents:
        add(ent)
    for group in doc.spans.values():
        scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
        for index, span in enumerate(group):
            add(span, _score(scores, index))
    return [(s, e, label, score) for (s, e, label), score in sorted(best.items())]


def _score(scores, index: int) -> float | None:
    """A span's score from its group's attrs: spancat keeps one number per span, or a row of
    one (the shape differs between spaCy versions and spancat settings)."""
    if scores is None:
        return None
    import numpy

    score = float(numpy.max(scores[index]))
    # NaN would not survive the JSON a batch travels in (and means no score anyway).
    return score if math.isfinite(score) else None
