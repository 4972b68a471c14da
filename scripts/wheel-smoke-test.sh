#!/usr/bin/env bash
# The app as a user installs it: builds the wheel from this tree, installs it into a fresh
# virtual environment and runs it from outside the source tree, where nothing of the tree can
# be found by accident. It must find its schema, seeds and icon, open the demo in a window
# (offscreen), import a file and export it for spaCy. Used by .ci/run; takes about a minute.
#   scripts/wheel-smoke-test.sh            (PYTHON=python3.12 to use another interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/annotator-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Built from a copy of the files git knows (committed or not, ignored ones left out): a stale
# build/ folder or an untracked file of the tree can't slip into the wheel.
mkdir -p "$work/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | xargs -0 cp --parents -t "$work/src"
echo "wheel-smoke-test: building the wheel"
"$python" -m venv "$work/venv"
# With ANNOTATOR_INSTALLER=uv (as in scripts/setup.sh, which .ci/run runs first) uv installs
# the build tool, the build's own environment and the wheel, from the cache setup.sh filled.
installer=(pip install --quiet) build_installer=()
if [ "${ANNOTATOR_INSTALLER:-pip}" = uv ] && "$work/venv/bin/python" -m pip install --quiet uv; then
  installer=(uv pip install --quiet --python "$work/venv/bin/python") build_installer=(--installer uv)
fi
"$work/venv/bin/python" -m "${installer[@]}" build
"$work/venv/bin/python" -m build "${build_installer[@]}" --wheel --outdir "$work/dist" "$work/src" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/annotator-*.whl)
echo "wheel-smoke-test: installing $(basename "$wheel") into a fresh environment"
"$work/venv/bin/python" -m "${installer[@]}" "$wheel"

mkdir -p "$work/run" && cd "$work/run"
# Bytecode written as it runs (as after a pip install, which compiles it): where
# PYTHONDONTWRITEBYTECODE is set, each of its commands compiled spaCy and Qt again (seconds each).
run() { env -u PYTHONPATH -u PYTHONDONTWRITEBYTECODE HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
  QT_QPA_PLATFORM=offscreen PATH="$work/venv/bin:$PATH" "$@"; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$src/pyproject.toml")
[ "$(run annotator --version)" = "annotator $version" ] || { echo "annotator --version: $(run annotator --version)"; exit 1; }

run python - "$src" <<'PY'
import sys
from pathlib import Path

import annotator
from annotator import paths

source = Path(sys.argv[1])
where = Path(annotator.__file__).resolve()
assert source not in where.parents, f"the app was imported from the source tree: {where}"
for path in (paths.default_schema_path(), paths.resources_dir() / "icons" / "annotator.svg",
             paths.seeds_dir() / "us-drone-strike-baghdad-militia-leader.txt"):
    assert path.is_file(), f"the installed app cannot find {path}"
    assert source not in path.resolve().parents, f"{path} comes from the source tree"

# The demo project in a window, as `annotator` with no argument opens it.
from PySide6.QtWidgets import QApplication

from annotator.demo import demo_project_path
from annotator.qt.app import make_app
from annotator.qt.main_window import MainWindow
from annotator.store.project import ProjectStore

app = make_app()
assert not app.windowIcon().isNull(), "the window has no icon"
store = ProjectStore(demo_project_path())
window = MainWindow(store)
window.show()
for _ in range(20):
    QApplication.processEvents()
title = window.windowTitle()
assert "demo" in title.lower(), title
assert store.count_articles() >= 1, "the demo project has no articles"
window.close()
store.close()
print(f"wheel-smoke-test: the installed app ({where.parent}) opened the demo: {title!r}")
PY

# And as the README starts it: `annotator` with no argument, the window on the demo.
# exec, so that $! is the app itself: killing a backgrounded function's subshell would leave
# the app running after the test.
(exec env -u PYTHONPATH -u PYTHONDONTWRITEBYTECODE HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
  QT_QPA_PLATFORM=offscreen PATH="$work/venv/bin:$PATH" annotator) >gui.log 2>&1 & gui=$!
for _ in $(seq 60); do
  [ -s "$work/data/annotator/demo.db" ] && sleep 3 && break
  kill -0 $gui 2>/dev/null || break
  sleep 0.5
done
kill -0 $gui 2>/dev/null || { echo "annotator (no argument) stopped:"; cat gui.log; exit 1; }
kill $gui; wait $gui 2>/dev/null || true
echo "wheel-smoke-test: \`annotator\` ran on the demo project"

cat >news.jsonl <<'JSONL'
{"id": "n1", "text": "Kataib Hezbollah said the strike near Baghdad killed two people.", "spans": [{"start": 0, "end": 16, "label": "ORG"}, {"start": 38, "end": 45, "label": "GPE"}]}
{"id": "n2", "text": "The Pentagon confirmed the strike on Thursday.", "spans": [{"start": 4, "end": 12, "label": "ORG"}]}
JSONL
run annotator import project.db news.jsonl
run annotator export spacy project.db out --dev-share 0.5
run python - <<'PY'
import spacy
from spacy.tokens import DocBin
from pathlib import Path

nlp = spacy.blank("en")
docs = [d for name in ("train", "dev") for path in sorted(Path("out", name).glob("*.spacy")) for d in DocBin().from_disk(path).get_docs(nlp.vocab)]
ents = sorted((e.text, e.label_) for d in docs for e in d.ents)
assert ents == [("Baghdad", "GPE"), ("Kataib Hezbollah", "ORG"), ("Pentagon", "ORG")], ents
print(f"wheel-smoke-test: import and spaCy export work: {len(docs)} docs, {len(ents)} entities")
PY
echo "wheel-smoke-test: passed"
