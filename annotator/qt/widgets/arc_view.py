"""The article view's event arcs (a mixin of ArticleView): every event's arcs, for which the
lines keep room, the selected event's, drawn a little heavier, the choice between showing all
or only those (View > Show all events' arcs), and the arc under the mouse with its tooltip.
Each change repaints only the rows of the arcs it touched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from annotator.qt.user_settings import user_settings
from annotator.qt.widgets.arc_layout import Link
from annotator.qt.widgets.arc_settling import ArcSettling
from annotator.qt.widgets.text_layout import TextLayout


class ArcView:
    text_layout: TextLayout
    links: list[Link]  # the selected event's
    all_links: list[Link]
    _selected_links: set[Link]
    selected_event_id: int | None
    all_arcs: bool
    hovered_link: Link | None
    hover_ends: set[int]
    arc_settling: ArcSettling | None = None  # made on first use (it is a child QObject)

    if TYPE_CHECKING:  # provided by ArticleView (a QAbstractScrollArea); never shadowed here

        def viewport(self) -> QWidget: ...
        def update_rows(self, top: float, bottom: float) -> None: ...
        def _update_scrollbar(self) -> None: ...

    def set_links(self, links: list[Link], event_id: int | None = None) -> None:
        """The selected event's arcs (drawn in either mode, a little heavier): only the rows
        of the arcs that were and are selected are repainted."""
        if links != self.links or event_id != self.selected_event_id:
            for rows in self._link_rows([*self.links, *links]):
                self.update_rows(*rows)
            self.links = links
            self._selected_links = set(links)
            self.selected_event_id = event_id

    def set_arcs(
        self,
        links: list[Link],
        removed: list[Link] | None = None,
        added: list[Link] | None = None,
    ) -> None:
        """Every event's arcs: the lines make room for all of them, whichever are drawn, so
        selecting another event moves no text. With what an edit took away and brought,
        only the lines those arcs touch are laid out again and repainted."""
        if links is self.all_links:
            return
        if removed is None or added is None:
            if links == self.all_links:
                return
        self.all_links = links
        if self.hovered_link is not None and self.hovered_link not in links:
            self._hover(None)
        height = self.text_layout.height
        if removed is None or added is None:
            rows = self.text_layout.set_arcs(links)
            self.settle_arcs()  # many arcs are slotted lazily: their room is closed up later
        else:
            rows = self.text_layout.update_arcs(links, removed, added)
        if self.text_layout.height != height:
            self._update_scrollbar()
        if rows is not None:
            self.update_rows(*rows)

    def settle_arcs(self, pause_ms: int = 0) -> None:
        """Lines given arcs lazily get exactly the room they take: those on screen now, the
        rest in the turns to come (after `pause_ms`)."""
        if self.arc_settling is None:
            self.arc_settling = ArcSettling(self)
        self.arc_settling.start(pause_ms)

    def set_all_arcs(self, on: bool) -> None:
        self.all_arcs = on
        user_settings().setValue("view/all_arcs", on)
        if self.hovered_link is not None and not self.arc_shown(self.hovered_link):
            self._hover(None)
        self.viewport().update()

    def arc_shown(self, link: Link) -> bool:
        return self.all_arcs or link in self._selected_links

    def shown_links(self) -> list[Link]:
        return [link for link in self.all_links if self.arc_shown(link)]

    def _hover(self, link: Link | None) -> None:
        if link == self.hovered_link:
            return
        self.hovered_link = link
        self.hover_ends = {link.trigger.id, link.argument.id} if link else set()  # type: ignore[misc]
        self.viewport().update()

    def arc_tip(self, link: Link) -> str:
        text = self.text_layout.text
        filler = text[link.argument.start : link.argument.end]
        trigger = text[link.trigger.start : link.trigger.end]
        return (
            f"{link.role} of {link.event_type} “{trigger}”\n"
            f"filled by “{filler}” ({link.argument.label})"
            + ("\nThe filler's label is not one the role accepts" if link.override else "")
        )

    def _link_rows(self, links: list[Link]) -> list[tuple[float, float]]:
        """The rows an event's arcs are drawn over: from the top of the room above the higher
        end's line (rows_of includes it) to the lower end's bottom."""
        rows = []
        for link in links:
            ends = [
                self.text_layout.rows_of(span.start, span.end)
                for span in (link.trigger, link.argument)
            ]
            rows.append((min(t for t, _ in ends), max(b for _, b in ends)))
        return rows
