#!/usr/bin/env bash
# Downloads Debian 12 packages of another architecture and extracts them
# into a directory (a sysroot), without touching the host's dpkg state:
# apt runs with its own lists, cache and an empty status file.
#   ci/debian-arch-packages.sh ARCH DEST PACKAGE...
# An argument `deps-of:PKG` stands for the packages PKG directly depends on
# (the kernel image a linux-image-ARCH metapackage names today).
# Used for the aarch64 core's LLVM (llvm-19-dev:arm64, which cannot be
# installed beside the amd64 one) and the aarch64 VM's kernel.  A stamp
# naming the packages and their versions makes a second run with the same
# request a no-op.
set -euo pipefail
arch=$1 dest=$2; shift 2
state=${UMOL4_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/umol4}/apt-$arch
source "$(dirname "$0")/private-apt.sh"
private_apt "$state" -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
mkdir -p "$dest"

# Lists older than a day are refreshed; apt's own checks keep them honest.
if [ -z "$(find "$state/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  apt-get "${apt_opts[@]}" update >/dev/null
fi
pkgs=()
for p in "$@"; do
  if [[ $p == deps-of:* ]]; then
    pkgs+=($(apt-cache "${apt_opts[@]}" depends "${p#deps-of:}" | awk '/^  Depends:/ {print $2}'))
  else
    pkgs+=("$p")
  fi
done
want=""
for p in "${pkgs[@]}"; do
  v=$(apt-cache "${apt_opts[@]}" policy "$p" | awk '/Candidate:/ {print $2}')
  [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "debian-arch-packages: no $p for $arch" >&2; exit 1; }
  want+="$p=$v "
done
if [ "$(cat "$dest/.packages" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
(cd "$state/archives" && apt-get "${apt_opts[@]}" download $want >/dev/null)
for p in "${pkgs[@]}"; do
  for deb in "$state/archives/${p}_"*"_$arch.deb" "$state/archives/${p}_"*"_all.deb"; do
    [ -f "$deb" ] || continue
    dpkg-deb -x "$deb" "$dest"
  done
done
echo "$want" >"$dest/.packages"
echo "debian-arch-packages: $want-> $dest"
