"""`annotator merge OUT.db A.db B.db ...` and File › Merge: bring each annotator's copy of a
project into one project, each copy's annotations as its annotators' layers.

Articles are matched by external id, or by text when they have none; an article the output
lacks is added; the same external id with another text is refused and reported (file and
article). Rows keep the annotator names stored with them; rows stored before names were
kept take the input file's name ("alice.db" -> "alice"). Each input is remembered by its
path (merge_sources): merging an updated copy again replaces what that copy brought, never
adds it twice.

Every batch of articles is one short transaction through ProjectStore.write(): a person
annotating the output meanwhile waits a moment at most. A merge stopped half-way (cancelled,
a crash, a full disk) is resumable, not rolled back: the input stays marked "merging", what
was written is that input's layer on the articles done so far, and merging the same file
again replaces all of it and finishes (the report of the interrupted merge says so).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema
from annotator.core.schema_union import union_schema
from annotator.store import (
    backups,
    copies,
    merge_adopt,
    merge_drop,
    merge_read,
    merge_rows,
    merge_write,
    migrations,
)
from annotator.store.import_runs import STAGING
from annotator.store.project import ProjectStore

BATCH = 1000  # input articles per transaction (~0.1 s of lock on a quiet machine; bench_merge.py)
MERGING, MERGED = "merging", "merged"

Progress = Callable[[int, int], None]  # (articles done, articles in the input)


@dataclass
class MergeReport:
    """What merging one input did, in lines a person reads (the CLI prints them, the
    window shows them)."""

    path: Path
    unnamed: str  # the name given to rows stored without one
    total: int = 0
    added: int = 0
    matched: int = 0
    again: bool = False  # the file had been merged before: its layer was replaced
    finished: bool = False
    layers: dict[str, list[int]] = field(default_factory=dict)  # name -> [spans, events, args]
    refused: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the first few, as examples
    n_skipped: int = 0
    stale: int = 0  # rows it no longer has that others' work refers to (merge_write.py)
    shared: int = 0  # identical to rows another input brought (merge_write.py)
    schema_notes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "merged again (its earlier layer replaced)" if self.again else "merged"
        head = f"{self.path}: {verb}" if self.finished else f"{self.path}: NOT finished"
        out = [
            f"{head}: {self.matched} articles matched, {self.added} added, "
            f"{len(self.refused)} refused"
        ]
        for name, (spans, events, arguments) in sorted(self.layers.items()):
            out.append(f"  layer {name}: {spans} spans, {events} events, {arguments} arguments")
        out += [f"  refused: {line}" for line in self.refused]
        if self.n_skipped:
            out.append(
                f"  left out: {self.n_skipped} annotations, e.g. " + "; ".join(self.skipped[:3])
            )
        if self.shared:
            out.append(
                f"  shared: {self.shared} annotations another file already brought (the same "
                "article, place, label and annotator: rows both copies inherited) not added again"
            )
        if self.stale:
            out.append(
                f"  kept: {self.stale} of its earlier spans or events the file no longer has, "
                "because other people's events or arguments refer to them"
            )
        out += [f"  schema: {note}" for note in self.schema_notes]
        out += [f"  note: {note}" for note in self.notes]
        if not self.finished:
            out.append(
                f"  the merge of {self.path.name} stopped part-way; run the same merge again "
                "to finish it (what it wrote so far is replaced, nothing is doubled)"
            )
        return out


def check_inputs(out_path: str | Path, inputs: list[str | Path]) -> tuple[list[Path], list[str]]:
    """The inputs to merge, each checked before anything is written (a bad third file must
    not leave the first two merged and the command failed): it exists, is not the project
    merged into (by any path to it), and opens as an annotator project this version reads.
    A file given twice is merged once. Returns the inputs and notes for the person;
    raises AnnotatorError naming the file otherwise."""
    out_key = Path(out_path).resolve()
    found: dict[Path, Path] = {}
    notes = []
    for given in inputs:
        path = Path(given)
        if not path.is_file():
            raise AnnotatorError(f"{path}: no such project file")
        key = path.resolve()
        if key == out_key:
            raise AnnotatorError(f"{path}: is the project merged into; give the annotators' copies")
        if key in found:
            notes.append(f"{path}: given twice (also as {found[key]}); merged once")
            continue
        try:
            ProjectStore(path, read_only=True, as_it_is=True).close()
        except AnnotatorError as error:
            message = str(error)
            raise AnnotatorError(
                message if str(path.name) in message else f"{path}: {message}"
            ) from error
        found[key] = path
    return list(found.values()), notes


def merge_projects(
    out: ProjectStore,
    inputs: list[str | Path],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> list[MergeReport]:
    """Merge every input into `out`, one after the other (all checked first: check_inputs);
    stops after the input during which `cancelled()` became true (its report says it did
    not finish)."""
    inputs, notes = check_inputs(out.path, inputs)  # type: ignore[assignment]
    reports = []
    # A batch lost to a power cut is merged again by the next run (the input stays
    # "merging"), so the batches need not wait for the disk: a fifth of the time.
    level = out.conn.execute("PRAGMA synchronous").fetchone()[0]
    out.use_fast_writes()
    try:
        for path in inputs:
            report = merge_file(out, path, progress=progress, cancelled=cancelled, batch=batch)
            reports.append(report)
            if not report.finished:
                break
        if reports:
            reports[0].notes[:0] = notes
    finally:
        out.conn.execute(f"PRAGMA synchronous = {int(level)}")
    return reports


def merge_file(
    out: ProjectStore,
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> MergeReport:
    path = Path(path)
    if not path.is_file():
        raise AnnotatorError(f"{path}: no such project file")
    if path.resolve() == out.path.resolve():
        raise AnnotatorError(f"{path}: is the project merged into; give the annotators' copies")
    out.refuse_if_read_only()
    with _opened(path) as source:
        report = MergeReport(path, unnamed=path.stem)
        report.total = merge_read.count_articles(source.conn)
        _say_gold_left_out(merge_read.left_out_gold(source.conn), report)
        schema = _grow_schema(out, source.schema, report)
        names = merge_read.names_in(source.conn, report.unnamed)
        source_id, report.again = _register(out, path, names)
        known = _known_names(schema)
        touched: set[int] = set()  # output articles this input covers (ints: bounded)
        after, done = 0, 0
        while not (cancelled and cancelled()):
            rows = merge_read.read_batch(source.conn, after, batch)
            if rows is None:
                break
            with out.write():
                article_map = _match(out, rows.articles, report)
                written = merge_write.write_layer(
                    out.conn, rows, article_map, source_id, report.unnamed, known
                )
                merge_rows.count_annotations(out.conn, sorted(written.changed), time.time())
                out.recount_progress(sorted(written.changed))
            touched.update(article_map.values())
            for name, counts in written.layers.items():
                so_far = report.layers.setdefault(name, [0, 0, 0])
                report.layers[name] = [a + b for a, b in zip(so_far, counts, strict=True)]
            report.n_skipped += len(written.skipped)
            report.stale += written.stale
            report.shared += written.shared
            report.skipped += written.skipped[: 10 - len(report.skipped)]  # bounded memory
            after = rows.articles[-1][0]
            done += len(rows.articles)
            if progress:
                progress(done, report.total)
            out.let_writers_in()
        else:
            return report  # cancelled: the input stays "merging" (resumable)
        _finish(out, source_id, touched, report, names)
    return report


def start_from_copy(out_path: str | Path, first: str | Path) -> tuple[ProjectStore, MergeReport]:
    """A merged project that does not exist yet, made from its first input: a file copy
    (SQLite's backup API) whose rows become that input's layer (merge_adopt.adopt_copy), in
    seconds, where adding 100,000 articles one batch at a time re-indexes every text for
    search (minutes). The same result as merging the input into an empty project. The copy
    is new and nobody else has it open, so the adoption is one transaction: a failure
    leaves no OUT.db at all (it is removed), never a half-adopted one."""
    out_path, first = Path(out_path), Path(first)
    # An empty file (made by a file dialog, or `touch`) is no project: the copy replaces it.
    empty = out_path.is_file() and out_path.stat().st_size == 0
    copies.backup_project(first, out_path, force=empty)
    try:
        store = ProjectStore(out_path)  # an older-format input's copy is upgraded here
        report = MergeReport(first, unnamed=first.stem)
        staging = store.conn.execute(
            "SELECT count(*) FROM import_runs WHERE state = ?", (STAGING,)
        ).fetchone()[0]
        if staging:  # an import was running in the copy: its rows are not the layer
            store.close()
            raise _NoCopy
        with store.write():
            source_id, _ = _register(store, first, set())
            _say_gold_left_out(merge_read.left_out_gold(store.conn), report)
            report.layers = merge_adopt.adopt_copy(store.conn, source_id, report.unnamed)
            report.total = report.added = merge_read.count_articles(store.conn)
            store.conn.execute(
                "UPDATE merge_sources SET state = ?, annotators = ?, articles = ? WHERE id = ?",
                (MERGED, json.dumps(sorted(report.layers)), report.total, source_id),
            )
        report.finished = True
        return store, report
    except BaseException:
        for suffix in ("", *backups.JOURNALS):
            Path(f"{out_path}{suffix}").unlink(missing_ok=True)
        raise


def _say_gold_left_out(rows: int, report: MergeReport) -> None:
    if rows:
        report.notes.append(
            f"its gold layer ({rows} spans and events) and its adjudication decisions were "
            "left out: gold is made here, from the people's layers (Review > Adjudicate)"
        )


class _NoCopy(Exception):
    """The first input can't simply be copied; merge it batch by batch instead."""


def new_merged_project(
    out_path: str | Path, inputs: list[Path], schema: Schema | None
) -> tuple[ProjectStore, list[MergeReport]]:
    """OUT.db for `annotator merge` when it does not exist: a copy of the first input made
    its layer (start_from_copy), or, when that can't be, a new project with `schema`."""
    try:
        store, report = start_from_copy(out_path, inputs[0])
        return store, [report]
    except _NoCopy:
        return ProjectStore(out_path, schema), []


class _opened:
    """The input, opened read-only; one in an older format is upgraded in a private copy
    (the annotator's own file is never written)."""

    def __init__(self, path: Path):
        self.path = path
        self.folder: str | None = None
        self.store: ProjectStore | None = None

    def __enter__(self) -> ProjectStore:
        store = ProjectStore(self.path, read_only=True, as_it_is=True)
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == migrations.SCHEMA_VERSION:
            self.store = store
            return store
        try:
            self.folder = tempfile.mkdtemp(prefix="annotator-merge-")
            copy = Path(self.folder) / self.path.name
            backups.copy_database(store.conn, copy)
        finally:
            store.close()
        self.store = ProjectStore(copy)  # opening it upgrades the copy
        return self.store

    def __exit__(self, *exc) -> None:
        if self.store is not None:
            self.store.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _grow_schema(out: ProjectStore, incoming: Schema, report: MergeReport) -> Schema:
    change = union_schema(out.current_schema(), incoming, report.path.name)
    report.schema_notes = change.notes
    if change.changed:
        out.set_schema(change.schema)
        report.schema_notes.insert(0, "added " + ", ".join(change.added + change.updated))
    return change.schema


def _known_names(schema: Schema) -> set[tuple[str, str]]:
    """(kind, name) pairs a merged row may carry: the span kinds and the event kinds."""
    return (
        {("entity", name) for name in schema.label_names}
        | {("trigger", t.name) for t in schema.events}
        | {("event", t.name) for t in schema.events}
        | {("relation", t.name) for t in schema.relations}
    )


# Names every copy inherits from the project handed out (imported annotations): they tell
# nothing about whose copy a file is.
SHARED_NAMES = frozenset({"import"})


def _register(out: ProjectStore, path: Path, names: set[str]) -> tuple[int, bool]:
    """The input's row in merge_sources, marked merging; and whether it was merged before.

    The same path is not always the same copy: two annotators both send "project.db" and it
    is saved in turn into the same folder. A file is taken for the copy last merged from its
    path when the people in it (`names`, merge_read.names_in) overlap the people that merge
    brought; other people are another copy, registered as a new source under the path with
    " #2", " #3"... so neither layer replaces the other. Names, not a per-project identity
    in meta: a copy of a copy (Save a copy, `annotator backup`, a file manager's copy) would
    carry the same identity, while the names stored with every row say whose work it is
    whichever way the file was copied. Limit: two files whose rows carry no name at all are
    told apart only by path."""
    key = os.fspath(path.resolve())
    mine = names - SHARED_NAMES
    with out.write():
        rows = [
            row
            for row in out.conn.execute(
                "SELECT id, path, annotators FROM merge_sources WHERE substr(path, 1, ?) = ? "
                "ORDER BY id",
                (len(key), key),
            )
            if row[1] == key or row[1].startswith(key + " #")
        ]
        for source_id, _, annotators in rows:
            theirs = set(json.loads(annotators or "[]")) - SHARED_NAMES
            if not mine or not theirs or mine & theirs:
                out.conn.execute(
                    "UPDATE merge_sources SET state = ? WHERE id = ?", (MERGING, source_id)
                )
                return source_id, True
        taken = {row[1] for row in rows}
        label, n = key, 1
        while label in taken:
            n += 1
            label = f"{key} #{n}"
        cursor = out.conn.execute(
            "INSERT INTO merge_sources (path, state, merged) VALUES (?, ?, ?)",
            (label, MERGING, time.time()),
        )
        return int(cursor.lastrowid or 0), False


def _match(out: ProjectStore, articles: list[tuple], report: MergeReport) -> dict[int, int]:
    """Input article id -> output article id, adding the articles the output lacks; an
    external id the output holds with another text is refused (reported, left out)."""
    by_ext = merge_rows.find_articles(out.conn, "ext_id", [a[1] for a in articles if a[1]])
    by_text = merge_rows.find_articles(out.conn, "text_hash", [a[2] for a in articles])
    found: dict[int, int] = {}
    new = []
    for article in articles:
        src_id, ext_id, digest = article[:3]
        if ext_id and ext_id in by_ext:
            out_id, out_digest = by_ext[ext_id]
            if out_digest != digest:
                report.refused.append(
                    f"{report.path}: article {ext_id!r} (#{src_id}): the project has an "
                    "article with this id and a different text; its annotations were not merged"
                )
                continue
            found[src_id] = out_id
        elif digest in by_text:
            found[src_id] = by_text[digest][0]
        else:
            new.append(article)
    report.matched += len(found)
    report.added += len(new)
    found.update(merge_rows.add_articles(out.conn, new, time.time()))
    return found


def _finish(
    out: ProjectStore, source_id: int, touched: set[int], report: MergeReport, names: set[str]
) -> None:
    """Drop what an earlier merge of this input brought to articles it no longer covers,
    and mark the input merged."""
    gone = [a for a in merge_drop.leftover_articles(out.conn, source_id) if a not in touched]
    with out.write():
        for i in range(0, len(gone), BATCH):
            kept = merge_drop.drop_layer(out.conn, source_id, gone[i : i + BATCH])
            report.stale += len(kept.spans) + len(kept.events)
        if gone:
            merge_rows.count_annotations(out.conn, gone, time.time())
        out.conn.execute(
            "UPDATE merge_sources SET state = ?, annotators = ?, articles = ?, merged = ? "
            "WHERE id = ?",
            (MERGED, json.dumps(sorted(report.layers)), len(touched), time.time(), source_id),
        )
    report.finished = True
    # The file's names, not only the layers it added: a copy all of whose rows another file
    # brought already (merge_write.py) added nothing, and is still the same person's.
    for name, other in merge_adopt.other_sources(out.conn, source_id, sorted(names - SHARED_NAMES)):
        report.notes.append(
            f"{name} also has a layer merged from {other}: both are kept (what is the same in "
            "both, once; merge an updated copy from the same place to replace its layer)"
        )
