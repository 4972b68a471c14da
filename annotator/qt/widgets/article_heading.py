"""The article's title above its text, when the text does not begin with it.

A .txt article's first line is its title and is shown as part of the text; a JSONL or CSV
record often carries a `title` apart from a `text` that starts with the dateline. That title
was only in the list (and the window's title bar): here it heads the article, as a
newspaper's would, and it is not part of the text (no offsets move, nothing can be labelled
in it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.session import ARTICLE, Session
from annotator.qt.qstring import as_qstring


def separate_title(title: str, text: str) -> str:
    """The title to show above the text: "" when there is none or the text begins with it."""
    title = " ".join(title.split())
    start = " ".join(text[: len(title) + 200].split())
    return "" if not title or start.startswith(title) else title


class ArticleHeading(QLabel):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("article-heading")
        self.setWordWrap(True)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.setFont(font)
        self.setContentsMargins(12, 8, 12, 4)
        self.hide()
        session.subscribe(self._changed)

    def _changed(self, what: str, _article_id: int) -> None:
        if what == ARTICLE:
            self.show_article()

    def show_article(self) -> None:
        article = self.session.article
        title = separate_title(article.title, article.text) if article else ""
        self.setText(as_qstring(title))
        self.setToolTip("The article's title (not part of its text)" if title else "")
        self.setVisible(bool(title))


def with_heading(view: QWidget, session: Session) -> QWidget:
    """The article view with its heading above it, as one pane of the window's splitter."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    column.heading = ArticleHeading(session, column)  # type: ignore[attr-defined]
    layout.addWidget(column.heading)  # type: ignore[attr-defined]
    layout.addWidget(view, 1)
    return column
