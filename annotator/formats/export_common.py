"""What every exporter shares: which articles go out, their iteration with progress and
cancel, the figures every report has, writing the target whole or not at all, and lining spans
up with spaCy's tokens.

An exporter makes an Export (which refuses an empty selection before any work), builds its
report with Export.report(), and loops over the Export: the articles come a page at a time
from the store (ProjectStore.export_articles), so an export of a large project never holds
every text at once. Spans that don't fall on token boundaries are widened to whole tokens and
listed in the report: an export never drops one silently.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TypeVar

from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD
from annotator.core.model import REJECTED, Article, Span

# Re-exported: the exporters import them from here (formats.alignment has them, without the
# store, for the spaCy export's shard processes).
from annotator.formats.alignment import Misaligned as Misaligned
from annotator.formats.alignment import align as align
from annotator.formats.alignment import misaligned_lines as misaligned_lines
from annotator.formats.records import Cancelled, Progress
from annotator.store.disk import disk_error
from annotator.store.project import ProjectStore


@dataclass(kw_only=True)
class ExportFigures:
    """What every export report carries: which articles were asked for, and how many
    skipped articles with spans were left out. Keyword-only, so each report lists its own
    fields first."""

    done_only: bool = False
    skipped_articles: int = 0
    unlabelled: bool = False  # articles without spans taken too
    rejected_spans: int = 0  # spans answered reject in an import, in the exported articles
    leftovers: list[str] = field(default_factory=list)  # staging folders of a killed export
    # Whose annotations went out: one layer's name (GOLD: the adjudicated one), or None for
    # every layer together; `layers` is how many the project has (said only when several).
    layer: str | None = None
    layers: int = 0
    # A gold export's gaps (ProjectStore.gold_export_gaps): annotated articles left out for
    # holding no gold; exported articles with conflicts still open, and how many.
    without_gold: int = 0
    open_articles: int = 0
    open_conflicts: int = 0
    # Chosen for the export but deleted (by another connection: the window, another
    # program) before their chunk was read: left out, by id.
    deleted: list[int] = field(default_factory=list)
    # Whether the format writes those (JSONL, with "answer": "reject"); else they are counted.
    writes_rejected: ClassVar[bool] = False

    @property
    def which(self) -> str:
        if self.done_only:
            articles = "articles marked done"
        elif self.unlabelled:
            articles = "every article not marked skipped"
        else:
            articles = "articles with spans or marked done"
        return articles + self.layer_words

    @property
    def layer_words(self) -> str:
        """Which layer went out, as the summary's first line says it."""
        if self.layer == GOLD:
            return (
                "; the gold layer (adjudicated), articles without gold left out unless adjudicated"
            )
        if self.layer is not None:
            return f"; only {self.layer}'s layer"
        if self.layers > 1:
            return f"; every layer together ({self.layers} annotators)"
        return ""

    def leftover_lines(self) -> list[str]:
        if not self.leftovers:
            return []
        return [
            "Left by an earlier export that was stopped before it could clean up (safe to "
            f"delete once no export into this folder is running): {', '.join(self.leftovers)}"
        ]

    def skipped_lines(self) -> list[str]:
        lines = []
        if self.without_gold:
            lines.append(
                f"{self.without_gold} article(s) with annotations left out: they hold no gold "
                "and are not adjudicated (Review > Adjudicate; or export one annotator's layer or every layer)"
            )
        if self.open_conflicts:
            lines.append(
                f"{self.open_articles} exported article(s) still have {self.open_conflicts} "
                "conflict(s) open: their gold holds only what was agreed or decided"
            )
        if self.rejected_spans and self.writes_rejected:
            lines.append(
                f'Rejected spans (answered reject in an import), written with "answer": '
                f'"reject": {self.rejected_spans}'
            )
        elif self.rejected_spans:
            lines.append(
                f"{self.rejected_spans} rejected span(s) not written (answered reject in an "
                'import; export jsonl keeps them, with "answer": "reject")'
            )
        if self.skipped_articles:
            lines.append(
                "Articles marked skipped, left out although they have spans: "
                f"{self.skipped_articles}"
            )
        if self.deleted:
            shown = ", ".join(map(str, self.deleted[:10]))
            more = f" and {len(self.deleted) - 10} more" if len(self.deleted) > 10 else ""
            lines.append(
                f"Articles deleted while the export ran, left out: {len(self.deleted)} "
                f"(id {shown}{more})"
            )
        return lines


R = TypeVar("R", bound=ExportFigures)


class Export:
    """One export run over the selected articles.

    By default an export takes every article marked done, and every other one with accepted
    spans unless the annotator skipped it (a skip means "not fit for training", as an ignore
    does in Prodigy); done_only takes the done ones only. With `unlabelled` (brat, doccano:
    tools a corpus goes to for more annotation) every article not marked skipped goes out.
    """

    def __init__(
        self,
        store: ProjectStore,
        done_only: bool,
        progress: Progress | None = None,
        *,
        unlabelled: bool = False,
    ):
        self.store, self.done_only, self.progress = store, done_only, progress
        self.unlabelled = unlabelled and not done_only
        self.ids = store.export_ids(done_only, self.unlabelled)
        self.figures: ExportFigures | None = None  # the report, once made
        if not self.ids:
            if self.unlabelled:
                raise AnnotatorError("nothing to export: every article is marked skipped")
            raise nothing_to_export(done_only)

    def report(self, kind: type[R], *args, **kwargs) -> R:
        report = kind(*args, done_only=self.done_only, unlabelled=self.unlabelled, **kwargs)
        report.layer = self.store.read_layer
        report.layers = len(self.store.annotators())
        if report.layer == GOLD:
            report.without_gold, report.open_articles, report.open_conflicts = (
                self.store.gold_export_gaps(self.done_only, self.unlabelled)
            )
        if not self.done_only:
            report.skipped_articles = self.store.skipped_with_spans()
        self.figures = report
        return report

    def __iter__(self) -> Iterator[tuple[Article, list[Span]]]:
        """The selected articles in id order with their accepted spans; after each one is
        handled, the progress callback is asked whether to go on (Cancelled if not). The
        report counts each article's rejected spans from an import (what became of them)."""
        articles = self.store.export_articles(self.done_only, unlabelled=self.unlabelled)
        figures = self.figures
        for done, article in enumerate(articles, start=1):
            if figures is not None:
                figures.rejected_spans += len(answered_reject(self.store, article.id))
            yield article, self.store.spans(article.id)
            check_progress(self.progress, done, len(self.ids))


def answered_reject(store: ProjectStore, article_id: int) -> list[Span]:
    """The article's spans an import read as answered reject or ignore (a span's own Prodigy
    "answer"): rejected, without the decision a rejected suggestion carries."""
    return [s for s in store.spans(article_id, (REJECTED,)) if s.decision is None]


def check_progress(progress: Progress | None, done: int, total: int) -> None:
    # Called per article, but the callback (a Qt signal in the GUI) only every 50.
    if progress and (done % 50 == 0 or done == total) and not progress(done, total):
        raise Cancelled("export cancelled; no files were written")


def prepare_outdir(outdir: Path) -> Path:
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise AnnotatorError(f"{outdir}: exists and is not a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise disk_error(error, outdir, f"Could not create the folder {outdir}") from error
    return outdir


def nothing_to_export(done_only: bool) -> AnnotatorError:
    if done_only:
        return AnnotatorError("nothing to export: no article is marked done")
    return AnnotatorError("nothing to export: no article has accepted spans or is marked done")


def label_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "none"


def file_target(path, what: str = "file") -> Path:
    """Check a one-file export's target before any work: a writable place, not a folder."""
    path = Path(path)
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give the name of the {what} to write")
    if not path.parent.is_dir():
        raise AnnotatorError(f"{path}: the folder {path.parent} does not exist")
    return path


@contextmanager
def written_atomically(path: Path, binary: bool = False):
    """A handle on a hidden partial file that replaces `path` only when the block ends without
    error: a failure (a full disk) or a cancel never leaves half an export or an empty file,
    and an older export of the same name stays as it was. Each writing gets a partial file of
    its own (created, never reused): two exports to one file at once don't write into each
    other, and the last to finish is the file, whole. The handle takes text (UTF-8, "\\n"
    line ends), or with `binary` bytes already encoded (the JSONL export's lines)."""
    # A random name opened with "x", not mkstemp: its 0600 mode would become the export's.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
    try:
        with (
            partial.open("xb") if binary else partial.open("x", encoding="utf-8", newline="\n")
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # a disk that fills up on flush fails here, not later
        os.replace(partial, path)
    except OSError as error:
        raise disk_error(error, path, f"Could not write {path}") from error
    finally:
        partial.unlink(missing_ok=True)


def sync_data(handle) -> None:
    """Write what `handle` holds so far to the disk (its data; the final fsync does the
    rest): a long export syncs as it goes rather than all at the end. A full disk fails here."""
    handle.flush()
    getattr(os, "fdatasync", os.fsync)(handle.fileno())  # fdatasync: not on every system


STAGING_PREFIX = ".annotator-export-"


def leftover_staging(outdir: Path) -> list[Path]:
    """Staging folders in `outdir` from an export that was killed before it could remove its
    own (a power cut, kill -9). They are not removed here: another export into the same
    folder may be running; the report names them so the user can delete them."""
    try:
        return sorted(p for p in Path(outdir).glob(STAGING_PREFIX + "*") if p.is_dir())
    except OSError:
        return []


@contextmanager
def staged_folder(outdir: Path) -> Iterator[Path]:
    """A hidden folder inside `outdir` to write an export's files and folders into; when the
    block ends without error they replace their namesakes in `outdir`, all of them or none:
    the old entries are first moved aside (into the staging folder), then the new ones moved
    in, and any error on the way moves the new ones back out and the old ones back in. So a
    failure or a cancel leaves `outdir` and any older export in it as they were."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir))
    except OSError as error:
        raise disk_error(error, outdir, f"Could not write to {outdir}") from error
    keep = False
    try:
        yield staging
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                with path.open("rb+") as handle:
                    os.fsync(handle.fileno())
        _swap_in(staging, outdir)
    except _NotRestored:
        keep = True  # it holds what could not be put back: the error names it
        raise
    except OSError as error:
        where = Path(error.filename) if error.filename else outdir
        target = outdir / where.name if where.parent in (staging, staging / _ASIDE) else outdir
        raise disk_error(error, target, f"Could not write {target}") from error
    finally:
        if not keep:
            shutil.rmtree(staging, ignore_errors=True)


_ASIDE = ".old"  # inside the staging folder: the entries the new export replaces


class _NotRestored(AnnotatorError):
    """A move into place failed and so did putting the old entries back."""


def _swap_in(staging: Path, outdir: Path) -> None:
    """Replace outdir's namesakes of the staging folder's entries, all or none. Renames within
    one folder's file system: each is atomic, and only the sequence needs undoing."""
    names = sorted(path.name for path in staging.iterdir())
    aside = staging / _ASIDE
    aside.mkdir()
    moved_aside: list[str] = []
    moved_in: list[str] = []
    try:
        for name in names:
            if os.path.lexists(outdir / name):
                os.replace(outdir / name, aside / name)
                moved_aside.append(name)
        for name in names:
            os.replace(staging / name, outdir / name)
            moved_in.append(name)
    except BaseException as error:
        # Undo in reverse: the new entries out, the old ones back. A step that fails too is
        # named in the error, with where the old entry still is.
        lost = []
        for name in reversed(moved_in):
            try:
                os.replace(outdir / name, staging / name)
            except OSError:
                lost.append(f"{outdir / name} (new, could not be moved back)")
        for name in reversed(moved_aside):
            try:
                os.replace(aside / name, outdir / name)
            except OSError:
                lost.append(f"{outdir / name} (the old one is in {aside / name})")
        if lost:
            why = disk_error(error, outdir, f"Could not write {outdir}")
            raise _NotRestored(
                f"{why} The older export could not be put back whole: {'; '.join(lost)}."
            ) from error
        raise
