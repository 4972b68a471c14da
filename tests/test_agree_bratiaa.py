"""Agreement on a real four-annotator project (issue 15, Must show 5): bratiaa's example,
seven CoNLL-2002 Spanish news documents labelled by Lisa, Maria, Max and Peter in brat
(tests/data/bratiaa-example, MIT). Each person's folder is imported as their own copy with
`--annotator`, the copies are merged with `annotator merge` (how annotators' separate work
arrives: a second person's files imported into the same project match the articles already
there and are reported, not added), and `annotator agree --json` is checked against the report
bratiaa published on the same files: its instance-based F1 is 2·|A∩B| / (|A| + |B|) over
(label, offsets) per pair of annotators, our span F1 exact, and it gives the mean and the
population SD over the six pairs, per label, per document and overall."""

import json
import re
import statistics
from itertools import combinations
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement import Agreement, spacy_tokens
from annotator.core.agreement.from_layers import article_layers
from annotator.store import open_project
from tests.conftest import on_disk

DATA = Path(__file__).parent / "data" / "bratiaa-example"
ANNOTATORS = ["Lisa", "Maria", "Max", "Peter"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def published(section: str) -> dict[str, tuple[float, float]]:
    """One table of bratiaa's report: row name -> (mean F1, SD F1), as printed."""
    text = (DATA / "instance-agreement-report.md").read_text(encoding="utf-8")
    table = text.split(f"## {section}")[1].split("##")[0]
    rows = re.findall(r"^\|\s*(\S+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|$", table, re.M)
    return {name: (float(mean), float(sd)) for name, mean, sd in rows}


def published_overall() -> tuple[float, float]:
    text = (DATA / "instance-agreement-report.md").read_text(encoding="utf-8")
    mean, sd = re.search(r"Mean F1: ([\d.]+), SD F1: ([\d.]+)", text).groups()
    return float(mean), float(sd)


def mean_sd(figures: list[float]) -> tuple[float, float]:
    return round(statistics.mean(figures), 3), round(statistics.pstdev(figures), 3)


def brat_entities(name: str) -> int:
    return sum(
        1
        for path in (DATA / name).glob("*.ann")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("T")
    )


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """The four copies imported and merged by the CLI (once for the module; its exit
    status is checked here, what it wrote in the tests)."""
    folder = tmp_path_factory.mktemp("bratiaa")
    copies = []
    for name in ANNOTATORS:
        copy = folder / f"{name}.db"
        assert main(["import", str(copy), str(DATA / name), "--annotator", name]) == 0
        copies.append(copy)
    out = folder / "all.db"
    assert main(["merge", str(out), *map(str, copies)]) == 0
    return out


def test_the_four_copies_merge_into_one_article_per_text_with_four_layers(merged):
    store = open_project(merged)
    try:
        assert on_disk(store, "SELECT count(*) FROM articles") == [(7,)]
        assert sorted(on_disk(store, "SELECT ext_id FROM articles")) == sorted(
            (p.stem,) for p in (DATA / "Lisa").glob("*.txt")
        )
        # every T line of each person's .ann files is one of their accepted spans
        counts = on_disk(
            store,
            "SELECT annotator, count(*) FROM spans WHERE state = 'accepted' GROUP BY 1 ORDER BY 1",
        )
        assert counts == [(name, brat_entities(name)) for name in ANNOTATORS]
        assert store.annotators() == ANNOTATORS
        assert all(sorted(layers) == ANNOTATORS for _, layers in store.iter_layers())
    finally:
        store.close()


def test_pairwise_exact_f1_gives_bratiaa_published_figures(capsys, merged):
    code, out, err = run(capsys, "agree", merged, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["annotators"] == ANNOTATORS and report["articles"] == 7
    pairs = report["pairs"]
    assert [(p["a"], p["b"]) for p in pairs] == list(combinations(ANNOTATORS, 2))
    assert all(p["articles"] == 7 and p["events"]["trigger_f1"] is None for p in pairs)

    overall = [p["spans"]["f1_exact"] for p in pairs]
    assert mean_sd(overall) == published_overall()  # (0.890, 0.053)

    by_label = published("Agreement per Label")
    assert sorted(by_label) == ["LOC", "MISC", "ORG", "PER"]
    for label, figures in by_label.items():
        assert mean_sd([p["spans"]["by_label"][label]["f1_exact"] for p in pairs]) == figures


def test_per_document_figures_match_too(merged):
    """bratiaa's per-document table: the same F1, one article at a time (the agreement core
    on each article's layers as the store streams them)."""
    by_document = published("Agreement per Document")
    assert len(by_document) == 7
    store = open_project(merged)
    try:
        tokens = spacy_tokens(store.schema.language)
        ext_ids = dict(on_disk(store, "SELECT id, ext_id FROM articles"))
        seen = {}
        for article_id, text, layers in store.iter_layers_with_text():
            agreement = Agreement(ANNOTATORS, tokens)
            agreement.add(article_layers(article_id, text, layers, ANNOTATORS))
            pairs = agreement.result()["pairs"]
            seen[f"{ext_ids[article_id]}.ann"] = mean_sd([p["spans"]["f1_exact"] for p in pairs])
    finally:
        store.close()
    assert seen == by_document


def test_a_second_persons_folder_imported_into_the_same_project_is_reported(capsys, tmp_path):
    """The other way a user might try: the texts are already there, so the second import adds
    no article and says, per file, that its spans were not added (never silently)."""
    project = tmp_path / "one.db"
    assert run(capsys, "import", project, DATA / "Lisa", "--annotator", "Lisa")[0] == 0
    code, out, err = run(capsys, "import", project, DATA / "Maria", "--annotator", "Maria")
    said = out + err
    assert "esp.train-doc-29.txt:1: same as article" in said
    assert "accepted span(s) were not added to it" in said
    store = open_project(project)
    try:
        assert on_disk(store, "SELECT count(*) FROM articles") == [(7,)]
        assert store.annotators() == ["Lisa"]
    finally:
        store.close()
    code, _, err = run(capsys, "agree", project)
    assert code == 1 and "only one annotator (Lisa) has annotations; agreement needs two" in err
