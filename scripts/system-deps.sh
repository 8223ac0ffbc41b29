#!/usr/bin/env bash
# Installs the Debian packages the station and its tests need (Qt's X11/EGL libraries, Xvfb and
# xdotool for the end-to-end test, socat for serial pty tests, fonts; libpulse0 for the scan
# sounds: Qt Multimedia's QSoundEffect plays nothing without it; zbar-tools: zbarimg decodes the
# customer display's VietQR in its tests; postgresql: the server binaries, initdb + pg_ctl, of the
# throwaway cluster the tests start, tests/postgres_cluster.py). Idempotent and quiet when
# everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail
PKGS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
      libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libfontconfig1
      libdbus-1-3 libpulse0 xvfb xauth xdotool socat imagemagick nsis p7zip-full zbar-tools
      postgresql)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not available; please install: ${missing[*]}" >&2; exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "system-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
