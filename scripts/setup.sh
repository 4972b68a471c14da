#!/usr/bin/env bash
# Sets the app up from this source tree in a virtual environment of its own, .venv/ at the top
# of the tree: the system packages Qt needs (and python3-venv) through apt, then the app with pip.
# Debian and Ubuntu's Python refuses system-wide pip installs (PEP 668) and ships without pip;
# a project-local environment needs neither and leaves the system alone.
#   scripts/setup.sh          the app:                  .venv/bin/annotator
#   scripts/setup.sh --test   the app and the test tools: .venv/bin/python -m pytest
# Runs again safely: what is there already is kept, only what is missing is added.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
case "${1:-}" in
  "") ;;
  --test) extras="[test]" ;;
  -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "setup: unknown option $1 (use --test or nothing)" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "setup: $python not found; install Python 3.11 or newer" >&2; exit 1; }
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: annotator needs Python 3.11 or newer; $python is $("$python" -V 2>&1)" >&2
  exit 1
fi

# Debian and Ubuntu keep venv's pip bootstrap (ensurepip) in the python3-venv package.
need_venv_package=0
"$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || need_venv_package=1
EXTRA_PACKAGES=$([ $need_venv_package = 1 ] && echo python3-venv || true) scripts/install-system-deps.sh

venv=.venv
mark=$venv/made-by-annotator-setup  # only an environment this script made is ever remade
remake() {  # $1: why
  if [ -f $mark ]; then
    echo "setup: $venv $1; making it again"
    rm -rf $venv
  else
    echo "setup: $venv $1, and it was not made by this script, so it is left as it is." >&2
    echo "setup: move it away (mv $venv $venv.old) and run scripts/setup.sh again." >&2
    exit 1
  fi
}
if [ -e $venv ] && [ ! -x $venv/bin/python ]; then
  remake "has no working python"
elif [ -x $venv/bin/python ]; then
  if ! $venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    remake "is $($venv/bin/python -V 2>&1 || echo 'a Python that does not start'), older than 3.11"
  elif ! $venv/bin/python -m pip --version >/dev/null 2>&1; then
    # An environment made without pip (uv venv, --without-pip, or a run stopped halfway):
    # given pip, not thrown away.
    echo "setup: $venv has no pip; adding it"
    $venv/bin/python -m ensurepip --upgrade >/dev/null || remake "has no pip and cannot get it"
  fi
fi
if [ ! -x $venv/bin/python ]; then
  echo "setup: making the virtual environment $venv"
  "$python" -m venv $venv
  touch $mark
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
# ANNOTATOR_INSTALLER=uv (what .ci/run sets) installs with uv, from PyPI into the environment:
# it fetches in parallel and caches what it fetched, so the wheel smoke test's second install
# takes seconds. pip stays the default: uv reads none of pip's settings (a mirror in pip.conf).
# --compile-bytecode does what pip does by default: without it, where PYTHONDONTWRITEBYTECODE
# is set, every process compiled spaCy's and Qt's modules again (~1.5 s of CPU each; the
# suite starts hundreds of processes: a clean clone's CI ran minutes longer).
if [ "${ANNOTATOR_INSTALLER:-pip}" = uv ] && $venv/bin/python -m pip install --quiet uv; then
  echo "setup: installing annotator${extras} into $venv (uv)"
  $venv/bin/python -m uv pip install --compile-bytecode --python $venv/bin/python -e ".${extras}"
else
  echo "setup: installing annotator${extras} into $venv (pip; the first time takes a few minutes)"
  $venv/bin/python -m pip install -e ".${extras}"
fi
echo "setup: done. Start the app with .venv/bin/annotator (or activate: . .venv/bin/activate)"
