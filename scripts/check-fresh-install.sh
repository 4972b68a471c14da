#!/usr/bin/env bash
# Runs the README's two set-up commands exactly as written on a fresh Debian or Ubuntu that has
# only python3 (and git, CA certificates, sudo), with a clean environment (env -i), as root or
# as a user who may use sudo: command 1 must show the app's window on a virtual display, command
# 2 must pass the whole test suite. Each run uses a throw-away overlay of a cached base chroot
# (scripts/fresh-base.sh; ~2 min and ~400 MB the first time). Commit first: it clones HEAD.
# Usage, as root:  scripts/check-fresh-install.sh bookworm|trixie|noble [--as-user]
# Logs: $TMPDIR/fresh-RELEASE[-user]-{app,test}.log
set -euo pipefail
release=${1:?usage: check-fresh-install.sh bookworm|trixie|noble [--as-user]}
as_user=0; [ "${2:-}" = --as-user ] && as_user=1
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 1
tmp=${TMPDIR:-/tmp}; base=$tmp/fresh-$release
tag=$release; [ $as_user = 0 ] || tag=$release-user; log=$tmp/fresh-$tag
"$repo/scripts/fresh-base.sh" "$release" "$base" >"$log-base.log" 2>&1 || { echo "could not build the base (see $log-base.log)"; exit 1; }
w=$(mktemp -d "$tmp/fresh-run.XXXX"); mkdir -p "$w"/{u,wk,m}
mount -t overlay overlay -o "lowerdir=$base,upperdir=$w/u,workdir=$w/wk" "$w/m" || { echo "overlay mount failed"; exit 1; }
for m in proc sys dev dev/pts; do mount --bind /$m "$w/m/$m"; done
# A shared-memory folder of its own, world-writable as on any machine (multiprocessing's
# semaphores live there; the host's /dev bind does not carry its /dev/shm mount).
mount -t tmpfs -o mode=1777 tmpfs "$w/m/dev/shm"
mkdir -p "$w/m/tmp/.X11-unix" /tmp/.X11-unix; mount --bind /tmp/.X11-unix "$w/m/tmp/.X11-unix"
display=:$((90 + RANDOM % 100))
cleanup() {
  [ -n "${app:-}" ] && kill -- -"$app" 2>/dev/null; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
  sleep 1
  for m in tmp/.X11-unix dev/shm dev/pts dev sys proc; do umount -l "$w/m/$m" 2>/dev/null; done
  umount -l "$w/m" 2>/dev/null; rm -rf "$w"
}
trap cleanup EXIT
if [ $as_user = 1 ]; then home=/home/newcomer spec=newcomer:newcomer; else home=/root spec=0:0; fi
git clone -q "$repo" "$w/m$home/project" || exit 1
[ $as_user = 0 ] || chroot "$w/m" chown -R newcomer:newcomer "$home/project"
mapfile -t cmds < <(awk '/^## Set up/{s=1} s&&/^```sh/{b=1;next} b&&/^```/{exit} b&&!/^#/&&NF' "$w/m$home/project/README.md")
[ "${#cmds[@]}" -eq 2 ] || { echo "README's Set up block does not hold exactly two commands"; exit 1; }
run() {
  env -i HOME="$home" USER="${spec%%:*}" TERM=xterm DISPLAY="$display" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    chroot --userspec="$spec" "$w/m" bash -lc "cd $home/project && $1"
}
command -v Xvfb >/dev/null && command -v xdotool >/dev/null || apt-get install -y -qq xvfb xdotool x11-utils >/dev/null 2>&1
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!; sleep 1
echo "$tag, as $([ $as_user = 1 ] && echo 'newcomer (sudo)' || echo root), $(chroot "$w/m" python3 -V)"
echo "command 1: ${cmds[0]}"
start=$SECONDS
setsid bash -c "$(declare -f run); w=$w home=$home spec=$spec display=$display; run \"\$1\"" _ "${cmds[0]}" >"$log-app.log" 2>&1 & app=$!
win=""
while [ $((SECONDS - start)) -lt 900 ]; do
  win=$(DISPLAY=$display xdotool search --onlyvisible --name annotator 2>/dev/null | head -1 || true); [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || break; sleep 2
done
[ -n "$win" ] || { echo "command 1 showed no window; last line: $(grep -v '^\s*$' "$log-app.log" | tail -1)"; exit 1; }
echo "  window \"$(DISPLAY=$display xdotool getwindowname "$win")\" shown after $((SECONDS - start)) s"
! DISPLAY=$display import -window root "$log-window.png" 2>/dev/null || echo "  screenshot: $log-window.png"
kill -- -"$app" 2>/dev/null; app=""
echo "command 2: ${cmds[1]}"
start=$SECONDS
rc=0; run "${cmds[1]}" >"$log-test.log" 2>&1 || rc=$?
echo "  exit $rc after $((SECONDS - start)) s: $(grep -E '(passed|failed|error)' "$log-test.log" | tail -1)"
exit $rc
