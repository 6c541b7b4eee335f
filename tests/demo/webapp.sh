#!/bin/sh
# `make webapp`'s script (examples/webapp/run.sh) against a build folder: it
# starts the emulator and the app, prints the URL, the app answers there and
# sends a visitor to the hosted login of the organization it set up, and a
# SIGTERM stops both.
#   usage: webapp.sh RUN_SH BUILD_DIR
set -eu
run=$1 build=$2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WEBAPP_PORT=$(free_port)
EMULATOR_PORT=$(free_port)
export WEBAPP_PORT EMULATOR_PORT
out=$(mktemp)
trap 'rm -f "$out"' EXIT
sh "$run" "$build" >"$out" 2>&1 &
pid=$!
i=0
until grep -q "Open http://127.0.0.1:$WEBAPP_PORT" "$out"; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
        cat "$out"
        echo "webapp.sh: run.sh printed no URL" >&2
        exit 1
    fi
    sleep 0.1
done
cat "$out"
org=$(sed -n 's/.*organization: \(org_[0-9a-f]*\).*/\1/p' "$out")
[ -n "$org" ] || { echo "webapp.sh: no organization printed" >&2; exit 1; }
location=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$WEBAPP_PORT/login")
case $location in
    "http://127.0.0.1:$EMULATOR_PORT/oauth/authorize?"*"organization_id=$org"*) ;;
    *) echo "webapp.sh: /login redirected to '$location'" >&2; kill "$pid"; exit 1 ;;
esac
kill -TERM "$pid"
wait "$pid" || true
# Both must stop answering; a loaded machine may take a moment to close the sockets.
i=0
while curl -s -o /dev/null "http://127.0.0.1:$WEBAPP_PORT/" || curl -s -o /dev/null "http://127.0.0.1:$EMULATOR_PORT/keys"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then
        echo "webapp.sh: the app or the emulator still answers 10 s after SIGTERM" >&2
        exit 1
    fi
    sleep 0.1
done
echo "webapp.sh: ok"
