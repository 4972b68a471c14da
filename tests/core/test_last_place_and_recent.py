"""Where a project was left, and the recent projects' list: plain data, no window."""

import pytest

from annotator.core import recent_projects
from annotator.core.last_place import LastPlace


def test_a_place_round_trips_through_its_json():
    for place in (LastPlace(7), LastPlace(7, span=12), LastPlace(7, span=12, event=3),
                  LastPlace(7, text=(40, 52))):
        assert LastPlace.from_json(place.to_json()) == place


@pytest.mark.parametrize("raw", [None, "", "{", "[]", '{"span": 3}', '{"article": "x"}',
                                 '{"article": 1, "text": [5]}'])
def test_a_place_edited_into_nonsense_is_no_place(raw):
    assert LastPlace.from_json(raw) is None


def test_recent_projects_newest_first_once_each_at_most_ten(tmp_path):
    recent = []
    for n in range(12):
        recent = recent_projects.remember(recent, tmp_path / f"p{n}.db")
    assert len(recent) == 10 and recent[0].endswith("p11.db") and recent[-1].endswith("p2.db")
    again = recent_projects.remember(recent, tmp_path / "sub" / ".." / "p5.db")
    assert again[0].endswith("p5.db") and len(again) == 10
    assert sum(p.endswith("p5.db") for p in again) == 1
    (tmp_path / "p5.db").write_text("")
    assert recent_projects.existing(again) == [again[0]]
    assert str(tmp_path / "p5.db") not in recent_projects.forget(again, tmp_path / "p5.db")
