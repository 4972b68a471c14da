"""CoNLL / BIO / BILUO import and export, on flair's CoNLL 2003 and GermEval 2014 samples."""

from collections import Counter
from pathlib import Path

import pytest
from spacy.training.converters import conll_ner_to_docs

from annotator.core.model import Span
from annotator.formats.conll.bio import decode, encode, parse_tag
from annotator.formats.conll.writer import export_conll
from annotator.formats.importer import import_paths
from annotator.store import open_project

DATA = Path(__file__).resolve().parents[1] / "data" / "conll"
FEWSHOT = DATA / "fewshot_conll_1shot.txt"
GERMEVAL = DATA / "germeval14_NER-de-train.tsv"


def entities(store):
    out = []
    for article_id, text in store.conn.execute("SELECT id, text FROM articles ORDER BY id"):
        out += [(text[s.start:s.end], s.label) for s in store.spans(article_id)]
    return out


def test_conll_2003_without_docstart_is_one_article_per_sentence(store):
    report = import_paths(store, [FEWSHOT])
    assert report.ok and (report.articles, report.spans) == (2, 4) and not report.skipped
    assert entities(store) == [("Russian", "MISC"), ("Moscow", "LOC"), ("Interfax", "ORG"),
                               ("Lindsey", "PER")]
    first = store.article(1)
    assert first.text.startswith("Three Russian servicemen were killed on Saturday")
    assert first.text.endswith("Interfax news agency said .")
    assert report.labels_added == ["MISC", "PER"]


def test_germeval_reads_the_outer_column_after_the_index_and_keeps_comments(store):
    report = import_paths(store, [GERMEVAL])
    assert report.ok and (report.articles, report.spans) == (2, 5), report.summary()
    assert entities(store) == [("Schartau", "PER"), ("Tagesspiegel", "ORG"), ("Fischer", "PER"),
                               ("Wolf Peter Bree", "PER"), ("Libanon", "LOC")]
    article = store.article(1)
    assert article.text.startswith('Schartau sagte dem " Tagesspiegel "')
    assert article.meta["comments"] == ["n-tv.de vom 26.02.2005\t[2005-02-26]"]
    assert "überzeugend" in article.text  # UTF-8 kept


def test_conll_column_picks_the_nested_column(store):
    report = import_paths(store, [GERMEVAL], conll_column=-1)
    assert (report.articles, report.spans) == (2, 0)
    report = import_paths(store, [DATA / "germeval14_NER-de-dev.tsv"], conll_column=3)
    assert report.spans == 3


def test_docstart_blank_lines_and_every_tag_scheme(store, tmp_path):
    path = tmp_path / "mixed.conll"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\n"
        "Peter NNP B-NP B-PER\nBlackburn NNP I-NP L-PER\n\n"
        "-DOCSTART- -X- -X- O\n\n"
        "New NNP B-NP B-LOC\nYork NNP I-NP E-LOC\nand CC O O\nParis NNP B-NP U-LOC\n"
        "Rome NNP B-NP S-LOC\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert (report.articles, report.spans) == (2, 6), report.summary()
    assert store.article(1).text == "EU rejects German call\nPeter Blackburn"
    assert entities(store) == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER"),
                               ("New York", "LOC"), ("Paris", "LOC"), ("Rome", "LOC")]


def test_bad_lines_are_reported_with_file_and_line(store, tmp_path):
    path = tmp_path / "bad.bio"
    path.write_bytes(b"Baghdad\tB-GPE\r\nlonely\r\nstrike\tX-EVENT\r\n# a comment\r\n\r\n")
    report = import_paths(store, [path])
    assert report.ok and report.articles == 1
    assert report.skipped == [
        f"{path}:2: 1 column(s), not a token line (token in column 1, tag in column 2)",
        f"{path}:3: tag 'X-EVENT' is not O or B-/I-/L-/E-/U-/S-LABEL; the token is kept "
        "without a label",
    ]
    assert store.article(1).text == "Baghdad strike"  # CRLF: no \r in a tag or a token
    assert entities(store) == [("Baghdad", "GPE")]


def test_a_token_hash_with_a_tag_is_a_token_not_a_comment(store, tmp_path):
    path = tmp_path / "tweets.conll"
    path.write_text("# source: tweets\n#\tO\nBaghdad\tB-LOC\n", encoding="utf-8")
    import_paths(store, [path])
    article = store.article(1)
    assert article.text == "# Baghdad" and article.meta["comments"] == ["source: tweets"]


def test_empty_latin1_and_missing_columns_are_refused_clearly(store, tmp_path):
    empty = tmp_path / "empty.conll"
    empty.write_text("\n\n# only a comment\n")
    latin = tmp_path / "latin.conll"
    latin.write_bytes("Caf\xe9 B-ORG\n".encode("latin-1"))
    report = import_paths(store, [empty, latin])
    assert report.skipped == [f"{empty}:1: empty file (no token lines)"]
    assert report.failed_files[0].startswith(f"{latin}:1: not UTF-8")
    assert import_paths(store, [latin], encoding="latin-1").spans == 1
    assert "no tag column 7" in import_paths(store, [FEWSHOT], conll_column=7).failed_files[0]


def test_bio_decoding_and_encoding():
    tags = [parse_tag(t) for t in ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "L-LOC", "U-ORG",
                                   "B-X", "I-Y"]]
    assert decode(tags) == [(0, 2, "PER"), (2, 3, "PER"), (4, 6, "LOC"), (6, 7, "ORG"),
                            (7, 8, "X"), (8, 9, "Y")]
    assert parse_tag("B-") is None and parse_tag("o") is None
    assert encode(5, [(0, 2, "PER"), (3, 4, "LOC")]) == ["B-PER", "I-PER", "O", "B-LOC", "O"]
    assert encode(5, [(0, 3, "PER"), (3, 4, "LOC")], "biluo") == ["B-PER", "I-PER", "L-PER",
                                                                   "U-LOC", "O"]


# -- export ----------------------------------------------------------------------------------


def labelled(store, text, spans, status="done"):
    with store.write():
        article_id = store.insert_article_row(text, title=text[:20], ext_id=None,
                                              digest=str(hash(text)), meta={}, source="t")
    for start, end, label in spans:
        store.insert_span(Span(None, article_id, start, end, label))
    store.set_status(article_id, status)
    return article_id


def at(text, phrase, label):
    start = text.index(phrase)
    return start, start + len(phrase), label


def test_export_writes_docstart_tokens_tags_and_sentences(store, tmp_path):
    text = "Strike in Baghdad\n\nThe US Army struck Kataib Hezbollah. Officials in Iraq spoke."
    labelled(store, text, [at(text, "Baghdad", "GPE"), at(text, "US Army", "ORG"),
                           at(text, "Kataib Hezbollah", "ORG"),
                           at(text, "Army struck Kataib Hezbollah", "ORG"),
                           at(text, "Iraq", "GPE")])
    report = export_conll(store, tmp_path / "out.conll")
    written = (tmp_path / "out.conll").read_text(encoding="utf-8")
    assert written == (
        "-DOCSTART- -X- O O\n\n"
        "Strike O\nin O\nBaghdad B-GPE\n\n"
        "The O\nUS O\nArmy B-ORG\nstruck I-ORG\nKataib I-ORG\nHezbollah I-ORG\n. O\n\n"
        "Officials O\nin O\nIraq B-GPE\nspoke O\n. O\n\n")
    assert (report.articles, report.sentences, report.tokens) == (1, 3, 15)
    # "Army struck Kataib Hezbollah" (the longest) is tagged; the two it overlaps are listed.
    assert report.spans_by_label == Counter({"ORG": 1, "GPE": 2})
    assert [line.split(": ")[1] for line in report.overlapping] == [
        "23-30 'US Army' ORG", "38-54 'Kataib Hezbollah' ORG"]
    assert "Overlapping entities left out (one tag per token): 2" in report.summary()


def test_export_biluo_and_spacy_convert_reads_it(store, tmp_path):
    text = "Kataib Hezbollah fighters left Baghdad on Sunday.\nA second line about Iraq"
    labelled(store, text, [(0, 16, "ORG"), (31, 38, "GPE"), (70, 74, "GPE")])
    export_conll(store, tmp_path / "bio.conll")
    export_conll(store, tmp_path / "biluo.conll", scheme="biluo")
    assert "Baghdad U-GPE" in (tmp_path / "biluo.conll").read_text()
    for name in ("bio.conll", "biluo.conll"):
        docs = list(conll_ner_to_docs((tmp_path / name).read_text(), n_sents=0, no_print=True))
        assert [(e.text, e.label_) for e in docs[0].ents] == [
            ("Kataib Hezbollah", "ORG"), ("Baghdad", "GPE"), ("Iraq", "GPE")]
        assert len(list(docs[0].sents)) == 2  # the line break ended the first sentence


def test_a_line_break_inside_an_entity_does_not_split_it(store, tmp_path):
    labelled(store, "They met the New\nYork mayor", [(13, 21, "GPE")])
    export_conll(store, tmp_path / "out.conll")
    assert "New B-GPE\nYork I-GPE\nmayor O\n" in (tmp_path / "out.conll").read_text()


def test_whitespace_tokens_give_a_conll_file_back_unchanged(store, tmp_path):
    import_paths(store, [FEWSHOT])
    export_conll(store, tmp_path / "out.conll", tokens="whitespace")
    original = [line.split() for line in FEWSHOT.read_text().splitlines()]
    written = [line.split() for line in (tmp_path / "out.conll").read_text().splitlines()
               if not line.startswith("-DOCSTART-")]
    strip = lambda rows: [r for r in rows if r]  # noqa: E731
    assert strip(written) == strip(original)


def test_export_counts_the_attributes_notes_and_ids_conll_cannot_hold(tmp_path):
    import json

    meta = {"attributes": {"Negated": True}, "notes": ["check"],
            "normalizations": [{"type": "Reference", "ref": "Wikidata:Q1055", "text": "Hamburg"}]}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "Hamburg votes today.", "status": "done", "spans": [
        {"start": 0, "end": 7, "label": "GPE", "meta": meta}]}) + "\n", encoding="utf-8")
    project = open_project(tmp_path / "p.db")
    import_paths(project, [source])
    report = export_conll(project, tmp_path / "out.conll")
    assert ("1 attributes, 1 notes, 1 normalizations not written: CoNLL has no place for them"
            in report.summary())
    assert "Hamburg\tB-GPE" in (tmp_path / "out.conll").read_text(encoding="utf-8").replace(" ", "\t")
    project.close()
