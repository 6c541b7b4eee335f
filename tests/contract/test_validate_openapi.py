#!/usr/bin/env python3
"""Self-test of validate_openapi.py: it passes good exchanges and fails bad ones.

Usage: test_validate_openapi.py OPENAPI.json SUPPLEMENT.json
(the repository's api/scalekit.openapi.json and tests/contract/supplement.openapi.json)
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_openapi  # noqa: E402

OPENAPI = SUPPLEMENT = None
MEMBERSHIP = "/api/v1/memberships/organizations/org_1/users/usr_1"
ROLES = "/api/v1/organizations/org_1/users/usr_1/roles"
USER = {"user": {"id": "usr_1", "email": "a@example.com"}}


def exchange(method, path, status, request=None, response=None):
    return {"method": method, "path": path, "status": status, "request": request, "response": response}


class Validator(unittest.TestCase):
    def run_validator(self, exchanges, openapi=None, supplement=True):
        """Exit code and output of the validator over @p exchanges."""
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "log.jsonl")
            with open(log, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(e) + "\n" for e in exchanges)
            argv = ["validate_openapi.py", openapi or OPENAPI, log]
            if supplement:
                argv += ["--supplement", SUPPLEMENT]
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = validate_openapi.main(argv)
            return rc, out.getvalue()

    def assert_fails(self, exchanges, expect, **kw):
        rc, out = self.run_validator(exchanges, **kw)
        self.assertEqual(rc, 1, out)
        self.assertIn(expect, out)

    def assert_passes(self, exchanges, **kw):
        rc, out = self.run_validator(exchanges, **kw)
        self.assertEqual(rc, 0, out)

    def test_bare_membership_passes_despite_the_gateway_required(self):
        self.assert_passes([exchange("POST", MEMBERSHIP, 201, {"roles": [{"name": "admin"}]}, USER)])

    def test_membership_of_the_wrong_shape_fails(self):
        self.assert_fails([exchange("POST", MEMBERSHIP, 201, {"roles": "admin"}, USER)],
                          "roles: 'admin' is not of type 'array'")

    def test_response_of_the_wrong_shape_fails(self):
        self.assert_fails([exchange("GET", "/api/v1/users/usr_1", 200, None, {"user": {"email": 7}})],
                          "user/email")

    def test_required_names_the_ref_declares_stay_required(self):
        doc = {"openapi": "3.1.1", "paths": {"/api/v1/things": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/thing", "required": ["name", "thing"]}}}},
            "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"thing": {"type": "object",
                                                 "properties": {"name": {"type": "string"}}}}}}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
        try:
            self.assert_passes([exchange("POST", "/api/v1/things", 200, {"name": "x"}, {})],
                               openapi=f.name, supplement=False)
            self.assert_fails([exchange("POST", "/api/v1/things", 200, {"other": "x"}, {})],
                              "'name' is a required property", openapi=f.name, supplement=False)
        finally:
            os.unlink(f.name)

    def test_a_route_the_file_lacks_fails_without_the_supplement(self):
        self.assert_fails([exchange("POST", ROLES, 200, [{"role_name": "a"}], {"roles": []})],
                          "no operation in the OpenAPI file", supplement=False)

    def test_supplement_routes_check_the_documented_shapes(self):
        good = {"roles": [{"name": "a", "display_name": "A"}]}
        self.assert_passes([exchange("POST", ROLES, 200, [{"role_name": "a"}], good),
                            exchange("DELETE", ROLES + "/a", 200, None, {})])
        self.assert_fails([exchange("POST", ROLES, 200, {"roles": [{"name": "a"}]}, good)],
                          "is not of type 'array'")
        self.assert_fails([exchange("POST", ROLES, 200, [{"name": "a"}], good)],
                          "'role_name' is a required property")
        self.assert_fails([exchange("POST", ROLES, 200, [{"role_name": "a"}], {"roles": "a"})],
                          "response: roles")
        self.assert_fails([exchange("DELETE", ROLES + "/a", 200, None, {"roles": []})], "response")

    def test_a_supplement_may_not_redefine_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"paths": {"/api/v1/users/{id}": {"get": {}}},
                       "components": {"schemas": {"commonsRole": {}}}}, f)
        try:
            with self.assertRaises(SystemExit) as cm:
                validate_openapi.merge_supplement(validate_openapi.load_json(OPENAPI),
                                                  validate_openapi.load_json(f.name), f.name)
            self.assertIn("GET /api/v1/users/{id}", str(cm.exception))
            self.assertIn("schema commonsRole", str(cm.exception))
        finally:
            os.unlink(f.name)

    def test_a_missing_supplement_is_named(self):
        with self.assertRaises(SystemExit) as cm:
            validate_openapi.load_json("/nonexistent/supplement.openapi.json")
        self.assertIn("cannot read /nonexistent/supplement.openapi.json", str(cm.exception))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    OPENAPI, SUPPLEMENT = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
