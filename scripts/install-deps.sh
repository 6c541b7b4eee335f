#!/bin/sh
# Installs what the build, the tests and the demo need, when any is missing:
# Debian packages (apt-get update once before installing; needs root or sudo),
# and for the browser tests Node.js and playwright-core from npm
# (tests/browser/package-lock.json), driving Debian's chromium.
set -eu
packages="build-essential cmake pkg-config clang libclang-rt-14-dev llvm
libcurl4-openssl-dev libssl-dev libjansson-dev libmicrohttpd-dev libsqlite3-dev
libcbor-dev libcmocka-dev python3 python3-jsonschema curl wrk valgrind binutils abigail-tools
chromium"
# Node.js: any installed one will do (playwright-core needs 20 or newer);
# else Debian's nodejs and npm.
command -v node >/dev/null 2>&1 || packages="$packages nodejs"
command -v npm >/dev/null 2>&1 || packages="$packages npm"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

here=$(cd "$(dirname "$0")/.." && pwd)
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "install-deps: node $(node --version) is too old for playwright-core (20 or newer)" >&2
  exit 1
fi
if [ ! -f "$here/tests/browser/node_modules/playwright-core/package.json" ]; then
  echo "installing: playwright-core (npm, tests/browser)"
  (cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
