"""The article's lines as the view draws them, for the core's ↑ ↓ Home End (core.cursor.Lines):
where text wraps depends on the view's width, so the view answers which line holds an offset
and which offset is drawn above or below it; the core decides which token that means."""

from __future__ import annotations

from annotator.qt.widgets.text_layout import TextLayout


class ViewLines:
    def __init__(self, layout: TextLayout):
        self.layout = layout

    def line_bounds(self, offset: int) -> tuple[int, int]:
        layout = self.layout
        if not layout.paragraphs:
            return 0, 0
        paragraph = layout.paragraphs[layout.paragraph_index(offset)]
        layout.ensure_broken(paragraph, offset)  # a long article's lines are made on demand
        if not paragraph.lines:
            return paragraph.start, paragraph.start + len(paragraph.text)
        line = layout.line_of(paragraph, offset)
        return line.start, line.end

    def line_step(self, offset: int, step: int) -> int | None:
        layout = self.layout
        if not layout.paragraphs:
            return None
        index = layout.paragraph_index(offset)
        paragraph = layout.paragraphs[index]
        x = layout.char_rect(offset).left()
        number = paragraph.lines.index(layout.line_of(paragraph, offset)) if paragraph.lines else 0
        if step > 0 and paragraph.lines and number + step >= len(paragraph.lines):
            # A paragraph broken partly: the line below may not be made yet.
            layout.ensure_broken(paragraph, paragraph.lines[-1].end)
        if 0 <= number + step < len(paragraph.lines):
            target, line = paragraph, paragraph.lines[number + step]
        else:
            if not 0 <= index + step < len(layout.paragraphs):
                return None
            target = layout.paragraphs[index + step]
            layout.ensure_broken(target, target.start if step > 0 else None)
            if not target.lines:
                return target.start
            line = target.lines[0] if step > 0 else target.lines[-1]
        y = target.top + line.y + line.text_height / 2
        return layout.offset_at(x, y, on_character=True)
