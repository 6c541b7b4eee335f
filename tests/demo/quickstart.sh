#!/bin/sh
# `make demo`'s program, run twice:
# 1. with its in-process emulator: every step runs, the users step included
#    (invitation accepted from the mailbox link, session revoked), and the roles
#    step's permission in the member's refreshed token;
# 2. against an "external" environment: a separately started scalekit-emulator
#    process reached only through the three SCALEKIT_* variables, as a real
#    environment would be. The steps that need /_emulator (the mailbox) or a
#    person at a browser must say they are skipped; every other step must pass.
#
# Usage: quickstart.sh EMULATOR QUICKSTART
set -eu
emulator=$1 quickstart=$2
out=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$out"' EXIT

# Each line of the output that must be there.
expect_lines() {
    for expect in "$@"; do
        grep -qF "$expect" "$out/demo" || { echo "missing from the output: $expect" >&2; exit 1; }
    done
}

status=0
(unset SCALEKIT_ENVIRONMENT_URL SCALEKIT_CLIENT_ID SCALEKIT_CLIENT_SECRET; "$quickstart") >"$out/demo" 2>&1 || status=$?
cat "$out/demo"
[ "$status" -eq 0 ] || { echo "quickstart (in-process emulator) exited $status" >&2; exit 1; }
expect_lines "local emulator, started in-process" "membership         PENDING_INVITE" \
             "mailbox link       http" "accepted           the invitee is signed in" \
             "(ACTIVE)" "signed in from     scalekit-quickstart/1.0" \
             "session status     revoked" "has_permission     true" \
             "validate requiring accepted" "m2m reads its org  Acme Corporation" "sent to the IdP" \
             "\"connection_type\":\"OIDC\"" \
             "verified           ada.lovelace@example.com with code" "quickstart: all steps done"

"$emulator" --port 0 --client-id skc_quickstart_external --client-secret quickstart-external-secret \
    >"$out/emulator" 2>&1 &
pid=$!
url=
# Up to 30 s: a sanitizer build on a loaded machine starts slowly.
for _ in $(seq 300); do
    url=$(sed -n '1s|^\(https\{0,1\}://.*\)$|\1|p' "$out/emulator" 2>/dev/null)
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the emulator did not print its URL:" >&2
    cat "$out/emulator" >&2
    exit 1
fi
status=0
SCALEKIT_ENVIRONMENT_URL=$url SCALEKIT_CLIENT_ID=skc_quickstart_external \
    SCALEKIT_CLIENT_SECRET=quickstart-external-secret "$quickstart" >"$out/demo" 2>&1 || status=$?
cat "$out/demo"
[ "$status" -eq 0 ] || { echo "quickstart (external environment) exited $status" >&2; exit 1; }
expect_lines "real Scalekit environment" \
             "skipped: accepting the invitation reads the emulator's mailbox (/_emulator/mailbox)" \
             "skipped: revoking the session needs the invitee signed in" \
             "member             grace.hopper+" \
             "skipped: giving the member the role needs the member signed in" \
             "scopes [\"deploy:applications\"] (validated)" \
             "skipped: the identity provider here is a second emulator started in-process" \
             "skipped: reading the code needs the emulator's mailbox (/_emulator/mailbox)" \
             "quickstart: all steps done"
if grep -q "mailbox link" "$out/demo"; then
    echo "the external run read the emulator's mailbox" >&2
    exit 1
fi
echo "quickstart: both runs passed"
