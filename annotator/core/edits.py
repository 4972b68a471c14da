"""One class per kind of edit, each able to apply and revert itself on the store.

The GUI's undo stack and any script drive the same objects; each apply or revert is one
transaction, so an edit is either saved whole or not at all.
"""

from __future__ import annotations

from annotator.core.model import Span


class Edit:
    article_id: int
    description: str = "edit"

    def apply(self, store) -> None:
        raise NotImplementedError

    def revert(self, store) -> None:
        raise NotImplementedError


class AddSpan(Edit):
    def __init__(self, span: Span, text_length: int | None = None):
        self.span = span
        self.article_id = span.article_id
        self.description = f"add {span.label}"
        self._text_length = text_length
        self._old_status: str | None = None

    def apply(self, store) -> None:
        with store.db.atomic():
            self.span = store.insert_span(self.span, self._text_length)
            # The first span on a new article means work on it has started.
            if store.status_of(self.article_id) == "new":
                self._old_status = store.set_status(self.article_id, "in_progress")

    def revert(self, store) -> None:
        with store.db.atomic():
            store.delete_span(self.span.id)
            if self._old_status is not None:
                store.set_status(self.article_id, self._old_status)


class RemoveSpan(Edit):
    def __init__(self, span: Span):
        self.span = span
        self.article_id = span.article_id
        self.description = f"delete {span.label}"

    def apply(self, store) -> None:
        self.span = store.delete_span(self.span.id)

    def revert(self, store) -> None:
        store.insert_span(self.span)


class RelabelSpan(Edit):
    def __init__(self, span: Span, label: str):
        self.span = span
        self.label = label
        self.article_id = span.article_id
        self.description = f"relabel {span.label} as {label}"

    def apply(self, store) -> None:
        store.relabel_span(self.span.id, self.label)

    def revert(self, store) -> None:
        store.relabel_span(self.span.id, self.span.label)


class SetStatus(Edit):
    def __init__(self, article_id: int, status: str):
        self.article_id = article_id
        self.status = status
        self.description = f"mark {status.replace('_', ' ')}"
        self._old: str | None = None

    def apply(self, store) -> None:
        self._old = store.set_status(self.article_id, self.status)

    def revert(self, store) -> None:
        store.set_status(self.article_id, self._old or "new")
