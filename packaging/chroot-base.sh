#!/usr/bin/env bash
# The clean machine check-bundle.sh runs the bundle on: a Debian minbase chroot (bookworm) with
# only the shared libraries Qt needs, taken from scripts/install-system-deps.sh, and no Python,
# so a bundle that silently leans on a system Python or its packages fails here.
# Built once and kept (~1-2 min, ~300 MB); every check runs on a throw-away overlay of it.
# Usage, as root: packaging/chroot-base.sh DIR
set -euo pipefail
dir=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$dir/.ready" ] && exit 0
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
# The one list of runtime packages is install-system-deps.sh's: read it, don't copy it.
mapfile -t packages < <(sed -n '/^packages=(/,/^)/p' "$repo/scripts/install-system-deps.sh" \
  | sed 's/packages=(//; s/)//' | tr ' ' '\n' | grep -v '^$')
[ "${#packages[@]}" -gt 5 ] || { echo "chroot-base: no package list in install-system-deps.sh" >&2; exit 1; }
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
rm -rf "$dir"
debootstrap --variant=minbase bookworm "$dir" "$mirror"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
chroot "$dir" env DEBIAN_FRONTEND=noninteractive bash -c \
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${packages[*]} >/dev/null"
if chroot "$dir" sh -c 'command -v python3 || ls /usr/lib/python3*' >/dev/null 2>&1; then
  echo "chroot-base: python3 came in with the runtime packages; the check would prove nothing" >&2
  exit 1
fi
touch "$dir/.ready"
