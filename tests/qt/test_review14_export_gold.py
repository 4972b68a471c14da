"""Review of issue 14: the export dialog's counts in a project with a gold layer. The dialog
offers "the gold layer (adjudicated)" first, and the export then takes only articles holding
gold rows; the sentence under it counts every done article of every layer."""

from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.layers import GOLD
from annotator.formats import registry
from annotator.qt.dialogs.export_options import ExportOptionsDialog
from annotator.qt.dialogs.layer_choice import export_layers, read_layer
from tests.agreement_helpers import two_layers


def test_the_counts_say_what_the_gold_export_takes(qtbot, store, tmp_path):
    two_layers(store)  # article 1: ann and bob
    (tmp_path / "b.txt").write_text("Second\n\nProtesters gathered in Basra on Friday.\n")
    (tmp_path / "c.txt").write_text("Third\n\nThe Pentagon said the strike was lawful.\n")
    from annotator.formats.importer import import_paths

    import_paths(store, [tmp_path / "b.txt", tmp_path / "c.txt"])
    store.write_layers([(2, "ann", LayerUnits((LayerSpan(23, 28, "GPE"),), ())),
                        (3, "bob", LayerUnits((LayerSpan(4, 12, "ORG"),), ()))])
    for article_id in (1, 2, 3):
        store.set_status(article_id, "done")
    store.fill_article_gold(1)  # only the first is adjudicated
    import annotator.formats.builtin  # noqa: F401  (registers)
    entry = registry.exporter('spacy')
    layers = export_layers(store)
    assert layers[0][0] == GOLD
    dialog = ExportOptionsDialog(entry, None, store, layers)
    qtbot.addWidget(dialog)
    dialog.done_only.setChecked(True)
    said = dialog.scope.text()
    store.read_layer = read_layer(dialog.options()["layer"])
    taken = store.export_ids(True)
    store.read_layer = None
    assert f"Exports the {len(taken)} done" in said, (said, taken)
