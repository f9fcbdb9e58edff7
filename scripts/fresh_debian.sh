#!/usr/bin/env bash
# Check the README's test command on a fresh Debian 12: debootstrap a bare bookworm (python3, make, git only),
# clone this commit and ../shared into it, and run .ci/run there as CI does (CI=true, no stdin).
#   sudo scripts/fresh_debian.sh [FOLDER]   (default /var/tmp/partenariat-debian, about 3 GB, kept for a look
#   and replaced by the next run; 11-15 minutes; needs root)
# The chroot gets this machine's way to the registries (hosts, resolver, CA certificates, apt/pip/npm settings and
# PIP_*/NPM_CONFIG_* variables) and nothing else: every package comes from scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-/var/tmp/partenariat-debian}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" -eq 0 ] || { echo "fresh_debian: run as root (debootstrap and chroot)" >&2; exit 2; }
[ -d ../shared/seeds ] || { echo "fresh_debian: ../shared/seeds/ is missing beside the project" >&2; exit 2; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null

marker="$root/.partenariat-fresh-debian"  # only a folder this script made is ever deleted
if [ -e "$root" ] && [ ! -e "$marker" ] && [ -n "$(ls -A "$root")" ]; then
  echo "fresh_debian: $root exists and was not made by this script; give an empty or new folder" >&2; exit 2
fi
unmount() { { grep " $root/" /proc/mounts || true; } | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l; }
trap unmount EXIT
unmount
rm -rf "$root"
debootstrap --variant=minbase --include=python3,make,git,ca-certificates bookworm "$root" "$mirror" >/dev/null
touch "$marker"
cp /etc/hosts /etc/resolv.conf "$root/etc/"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/apt/apt.conf.d/99* "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" && rm -f "$root/etc/apt/sources.list"
fi
mkdir -p "$root/etc/xdg" "$root/root/.config"
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/"
[ -d /etc/xdg/pip ] && cp -a /etc/xdg/pip "$root/etc/xdg/"
[ -d "$HOME/.config/pip" ] && cp -a "$HOME/.config/pip" "$root/root/.config/"
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$root/root/"
# local package folders named in pip's settings (find-links, file:// indexes) are shared read-only
for dir in $( (cat /etc/pip.conf "$HOME/.config/pip/pip.conf" 2>/dev/null; echo "${PIP_FIND_LINKS:-}") |
              grep -oE '(file://|= *| |^)/[^ ]+' | sed -E 's|^(file://\|= *\| )||; s|/simple$||' | sort -u); do
  [ -d "$dir" ] && mkdir -p "$root$dir" && mount --bind -o ro "$dir" "$root$dir"
done
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
chroot "$root" update-ca-certificates >/dev/null 2>&1
mkdir -p "$root/root/w"
git clone -q . "$root/root/w/project"
cp -a ../shared "$root/root/w/shared"

mapfile -t passed < <(env | grep -E '^(PIP|NPM_CONFIG)_' || true)
echo "fresh_debian: running .ci/run of $(git rev-parse --short HEAD) in $root" >&2
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root CI=true \
  LANG=C.UTF-8 "${passed[@]}" /bin/bash -c 'cd /root/w/project && python3 --version && bash .ci/run' </dev/null
