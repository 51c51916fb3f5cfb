"""Runs the W3C Web Annotation test suite's JSON-schema assertions headless (jsonschema).

The suite lives beside the repository in ../shared/conformance/web-annotation (see its
HOW-TO-RUN.md): manifests list assertion schemas, each "must"/"should"/"may" with an
expected result; `$ref`s name the shared definitions files by their bare names.
"""

import json
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "web-annotation"


def suite_present():
    return (SUITE / "annotations" / "annotationMusts.test").is_file()


def _registry():
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents, DRAFT4)))
    return Registry().with_resources(resources)


def _assertions(entries, folder):
    """(name, schema) of every assertion of a manifest, conditions and nested lists walked."""
    for entry in entries:
        if isinstance(entry, list):
            yield from _assertions(entry, folder)
            continue
        if isinstance(entry, str):
            path = SUITE / entry if "/" in entry else folder / entry
            name, schema = entry, json.loads(path.read_text())
        else:
            name, schema = entry.get("title", "inline assertion"), entry
        if "assertions" in schema:
            yield from _assertions(schema["assertions"], folder)
        else:
            yield name, schema


def failures(document, manifest, level="must"):
    """The `level` assertions of `manifest` (e.g. "annotations/annotationMusts.test") that
    `document` fails, as a list of (assertion, error message)."""
    path = SUITE / manifest
    registry = _registry()
    failed = []
    for name, schema in _assertions(json.loads(path.read_text())["assertions"], path.parent):
        if schema.get("assertionType", "must") != level:
            continue
        expected_valid = schema.get("expectedResult", "valid") == "valid"
        validator = Draft4Validator(schema, registry=registry, format_checker=FormatChecker())
        if validator.is_valid(document) != expected_valid:
            failed.append((name, schema.get("errorMessage", "")))
    return failed


def must_count(manifest):
    path = SUITE / manifest
    items = _assertions(json.loads(path.read_text())["assertions"], path.parent)
    return sum(1 for _n, s in items if s.get("assertionType", "must") == "must")
