# shellcheck shell=bash
# Sourced by scripts/test and scripts/soak.

ensure_debian_package() {
  # ensure_debian_package COMMAND PACKAGE WHY: Debian's package when COMMAND is missing.
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] && return
  echo "Installing Debian's $2 for $3…"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"
}
