"""The colour a new label gets, picked without ColorAide (core.colour_difference): the same
candidates, the same CIEDE2000 floats and so the same pick as ColorAide's, and an import that
adds a label no longer imports ColorAide."""

import json
import random
import subprocess
import sys

from annotator.core import colour_difference, colours
from annotator.core.schema import load_schema
from annotator.core.schema_rules import colours_of
from annotator.paths import default_schema_path


def _random_colour(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:  # greys: their a and b are rounding noise, the hardest case to match
        value = rng.randrange(256)
        return f"#{value:02x}{value:02x}{value:02x}"
    if kind < 0.3:
        return rng.choice(colours.CANDIDATES)
    return f"#{rng.randrange(1 << 24):06x}"


def _pick_with_coloraide(used: list[str]) -> str:
    """distinct_colour as it was: every difference measured by ColorAide."""
    best, best_gap = colours.CANDIDATES[0], -1.0
    for candidate in colours.CANDIDATES:
        gap = min(colours.difference(candidate, colour) for colour in used)
        if gap > best_gap + 1e-9:
            best, best_gap = candidate, gap
    return best


def test_the_written_out_candidates_are_those_coloraide_makes():
    assert colours.CANDIDATES == colours.hsl_candidates()
    assert len(set(colours.CANDIDATES)) == 96


def test_lab_and_ciede2000_are_coloraides_to_the_last_bit():
    rng = random.Random(16)
    for _ in range(1500):
        a, b = _random_colour(rng), _random_colour(rng)
        assert colour_difference.lab(a) == tuple(colours._lab(a).coords())
        assert colour_difference.difference(a, b) == colours.difference(a, b), (a, b)
    assert colour_difference.difference("#123456", "#123456") == 0.0


def test_the_colour_picked_is_the_one_coloraide_picked():
    rng = random.Random(7)
    news = colours_of(load_schema(default_schema_path()))
    cases = [news, news + ["#8439c6"], ["#ECD379"], [colours.CANDIDATES[5]] * 3]
    cases += [[_random_colour(rng) for _ in range(rng.randrange(1, 12))] for _ in range(12)]
    for used in cases:
        assert colours.distinct_colour(used) == _pick_with_coloraide([c.lower() for c in used])


def test_a_colour_named_in_a_schema_file_is_still_measured_by_coloraide():
    # Not "#rrggbb": the fast path can't read it, ColorAide can.
    used = ["red", "#79ec9a", "rgb(10 200 30)"]
    assert colours.distinct_colour(used) == _pick_with_coloraide(used)


def test_an_import_that_adds_a_label_gets_the_same_colour_without_importing_coloraide(tmp_path):
    data = tmp_path / "new-label.jsonl"
    data.write_text(json.dumps({"text": "Kyiv and Lviv.", "label": [[0, 4, "CITY_X"]]}) + "\n")
    project = tmp_path / "p.db"
    script = (
        "import sys, json\n"
        "from annotator.store import open_project\n"
        "from annotator.formats.importer import import_paths\n"
        f"store = open_project({str(project)!r})\n"
        f"import_paths(store, [{str(data)!r}], fmt='doccano')\n"
        "label = store.current_schema().label('CITY_X')\n"
        "print(json.dumps([label.color, 'coloraide' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    colour, imported = json.loads(out)
    assert imported is False
    news = colours_of(load_schema(default_schema_path()))
    assert colour == _pick_with_coloraide([c.lower() for c in news])
