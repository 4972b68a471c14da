"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 decrements None's count on every void method call; on Python 3.11 the
interpreter then aborts ("deallocating None") in the middle of laying out an article.
"""

import sys

from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QWidget


def test_void_methods_keep_none_alive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QTextLayout("text", QFont())
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.update()
        layout.setCacheEnabled(True)
    assert sys.getrefcount(None) >= before - 50
