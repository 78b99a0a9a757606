"""Expected results for python-oracle.test.ts, computed by python3 itself: printf-style `%`,
format specs, str methods, and pprint.pformat over a grid of values. Prints JSON."""
import json
import pprint
import random

VALUES = [0, 1, -1, 7, 42, -42, 255, 1234567, -12345678, 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 3.14159, 1e-7, 1e16, 1e22,
          123456.789, 2.0, float("inf"), float("nan"), 1 / 3, "abc", "é"]
PERCENT = ["%s", "%r", "%d", "%i", "%5d", "%-5d", "%05d", "%+d", "% d", "%x", "%X", "%#x", "%o", "%#o", "%e", "%E", "%.2e",
           "%f", "%.0f", "%.1f", "%10.3f", "%-10.2f", "%+.2f", "%g", "%G", "%.3g", "%#g", "%.10g", "%c", "%.2s", "%5s",
           "%-5s|", "%3.1e", "%#.0f", "%#.0e"]
SPECS = ["", ">8", "<8", "^8", "*^9", "+", "-", " ", "08", "08.2f", ".2f", ".0f", ".3e", ".3g", "g", "G", "e", "%", ".1%",
         ",", ",.2f", "_", "x", "#x", "X", "#X", "b", "#b", "o", "#o", "d", "n", ".3", ".10", "10.4", "=+8", "0=6", "z.1f",
         ".2", "s", ">10s", "c", "_x", "_b"]
STRINGS = ["", "a", "Hello World", "  padded  ", "a,b,,c", "ß straße", "x\ty\tz", "l1\nl2\r\nl3", "ÉCOLE école", "abc123",
           "123", "٣", "½", "they're O'Neil", "a-b_c d", "\u00a0 x", "ǅungla"]
METHODS = ["capitalize()", "casefold()", "center(9)", "center(10, '*')", "count('a')", "count('')", "count('l', 3)",
           "endswith('d')", "endswith(('x', 'd'))", "expandtabs()", "expandtabs(2)", "find('o')", "find('o', 5)",
           "find('', 3)", "rfind('l')", "index('')", "isalnum()", "isalpha()", "isascii()", "isdecimal()", "isdigit()",
           "isidentifier()", "islower()", "isnumeric()", "isprintable()", "isspace()", "istitle()", "isupper()",
           "ljust(8, '-')", "lower()", "lstrip()", "lstrip('a ')", "partition(' ')", "rpartition(',')",
           "removeprefix('a')", "removesuffix('c')", "replace('l', 'L')", "replace('', '|')", "replace('l', '', 1)",
           "rjust(8)", "rsplit()", "rsplit(',', 1)", "rsplit(None, 1)", "rstrip()", "split()", "split(',')",
           "split(None, 1)", "split(',', 2)", "splitlines()", "splitlines(True)", "startswith('He')",
           "startswith('l', 2, 5)", "strip()", "strip(' a')", "swapcase()", "title()", "upper()", "zfill(6)",
           "find('l', -3)", "count('a', -4, -1)", "endswith('', 20)"]


def attempt(fn):
    try:
        return {"ok": True, "r": fn()}
    except Exception as e:  # the case says only that Python raises
        return {"ok": False, "r": type(e).__name__}


def encode(v):
    if isinstance(v, float):
        return {"float": repr(v)}
    return v


cases = []
for spec in PERCENT:
    for v in VALUES:
        cases.append({"kind": "percent", "spec": spec, "value": encode(v), **attempt(lambda: spec % (v,))})
for spec in SPECS:
    for v in VALUES:
        cases.append({"kind": "format", "spec": spec, "value": encode(v), **attempt(lambda: format(v, spec))})
for s in STRINGS:
    for m in METHODS:
        cases.append({"kind": "method", "spec": m, "value": s, **attempt(lambda: eval(repr(s) + "." + m))})
random.seed(3)


def nested(depth=0):
    r = random.random()
    if depth > 2 or r < 0.3:
        return random.choice([1, -2, 3.5, None, True, "x", "hello world " * random.randint(1, 12), "a\nb " * random.randint(1, 30)])
    if r < 0.65:
        return [nested(depth + 1) for _ in range(random.randint(0, 8))]
    return {random.choice(["k", "key", "a_long_key_name", "z"]) + str(i): nested(depth + 1) for i in range(random.randint(0, 6))}


for _ in range(150):
    v = nested()
    cases.append({"kind": "pprint", "spec": "", "value": v, "ok": True, "r": pprint.pformat(v)})
json.dump(cases, __import__("sys").stdout)
