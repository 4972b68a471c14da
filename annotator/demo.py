"""The demo project `annotator` opens when no project is given: the articles in seeds/.

Built once in the user's data folder and reused afterwards, so what a person labels in the
demo is still there next time. When a newer version ships other seeds (articles or the demo
schema), they are added to the existing demo; nothing in it is removed. No Qt here.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from annotator.core.schema import load_schema
from annotator.formats.importer import import_paths
from annotator.formats.records import ImportReport
from annotator.paths import default_schema_path, seeds_dir
from annotator.store.project import ProjectStore


def data_dir() -> Path:
    # The XDG spec says to ignore a relative XDG_DATA_HOME.
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "annotator"


def demo_schema_path() -> Path:
    own = seeds_dir() / "demo-schema.toml"
    return own if own.is_file() else default_schema_path()


def seed_files() -> list[Path]:
    folder = seeds_dir()
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".jsonl"))


def seeds_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [demo_schema_path(), *seed_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_demo_project(path: Path) -> ImportReport:
    """Write a fresh demo project to `path` (which must not exist yet)."""
    store = ProjectStore(path, load_schema(demo_schema_path()))
    try:
        report = import_paths(store, seed_files())
        store.set_meta("demo_seeds", seeds_fingerprint())
        return report
    finally:
        store.close()


def refresh_demo_project(path: Path) -> None:
    """Bring seeds this version ships and the demo lacks into it (imports leave out the
    articles it has, by id or text; the schema file is merged, never replaced)."""
    from annotator.store.schema_changes import merge_into_project

    fingerprint = seeds_fingerprint()
    store = ProjectStore(path)
    try:
        if store.get_meta("demo_seeds") == fingerprint:
            return
        merge_into_project(store, demo_schema_path())
        import_paths(store, seed_files())
        store.set_meta("demo_seeds", fingerprint)
    finally:
        store.close()


def demo_project_path() -> Path:
    """The demo project, built on first use."""
    target = data_dir() / "demo.db"
    if target.is_file() and target.stat().st_size > 0:
        refresh_demo_project(target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built under a temporary name and renamed when complete: a crash halfway never leaves
    # a half-built demo that later runs would take for the real one.
    handle, temp = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=target.parent)
    os.close(handle)
    temp_path = Path(temp)
    try:
        temp_path.unlink()  # ProjectStore creates the file itself
        build_demo_project(temp_path)
        os.replace(temp_path, target)
    finally:
        for leftover in (temp_path, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return target
