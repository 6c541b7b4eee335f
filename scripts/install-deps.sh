#!/bin/sh
# Installs the Debian packages the build, the tests and the demo need, when any
# is missing. Runs apt-get update once before installing. Needs root (or sudo).
set -eu
packages="build-essential cmake pkg-config clang libclang-rt-14-dev llvm
libcurl4-openssl-dev libssl-dev libjansson-dev libmicrohttpd-dev libsqlite3-dev
libcmocka-dev python3 python3-jsonschema curl wrk valgrind binutils abigail-tools"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
