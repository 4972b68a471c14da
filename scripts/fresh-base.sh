#!/usr/bin/env bash
# Builds (once) a pristine chroot of a fresh Debian or Ubuntu release with only what such a
# machine has: python3, git, CA certificates, sudo, and a user `newcomer` allowed to use sudo.
# Used by scripts/check-fresh-install.sh, which runs each check in a throw-away overlay of it.
# Usage, as root:  scripts/fresh-base.sh bookworm|trixie|noble DIR
set -euo pipefail
release=$1 dir=$2
[ -f "$dir/.ready" ] && exit 0
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
case $release in
  noble)
    # This host's debootstrap may predate noble; every Ubuntu release uses the same script.
    keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg
    if [ ! -f $keyring ]; then  # Debian does not package Ubuntu's keyring: take Ubuntu's own
      tmp=$(mktemp -d)
      curl -fsSL -o "$tmp/k.deb" http://archive.ubuntu.com/ubuntu/pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1_all.deb
      dpkg-deb -x "$tmp/k.deb" "$tmp/x" && cp "$tmp/x$keyring" $keyring && rm -rf "$tmp"
    fi
    mirror=http://archive.ubuntu.com/ubuntu
    script=/usr/share/debootstrap/scripts/gutsy
    components=main,universe ;;
  *)
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    mirror=${mirror:-http://deb.debian.org/debian}
    script=""
    components=main ;;
esac
rm -rf "$dir"
debootstrap --variant=minbase --components="$components" "$release" "$dir" "$mirror" $script
cp /etc/resolv.conf "$dir/etc/resolv.conf"
cp /etc/pip.conf "$dir/etc/pip.conf" 2>/dev/null || true
if [ "$release" = noble ]; then
  # A fresh Ubuntu install has the updates and security pockets and universe enabled.
  printf 'deb %s %s main universe\ndeb %s %s-updates main universe\ndeb %s %s-security main universe\n' \
    "$mirror" noble "$mirror" noble "$mirror" noble >"$dir/etc/apt/sources.list"
fi
chroot "$dir" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 git ca-certificates sudo >/dev/null'
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
  chroot "$dir" update-ca-certificates >/dev/null 2>&1 || true
fi
chroot "$dir" bash -c 'useradd -m -s /bin/bash newcomer && usermod -aG sudo newcomer && echo "newcomer ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/newcomer && chmod 440 /etc/sudoers.d/newcomer'
touch "$dir/.ready"
