#!/bin/sh
# The contract test: run the given integration test programs against the
# in-process emulator with its exchange log on, then check every logged
# request and response body against the OpenAPI description.
#
# Usage: run_contract.sh OPENAPI.json VALIDATOR.py LOG.jsonl PREFIX PROGRAM...
set -eu
if [ $# -lt 5 ]; then
    echo "usage: $0 OPENAPI.json VALIDATOR.py LOG.jsonl PREFIX PROGRAM..." >&2
    exit 2
fi
openapi=$1 validator=$2 log=$3 prefix=$4
shift 4
if [ ! -r "$openapi" ]; then
    echo "contract: the OpenAPI description $openapi is missing" >&2
    exit 1
fi
# The log checks the emulator's answers: never an external environment's.
unset SCALEKIT_ENVIRONMENT_URL SCALEKIT_CLIENT_ID SCALEKIT_CLIENT_SECRET
rm -f "$log"
for program in "$@"; do
    SCALEKIT_EMULATOR_EXCHANGE_LOG=$log "$program"
done
# Debian's python3-jsonschema serves /usr/bin/python3; a python3 earlier on PATH
# (pyenv, a venv) may lack it, so take the first one that has it.
for python in python3 /usr/bin/python3; do
    if "$python" -c "import jsonschema" 2>/dev/null; then
        exec "$python" "$validator" "$openapi" "$log" --require-prefix "$prefix"
    fi
done
echo "contract: no python3 with jsonschema (Debian package python3-jsonschema)" >&2
exit 1
