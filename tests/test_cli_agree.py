"""`annotator agree`, run as a user would, on a project holding two annotators' layers."""

import json

import pytest

from annotator.cli import main
from annotator.core.agreement import LayerSpan, LayerUnits
from annotator.core.agreement.from_layers import article_layers
from annotator.core.layers import UNNAMED
from annotator.core.model import TRIGGER, Argument, Event, Span
from annotator.store import open_project
from tests.agreement_helpers import two_layers
from tests.conftest import on_disk


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "two.db"
    store = open_project(path)
    two_layers(store)
    store.close()
    return path


def test_layers_land_in_the_file_with_their_annotator(project):
    store = open_project(project)
    try:
        rows = on_disk(
            store, "SELECT annotator, kind, count(*) FROM spans GROUP BY annotator, kind ORDER BY 1, 2"
        )
        assert rows == [("ann", "entity", 6), ("ann", "trigger", 1), ("bob", "entity", 5),
                        ("bob", "trigger", 1)]
        assert on_disk(store, "SELECT count(*) FROM event_arguments") == [(5,)]
        assert on_disk(store, "SELECT annotator FROM events ORDER BY id") == [("ann",), ("bob",)]
        assert store.annotators() == ["ann", "bob"]
        [(article_id, text, layers)] = list(store.iter_layers_with_text())
        article = article_layers(article_id, text, layers, ["ann", "bob"])
        assert sorted(article.layers) == ["ann", "bob"]
        assert [a.role for a in article.layers["ann"].events[0].arguments] == [
            "Place", "Target", "Instrument"]
    finally:
        store.close()


def test_json_report(capsys, project):
    code, out, err = run(capsys, "agree", project, "--json")
    assert code == 0, err
    report = json.loads(out)
    [pair] = report["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("ann", "bob", 1)
    spans = pair["spans"]
    # ann 6 spans, bob 5; exact: Baghdad(1st), Kataib Hezbollah, drone -> 2·3 / 11
    assert (spans["a"], spans["b"], spans["matched_exact"]) == (6, 5, 3)
    assert spans["f1_exact"] == pytest.approx(6 / 11)
    # overlap adds Pentagon / The Pentagon (ORG): 2·4 / 11
    assert spans["f1_overlap"] == pytest.approx(8 / 11)
    assert spans["by_label"]["GPE"] == pytest.approx(
        {"a": 3, "b": 1, "matched_exact": 1, "f1_exact": 0.5, "matched_overlap": 1,
         "f1_overlap": 0.5, "kappa_tokens": spans["by_label"]["GPE"]["kappa_tokens"],
         "alpha_u": spans["by_label"]["GPE"]["alpha_u"]})
    assert 0 < spans["kappa_tokens"] < 1 and 0 < spans["alpha_u"] < 1
    events = pair["events"]
    # one Attack each on the same trigger; arguments 3 and 2, Place matches: 2·1 / 5
    assert events["trigger_f1"] == 1.0
    assert events["argument_f1"] == pytest.approx(0.4)
    assert events["by_role"]["Target"]["argument_f1"] == 0.0


def test_table_names_the_pairs_and_labels(capsys, project):
    code, out, _ = run(capsys, "agree", project)
    assert code == 0
    assert "ann (a) and bob (b): 1 shared article(s)" in out
    gpe = next(line for line in out.splitlines() if line.strip().startswith("GPE"))
    assert gpe.split()[:4] == ["GPE", "3", "1", "0.500"]
    assert "argument F1" in out and "Attack" in out and "Instrument" in out


def test_label_and_annotators_options(capsys, project):
    code, out, _ = run(capsys, "agree", project, "--json", "--label", "ORG",
                       "--annotators", "bob,ann")
    report = json.loads(out)
    pair = report["pairs"][0]
    assert (pair["a"], pair["b"]) == ("bob", "ann")
    assert list(pair["spans"]["by_label"]) == ["ORG"]
    assert pair["spans"]["f1_exact"] == pytest.approx(2 * 1 / 4)


def one_line(err):
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    return line


def test_unknown_annotator(capsys, project):
    code, out, err = run(capsys, "agree", project, "--annotators", "ann,cy")
    assert code == 1 and out == ""
    assert one_line(err) == (
        f"annotator: {project}: no annotations by 'cy' (annotators in this project: ann, bob)"
    )


def test_one_annotator_only(capsys, tmp_path):
    path = tmp_path / "one.db"
    store = open_project(path)
    two_layers(store)
    store.close()
    code, _, err = run(capsys, "agree", path, "--annotators", "ann")
    assert code == 1 and "agreement needs two annotators" in one_line(err)
    # a project where only one name is on the spans
    path2 = tmp_path / "solo.db"
    store = open_project(path2)
    from tests.agreement_helpers import SEED
    from annotator.formats.importer import import_paths

    import_paths(store, [SEED])
    store.write_layers([(1, "ann", LayerUnits((LayerSpan(0, 2, "ORG"),)))])
    store.close()
    code, _, err = run(capsys, "agree", path2)
    assert code == 1
    assert one_line(err) == (
        f"annotator: {path2}: only one annotator (ann) has annotations; agreement needs two"
    )


def test_no_shared_article(capsys, tmp_path):
    path = tmp_path / "apart.db"
    store = open_project(path)
    two_layers(store)  # article 1: ann and bob
    (tmp_path / "more.jsonl").write_text(
        '{"id": "m1", "text": "Rebels shelled Kabul."}\n'
        '{"id": "m2", "text": "Troops left Kabul."}\n', encoding="utf-8")
    from annotator.formats.importer import import_paths

    import_paths(store, [tmp_path / "more.jsonl"])
    store.write_layers([(2, "cy", LayerUnits((LayerSpan(15, 20, "GPE"),))),
                        (3, "dee", LayerUnits((LayerSpan(12, 17, "GPE"),)))])
    store.close()
    code, _, err = run(capsys, "agree", path, "--annotators", "cy,dee")
    assert code == 1
    assert one_line(err) == (
        f"annotator: {path}: cy and dee share no article: each compared article must hold "
        "annotations of both annotators"
    )
    # all four: the pairs that share articles are reported, the others say 0
    code, out, _ = run(capsys, "agree", path, "--json")
    report = json.loads(out)
    assert [(p["a"], p["b"], p["articles"]) for p in report["pairs"]] == [
        ("ann", "bob", 1), ("ann", "cy", 0), ("ann", "dee", 0), ("bob", "cy", 0),
        ("bob", "dee", 0), ("cy", "dee", 0)]
    assert report["overall"]["articles_all_annotators"] == 0
    assert report["overall"]["spans"]["alpha_u"] is None


def test_agree_is_in_the_help(capsys):
    code, out, _ = run(capsys, "--help")
    assert "agree PROJECT.db [--json] [--annotators A,B] [--label L]" in out


def test_a_layer_outside_the_text_is_refused_whole(tmp_path):
    from annotator.core.errors import EditRefused

    store = open_project(tmp_path / "bad.db")
    try:
        text = two_layers(store)
        before = on_disk(store, "SELECT count(*) FROM spans")
        with pytest.raises(EditRefused, match=f"span 5-{len(text) + 1} is not inside"):
            store.write_layers([(1, "cy", LayerUnits((LayerSpan(0, 4, "ORG"),))),
                                (1, "cy", LayerUnits((LayerSpan(5, len(text) + 1, "ORG"),)))])
        with pytest.raises(EditRefused, match="no article 9"):
            store.write_layers([(9, "cy", LayerUnits((LayerSpan(0, 4, "ORG"),)))])
        assert on_disk(store, "SELECT count(*) FROM spans") == before
    finally:
        store.close()


def test_rows_without_a_name_are_no_annotator(capsys, project):
    """A span stored before names were kept (annotator NULL, the layer "(unnamed)") is
    nobody's: the figures are ann's and bob's alone, and naming it is refused."""
    store = open_project(project)
    try:
        store.annotator = None
        store.insert_span(Span(None, 1, 0, 3, "ORG"))
        assert on_disk(store, "SELECT count(*) FROM spans WHERE annotator IS NULL") == [(1,)]
        assert store.annotators() == [UNNAMED, "ann", "bob"]
    finally:
        store.close()
    code, out, err = run(capsys, "agree", project, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["annotators"] == ["ann", "bob"]
    [pair] = report["pairs"]
    assert (pair["spans"]["a"], pair["spans"]["b"], pair["spans"]["matched_exact"]) == (6, 5, 3)
    code, out, err = run(capsys, "agree", project, "--annotators", f"ann,{UNNAMED}")
    assert code == 1 and out == ""
    assert f"{UNNAMED} is not an annotator: those rows were stored before names" in one_line(err)


def test_an_event_is_its_makers_whoever_marked_its_trigger(capsys, tmp_path):
    """In a merged project bob may add his Attack on ann's trigger, filled with ann's span:
    the event and its argument are bob's (their own annotator column), compared with ann's
    by type, trigger offsets, role and filler offsets."""
    path = tmp_path / "shared.db"
    store = open_project(path)
    try:
        text = "Rebels shelled Kabul on Monday."
        article = store.insert_article_row(
            text, title="t", ext_id="k1", digest="k1", meta={}, source="t"
        )
        store.annotator = "ann"
        kabul = store.insert_span(Span(None, article, 15, 20, "GPE"))
        shelled = store.insert_span(Span(None, article, 7, 14, "Conflict.Attack", kind=TRIGGER))
        store.insert_event(Event(None, article, "Conflict.Attack", shelled.id,
                                 (Argument(None, None, "Place", kabul.id),)))  # fmt: skip
        store.annotator = "bob"
        store.insert_event(Event(None, article, "Conflict.Attack", shelled.id,
                                 (Argument(None, None, "Place", kabul.id),)))  # fmt: skip
        assert on_disk(store, "SELECT annotator FROM events ORDER BY id") == [("ann",), ("bob",)]
    finally:
        store.close()
    code, out, err = run(capsys, "agree", path, "--json")
    assert code == 0, err
    [pair] = json.loads(out)["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("ann", "bob", 1)
    assert (pair["spans"]["a"], pair["spans"]["b"]) == (1, 0)  # the GPE is ann's alone
    events = pair["events"]
    assert (events["a"], events["b"], events["matched"], events["trigger_f1"]) == (1, 1, 1, 1.0)
    assert (events["arguments_a"], events["arguments_b"], events["argument_f1"]) == (1, 1, 1.0)
