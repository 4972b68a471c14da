"""The demo project `annotator` opens when no project is given: the articles in seeds/.

Built once in the user's data folder and reused afterwards, so what a person labels in the
demo is still there next time. When a newer version ships other seeds (articles or the demo
schema), what is new is added to the existing demo; what the person did to it stays. No Qt here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.last_place import LastPlace
from annotator.core.model import title_from_text
from annotator.core.schema import ANY_ENTITY, ANY_EVENT, EventType, Role, Schema, load_schema
from annotator.formats.importer import import_paths
from annotator.formats.records import ImportReport
from annotator.paths import default_schema_path, seeds_dir
from annotator.store.project import ProjectStore

# The project's founding article (seeds/README.md): the demo opens on it, and lists it first.
FOUNDING = "us-drone-strike-baghdad-militia-leader.txt"


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
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".jsonl")),
        key=lambda p: (p.name != FOUNDING, p.name),
    )


def seeds_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [demo_schema_path(), *seed_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_demo_project(path: Path) -> ImportReport:
    """Write a fresh demo project to `path` (which must not exist yet)."""
    schema = load_schema(demo_schema_path())
    store = ProjectStore(path, schema)
    try:
        report = import_paths(store, seed_files())
        start_on_founding_article(store)
        store.set_meta("demo_seeds", seeds_fingerprint())
        store.set_meta("demo_names", json.dumps(sorted(_names(schema))))
        return report
    finally:
        store.close()


def refresh_demo_project(path: Path) -> None:
    """Bring what this version ships and the demo lacks into it: seed articles (imports
    leave out those it has) and the demo schema's labels and types it never had. Names it
    had stay as the person left them: renamed, merged, recoloured or removed."""
    fingerprint = seeds_fingerprint()
    store = ProjectStore(path)
    try:
        start_on_founding_article(store)  # a demo built before it did, or never opened
        if store.get_meta("demo_seeds") == fingerprint:
            return
        shipped = load_schema(demo_schema_path())
        known = store.get_meta("demo_names")
        # A demo from before names were recorded can't tell new names from ones the person
        # removed: it takes none. A merge that fails leaves its names to try next time.
        if known is None or _add_new_names(
            store, shipped, _names(shipped) - set(json.loads(known))
        ):
            store.set_meta(
                "demo_names", json.dumps(sorted(_names(shipped) | set(json.loads(known or "[]"))))
            )
        import_paths(store, seed_files())
        store.set_meta("demo_seeds", fingerprint)
    finally:
        store.close()


def founding_article(store: ProjectStore) -> int | None:
    """The founding article's id in the demo (found by its title, the seed's first line)."""
    path = seeds_dir() / FOUNDING
    if not path.is_file():
        return None
    title = title_from_text(path.read_text(encoding="utf-8"))
    return next((row.id for row in store.article_rows() if row.title == title), None)


def start_on_founding_article(store: ProjectStore) -> None:
    """A demo not yet left anywhere opens on the founding article, not on the first file."""
    if store.last_place() is None:
        found = founding_article(store)
        if found is not None:
            store.save_last_place(LastPlace(found).to_json())


def _names(schema: Schema) -> set[str]:
    return set(schema.names)


def _add_new_names(store: ProjectStore, shipped: Schema, new: set[str]) -> bool:
    """Merge the shipped schema's new names into the demo's; False if that can't be done."""
    if not new:
        return True
    have = _names(store.schema) | new | {ANY_ENTITY, ANY_EVENT}

    def roles(t: EventType) -> tuple[Role, ...]:
        # A filler the person removed from the demo stays removed; a role left with no filler
        # would allow anything, so it goes instead.
        kept = (replace(r, fillers=tuple(f for f in r.fillers if f in have)) for r in t.roles)
        return tuple(r for r in kept if r.fillers or not t.role(r.name).fillers)

    subset = replace(
        shipped,
        entities=[label for label in shipped.entities if label.name in new],
        events=[replace(t, roles=roles(t)) for t in shipped.events if t.name in new],
        relations=[replace(t, roles=roles(t)) for t in shipped.relations if t.name in new],
    )
    try:
        store.merge_schema(subset, str(demo_schema_path()))
    except AnnotatorError as error:  # the demo opens as it is rather than not at all
        print(f"annotator: the demo's labels were not updated: {error}", file=sys.stderr)
        return False
    return True


def demo_project_path() -> Path:
    """The demo project, built on first use."""
    target = data_dir() / "demo.db"
    if target.is_file() and target.stat().st_size > 0:
        try:
            refresh_demo_project(target)
        except AnnotatorError as error:  # the demo opens as it is rather than not at all
            print(f"annotator: the demo project was not updated: {error}", file=sys.stderr)
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
