"""Each article's reading place: leaving an article and coming back, or reopening the
project, shows the text where it was. The place is the offset of the first character shown
(not a pixel position, which changes with the window's width). Places are remembered in
memory as articles are left and saved in one short write then, never while scrolling; one
the file could not take (another program writing) is kept and saved with the next."""

from __future__ import annotations

from typing import Protocol


class PlaceStore(Protocol):
    def reading_place(self, article_id: int) -> int | None: ...

    def save_reading_places(self, places: dict[int, int]) -> bool: ...


class ReadingPlaces:
    def __init__(self, store: PlaceStore):
        self.store = store
        self.unsaved: dict[int, int] = {}
        self.known: dict[int, int] = {}  # read or left in this session

    def leave(self, article_id: int, offset: int) -> None:
        """The article is left (another opens, the window closes) with `offset` on top."""
        if self.known.get(article_id) != offset:
            self.known[article_id] = offset
            self.unsaved[article_id] = offset
        self.save()

    def save(self) -> bool:
        if self.unsaved and self.store.save_reading_places(self.unsaved):
            self.unsaved = {}
        return not self.unsaved

    def place(self, article_id: int) -> int:
        """Where to show the article from: where it was left, else its start."""
        if article_id not in self.known:
            self.known[article_id] = self.store.reading_place(article_id) or 0
        return self.known[article_id]
