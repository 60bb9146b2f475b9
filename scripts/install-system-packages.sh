#!/usr/bin/env bash
# Install the Debian packages glstream needs, only those missing (fast when all are there).
set -euo pipefail
packages=(
  xvfb xauth x11-utils mesa-utils libgl1-mesa-dri libglx-mesa0
  libxi-dev libglu1-mesa-dev libglew-dev libx11-dev libxext-dev pkg-config build-essential
  xpra python3-venv chromium fonts-dejavu-core
  xrestop
  ffmpeg
)
missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
