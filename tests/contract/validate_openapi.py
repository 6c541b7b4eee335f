#!/usr/bin/env python3
"""Contract check: every logged API exchange against the OpenAPI description.

Usage: validate_openapi.py OPENAPI.json EXCHANGES.jsonl [--require-prefix /api/v1/organizations]
                           [--supplement SUPPLEMENT.json]...

--require-prefix is a regular expression matched at the start of the path
("/api/v1/organizations/[^/]+/domains"): at least one exchange must match it.
--supplement merges the paths and component schemas of another OpenAPI document:
the routes the SDK calls that the official file lacks, described from the shapes
their header documents (supplement.openapi.json). It may only add: a path and
method or a schema the official file already has is an error, so the official
description always wins and a route leaves the supplement once the file gains it.

EXCHANGES.jsonl holds one JSON object per line, written by the emulator when
SCALEKIT_EMULATOR_EXCHANGE_LOG names a file:
  {"method": "POST", "path": "/api/v1/organizations", "status": 201,
   "request": <JSON body or null>, "response": <JSON body or null>}
For each exchange under /api/v1 the operation is found by method and path template;
the request body is validated against the operation's request schema, the response
body against the schema of that status. Error answers (4xx/5xx) are validated
against the API's error body (code, message, details of errdetailsErrorInfo).
An exchange whose route or status the file does not describe is a failure.
Exit 0 only when every exchange validates and at least one was checked.
"""
import json
import re
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jsonschema  # noqa: E402  (Debian: python3-jsonschema)
from jsonschema import RefResolver  # works on 4.10 (Debian 12) and later  # noqa: E402

ERROR_BODY = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "details": {
            "type": "array",
            "items": {
                "allOf": [
                    {"type": "object", "required": ["@type"],
                     "properties": {"@type": {"type": "string"}}},
                    {"$ref": "#/components/schemas/errdetailsErrorInfo"},
                ]
            },
        },
    },
}


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"contract: cannot read {path}: {e}")


def merge_supplement(doc, supplement, name):
    """Add @p supplement's operations and schemas to @p doc; a clash is an error."""
    clashes = []
    for template, item in supplement.get("paths", {}).items():
        target = doc["paths"].setdefault(template, {})
        for method, op in item.items():
            if method in target:
                clashes.append(f"{method.upper()} {template}")
            target[method] = op
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for key, schema in supplement.get("components", {}).get("schemas", {}).items():
        if key in schemas:
            clashes.append(f"schema {key}")
        schemas[key] = schema
    if clashes:
        raise SystemExit(f"{name} redefines what the OpenAPI file has: {', '.join(clashes)}")


def without_gateway_required(schema, resolver):
    """The schema minus the `required` names its $ref'd schema has no property for.

    grpc-gateway writes a request body declared `body: "membership"` as
    {"$ref": ".../v1usersCreateMembership", "required": ["membership"]}: the
    `required` is the RPC's field that the HTTP body *is*, not a member of the
    body, so enforcing it would demand {"membership": {...}} where the API takes
    the bare membership. A name the $ref'd schema does declare stays required.
    """
    if not isinstance(schema, dict) or "$ref" not in schema or "required" not in schema:
        return schema
    _, target = resolver.resolve(schema["$ref"])
    props = target.get("properties", {}) if isinstance(target, dict) else {}
    kept = [name for name in schema["required"] if name in props]
    out = {k: v for k, v in schema.items() if k != "required"}
    if kept:
        out["required"] = kept
    return out


def compile_paths(doc):
    ops = []
    for template, item in doc["paths"].items():
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                ops.append((re.compile(regex), method.upper(), template, op))
    # Literal routes before templated ones, so ".../portal_links" beats ".../{id}".
    ops.sort(key=lambda o: o[2].count("{"))
    return ops


def json_schema(media):
    if not media:
        return None
    return media.get("content", {}).get("application/json", {}).get("schema")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    doc = load_json(argv[1])
    require = argv[argv.index("--require-prefix") + 1] if "--require-prefix" in argv else None
    described_by = argv[1].rsplit("/", 1)[-1]
    for i, arg in enumerate(argv):
        if arg == "--supplement":
            merge_supplement(doc, load_json(argv[i + 1]), argv[i + 1])
            described_by += " + " + argv[i + 1].rsplit("/", 1)[-1]
    resolver = RefResolver.from_schema(doc)
    cls = jsonschema.validators.validator_for({"$schema": "https://json-schema.org/draft/2020-12/schema"})
    ops = compile_paths(doc)

    def check(schema, instance, what):
        v = cls(schema, resolver=resolver)
        errs = sorted(v.iter_errors(instance), key=lambda e: list(e.path))
        return [f"{what}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errs[:5]]

    checked = failed = 0
    seen_required = False
    with open(argv[2], encoding="utf-8") as f:
        lines = f.readlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ex = json.loads(line)
        path = ex["path"].split("?", 1)[0]
        if not path.startswith("/api/v1/"):
            continue
        if require and re.match(require, path):
            seen_required = True
        method, status = ex["method"].upper(), int(ex["status"])
        op = next((o for o in ops if o[1] == method and o[0].match(path)), None)
        problems = []
        if op is None:
            problems.append("no operation in the OpenAPI file for this method and path")
        else:
            req_schema = json_schema(op[3].get("requestBody"))
            # A request the server refused with 400 was meant to break a rule: the SDK
            # leaves business rules to the server, and the tests check that it refuses.
            if req_schema is not None and ex.get("request") is not None and status != 400:
                problems += check(without_gateway_required(req_schema, resolver), ex["request"], "request")
            if status >= 400:
                problems += check(ERROR_BODY, ex.get("response"), "error response")
            else:
                responses = op[3].get("responses", {})
                if str(status) not in responses:
                    problems.append(f"status {status} is not one the operation declares ({', '.join(responses)})")
                else:
                    schema = json_schema(responses[str(status)])
                    if schema is not None and schema != {}:
                        problems += check(schema, ex.get("response"), "response")
        checked += 1
        if problems:
            failed += 1
            print(f"line {n}: {method} {path} -> {status}")
            for p in problems:
                print("    " + p)
    if require and not seen_required:
        print(f"no exchange under {require} was logged")
        failed += 1
    print(f"contract: {checked} exchanges checked against {described_by}, {failed} failed")
    return 0 if failed == 0 and checked > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
