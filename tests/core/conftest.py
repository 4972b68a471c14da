import pytest

from annotator.core.session import Session
from annotator.formats.importer import import_paths

# One sentence with an attack in it: entities, a trigger and the roles to fill.
STRIKE = ("US forces killed the commander of Kataib Hezbollah in a drone strike in Baghdad "
          "on Wednesday.\n")


@pytest.fixture
def strike_session(store, tmp_path):
    """A session open on STRIKE, the project's only article."""
    (tmp_path / "a.txt").write_text(STRIKE)
    import_paths(store, [tmp_path / "a.txt"])
    session = Session(store)
    session.open_first()
    return session
