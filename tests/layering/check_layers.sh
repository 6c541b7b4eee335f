#!/bin/sh
# The layering of src/ (see the top-level CMakeLists.txt), checked two ways:
#  1. includes: a file of layer L includes only "<layer it may use>/...", a header
#     of its own directory, or a public "scalekit/..." header; never "../".
#  2. symbols: no object of layer L needs a symbol that only a layer L may not
#     use defines (a call upward, even through a hand-written declaration).
# Usage: check_layers.sh SRC_DIR NM  LAYER USES OBJECTS  [LAYER USES OBJECTS]...
#   USES and OBJECTS are ':'-separated lists.
set -eu
src=$1; nm=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "layering: $*" >&2; failures=$((failures + 1)); }

layers=""
while [ $# -ge 3 ]; do
    layer=$1; uses=$2; objects=$3; shift 3
    layers="$layers $layer"
    echo "$uses" | tr ':' '\n' > "$tmp/$layer.uses"
    : > "$tmp/$layer.defined"; : > "$tmp/$layer.undefined"
    for o in $(echo "$objects" | tr ':' ' '); do
        "$nm" --defined-only -g "$o" | awk 'NF >= 3 { print $3 }' >> "$tmp/$layer.defined"
        "$nm" --undefined-only -g "$o" | awk '{ print $NF }' >> "$tmp/$layer.undefined"
    done
    sort -u -o "$tmp/$layer.defined" "$tmp/$layer.defined"
    sort -u -o "$tmp/$layer.undefined" "$tmp/$layer.undefined"
    [ -s "$tmp/$layer.defined" ] || fail "layer $layer defines no symbol: are its objects given?"
done
[ $# -eq 0 ] || { echo "usage: check_layers.sh SRC NM (LAYER USES OBJECTS)..." >&2; exit 2; }

for layer in $layers; do
    # 1. includes
    for f in "$src/$layer"/*.c "$src/$layer"/*.h; do
        [ -e "$f" ] || continue
        grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
        sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' |
        while read -r line path; do
            case $path in
            *..*) echo "$f:$line includes \"$path\": no relative climbing" ;;
            scalekit/*) ;;
            */*) top=${path%%/*}
                 grep -qx "$top" "$tmp/$layer.uses" ||
                     echo "$f:$line includes \"$path\": layer $layer may not use $top" ;;
            *) [ -e "$src/$layer/$path" ] ||
                   echo "$f:$line includes \"$path\", which is not in src/$layer" ;;
            esac
        done
    done > "$tmp/include-errors"
    if [ -s "$tmp/include-errors" ]; then
        while read -r e; do fail "$e"; done < "$tmp/include-errors"
    fi
    # 2. symbols: what this layer needs and a forbidden layer defines
    for other in $layers; do
        grep -qx "$other" "$tmp/$layer.uses" && continue
        comm -12 "$tmp/$layer.undefined" "$tmp/$other.defined" > "$tmp/up"
        while read -r sym; do
            fail "layer $layer uses $sym, defined in layer $other"
        done < "$tmp/up"
    done
done
if [ "$failures" -ne 0 ]; then
    echo "layering: $failures violation(s)" >&2
    exit 1
fi
echo "layering: ok ($(echo $layers | wc -w) layers)"
