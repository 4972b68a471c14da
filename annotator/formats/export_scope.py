"""What an export takes, said before it runs: "Exports the 37 done articles; 5 in progress
are left out." Half-done articles in a training set teach the model that what nobody has
labelled yet is no entity, so the export dialog says how many go out and how many stay, for
the choices made now (done only or not), from the same selection the export uses."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import DONE, IN_PROGRESS, NEW, SKIPPED
from annotator.store.project import ProjectStore

STATUSES = (DONE, IN_PROGRESS, NEW, SKIPPED)  # done first: what an export is mostly for

_WORDS = {DONE: "done", IN_PROGRESS: "in progress", NEW: "new", SKIPPED: "skipped"}


def _articles(count: int) -> str:
    return "1 article" if count == 1 else f"{count} articles"


def _listing(counts: dict[str, int]) -> str:
    """ "37 done, 5 in progress and 2 new" (statuses with none left out)."""
    parts = [f"{counts[s]} {_WORDS[s]}" for s in STATUSES if counts.get(s)]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "none"


@dataclass(frozen=True)
class ExportScope:
    everything: dict[str, int]  # articles per status in the project
    taken: dict[str, int]  # per status, the ones the export takes
    done_only: bool
    unlabelled: bool
    layer: str = ""  # the layer read, in words ("the gold layer (adjudicated)"); "": every one

    @property
    def count(self) -> int:
        return sum(self.taken.values())

    def project_line(self) -> str:
        total = sum(self.everything.values())
        return f"This project: {_articles(total)}, {_listing(self.everything)}."

    def export_line(self) -> str:
        left = {s: self.everything.get(s, 0) - self.taken.get(s, 0) for s in STATUSES}
        left = {s: n for s, n in left.items() if n > 0}
        if self.count == 0:
            said = "Exports nothing" + (": no article is marked done" if self.done_only else "")
        elif self.done_only:
            said = f"Exports the {self.count} done " + (
                "article" if self.count == 1 else "articles"
            )
        elif set(self.taken) <= {DONE}:
            said = f"Exports {_articles(self.count)} ({_listing(self.taken)})"
        else:
            said = f"Exports {_articles(self.count)}: {_listing(self.taken)}"
        if self.layer and self.count:
            said += f", from {self.layer}"
        if not left:
            return said + "."
        why = []
        if self.layer:
            why.append("those without that layer's annotations")
        if not self.done_only and not self.unlabelled and (left.get(NEW) or left.get(IN_PROGRESS)):
            why.append("those without spans")
        if left.get(SKIPPED) and not self.done_only:
            why.append("skipped ones")
        verb = "is" if sum(left.values()) == 1 else "are"
        reason = f" ({' and '.join(why)})" if why else ""
        return f"{said}; {_listing(left)} {verb} left out{reason}."

    def text(self) -> str:
        return f"{self.project_line()}\n{self.export_line()}"


def export_scope(
    store: ProjectStore,
    done_only: bool,
    unlabelled: bool = False,
    layer: str | None = None,
    layer_words: str = "",
) -> ExportScope:
    """`layer`: the store's read_layer for the export (None: every layer together), counted
    with; `layer_words` name it in the sentence."""
    before, store.read_layer = store.read_layer, layer
    try:
        taken = store.export_status_counts(done_only, unlabelled and not done_only)
    finally:
        store.read_layer = before
    return ExportScope(
        store.status_counts(), taken, done_only, unlabelled, layer_words if layer else ""
    )
