"""`annotator agree` on every core: the corpus cut into runs of articles (by id), each
measured by a spawned process that opens the project read-only itself, the parts' counts
added up in the parent (Agreement.absorb). Every figure is computed from integer sums at the
end, so the report is the same, to the last digit, whatever the number of processes
(tests/test_agree_reader.py). Beside formats/parallel.py, whose pool it uses: a layer both
the command line and the window may call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.agreement import Agreement, SpacyTokens, spacy_tokens
from annotator.formats.parallel import spawn_pool, stop_pool
from annotator.store.project import ProjectStore

# Runs per process: a slow run (long articles, a busy core) is not left for last alone.
RUNS_PER_PROCESS = 4

_TOKENS: dict[str, SpacyTokens] = {}  # per process: spaCy loaded once, run counts kept


def measure_part(
    path: str, language: str, names: list[str], label: str | None, after: int, until: int | None
) -> Agreement:
    """The agreement counts of the articles with ids in (after, until]."""
    tokens = _TOKENS.get(language)
    if tokens is None:
        tokens = _TOKENS[language] = spacy_tokens(language)
    store = ProjectStore(path, read_only=True)
    try:
        agreement = Agreement(names, tokens, label)
        for _, article in store.iter_compared(names, after=after, until=until):
            if article is not None:
                agreement.add(article)
    finally:
        store.close()
    agreement.tokens = None  # type: ignore[assignment]  # the tokenizer stays in the process
    return agreement


def parallel_measure(
    store: ProjectStore,
    language: str,
    label: str | None,
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> Callable[[list[str]], Agreement]:
    """What project_agreement calls to fill its Agreement (its `measure`): `jobs`
    processes over the store's annotated articles. progress(n) gets the articles done."""

    def measure(names: list[str]) -> Agreement:
        parts = store.agreement_parts(jobs * RUNS_PER_PROCESS)
        total = Agreement(names, spacy_tokens(language), label)
        path = str(Path(store.path))
        pool = spawn_pool(jobs)
        try:
            futures = [
                pool.submit(measure_part, path, language, names, label, after, until)
                for after, until in parts
            ]
            for future in futures:
                part = future.result()
                total.absorb(part)
                if progress is not None:
                    progress(total.articles_seen)
        finally:
            stop_pool(pool)
        return total

    return measure
