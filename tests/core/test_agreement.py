"""Agreement figures on cases small enough to work out by hand (the arithmetic is written in
each test), and against library implementations of the same coefficients: scikit-learn's
cohen_kappa_score and nltk's AnnotationTask (Light's kappa: the mean of the pairs')."""

import random

import pytest

from annotator.core.agreement import (
    Agreement,
    ArticleLayers,
    LayerUnits,
    LayerArgument,
    LayerEvent,
    LayerSpan,
    spacy_tokens,
)
from annotator.core.tokens import Tokens

TEXT = "Alice met Bob in Paris today"
#       0    5 6  9 10 13 14 17 22 23 28   tokens: Alice met Bob in Paris today
ALICE, BOB, PARIS, PARIS_TODAY = (0, 5), (10, 13), (17, 22), (17, 28)


def S(offsets, label):
    return LayerSpan(offsets[0], offsets[1], label)


def agree(articles, annotators=("A", "B"), label=None):
    return Agreement(list(annotators), spacy_tokens("en"), label).add_all(articles).result()


def test_spans_exact_overlap_kappa_by_hand():
    a = LayerUnits((S(ALICE, "PER"), S(BOB, "PER"), S(PARIS, "LOC")))
    b = LayerUnits((S(ALICE, "PER"), S(BOB, "LOC"), S(PARIS_TODAY, "LOC")))
    result = agree([ArticleLayers(1, TEXT, {"A": a, "B": b})])
    pair = result["pairs"][0]
    spans = pair["spans"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("A", "B", 1)
    # exact: only Alice/PER is in both; F1 = 2·1 / (3 + 3)
    assert spans["matched_exact"] == 1 and spans["f1_exact"] == pytest.approx(1 / 3)
    # PER: A 2, B 1, matched 1 -> 2/3; LOC: A 1, B 2, matched 0 -> 0
    assert spans["by_label"]["PER"]["f1_exact"] == pytest.approx(2 / 3)
    assert spans["by_label"]["LOC"]["f1_exact"] == 0
    # overlap: Alice, and Paris/LOC against "Paris today"/LOC; Bob differs in label: 2·2/6
    assert spans["f1_overlap"] == pytest.approx(2 / 3)
    assert spans["by_label"]["LOC"]["f1_overlap"] == pytest.approx(2 / 3)
    # tokens (IO): A = PER O PER O LOC O, B = PER O LOC O LOC LOC
    # p_o = 4/6; marginals A: PER 2, LOC 1, O 3; B: PER 1, LOC 3, O 2
    # p_e = (2·1 + 1·3 + 3·2) / 36 = 11/36; kappa = (24/36 - 11/36) / (25/36) = 13/25
    assert spans["tokens"] == 6
    assert spans["kappa_tokens"] == pytest.approx(13 / 25)
    # PER alone: both 1, A only 1, B only 0, neither 4: p_o = 5/6,
    # p_e = (2·1 + 4·5) / 36 = 22/36, kappa = (30/36 - 22/36) / (14/36) = 8/14
    assert spans["by_label"]["PER"]["kappa_tokens"] == pytest.approx(8 / 14)
    # two annotators: overall is the pair
    assert result["overall"]["spans"]["f1_exact"] == pytest.approx(1 / 3)
    assert result["overall"]["spans"]["kappa_tokens"] == pytest.approx(13 / 25)


def test_overlap_matching_is_one_to_one():
    # one long span of A overlaps two short ones of B: one match, not two (2·1 / 3)
    a = LayerUnits((LayerSpan(0, 13, "PER"),))
    b = LayerUnits((S(ALICE, "PER"), S(BOB, "PER")))
    spans = agree([ArticleLayers(1, TEXT, {"A": a, "B": b})])["pairs"][0]["spans"]
    assert spans["matched_overlap"] == 1 and spans["f1_overlap"] == pytest.approx(2 / 3)
    assert spans["matched_exact"] == 0


STRIKE = (40, 46)
TEXT2 = "Militants from X attacked Y near Z; the strike killed W. Leaders met."
#                                          ^ 40..46 "strike"


def test_events_trigger_and_argument_f1_by_hand():
    assert TEXT2[40:46] == "strike"
    attacker, target, place, other = (15, 16), (26, 27), (33, 34), (54, 55)
    spans = tuple(S(x, "ORG") for x in (attacker, target, place, other))
    attack_a = LayerEvent(
        "Attack", *STRIKE,
        (LayerArgument("Attacker", *attacker), LayerArgument("Target", *target),
         LayerArgument("Place", *place)),
    )
    attack_b = LayerEvent(
        "Attack", *STRIKE,
        (LayerArgument("Attacker", *attacker), LayerArgument("Target", *other)),
    )
    meet_b = LayerEvent("Meet", 65, 68)
    a = LayerUnits(spans, (attack_a,))
    b = LayerUnits(spans, (attack_b, meet_b))
    events = agree([ArticleLayers(1, TEXT2, {"A": a, "B": b})])["pairs"][0]["events"]
    # triggers: A 1, B 2, matched 1 (same offsets, same type): 2·1 / 3
    assert (events["a"], events["b"], events["matched"]) == (1, 2, 1)
    assert events["trigger_f1"] == pytest.approx(2 / 3)
    # arguments of the matched events: A 3, B 2, matched 1 (Attacker): 2·1 / 5
    assert events["argument_f1"] == pytest.approx(0.4)
    assert events["by_role"]["Attacker"]["argument_f1"] == 1.0
    assert events["by_role"]["Target"]["argument_f1"] == 0.0
    assert events["by_role"]["Place"] == {"a": 1, "b": 0, "matched": 0, "argument_f1": 0.0}
    assert events["by_type"]["Meet"]["trigger_f1"] == 0.0
    # a type differing on the same trigger is no match at all
    b2 = LayerUnits(spans, (LayerEvent("Die", *STRIKE, attack_b.arguments),))
    events = agree([ArticleLayers(1, TEXT2, {"A": a, "B": b2})])["pairs"][0]["events"]
    assert events["matched"] == 0 and events["argument_f1"] is None


def test_only_articles_both_touched_count():
    a = LayerUnits((S(ALICE, "PER"),))
    result = agree(
        [
            ArticleLayers(1, TEXT, {"A": a, "B": a}),
            ArticleLayers(2, TEXT, {"A": LayerUnits((S(BOB, "PER"),))}),  # B never touched it
        ]
    )
    pair = result["pairs"][0]
    assert pair["articles"] == 1 and pair["spans"]["f1_exact"] == 1.0
    assert pair["spans"]["tokens"] == 6


def test_label_filter_keeps_one_label():
    a = LayerUnits((S(ALICE, "PER"), S(BOB, "PER"), S(PARIS, "LOC")))
    b = LayerUnits((S(ALICE, "PER"), S(BOB, "LOC"), S(PARIS_TODAY, "LOC")))
    spans = agree([ArticleLayers(1, TEXT, {"A": a, "B": b})], label="PER")["pairs"][0]["spans"]
    assert list(spans["by_label"]) == ["PER"]
    assert (spans["a"], spans["b"], spans["f1_exact"]) == (2, 1, pytest.approx(2 / 3))


def _random_articles(seed, annotators, n_articles=15):
    rng = random.Random(seed)
    words = "the army said rebels from Kabul attacked a convoy near Geneva on Monday".split()
    labels = ["PER", "ORG", "LOC"]
    articles = []
    for article_id in range(1, n_articles + 1):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
        starts = [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]
        layers = {}
        for name in annotators:
            spans = []
            for _ in range(rng.randint(0, 5)):
                first = rng.randrange(len(starts))
                last = min(len(starts) - 1, first + rng.randint(0, 2))
                end = text.find(" ", starts[last])
                spans.append(LayerSpan(starts[first], len(text) if end < 0 else end,
                                       rng.choice(labels)))
            layers[name] = LayerUnits(tuple(spans))
        articles.append(ArticleLayers(article_id, text, layers))
    return articles


def _token_categories(article, name):
    """The IO category of each token for one annotator, written out the plain way."""
    tokens = Tokens(article.text)  # what the window snaps to, tokenized whole
    out = []
    for s, e in zip(tokens.starts, tokens.ends):
        labels = sorted({x.label for x in article.layers[name].spans if x.start < e and s < x.end})
        out.append("+".join(labels) or "O")
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_token_kappa_matches_scikit_learn(seed):
    from sklearn.metrics import cohen_kappa_score  # the test extra installs it
    articles = _random_articles(seed, ["A", "B"])
    a = [c for art in articles for c in _token_categories(art, "A")]
    b = [c for art in articles for c in _token_categories(art, "B")]
    pair = agree(articles)["pairs"][0]["spans"]
    assert pair["tokens"] == len(a)
    assert pair["kappa_tokens"] == pytest.approx(cohen_kappa_score(a, b))
    for label in pair["by_label"]:
        ya = [label in c.split("+") for c in a]
        yb = [label in c.split("+") for c in b]
        assert pair["by_label"][label]["kappa_tokens"] == pytest.approx(cohen_kappa_score(ya, yb))


def test_overall_kappa_matches_nltk_for_three_annotators():
    from nltk.metrics.agreement import AnnotationTask  # the test extra installs it
    names = ["ann", "bob", "cy"]
    articles = _random_articles(7, names, n_articles=10)
    data = []
    for article in articles:
        for name in names:
            for i, category in enumerate(_token_categories(article, name)):
                data.append((name, f"{article.article_id}:{i}", category))
    result = agree(articles, names)
    task = AnnotationTask(data=data)
    assert len(result["pairs"]) == 3
    assert result["overall"]["spans"]["kappa_tokens"] == pytest.approx(task.kappa())
    for pair in result["pairs"]:
        assert pair["spans"]["kappa_tokens"] == pytest.approx(
            task.kappa_pairwise(pair["a"], pair["b"])
        )


def test_undefined_figures_are_none_not_numbers():
    # nobody labelled anything: every token is O for both, kappa and alpha undefined
    empty = LayerUnits()
    result = agree([ArticleLayers(1, TEXT, {"A": empty, "B": empty})])
    spans = result["pairs"][0]["spans"]
    assert spans["f1_exact"] is None and spans["kappa_tokens"] is None
    assert spans["alpha_u"] is None


def test_needs_two_annotators():
    with pytest.raises(ValueError):
        Agreement(["A"], spacy_tokens("en"))


def _texts():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "data").rglob("*.txt"))]
    texts.append(
        "U.S. officials didn't say\u00a0why;\tthe  strike (at 3:40 a.m.) hit\n\n\u201cKataib\u201d "
        "e-mail: info@example.org, https://example.org/a?b=1 -- 1,200 km\u2026 caf\u00e9 \u00c5se"
    )
    return texts


def test_counted_tokens_are_the_windows_tokens():
    """Counting runs one by one gives the tokens of the whole text tokenized at once, and a
    span covers the same tokens, on the seeds, every test text and a text of hard cases."""
    counted = spacy_tokens("en")
    for text in _texts():
        whole = Tokens(text)
        assert counted.count(text) == len(whole)
        for start in range(0, len(text), max(1, len(text) // 40)):
            end = min(len(text), start + 17)
            expected = [s for s, e in zip(whole.starts, whole.ends) if s < end and start < e]
            assert counted.covering(text, start, end) == expected, (text[start:end],)
