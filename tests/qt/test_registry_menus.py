"""File › Export lists the registry's exporters, with the menu text and shortcut each declares."""

from annotator.formats import registry


def export_entries(window) -> list[tuple[str, str]]:
    file_menu = window.menuBar().actions()[0].menu()
    return [(a.text(), a.shortcut().toString()) for a in file_menu.actions()
            if a.text().startswith(("&Export", "Export"))]


def test_the_file_menu_offers_every_registered_exporter(window):
    assert export_entries(window) == [
        ("&Export for spaCy…", "Ctrl+E"), ("Export &JSONL…", "Ctrl+Shift+E"),
        ("Export &brat standoff…", ""), ("Export &CoNLL (BIO)…", ""),
        ("Export &doccano JSONL…", "")]


def test_a_registered_exporter_gets_a_menu_entry(qtbot, project, monkeypatch):
    from annotator.qt.controllers import file_menu as transfer
    from annotator.qt.main_window import MainWindow

    monkeypatch.setattr(registry, "EXPORTERS", dict(registry.EXPORTERS))
    registry.register_exporter(registry.Exporter(
        "dummy", "json:dumps", False, "OUT.dum", "a dummy", "A dummy.", "Export d&ummy…",
        shortcut="Ctrl+Alt+U", suffix=".dum"))
    chosen = []
    monkeypatch.setattr(transfer, "export_as", lambda window, kind: chosen.append(kind))
    window = MainWindow(project)
    qtbot.addWidget(window)
    assert export_entries(window)[-1] == ("Export d&ummy…", "Ctrl+Alt+U")
    window.actions.exports["dummy"].trigger()
    assert chosen == ["dummy"]
