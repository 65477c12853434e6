#!/bin/sh
# Installs the Debian packages the test suite drives for real: gnome-keyring and
# secret-tool on a private D-Bus, Chromium for browser sign-in, openssl for the
# test CA. Does nothing when they are all present.
set -eu
need=""
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v secret-tool >/dev/null 2>&1 || need="$need libsecret-tools"
command -v gnome-keyring-daemon >/dev/null 2>&1 || need="$need gnome-keyring"
command -v dbus-run-session >/dev/null 2>&1 || need="$need dbus"
command -v dbus-launch >/dev/null 2>&1 || need="$need dbus-x11"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v tmux >/dev/null 2>&1 || need="$need tmux"
command -v jq >/dev/null 2>&1 || need="$need jq" # the seed CI recipes pipe into jq
[ -z "$need" ] && exit 0

echo "Installing test dependencies:$need" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
  echo "✗ need root or sudo to install:$need" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086 # word splitting of the package list is intended
$sudo apt-get install -y -qq --no-install-recommends $need >&2
