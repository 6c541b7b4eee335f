#!/bin/sh
# The ABI check of libscalekit.so against the baseline committed in abi/ (docs/abi.md).
#
#   scripts/abi.sh check    BUILD_DIR   compare BUILD_DIR/libscalekit.so with the baseline:
#                                       incompatible changes fail, additions are printed
#   scripts/abi.sh baseline BUILD_DIR   write the baseline from BUILD_DIR/libscalekit.so
#
# BUILD_DIR must be a build with DWARF (the gcc RelWithDebInfo one of `make test`).
# Only the types of the public headers count (--headers-dir), so internal structs
# may change freely. Locations are file names only, so the baseline does not
# depend on where the repository was cloned.
set -eu
mode=$1
build=$2
here=$(cd "$(dirname "$0")/.." && pwd)
baseline="$here/abi/libscalekit.abi"
lib="$build/libscalekit.so"
[ -f "$lib" ] || { echo "abi: no $lib; build first"; exit 1; }
dump() {
  abidw --no-corpus-path --no-comp-dir-path --short-locs --headers-dir "$here/include/scalekit" \
    --header-file "$build/include/scalekit/version.h" "$lib"
}
case "$mode" in
baseline)
  mkdir -p "$here/abi"
  dump > "$baseline"
  echo "abi: wrote $baseline ($(grep -c '<function-decl ' "$baseline") function declarations)"
  ;;
check)
  [ -f "$baseline" ] || { echo "abi: no baseline $baseline (make abi-baseline)"; exit 1; }
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  dump > "$tmp"
  set +e
  report=$(abidiff --suppressions "$here/abi/growth.suppr" --headers-dir1 "$here/include/scalekit" \
    --headers-dir2 "$here/include/scalekit" "$baseline" "$tmp")
  status=$?
  set -e
  # abidiff's status is a bit mask: 1 error, 2 usage, 4 ABI change, 8 incompatible change.
  if [ $((status & 3)) -ne 0 ]; then
    echo "$report"; echo "abi: abidiff failed (status $status)"; exit 1
  fi
  # abidiff calls only removals "incompatible"; for us a changed function or
  # variable (a struct reached from it changed other than by growing at its end,
  # which growth.suppr allows) breaks programs too. Added functions do not.
  broken=$(echo "$report" | awk '/changes summary:/ { sub(",", "", $4); sub(",", "", $6); n += $4 + $6 } END { print n + 0 }')
  if [ $((status & 8)) -ne 0 ] || [ "$broken" -ne 0 ]; then
    echo "$report"
    echo "abi: INCOMPATIBLE with the baseline. If that is intended, bump the SONAME"
    echo "     (CMakeLists.txt) and move the baseline: make abi-baseline (see docs/abi.md)"
    exit 1
  fi
  if [ $((status & 4)) -ne 0 ]; then
    echo "$report"
    echo "abi: compatible additions since the baseline; make abi-baseline records them"
  fi
  echo "abi: compatible with $baseline"
  ;;
*)
  echo "usage: $0 check|baseline BUILD_DIR"; exit 2 ;;
esac
