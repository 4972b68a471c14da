#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Qt 6 needs to run (also offscreen, for the tests) and
# the X virtual framebuffer for screenshots. Does nothing when they are all there already.
set -euo pipefail

packages=(
  libgl1 libegl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0 fonts-dejavu-core
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 fonts-noto-color-emoji
)
# Asked for by scripts/setup.sh when Python's venv can't bootstrap pip (python3-venv).
read -r -a extra <<<"${EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: this script knows Debian and Ubuntu (apt-get); on other systems" >&2
  echo "install the equivalents of: ${packages[*]}" >&2
  exit 1
fi

installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

missing=()
for package in "${packages[@]}"; do
  # Debian 13 and Ubuntu 24.04 renamed some libraries for 64-bit time (libglib2.0-0t64);
  # apt installs the new name when asked for the old one, so either counts.
  installed "$package" || installed "${package}t64" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps: all ${#packages[@]} system packages are installed"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-system-deps: run as root or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-system-deps: installing ${missing[*]}"
# A freshly booted machine's unattended upgrades may hold apt's lock for a while: wait for it.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
"${sudo[@]}" "${apt[@]}" update -qq
"${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
