"""Pattern files for the EntityRuler, read without spaCy: a suggestion source's labels are
known from its file alone (the store remaps them when a label is renamed), and the file is
checked before any pipeline is built.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.errors import AnnotatorError


def read_patterns(path: Path) -> list[dict]:
    """EntityRuler JSONL patterns ({"label", "pattern"} a line), or a term list: one
    `LABEL<TAB>term` a line (lines starting with # are comments)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise AnnotatorError(f"{path}: cannot read the patterns ({error})") from error
    patterns = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                pattern = json.loads(line)
            except json.JSONDecodeError as error:
                raise AnnotatorError(f"{path}:{number}: not valid JSON ({error.msg})") from None
            if not isinstance(pattern, dict) or "label" not in pattern or "pattern" not in pattern:
                raise AnnotatorError(f"{path}:{number}: a pattern needs 'label' and 'pattern'")
        else:
            label, tab, term = line.partition("\t")
            if not tab or not term.strip():
                raise AnnotatorError(f"{path}:{number}: expected LABEL<TAB>term or a JSON pattern")
            pattern = {"label": label.strip(), "pattern": term.strip()}
        patterns.append(pattern)
    if not patterns:
        raise AnnotatorError(f"{path}: no patterns in the file")
    return patterns


def pattern_file_labels(location: str | Path) -> set[str]:
    """The labels a pattern file names; none for a file that moved or broke (running the
    source will say so)."""
    try:
        return {str(pattern["label"]) for pattern in read_patterns(Path(location))}
    except AnnotatorError:
        return set()
