"""Agreement over a whole project: choose the annotators, stream their layers through
Agreement, and refuse in words what cannot be measured (one annotator, an unknown name, no
article shared). The CLI and the window's panel both call project_agreement.

Rows stored before names were kept (the layer UNNAMED, "(unnamed)") are nobody in particular:
they may be several people's work, or a pre-annotation, so they never count as an annotator
here; naming them with --annotators is refused with the way out (merge the copies, or import
with --annotator, so that every row says whose it is)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Protocol

from annotator.core.agreement.layers import ArticleLayers
from annotator.core.agreement.report import Agreement
from annotator.core.agreement.token_kappa import ArticleTokens
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD, UNNAMED


class LayerSource(Protocol):
    """What agreement needs of a project (ProjectStore has it: store/layers.py).
    iter_compared yields (articles read so far, the article's layers of `names` as
    from_layers.article_layers makes them, or None when none of them touched it)."""

    def annotators(self) -> list[str]: ...
    def iter_compared(
        self, names: Collection[str]
    ) -> Iterator[tuple[int, ArticleLayers | None]]: ...


class NotMeasurable(AnnotatorError):
    """Agreement cannot be computed; the message says why and what would make it work."""


def choose_annotators(source: LayerSource, where: str, wanted: Sequence[str] | None) -> list[str]:
    known = [name for name in source.annotators() if name != UNNAMED]
    if wanted and UNNAMED in wanted:
        raise NotMeasurable(
            f"{where}: {UNNAMED} is not an annotator: those rows were stored before names were "
            "kept, and may be anyone's (merge the annotators' copies, or import with "
            "--annotator, so that every row says whose it is)"
        )
    if wanted:
        unknown = [name for name in wanted if name not in known]
        if unknown:
            listed = ", ".join(known) if known else "none"
            raise NotMeasurable(
                f"{where}: no annotations by {', '.join(repr(n) for n in unknown)} "
                f"(annotators in this project: {listed})"
            )
        names = list(dict.fromkeys(wanted))
        if len(names) < 2:
            raise NotMeasurable(f"{where}: agreement needs two annotators; name two or more")
        return names
    # Gold is compared only when named (how close each person came to it), never by default:
    # it is made from the annotators' own layers.
    known = [name for name in known if name != GOLD]
    if not known:
        raise NotMeasurable(
            f"{where}: no annotation carries an annotator's name; agreement compares "
            "annotators' layers (merge the annotators' copies, or import with --annotator)"
        )
    if len(known) == 1:
        raise NotMeasurable(
            f"{where}: only one annotator ({known[0]}) has annotations; agreement needs two"
        )
    return known


def project_agreement(
    source: LayerSource,
    where: str,
    tokens: ArticleTokens,
    annotators: Sequence[str] | None = None,
    label: str | None = None,
    progress: Callable[[int], None] | None = None,
    measure: Callable[[list[str]], Agreement] | None = None,
) -> dict:
    """The agreement report of a project (see docs/agreement.md for its fields).
    progress(n) is called every 500 articles read (a job may raise there to stop).
    measure: fills the Agreement of the chosen names another way (on every core:
    formats/parallel_agreement.py); by default the articles are read here, one by one."""
    names = choose_annotators(source, where, annotators)
    if measure is not None:
        agreement = measure(names)
    else:
        agreement = Agreement(names, tokens, label)
        # Every layer is read, not only those compared: a trigger or filler may be a span
        # of someone else's layer (from_layers.py).
        for n, article in source.iter_compared(names):
            if article is not None:
                agreement.add(article)
            if progress is not None and n % 500 == 0:
                progress(n)
    result = agreement.result()
    if not any(pair["articles"] for pair in result["pairs"]):
        raise NotMeasurable(
            f"{where}: {' and '.join(names) if len(names) == 2 else ', '.join(names)} share "
            "no article: each compared article must hold annotations of both annotators"
        )
    return {"project": where} | result
