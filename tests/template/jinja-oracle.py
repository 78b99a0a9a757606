"""Renders differential test cases with real Jinja2 (the oracle for differential.test.ts).

Reads a JSON list of cases on stdin: {"template": str, "context": dict, "expr": str|None}.
Writes a JSON list of results: {"ok": true, "text": str} / {"ok": true, "json": str} /
{"ok": false, "error": str}. With "expr", the expression's native value is returned as JSON
(tuples, generators and dict views as lists).
"""
import json
import sys
from collections.abc import Iterable, Mapping

import jinja2

env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
env.filters["raw"] = lambda value: value  # aiorch's opt-out of shell quoting; identity in text


def plain(value):
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises: a strict undefined cannot leave the template
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [plain(v) for v in value]
    raise TypeError(f"cannot convert {type(value).__name__}")


def run(case):
    try:
        if case.get("expr") is not None:
            value = env.compile_expression(case["expr"], undefined_to_none=False)(**case["context"])
            return {"ok": True, "json": json.dumps(plain(value))}
        return {"ok": True, "text": env.from_string(case["template"]).render(**case["context"])}
    except Exception as e:  # every error is a result: the case says whether we must fail too
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
