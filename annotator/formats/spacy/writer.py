"""Export for spaCy: train/ and dev/ folders of DocBin shards (.spacy files of 1,000 articles
each: annotator.formats.spacy.shards, written on every core as the articles stream from the
store), a config.cfg whose paths name those folders, and a report.

Entities go to doc.ents where they can (doc.ents can't overlap) and all of them, overlaps
included, to the span group doc.spans["sc"], where spancat looks by default. Event triggers go
to doc.spans["triggers"] (label = event type) and the whole event structure (type, trigger,
role -> argument, char and token offsets) to doc.user_data["events"], which DocBin keeps
(docs/events-in-spacy.md; annotator.formats.event_export). A span's first normalization
(a knowledge-base id: brat's N line, Prodigy's entity linking) is its Span.kb_id_; every
attribute, note and normalization goes to doc.user_data["annotator"], versioned
(annotator.formats.annotation_meta), keyed by the characters each span has in the doc (widened
or trimmed to tokens). A fully annotated article's tokens outside its entities are "O", known
to be no entity (an article without entities is a negative example); an article whose
answers vouch only for their spans (Prodigy's binary or entity-linking answers, not since
marked done: annotator.formats.jsonl.answers.spans_only) has its other tokens missing, "",
unknown to training. The config comes
from spaCy's own `init config` machinery, so it is what `spacy init config` would write for
this language, with the data paths filled in as absolute paths: `python -m spacy train
OUTDIR/config.cfg` then runs as is, from any folder.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.cores import usable_cores
from annotator.core.errors import AnnotatorError
from annotator.core.layers import GOLD
from annotator.core.model import ENTITY
from annotator.formats.annotation_meta import USER_DATA_KEY, describe
from annotator.formats.export_common import (
    Export,
    ExportFigures,
    check_progress,
    label_counts,
    leftover_staging,
    misaligned_lines,
    prepare_outdir,
    staged_folder,
)
from annotator.formats.records import Progress
from annotator.formats.spacy.config import DEV_LIMIT, EVAL_BATCH, config_text
from annotator.formats.spacy.docs import LAYER_KEY, SPAN_KEY, TRIGGER_KEY, DocFigures
from annotator.formats.spacy.parts import MAX_CHARS
from annotator.formats.spacy.shards import (
    DEV_DIR,
    SHARD_ARTICLES,
    TRAIN_DIR,
    ShardWriter,
)

CONFIG, REPORT = "config.cfg", "export-report.txt"
# What the single-file export wrote: removed from OUTDIR by a sharded export, which replaces it
# (an import of OUTDIR would otherwise read every article twice).
OLD_FILES = ("train.spacy", "dev.spacy")
TRAIN, DEV = f"{TRAIN_DIR}/", f"{DEV_DIR}/"  # as the report names them
# Above this many train Docs the config streams the corpus (spaCy's max_epochs = -1) rather
# than holding every Example in memory, and evaluates on the first DEV_LIMIT dev Docs.
STREAM_ABOVE = SHARD_ARTICLES
READ_CHUNK = 100  # articles read from the store at once (their texts are in memory together)


@dataclass
class ExportReport(DocFigures, ExportFigures):
    outdir: Path
    dev_share: float
    seed: int
    train_docs: int = 0
    dev_docs: int = 0
    train_shards: int = 0
    dev_shards: int = 0
    jobs: int = 1  # processes that made the shards
    streamed: bool = False  # the config streams the train corpus (a large one)
    answered_out: int = 0  # articles answered reject or ignore in Prodigy, left out
    language: str = ""  # the project's, which the config's nlp.lang follows
    old_removed: list[str] = field(default_factory=list)  # a single-file export's files
    articles_read: int = 0  # so far, for progress while waiting on the pool

    @property
    def articles_handled(self) -> int:
        """Articles of the selection done with so far: read, or found deleted."""
        return self.articles_read + len(self.deleted)

    @property
    def docs(self) -> int:
        return self.train_docs + self.dev_docs

    @property
    def overlaps(self) -> int:
        return sum(self.overlaps_by_label.values())

    def summary(self) -> str:
        out = self.outdir
        lines = [
            f"Exported {self.docs - self.extra_parts} article(s) ({self.which}): "
            f"{self.train_docs} to {TRAIN} ({_shards(self.train_shards)}), "
            f"{self.dev_docs} to {DEV} ({_shards(self.dev_shards)}) "
            f"(dev share {self.dev_share:g}, seed {self.seed}).",
            f"Entity spans: {sum(self.spans_by_label.values())} "
            f"({label_counts(self.spans_by_label)}), all in doc.spans[{SPAN_KEY!r}].",
            f"In doc.ents: {sum(self.ents_by_label.values())}; overlapping spans kept out of "
            f"doc.ents (still in the span group): {self.overlaps}"
            + (f" ({label_counts(self.overlaps_by_label)})" if self.overlaps else "")
            + ".",
        ]
        if self.layer_spans:
            groups = ", ".join(
                f"doc.spans[{LAYER_KEY + name!r}] {count}"
                for name, count in sorted(self.layer_spans.items())
            )
            lines.append(f"Every annotator's layer as a span group: {groups}.")
        if self.layer_dropped:
            lines.append(
                f"Left out of the annotators' span groups: {self.layer_dropped} span(s) "
                "covering no token or crossing where a long article was cut, e.g. "
                + "; ".join(self.layer_dropped_examples[:3])
            )
        if self.triggers:
            lines.append(f"Event triggers: {self.triggers}, in doc.spans[{TRIGGER_KEY!r}].")
        if self.events:
            lines.append(
                f"Events: {self.events - self.relations} with {self.arguments} "
                f"argument(s), relations: {self.relations}; all in "
                "doc.user_data['events']."
            )
        if self.events_left_out:
            lines.append(f"Events or arguments left out: {len(self.events_left_out)}")
            lines += [f"  {line}" for line in self.events_left_out]
        lines += self._meta_lines()
        if self.duplicates:
            lines.append(f"Duplicate spans (same tokens and label) written once: {self.duplicates}")
        if self.split:
            lines.append(
                f"Articles over {MAX_CHARS:,} characters (spaCy's limit), cut into parts at "
                f"paragraph or sentence ends (user_data['part']): {len(self.split)}"
            )
            lines += [f"  {line}" for line in self.split]
        if self.too_long:
            lines.append(f"Articles too long for spaCy, left out: {len(self.too_long)}")
            lines += [f"  {line}" for line in self.too_long]
        lines += self.skipped_lines()
        if self.answered_out:
            lines.append(
                f"Articles answered reject or ignore in Prodigy (marked skipped), left out: "
                f"{self.answered_out}"
            )
        if self.dev_docs == 0:
            lines.append(
                f"Warning: {DEV} is empty; spacy train needs at least one dev document "
                "(export two or more articles with a dev share above 0)."
            )
        lines += misaligned_lines(self.misaligned)
        if self.language:
            lines.append(f"{CONFIG}: lang = {self.language!r} (the project's language).")
        lines.append(
            f"{CONFIG}: paths.train = {out / TRAIN_DIR} and paths.dev = {out / DEV_DIR}, "
            "folders of .spacy shards, which spacy train reads whole."
        )
        if self.streamed:
            lines.append(
                f"{CONFIG}: training.max_epochs = -1 (spaCy streams the train shards each "
                "epoch instead of holding every example in memory; they come in article "
                f"order, unshuffled) and corpora.dev.limit = {DEV_LIMIT} (evaluation on the "
                f"first {DEV_LIMIT} dev docs, nlp.batch_size = {EVAL_BATCH}), so that training "
                "a large corpus needs less memory."
            )
        if self.old_removed:
            lines.append(
                f"Removed the older single-file export's {', '.join(self.old_removed)} "
                "(the folders replace them)."
            )
        lines += self.leftover_lines()
        lines += [
            f"Wrote {out / TRAIN_DIR}/, {out / DEV_DIR}/, {out / CONFIG} and {out / REPORT} "
            f"(shards made by {self.jobs} process{'es' if self.jobs > 1 else ''}).",
            f"Train with: python -m spacy train {out / CONFIG} --output {out / 'model'}",
        ]
        return "\n".join(lines)

    def _meta_lines(self) -> list[str]:
        lines = [
            f"Docs with no entities (every token outside an entity: negative examples): "
            f"{self.negatives}."
        ]
        if self.spans_only:
            lines.append(
                "Docs answered for their spans only (Prodigy binary or entity-linking answers, "
                f"not marked done; tokens outside their entities missing, not O): "
                f"{self.spans_only}."
            )
        if self.kb_ids:
            lines.append(
                f"Knowledge-base ids: {self.kb_ids} span(s) with Span.kb_id_"
                + (
                    f"; {self.more_kb_ids} have more than one (the others only in user_data)"
                    if self.more_kb_ids
                    else ""
                )
                + "."
            )
        if self.meta:
            lines.append(
                f"Attributes, notes and normalizations: {describe(self.meta)}, in "
                f"doc.user_data[{USER_DATA_KEY!r}]."
            )
        if self.meta_not_written:
            lines.append(
                f"Not written (their span covers no token): {describe(self.meta_not_written)}."
            )
        return lines


def split_ids(ids: list[int], dev_share: float, seed: int) -> set[int]:
    """The ids that go to dev: a seeded shuffle, so the same project and seed give the same split.

    Dev gets round(n * share) articles, at least one when there are two or more and the share
    is above 0, and never all of them (training needs at least one).
    """
    if not 0.0 <= dev_share < 1.0:
        raise AnnotatorError(f"the dev share must be at least 0 and below 1, not {dev_share:g}")
    n = len(ids)
    n_dev = round(n * dev_share)
    if dev_share > 0 and n >= 2:
        n_dev = min(max(n_dev, 1), n - 1)
    else:
        n_dev = 0
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    return set(shuffled[:n_dev])


def export_spacy(
    store,
    outdir: str | Path,
    *,
    dev_share: float = 0.2,
    seed: int = 0,
    done_only: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    shard_articles: int = SHARD_ARTICLES,
    span_groups: str = "no",
) -> ExportReport:
    """Write OUTDIR/train/ and dev/ (DocBin shards), config.cfg and export-report.txt; return
    the report. jobs: processes making the shards (default: every core).

    Everything is written into a hidden staging folder and moved into OUTDIR only at the end,
    so a cancel (progress returning False raises Cancelled) or a failure leaves the folder as
    it was; the pool's processes are stopped at once. span_groups "yes": every annotator's
    layer also goes to doc.spans["annotator:NAME"] (doc.ents stays the layer exported).
    """
    export = Export(store, done_only, progress)
    dev_ids = split_ids(export.ids, dev_share, seed)
    outdir = Path(outdir)
    report = export.report(ExportReport, outdir.resolve(), dev_share, seed)
    report.answered_out = store.answered_out()
    report.language = store.schema.language
    report.jobs = max(1, jobs or usable_cores())
    created = not outdir.exists()
    outdir = prepare_outdir(outdir)
    try:
        _write(
            store, export, dev_ids, report, outdir, progress, shard_articles, span_groups == "yes"
        )
    except BaseException:
        if created:  # a cancel or a failure leaves no empty folder where there was none
            shutil.rmtree(outdir, ignore_errors=True)
        raise
    for name in report.old_removed:  # only once the folders are in place
        (outdir / name).unlink(missing_ok=True)
    return report


def _write(store, export, dev_ids, report, outdir, progress, shard_articles, groups) -> None:
    """The shards, config.cfg and the report, staged, then moved into outdir."""
    leftovers = leftover_staging(outdir)
    with staged_folder(outdir) as staging:
        report.leftovers = [str(path) for path in leftovers]
        with (
            ShardWriter(
                staging,
                report.language,
                jobs=report.jobs,
                shard_articles=shard_articles,
                articles=len(export.ids),
                keep_going=(lambda: progress(report.articles_handled, len(export.ids)))
                if progress
                else None,
            ) as shards,
            closing(_articles(store, export, report, progress)) as articles,
        ):
            # closing: a cancel raised by the shard writer (not by the reads) leaves the
            # reads' generator suspended; it ends here, on the thread that reads, not
            # whenever and wherever the garbage collector would get to it.
            for read in articles:
                report.rejected_spans += len(read.rejected)
                article = read.article
                item: tuple = (article, read.spans, read.events, read.span_meta, read.event_meta)
                if groups:
                    item += (_people_spans(store, article.id),)
                shards.add(DEV_DIR if article.id in dev_ids else TRAIN_DIR, item)
                report.articles_read += 1
            results = shards.finish()
            _add_up(report, results)
            report.streamed = report.train_docs > STREAM_ABOVE
            config = shards.call(
                config_text, report.language, outdir / TRAIN_DIR, outdir / DEV_DIR, report.streamed
            )
        report.jobs = report.jobs if shards.pool is not None else 1
        (staging / CONFIG).write_text(config, encoding="utf-8")
        report.old_removed = [name for name in OLD_FILES if (outdir / name).is_file()]
        (staging / REPORT).write_text(report.summary() + "\n", encoding="utf-8")


def _articles(store, export, report: ExportReport, progress) -> Iterator:
    """The export's articles in id order, READ_CHUNK at a time with one query per table
    (ProjectStore.exported_articles, as the JSONL export reads them: what the per-article
    reads give, which asked six queries an article); the progress callback is asked after
    each one (a False raises Cancelled). An article deleted by another connection since the
    export chose its ids is left out and listed in the report."""
    total = len(export.ids)
    for at in range(0, total, READ_CHUNK):
        ids = export.ids[at : at + READ_CHUNK]
        reads = {read.article.id: read for read in store.exported_articles(ids)}
        for done, article_id in enumerate(ids, start=at + 1):
            read = reads.pop(article_id, None)
            if read is None:
                report.deleted.append(article_id)
            else:
                yield read
            check_progress(progress, done, total)


def _people_spans(store, article_id: int) -> dict[str, list]:
    """Each person's accepted entity spans on the article (gold is in doc.ents already)."""
    return {
        name: [span for span in layer.spans if span.kind == ENTITY]
        for name, layer in store.layers(article_id).items()
        if name != GOLD
    }


def _add_up(report: ExportReport, results) -> None:
    for result in results:
        report.merge(result.figures)
        if result.path.parent.name == DEV_DIR:
            report.dev_docs += result.docs
            report.dev_shards += 1
        else:
            report.train_docs += result.docs
            report.train_shards += 1
    _in_article_order(report)


def _in_article_order(report: ExportReport) -> None:
    """Shards are merged train first, then dev: the lists naming articles are put back in
    article order, as one pass over the articles reads."""
    report.misaligned.sort(key=lambda item: item.article_id)
    for name in ("events_left_out", "split", "too_long"):
        getattr(report, name).sort(key=_article_number)


def _article_number(line: str) -> int:
    match = re.match(r"article (\d+)", line)
    return int(match.group(1)) if match else 0


def _shards(count: int) -> str:
    return f"{count} shard{'' if count == 1 else 's'}"
