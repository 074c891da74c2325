#!/usr/bin/env python3
"""Validate a SARIF log against the official SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py FILE [SCHEMA]

SCHEMA defaults to ../shared/reference/sarif/sarif-schema-2.1.0.json relative
to the repository root (the directory above this script), then
$AFCHECK_SARIF_SCHEMA. Needs the `jsonschema` package (pip install jsonschema).

Exit codes: 0 valid; 1 invalid (every error is printed with its JSON path);
2 usage error, unreadable file or missing dependency.
"""
import json
import os
import sys


def find_schema(arg):
    if arg:
        return arg
    env = os.environ.get("AFCHECK_SARIF_SCHEMA")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = [
        os.path.join(repo, "..", "shared", "reference", "sarif", "sarif-schema-2.1.0.json"),
    ]
    for c in candidates:
        if os.path.isfile(c):
            return os.path.normpath(c)
    return None


def main(argv):
    if len(argv) < 2 or len(argv) > 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_sarif: the `jsonschema` package is missing (pip install jsonschema)", file=sys.stderr)
        return 2
    schema_path = find_schema(argv[2] if len(argv) == 3 else None)
    if not schema_path:
        print("validate_sarif: SARIF schema not found; pass its path as the second argument", file=sys.stderr)
        return 2
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        with open(argv[1], encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate_sarif: {e}", file=sys.stderr)
        return 2
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors:
        path = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{argv[1]}: {path}: {e.message}", file=sys.stderr)
    if errors:
        print(f"{argv[1]}: INVALID ({len(errors)} errors)", file=sys.stderr)
        return 1
    if log.get("version") != "2.1.0":
        print(f"{argv[1]}: version is not 2.1.0", file=sys.stderr)
        return 1
    results = sum(len(r.get("results") or []) for r in log.get("runs", []))
    print(f"{argv[1]}: valid SARIF 2.1.0 ({len(log.get('runs', []))} run(s), {results} result(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
