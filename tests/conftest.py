import atexit
import os
import shutil
import tempfile

# Without a platform Qt aborts the whole test process on a machine with no display; set it
# before pytest-qt creates the QApplication. A real display (xvfb-run) can still be chosen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user's settings (QSettings: identity, recent projects, view choices) go to a folder of
# the test run's own, never the real ~/.config; subprocesses the tests start inherit it.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-test-config-")

import sqlite3  # noqa: E402

import pytest  # noqa: E402

from annotator.store import open_project  # noqa: E402


# The tests' folders (tmp_path) go to a RAM disk when the machine has one with room to spare:
# every saved edit is fsynced (synchronous=FULL), and on a busy virtual disk the fsyncs were
# half the suite's time (tests/store: 281 s on disk, 152 s on /dev/shm). Nothing a test checks
# needs the disk itself: a crash is a killed process, which loses nothing the kernel holds, and
# the full and read-only disks are tmpfs mounts of their own (small_disk). --basetemp DIR, or
# ANNOTATOR_TEST_TMP=disk, keeps them on disk (and DIR after the run, to look into).
RAM_DISK = "/dev/shm"
RAM_DISK_ROOM = 2 << 30  # bytes free that a run may take a share of (it writes ~0.5 GB)


def pytest_configure(config):
    if config.option.basetemp or hasattr(config, "workerinput"):  # given, or a worker's own
        return
    if os.environ.get("ANNOTATOR_TEST_TMP", "ram") != "ram" or not os.access(RAM_DISK, os.W_OK):
        return
    if shutil.disk_usage(RAM_DISK).free < RAM_DISK_ROOM:
        return
    config._annotator_ram_tmp = tempfile.mkdtemp(prefix="annotator-tests-", dir=RAM_DISK)
    config.option.basetemp = os.path.join(config._annotator_ram_tmp, "basetemp")
    # The folders tests make with tempfile themselves (property tests make a project per
    # example) go there too: on disk, each example's fsyncs cost more than its checks.
    config._annotator_tempdir = tempfile.tempdir
    tempfile.tempdir = os.path.join(config._annotator_ram_tmp, "tempfile")
    os.mkdir(tempfile.tempdir)


def pytest_unconfigure(config):
    """The RAM disk's folder goes when the run ends: what it holds takes memory until then."""
    made = getattr(config, "_annotator_ram_tmp", None)
    if made:
        tempfile.tempdir = config._annotator_tempdir
        shutil.rmtree(made, ignore_errors=True)


@pytest.fixture(scope="session")
def empty_project_file(tmp_path_factory):
    """A new project as open_project makes it (every migration, the default schema, the search
    indexes), made once: each test's `store` is a copy. Made per test, the migrations' thirty
    transactions were a fifth of a second of every test on a busy machine."""
    path = tmp_path_factory.mktemp("empty-project") / "project.db"
    open_project(path).close()
    assert not path.with_name("project.db-wal").exists()  # closed whole: the file is all of it
    return path


_EMPTY_PROJECT: list[str] = []  # the one made for new_project, once per test process


def new_project(path):
    """open_project on a new file, for tests that make many (an example of a property test
    each): a copy of one made once, as `store` is, instead of thirty migrations each time."""
    if not _EMPTY_PROJECT:
        folder = tempfile.mkdtemp(prefix="annotator-empty-")
        atexit.register(shutil.rmtree, folder, True)  # off the RAM disk, it would stay
        made = os.path.join(folder, "project.db")
        open_project(made).close()
        _EMPTY_PROJECT.append(made)
    shutil.copyfile(_EMPTY_PROJECT[0], path)
    return open_project(path)


@pytest.fixture
def store(tmp_path, empty_project_file):
    """An empty project (the default news schema) in the test's own folder; tests that need
    articles import them, as a person would."""
    shutil.copyfile(empty_project_file, tmp_path / "project.db")
    project = open_project(tmp_path / "project.db")
    yield project
    project.close()


def on_disk(store, sql, *args):
    """Read what is on disk through a connection of our own, as another program would."""
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


class Disk:
    """A small tmpfs mounted for one test: fills up for real (ENOSPC, SQLITE_FULL) and can be
    remounted read-only, as a full disk or a write-protected USB stick would be."""

    def __init__(self, path):
        self.path = path

    def read_only(self) -> None:
        import subprocess

        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def fill(self) -> None:
        """Take every free byte, as another program filling the disk would."""
        handle = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(handle, b"\0" * 4096):
                pass
        except OSError:
            pass  # ENOSPC: the disk is full
        finally:
            os.close(handle)


@pytest.fixture
def small_disk(tmp_path):
    """Make a tmpfs; call it with the size in kB. Skipped (saying why) where mounting is
    refused: a non-root user, a container without the capability."""
    import shutil
    import subprocess

    mounted = []

    def make(kilobytes: int = 256) -> Disk:
        if shutil.which("mount") is None:
            pytest.skip("no mount command: can't make a small disk")
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs was refused ({done.stderr.strip()}): needs root")
        mounted.append(where)
        return Disk(where)

    yield make
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)
