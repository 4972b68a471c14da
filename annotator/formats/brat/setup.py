"""Reading brat folders: the annotation.conf of each folder, read once and merged into the
schema with its first document, and each document's external id from its place in the folder.

The importer makes one BratSetup per import (registry: Reader.setup) and asks it for the reader
of each brat file.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from annotator.formats.brat.conf import brat_names, find_conf, load_conf, renamed
from annotator.formats.brat.reader import read_brat
from annotator.formats.records import ImportReport
from annotator.formats.schema_growth import SchemaGrowth
from annotator.store.project import ProjectStore


def brat_ext_id(path: Path, root: Path | None) -> str:
    """A brat document's external id: its path under the imported folder, without suffix
    (esp/esp.train-doc-46), so that documents of the same name in two subfolders stay apart."""
    if root is None:
        return path.stem
    return path.relative_to(root).with_suffix("").as_posix()


class BratSetup:
    """The annotation.conf of each brat folder, read once, its notes reported once."""

    def __init__(self, report: ImportReport, unknown_labels: str):
        self.report, self.policy = report, unknown_labels
        self.seen: set[Path] = set()  # confs whose notes are reported
        self.named: set[Path] = set()  # confs whose renamed types are reported

    def reader(self, store: ProjectStore, path: Path, root: Path | None):
        conf_path = find_conf(path.parent, root)
        conf = load_conf(conf_path) if conf_path else None
        names = brat_names(store.schema)
        types, declared = store.schema, None
        if conf is not None:
            # The names our export wrote down into this conf say what its documents meant,
            # whatever the project (or another folder's conf) spells that way.
            names = names | conf.names
            if conf_path not in self.seen:
                self.seen.add(conf_path)
                self.report.notes += conf.notes
                if self.policy != "add":
                    self.report.note(
                        str(conf_path),
                        f"not merged into the schema (--unknown-labels {self.policy})",
                    )
            if self.policy == "add":
                declared = renamed(conf.schema, names)
                self._note_names(conf_path, conf.schema, names)
                growth = SchemaGrowth(store.schema, "add")
                growth.merge(declared)
                types = growth.schema
        return partial(
            read_brat, types=types, declared=declared, names=names, ext_id=brat_ext_id(path, root)
        )

    def _note_names(self, conf_path: Path, schema, names: dict[str, str]) -> None:
        if conf_path in self.named:
            return
        self.named.add(conf_path)
        declared = set(schema.names)
        used = sorted(f"{form} → {name}" for form, name in names.items() if form in declared)
        if used:
            self.report.note(
                str(conf_path), "brat's spellings read as the schema's names: " + ", ".join(used)
            )
