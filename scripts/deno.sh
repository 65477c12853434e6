#!/bin/sh
# Runs Deno for this project. Uses `deno` from PATH when there is one; otherwise
# installs the pinned version below from the npm registry into .tools/deno
# (Node and npm are all a fresh machine needs) and runs that.
set -eu
DENO_VERSION=2.9.6 # the one place the Deno version is pinned

here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
if [ -z "${ENTRA_AUTH_CLI_PINNED_DENO:-}" ] && command -v deno >/dev/null 2>&1; then
  exec deno "$@"
fi
bin="$here/.tools/deno/node_modules/.bin/deno"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "^deno $DENO_VERSION "; then
  echo "Installing Deno $DENO_VERSION from npm into .tools/deno ..." >&2
  mkdir -p "$here/.tools/deno"
  npm install --prefix "$here/.tools/deno" --no-save --no-audit --no-fund --loglevel=error \
    "deno@$DENO_VERSION" >&2
fi
exec "$bin" "$@"
