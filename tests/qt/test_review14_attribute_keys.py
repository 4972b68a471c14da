"""Review of issue 14: an attribute's key may be a menu's Alt+letter (the menu bar's
mnemonics: &File, &Edit, &View, &Article, &Review, &Help). The attributes dialog checks the
key map only, so Alt+R is accepted; pressed, it then does not set the attribute."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.qt.test_attributes_gui import attack, meta


def test_an_attribute_key_on_a_menu_mnemonic_is_refused_or_works(qtbot, window):
    dialog = window.attribute_keys.open_dialog()
    qtbot.addWidget(dialog)
    dialog.add_row(["Confidence", "High|Low", "<EVENT>", "", "Alt+R", "How sure the source is"])
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    if dialog.isVisible():  # refused, with a reason: fine
        assert "Alt+R" in dialog.problem.text()
        return
    attack(window)
    QTest.keyClick(window.view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert meta(window.store, "events")[0].get("attributes") == {"Confidence": "High"}
