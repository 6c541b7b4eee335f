#!/bin/sh
# The contract test: run the given integration test programs against the
# in-process emulator with its exchange log on, then check every logged
# request and response body against the OpenAPI description.
#
# Usage: run_contract.sh [--supplement SUPPLEMENT.json] OPENAPI.json VALIDATOR.py LOG.jsonl PREFIX PROGRAM...
# (the supplement describes routes the OpenAPI file lacks; see validate_openapi.py)
set -eu
supplement=
if [ "${1:-}" = --supplement ] && [ $# -ge 2 ]; then
    supplement=$2
    shift 2
fi
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
exec sh "$(dirname "$0")/python.sh" "$validator" "$openapi" "$log" --require-prefix "$prefix" \
    ${supplement:+--supplement "$supplement"}
