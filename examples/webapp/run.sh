#!/bin/sh
# `make webapp`: a fresh scalekit-emulator (its webhooks sent to the app, the
# app's redirect URIs registered), an organization whose admin role grants
# members:read, and the example app signing users in to it. Prints the URL to
# open; Ctrl-C stops both.
#   usage: examples/webapp/run.sh BUILD_DIR   (WEBAPP_PORT, EMULATOR_PORT to move them)
set -eu
build=${1:?usage: run.sh BUILD_DIR}
app_port=${WEBAPP_PORT:-3000}
emu_port=${EMULATOR_PORT:-8787}
app="http://127.0.0.1:$app_port"
work=$(mktemp -d)
emu_pid=
app_pid=
stop() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
    [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap stop EXIT
trap 'exit 0' INT TERM

# Access tokens live 5 minutes, so the app's refresh shows within a short visit.
"$build/scalekit-emulator" --port "$emu_port" --quiet --token-ttl-seconds 300 \
    --webhook-url "$app/webhooks" --redirect-uri "$app/callback" --redirect-uri "$app/signed-out" \
    >"$work/emulator" &
emu_pid=$!
i=0
until grep -q '^listen_url:' "$work/emulator" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$emu_pid" 2>/dev/null; then
        echo "run.sh: the emulator did not start on port $emu_port" >&2
        exit 1
    fi
    sleep 0.1
done
field() { sed -n "s/^$1: //p" "$work/emulator"; }
SCALEKIT_ENVIRONMENT_URL=$(head -n 1 "$work/emulator")
SCALEKIT_CLIENT_ID=$(field client_id)
SCALEKIT_CLIENT_SECRET=$(field client_secret)
SCALEKIT_WEBHOOK_SECRET=$(field webhook_secret)
export SCALEKIT_ENVIRONMENT_URL SCALEKIT_CLIENT_ID SCALEKIT_CLIENT_SECRET SCALEKIT_WEBHOOK_SECRET

scalekit="$build/cli/scalekit"
org=$("$scalekit" organizations create "Acme" --output jsonl | sed -n 's/.*"id":"\(org_[^"]*\)".*/\1/p' | head -n 1)
"$scalekit" permissions create members:read --description "List the organization's members" --output jsonl >/dev/null
"$scalekit" roles add-permissions admin --permission members:read --output jsonl >/dev/null

"$build/webapp" --port "$app_port" --organization "$org" &
app_pid=$!
cat <<INFO

  Open $app and sign in with any email address.
  Emulator: $SCALEKIT_ENVIRONMENT_URL   organization: $org
  To open the members page, give yourself the admin role (it grants members:read):
    SCALEKIT_ENVIRONMENT_URL=$SCALEKIT_ENVIRONMENT_URL SCALEKIT_CLIENT_ID=$SCALEKIT_CLIENT_ID \\
    SCALEKIT_CLIENT_SECRET=$SCALEKIT_CLIENT_SECRET \\
    $scalekit memberships assign-roles $org USER_ID --role admin
  (USER_ID is on your account page.) Ctrl-C stops the app and the emulator.

INFO
wait "$app_pid"
