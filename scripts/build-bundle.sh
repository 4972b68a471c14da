#!/usr/bin/env bash
# Builds the one-folder Linux desktop bundle, dist/annotator/ (the program is
# dist/annotator/annotator), with PyInstaller in a throw-away virtual environment, so the
# Python that runs this script is not touched. Run from anywhere; see packaging/README.md.
#   BUNDLE_VENV  the build environment (default /tmp/bundle-venv; kept and reused)
#   PYTHON       the Python the bundle carries (default python3; 3.11+, with libpython as a
#                shared library: Debian's libpython3.11 package, or a --enable-shared build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${BUNDLE_VENV:-/tmp/bundle-venv}
python=${PYTHON:-python3}
start=$(date +%s)

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || {
  echo "build-bundle: needs Python 3.11 or newer as $python (set PYTHON=...)" >&2
  exit 1
}
if [ ! -x "$venv/bin/python" ]; then
  echo "build-bundle: creating the build environment $venv"
  "$python" -m venv "$venv" || {
    echo "build-bundle: '$python -m venv' failed; on Debian or Ubuntu: apt-get install python3-venv" >&2
    exit 1
  }
fi

# The app's own dependencies, read from pyproject.toml so that the bundle carries what a
# wheel would install, plus PyInstaller and its community hooks (spaCy, thinc, srsly).
mapfile -t requirements < <("$venv/bin/python" - "$repo/pyproject.toml" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as handle:
    print("\n".join(tomllib.load(handle)["project"]["dependencies"]))
PY
)
requirements+=("pyinstaller>=6.10,<7" "pyinstaller-hooks-contrib>=2024.8")
stamp="$venv/.annotator-bundle-requirements"
if [ "$(cat "$stamp" 2>/dev/null)" != "${requirements[*]}" ]; then
  echo "build-bundle: installing ${requirements[*]}"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${requirements[@]}"
  echo "${requirements[*]}" >"$stamp"
fi

echo "build-bundle: running PyInstaller (a few minutes)"
cd "$repo"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$repo/dist" --workpath "$repo/build/bundle" packaging/annotator.spec

# The least a bundle must do, checked here so a broken build never looks finished.
version=$("$repo/dist/annotator/annotator" --version)
echo "build-bundle: $version in dist/annotator/ ($(du -sh "$repo/dist/annotator" | cut -f1)," \
  "$(($(date +%s) - start)) s); check it on a machine without Python: packaging/check-bundle.sh"
