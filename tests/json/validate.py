#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""validate.py SCHEMA FILE [--lines]: kvas JSON output against its schema.

SCHEMA is one of docs/schema/*.schema.json; FILE is a JSON document, or with
--lines JSON Lines (each non-empty line one document). Every error is printed
with its line and its path in the document; the exit status is 0 when all is
valid, 1 when something is not, 2 when the schema or FILE cannot be read.

Stricter than stock jsonschema in two ways, both part of kvas's JSON API
(docs/schema/README.md): an "integer" must be a JSON integer (jsonschema
takes 16120.0 as one), and NaN, Infinity and duplicate keys are errors.
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError

INTEGER = Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda checker, v: isinstance(v, int) and not isinstance(v, bool))
StrictValidator = validators.extend(Draft202012Validator, type_checker=INTEGER)


def load_schema(path):
    """The schema with defs.schema.json's $defs merged in.

    Merged locally rather than resolved by $id, so that it works alike with
    jsonschema 4.10 (Debian bookworm) and later, across the change of their
    reference-resolving API.
    """
    path = pathlib.Path(path)
    defs = json.loads((path.parent / "defs.schema.json").read_text())["$defs"]
    text = path.read_text().replace('"defs.schema.json#/$defs/', '"#/$defs/')
    schema = json.loads(text)
    schema.setdefault("$defs", {}).update(defs)
    StrictValidator.check_schema(schema)
    return schema


def strict_object(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate key %s" % ", ".join(sorted(dup)))
    return dict(pairs)


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse(text):
    return json.loads(text, object_pairs_hook=strict_object, parse_constant=no_constant)


def json_path(error):
    return "$" + "".join("[%d]" % p if isinstance(p, int) else ".%s" % p
                         for p in error.absolute_path)


def check(validator, doc, where):
    """Print every error in doc; the number printed."""
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    # A shared part (allOf) that fails leaves its fields "unevaluated": that
    # list only repeats the real error, so it is shown only when alone.
    if any(e.validator != "unevaluatedProperties" for e in errors):
        errors = [e for e in errors if e.validator != "unevaluatedProperties"]
    for e in errors:
        print("%s: %s: %s" % (where, json_path(e), e.message))
    return len(errors)


def documents(path, lines):
    """(where, text) of each document in the file."""
    text = pathlib.Path(path).read_text()
    if not lines:
        yield path, text
        return
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield "%s:%d" % (path, n), line


def main(argv):
    args = [a for a in argv[1:] if a != "--lines"]
    if len(args) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    try:
        validator = StrictValidator(load_schema(args[0]))
        docs = list(documents(args[1], "--lines" in argv))
    except (OSError, ValueError, KeyError, SchemaError) as e:
        print("validate.py: %s" % e, file=sys.stderr)
        return 2
    bad = 0
    for where, text in docs:
        try:
            bad += check(validator, parse(text), where)
        except ValueError as e:
            print("%s: not JSON: %s" % (where, e))
            bad += 1
    if not docs:
        print("%s: no JSON in it" % args[1])
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
