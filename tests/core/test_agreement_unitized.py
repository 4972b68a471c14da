"""Krippendorff's alpha for unitized data (uα, Krippendorff 2004), checked on the paper's
own example and on a continuum small enough to work out by hand."""

from collections import Counter

import pytest

from annotator.core.agreement import Agreement, ArticleLayers, LayerUnits, LayerSpan, spacy_tokens
from annotator.core.agreement.unitized import UnitizedAlpha, joint_alpha


def test_krippendorff_2004_example():
    # The paper's example: a continuum from 150 to 450 (here shifted to 0..300), two
    # observers. Category c: i has units at 225+70 and 370+30; j at 220+80, 355+20 and
    # 400+20. Category k: both have 180+60 and 300+50. The paper (and DKPro Statistics'
    # tests of it) give uD_o(c) = .0144, uD_e(c) = .0532, uα_c = .7286 (.7285 there, from
    # rounding), uD_o(k) = 0, uD_e(k) = .0490, uα_k = 1.
    corpus = Counter({300: 1})
    c = UnitizedAlpha(2)
    c.add(300, [[(75, 145), (220, 250)], [(70, 150), (205, 225), (250, 270)]])
    observed, expected = c.disagreements(corpus)
    assert observed == pytest.approx(0.0144, abs=5e-5)
    assert expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha(corpus) == pytest.approx(0.7286, abs=1e-4)
    k = UnitizedAlpha(2)
    k.add(300, [[(30, 90), (150, 200)], [(30, 90), (150, 200)]])
    observed, expected = k.disagreements(corpus)
    assert observed == 0 and expected == pytest.approx(0.0490, abs=5e-5)
    assert k.alpha(corpus) == 1.0
    # joint: 1 - (.0144 + 0) / (.0532 + .0490)
    assert joint_alpha([c, k], corpus) == pytest.approx(1 - 0.014444 / (0.053222 + 0.048979), abs=1e-4)


def test_small_continuum_by_hand():
    # L = 10; A has one unit [2, 5), B one unit [3, 5).
    # δ²: the units overlap: (2-3)² + (5-5)² = 1, counted for (A, B) and (B, A): 2; no unit
    # lies inside a gap of the other. uD_o = 2 / (2·1·10²) = 0.01.
    # Units 3 and 2 (N = 2); gaps: A 2 and 5, B 3 and 5.
    # l = 3: (N-1)/3·(2·27 - 3·9 + 3) = 10; gaps ≥ 3: 5, 3, 5 -> (3 + 1 + 3)·9 = 63
    # l = 2: (1/3)·(16 - 12 + 2) = 2; gaps ≥ 2: 2, 5, 3, 5 -> (1 + 4 + 2 + 4)·4 = 44
    # uD_e = (2/10)·(73 + 46) / (20·19 - (3·2 + 2·1)) = 23.8 / 372
    part = UnitizedAlpha(2)
    part.add(10, [[(2, 5)], [(3, 5)]])
    observed, expected = part.disagreements(Counter({10: 1}))
    assert observed == pytest.approx(0.01)
    assert expected == pytest.approx(23.8 / 372)
    assert part.alpha(Counter({10: 1})) == pytest.approx(1 - 0.01 / (23.8 / 372))


def test_unit_inside_a_gap_and_articles_without_the_label():
    # A marks [2, 4) where B marks nothing: δ² = 2² for (A, B) and (B, A) -> 8; a second
    # article where nobody used the label adds 10 to L and two gaps of 10.
    # uD_o = 8 / (2·1·20²) = 0.01. Unit 2 (N = 1): (N-1)/3·... = 0; gaps ≥ 2: A 2, 6; B 10;
    # and the empty article's 10, 10 -> (1 + 5 + 9 + 9 + 9)·4 = 132; uD_e = (2/20)·132 /
    # (40·39 - 2) = 13.2 / 1558
    part = UnitizedAlpha(2)
    part.add(10, [[(2, 4)], []])
    corpus = Counter({10: 2})
    observed, expected = part.disagreements(corpus)
    assert observed == pytest.approx(0.01)
    assert expected == pytest.approx(13.2 / 1558)


def test_overlapping_spans_of_one_annotator_merge_into_one_unit():
    part = UnitizedAlpha(2)
    part.add(10, [[(2, 4), (3, 5)], [(2, 5)]])
    assert part.alpha(Counter({10: 1})) == 1.0


def test_alpha_u_in_the_report_per_pair_and_for_three():
    text = "x" * 300
    c_i = LayerUnits((LayerSpan(75, 145, "c"), LayerSpan(220, 250, "c"), LayerSpan(30, 90, "k"),
                 LayerSpan(150, 200, "k")))
    c_j = LayerUnits((LayerSpan(70, 150, "c"), LayerSpan(205, 225, "c"), LayerSpan(250, 270, "c"),
                 LayerSpan(30, 90, "k"), LayerSpan(150, 200, "k")))
    result = Agreement(["i", "j"], spacy_tokens("en")).add_all(
        [ArticleLayers(1, text, {"i": c_i, "j": c_j})]).result()
    by_label = result["pairs"][0]["spans"]["by_label"]
    assert by_label["c"]["alpha_u"] == pytest.approx(0.7286, abs=1e-4)
    assert by_label["k"]["alpha_u"] == 1.0
    # three annotators who all agree: uα = 1 for every label and overall
    same = Agreement(["i", "j", "k"], spacy_tokens("en")).add_all(
        [ArticleLayers(1, text, {"i": c_j, "j": c_j, "k": c_j})]).result()
    assert same["overall"]["articles_all_annotators"] == 1
    assert same["overall"]["spans"]["alpha_u"] == 1.0
