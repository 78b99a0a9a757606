"""Differential oracle for tests/llm/json-schema.test.ts.

Reads a JSON list of {"schema": ..., "value": ...} on stdin and prints a JSON list of
verdicts: {"valid": bool} or {"error": "..."} when the schema itself is rejected.
The validator class follows the schema's $schema (Draft 2020-12 when absent). Formats
are checked as ours are: date and date-time with jsonschema's own checkers; email and
uri with the same basic rules as src/llm/json-schema-formats.ts (jsonschema has no uri
checker without extra packages, and its email check is only "contains @").
"""
import json
import re
import sys

import jsonschema
from jsonschema import FormatChecker
from jsonschema import _format as formats

checker = FormatChecker(formats=())
checker.checks("date", raises=ValueError)(formats.is_date)
checker.checks("date-time")(formats.is_datetime)


@checker.checks("email")
def is_email(instance):
    return not isinstance(instance, str) or re.fullmatch(r"[^\s@]+@[^\s@]+", instance) is not None


@checker.checks("uri")
def is_uri(instance):
    return not isinstance(instance, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", instance) is not None


def verdict(case):
    schema = case["schema"]
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as error:
        return {"error": error.message}
    return {"valid": cls(schema, format_checker=checker).is_valid(case["value"])}


print(json.dumps([verdict(case) for case in json.load(sys.stdin)]))
