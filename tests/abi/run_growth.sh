#!/bin/sh
# Starts a scalekit-emulator on a free port and runs the growth program against it.
set -eu
emulator=$1
program=$2
out=$(mktemp)
"$emulator" --port 0 > "$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
i=0
while [ "$(grep -c . "$out" 2>/dev/null || true)" -lt 3 ]; do
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then echo "the emulator did not start"; cat "$out"; exit 1; fi
  sleep 0.1
done
url=$(sed -n 1p "$out")
id=$(sed -n 's/^client_id: //p' "$out")
secret=$(sed -n 's/^client_secret: //p' "$out")
"$program" "$url" "$id" "$secret"
