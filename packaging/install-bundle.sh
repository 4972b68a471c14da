#!/usr/bin/env bash
# Installs the desktop bundle (dist/annotator, built by scripts/build-bundle.sh) for one user
# or system-wide, with its menu entry, AppStream metadata, icons and MIME type; --uninstall
# removes exactly what the install wrote (it keeps a list of it). See packaging/README.md.
#   packaging/install-bundle.sh [--prefix DIR] [--bundle DIR]     (default prefix ~/.local)
#   packaging/install-bundle.sh [--prefix DIR] --uninstall
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=$HOME/.local
bundle=$repo/dist/annotator
uninstall=false
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --bundle) bundle=${2:?--bundle needs a folder}; shift 2 ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install-bundle: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
# The menu entry's Exec line names the program by this path; these characters would need
# escapes there that some desktops read differently.
case $prefix in /*) full=$prefix ;; *) full=$PWD/$prefix ;; esac
case $full in *[\"\`\$\\]*) echo "install-bundle: choose a --prefix without \", \`, \$ or \\ in it" >&2; exit 2 ;; esac
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
app=$prefix/lib/annotator
manifest=$app/installed-files.txt

refresh_caches() {
  # Menus, file managers and icon themes read caches, not the files: rebuild those that exist.
  if command -v update-mime-database >/dev/null && [ -d "$prefix/share/mime/packages" ]; then
    update-mime-database "$prefix/share/mime"
  fi
  if command -v update-desktop-database >/dev/null && [ -d "$prefix/share/applications" ]; then
    update-desktop-database -q "$prefix/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
  fi
}

if $uninstall; then
  [ -f "$manifest" ] || { echo "install-bundle: annotator is not installed in $prefix (no $manifest)" >&2; exit 1; }
  while IFS= read -r file; do
    rm -f -- "$prefix/$file"
  done <"$manifest"
  rm -rf -- "$app"
  # The caches would otherwise still list the removed MIME type and menu entry.
  refresh_caches
  echo "install-bundle: removed annotator from $prefix"
  exit 0
fi

[ -x "$bundle/annotator" ] || { echo "install-bundle: no bundle at $bundle; build it first: scripts/build-bundle.sh" >&2; exit 1; }
[ ! -e "$app" ] || [ -f "$manifest" ] || { echo "install-bundle: $app exists and is not an annotator install; not touching it" >&2; exit 1; }
rm -rf -- "$app"
mkdir -p "$prefix/lib"
cp -a "$bundle" "$app"

installed=()
put() {  # put SOURCE RELATIVE-TARGET: install one file and note it for --uninstall
  install -Dm644 "$1" "$prefix/$2"
  installed+=("$2")
}
mkdir -p "$prefix/bin"
ln -sfn "../lib/annotator/annotator" "$prefix/bin/annotator"
installed+=("bin/annotator")
# The menu entry runs the installed program by its full path: ~/.local/bin is often not on
# the PATH a desktop session starts programs with.
entry=$(mktemp)
trap 'rm -f "$entry"' EXIT
sed "s|^Exec=annotator |Exec=\"$prefix/bin/annotator\" |" "$repo/packaging/annotator.desktop" >"$entry"
put "$entry" share/applications/annotator.desktop
put "$repo/packaging/io.github.annotator.Annotator.metainfo.xml" share/metainfo/io.github.annotator.Annotator.metainfo.xml
put "$repo/packaging/annotator-mime.xml" share/mime/packages/annotator.xml
put "$repo/resources/icons/annotator.svg" share/icons/hicolor/scalable/apps/annotator.svg
for png in "$repo"/resources/icons/hicolor/*/apps/annotator.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  put "$png" "share/icons/hicolor/$size/apps/annotator.png"
done
printf '%s\n' "${installed[@]}" >"$manifest"
refresh_caches
echo "install-bundle: installed annotator in $prefix (run $prefix/bin/annotator, or from the menu);" \
  "remove it with: packaging/install-bundle.sh --prefix $prefix --uninstall"
