#!/usr/bin/env bash
# Load test of scalekit-emulator with wrk. Builds nothing.
#
#   bench/load.sh [path/to/scalekit-emulator]     (default build/release/scalekit-emulator)
#
# Starts the emulator on a free port (--quiet), gets an API token, creates an
# organization, then runs
#   1. wrk -t2 -c64  -d20s  GET /keys                                (the baseline)
#   2. wrk -t2 -c64  -d20s  authenticated GET /api/v1/organizations/{id}
#   3. wrk -t2 -c512 -d10s  GET /keys
# prints the rate of 2 divided by the rate of 1 (the cost of the bearer check,
# routing, the store and the JSON against the cheapest route; goal >= 0.7),
# checks the emulator still answers /keys and /_emulator/health, and stops it.
# Fails when a run reports socket errors or non-2xx answers, or when the
# emulator is unwell afterwards. Environment: DURATION64 (20s), DURATION512
# (10s) to shorten the runs.
set -euo pipefail

EMULATOR=${1:-build/release/scalekit-emulator}
DURATION64=${DURATION64:-20s}
DURATION512=${DURATION512:-10s}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "load.sh: $tool is required" >&2; exit 2; }
done
[ -x "$EMULATOR" ] || { echo "load.sh: no emulator at $EMULATOR (build it first)" >&2; exit 2; }

work=$(mktemp -d)
emu_pid=
cleanup() {
    if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
        kill -TERM "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# 512 connections need more than the usual 1024 descriptors across wrk and the emulator.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Every wrk connection comes from 127.0.0.1: lift the per-address cap (256) above 512.
"$EMULATOR" --port 0 --quiet --max-connections-per-ip 1024 >"$work/emulator.out" 2>"$work/emulator.err" &
emu_pid=$!
for _ in $(seq 100); do
    [ "$(wc -l <"$work/emulator.out")" -ge 3 ] && break
    kill -0 "$emu_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; echo "load.sh: the emulator exited" >&2; exit 1; }
    sleep 0.1
done
URL=$(sed -n 1p "$work/emulator.out")
CLIENT_ID=$(sed -n 's/^client_id: //p' "$work/emulator.out")
CLIENT_SECRET=$(sed -n 's/^client_secret: //p' "$work/emulator.out")
[ -n "$URL" ] && [ -n "$CLIENT_ID" ] || { echo "load.sh: the emulator printed no URL" >&2; exit 1; }
echo "emulator: $URL (pid $emu_pid), $(nproc) cores"

json_field() {   # json_field NAME  < json
    python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

TOKEN=$(curl -sf -d grant_type=client_credentials -d "client_id=$CLIENT_ID" \
             --data-urlencode "client_secret=$CLIENT_SECRET" "$URL/oauth/token" | json_field access_token)
AUTH="Authorization: Bearer $TOKEN"

# The authenticated target: an organization.
status=$(curl -s -o "$work/org.json" -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/json' \
              -d '{"display_name":"Load Test Inc"}' "$URL/api/v1/organizations")
[ "$status" = 201 ] || { echo "load.sh: POST /api/v1/organizations answered $status: $(cat "$work/org.json")" >&2; exit 1; }
ORG_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["organization"]["id"])' "$work/org.json")
TARGET="$URL/api/v1/organizations/$ORG_ID"
curl -sf -o /dev/null -H "$AUTH" "$TARGET" || { echo "load.sh: GET $TARGET failed before the load" >&2; exit 1; }

failed=0
# run NAME STRICT wrk-args...: prints wrk's output (kept in $work/NAME.out);
# STRICT=1 fails on socket errors / non-2xx.
run() {
    local name=$1 strict=$2
    shift 2
    echo
    echo "== $name: wrk ${*//$TOKEN/<token>}"
    wrk "$@" | tee "$work/wrk.out"
    cp "$work/wrk.out" "$work/$name.out"
    if grep -q 'Socket errors' "$work/wrk.out"; then
        echo "!! $name: socket errors"
        [ "$strict" = 1 ] && failed=1
    fi
    if grep -q 'Non-2xx or 3xx responses' "$work/wrk.out"; then
        echo "!! $name: non-2xx responses"
        [ "$strict" = 1 ] && failed=1
    fi
    kill -0 "$emu_pid" 2>/dev/null || { echo "!! the emulator died during $name" >&2; cat "$work/emulator.err" >&2; exit 1; }
}

run keys64 1 -t2 -c64 -d"$DURATION64" --latency "$URL/keys"
run org64 1 -t2 -c64 -d"$DURATION64" --latency -H "$AUTH" "$TARGET"
run keys512 1 -t2 -c512 -d"$DURATION512" --latency "$URL/keys"

rate() { sed -n 's/^Requests\/sec: *//p' "$work/$1.out"; }
keys_rate=$(rate keys64)
org_rate=$(rate org64)
echo
python3 - "$org_rate" "$keys_rate" <<'PY'
import sys
org, keys = float(sys.argv[1]), float(sys.argv[2])
ratio = org / keys if keys else 0.0
print("ratio: GET /api/v1/organizations/{id} %.0f req/s / GET /keys %.0f req/s = %.2f (goal >= 0.70)"
      % (org, keys, ratio))
PY

echo
echo "== after the load"
keys=$(curl -sf --max-time 5 "$URL/keys") || { echo "!! GET /keys failed after the load"; exit 1; }
echo "$keys" | python3 -c 'import json,sys; k=json.load(sys.stdin)["keys"]; assert k and all("kid" in x for x in k); print("GET /keys: %d key(s)" % len(k))' \
    || { echo "!! GET /keys answered badly after the load"; exit 1; }
health=$(curl -sf --max-time 5 "$URL/_emulator/health") || { echo "!! GET /_emulator/health failed after the load"; exit 1; }
[ "$(echo "$health" | json_field status)" = ok ] || { echo "!! health: $health"; exit 1; }
echo "GET /_emulator/health: $health"
curl -sf -o /dev/null --max-time 5 -H "$AUTH" "$TARGET" || { echo "!! the authenticated GET failed after the load"; exit 1; }
echo "authenticated GET: ok"

kill -TERM "$emu_pid"
wait "$emu_pid" || { echo "!! the emulator exited with status $? on SIGTERM"; exit 1; }
emu_pid=
echo "emulator stopped cleanly"
if [ "$failed" = 1 ]; then
    echo "load.sh: FAILED (socket errors or non-2xx answers)"
    exit 1
fi
echo "load.sh: ok"
