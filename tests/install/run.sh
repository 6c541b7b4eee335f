#!/bin/sh
# Installs the built library into a scratch prefix, then builds and runs a tiny
# program against the installed copy twice: with pkg-config, and with
# find_package(scalekit) from the CMake package config.
set -eu
build=$1
cc=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -n1 | xargs dirname)

test -f "$tmp/prefix/include/scalekit/scalekit.h"
test -f "$tmp/prefix/include/scalekit/version.h"
test -f "$libdir/libscalekit.a"
# The command line, its man page and completions (generated from its command table).
if [ -x "$tmp/prefix/bin/scalekit-emulator" ]; then
  test -x "$tmp/prefix/bin/scalekit"
  grep -q '^\.TH SCALEKIT 1' "$tmp/prefix/share/man/man1/scalekit.1"
  grep -q 'complete -F _scalekit scalekit' "$tmp/prefix/share/bash-completion/completions/scalekit"
  grep -q '^#compdef scalekit' "$tmp/prefix/share/zsh/site-functions/_scalekit"
fi
soname=$(objdump -p "$libdir/libscalekit.so" | awk '/SONAME/ {print $2}')
# 0.x carries major.minor (every 0.x minor may break the ABI): 0.2 since struct_size.
case "$soname" in libscalekit.so.0.2) ;; *) echo "bad SONAME: $soname (want libscalekit.so.0.2)"; exit 1 ;; esac
# Only the public API is exported.
bad=$(nm -D --defined-only "$libdir/libscalekit.so" | awk '{print $3}' | grep -v '^scalekit_' | grep -v '^_' || true)
if [ -n "$bad" ]; then echo "symbols exported outside scalekit_*: $bad"; exit 1; fi

export PKG_CONFIG_PATH="$libdir/pkgconfig"
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/hello" "$here/hello.c" $(pkg-config --cflags --libs scalekit)
LD_LIBRARY_PATH="$libdir" "$tmp/hello"
# The headers are usable from C++ too (extern "C", no C-only constructs).
if command -v c++ >/dev/null 2>&1; then
  printf '#include <scalekit/scalekit.h>\nint main() { scalekit_client_free(nullptr); return 0; }\n' > "$tmp/hello.cpp"
  c++ -std=c++11 -Wall -Wextra -Werror -o "$tmp/hello_cpp" "$tmp/hello.cpp" $(pkg-config --cflags --libs scalekit)
  LD_LIBRARY_PATH="$libdir" "$tmp/hello_cpp"
fi

mkdir "$tmp/cm"
cmake -S "$here" -B "$tmp/cm" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cm" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cm/hello_cmake"
echo "install test: headers, SONAME $soname, pkg-config and CMake package all work"
