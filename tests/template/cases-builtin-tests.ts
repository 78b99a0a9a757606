import { type DiffCase, diverges, text, value } from "./differential-case.ts";

/** Jinja2's tests (`is …`) and globals (`range`, `dict`, `namespace`, `cycler`, `joiner`), issue 10. */
export const BUILTIN_TEST_CASES: DiffCase[] = [
  // type tests
  text("{{ 1 is boolean }} {{ true is boolean }} {{ none is boolean }} {{ 'x' is not boolean }}"),
  text("{{ 1 is integer }} {{ 1.0 is integer }} {{ true is integer }} {{ n is integer }} {{ f is not integer }}"),
  text("{{ 1 is float }} {{ 1.0 is float }} {{ f is float }} {{ '1.0' is float }}"),
  text("{{ d is mapping }} {{ items is mapping }} {{ 'x' is mapping }} {{ emptyd is mapping }}"),
  text(
    "{{ items is sequence }} {{ 'abc' is sequence }} {{ d is sequence }} {{ 5 is sequence }} {{ none is not sequence }}",
  ),
  text("{{ items is iterable }} {{ 'abc' is iterable }} {{ 3 is iterable }} {{ d is iterable }}"),
  text(
    "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ none is false }} {{ yes is true }}",
  ),
  text("{{ 5 is number }} {{ 'x' is string }} {{ none is none }} {{ true is number }} {{ 2.5 is not string }}"),
  text("{{ missing is undefined }} {{ name is undefined }} {{ nested.nope is undefined }} {{ d.a is not undefined }}"),
  text("{{ missing is defined }} {{ name is defined }}"),
  text(
    "{{ range is callable }} {{ joiner() is callable }} {{ 'x' is callable }} {{ d is callable }} {{ namespace is callable }}",
  ),
  text(
    "{{ none is sameas none }} {{ true is sameas true }} {{ 1 is sameas true }} {{ items is sameas items }} {{ items is sameas [3, 1, 2] }}",
  ),
  text(
    "{{ 'upper' is filter }} {{ 'nope' is filter }} {{ 'odd' is test }} {{ 'upper' is test }} {{ 'select' is filter }}",
  ),
  text("{{ '<' is escaped }} {{ 'x' is not escaped }}"),
  // case tests
  text("{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ 'abc1' is lower }} {{ '123' is lower }} {{ 5 is lower }}"),
  text("{{ 'ABC' is upper }} {{ 'AbC' is upper }} {{ 'A-B' is upper }} {{ '' is upper }} {{ 'É' is upper }}"),
  // number tests
  text(
    "{{ 3 is odd }} {{ 4 is odd }} {{ -3 is odd }} {{ 3.0 is odd }} {{ 0 is even }} {{ -2 is even }} {{ 2.5 is even }}",
  ),
  text("{{ 'x' is odd }}"),
  text("{{ 9 is divisibleby 3 }} {{ 10 is divisibleby(3) }} {{ 10 is divisibleby(2.5) }} {{ 0 is divisibleby 5 }}"),
  text("{{ 9 is divisibleby 0 }}"),
  text("{{ n is divisibleby(7) }} {{ n is not divisibleby 2 }}"),
  // comparisons
  text("{{ 1 is eq 1 }} {{ 1 is equalto 1.0 }} {{ 'a' is eq 'b' }} {{ 2 is ne 3 }} {{ 'a' is ne 'a' }}"),
  text(
    "{{ 1 is lt 2 }} {{ 2 is lessthan 1 }} {{ 2 is le 2 }} {{ 3 is gt 2 }} {{ 1 is greaterthan 5 }} {{ 2 is ge 3 }}",
  ),
  text("{{ 'a' is lt 'b' }} {{ [1, 2] is lt [1, 3] }} {{ n is ge 7 }} {{ n is gt(6) }}"),
  text("{{ 1 is lt 'a' }}"),
  text("{{ 2 is in [1, 2] }} {{ 'b' is in 'abc' }} {{ 'z' is in d }} {{ 'a' is in d }} {{ 5 is not in items }}"),
  value("[1, 2, 3, 4] | select('lessthan', 3) | list"),
  value("[1, 2, 3, 4] | select('ge', 3) | list"),
  value("[1, 2, 3, 4] | reject('le', 2) | list"),
  value("[1, 2, 3] | select('ne', 2) | list"),
  value("[1, 2, 3] | select('!=', 2) | list"),
  value("[1, 2, 3] | select('<', 3) | list"),
  value("[1, 2, 3] | select('<=', 2) | list"),
  value("[1, 2, 3] | select('>', 1) | list"),
  value("[1, 2, 3] | select('>=', 2) | list"),
  value("users | selectattr('age', '!=', 25) | map(attribute='name') | list"),
  value("users | selectattr('age', '<', 35) | map(attribute='name') | list"),
  value("users | selectattr('age', '<=', 31) | map(attribute='name') | list"),
  value("users | rejectattr('age', '>', 30) | map(attribute='name') | list"),
  value("users | rejectattr('age', '>=', 31) | map(attribute='name') | list"),
  value("[1, 2, 3] | select('equalto', 2) | list"),
  value("[1, 2, 3] | select('eq', 3) | list"),
  value("[1, 2, 3] | select('greaterthan', 2) | list"),
  value("[1, 2, 3] | select('lt', 2) | list"),
  value("[1, 2, 3] | select('gt', 2) | list"),
  value("[1, 'a', 2.5, none, true] | select('number') | list"),
  value("[1, 'a', 2.5, none, true] | select('string') | list"),
  value("[1, 'a', 2.5, none, true] | select('integer') | list"),
  value("[1, 'a', 2.5, none, true] | select('float') | list"),
  value("[1, 'a', 2.5, none, true] | select('boolean') | list"),
  value("[1, 'a', 2.5, none, true, false] | select('true') | list"),
  value("[1, 'a', 2.5, none, true, false] | select('false') | list"),
  value("[{}, [], 'a'] | select('mapping') | list"),
  value("[{}, [], 'a', 1] | select('sequence') | list"),
  value("[{}, [], 'a', 1] | select('iterable') | list"),
  value("[1, 'a', none] | select('defined') | list"),
  value("[1, 'a', none] | reject('undefined') | list"),
  value("['ab', 'AB', 'aB'] | select('upper') | list"),
  value("[1, 2, 3, 4] | select('even') | list"),
  value("[3, 4, 6] | select('divisibleby', num=3) | list"),
  value("[none, 1] | reject('sameas', other=none) | list"),
  text("{{ [1, 2] | select('eq', b=2) | list }}"),
  text("{{ 6 is divisibleby(num=3) }} {{ 'a' is in(seq='abc') }}"),
  text("{{ 6 is divisibleby(n=3) }}"),
  value("[none, 1] | select('sameas', none) | list"),
  value("['upper', 'zz'] | select('filter') | list"),
  value("['odd', 'zz'] | select('test') | list"),
  value("[3, 'x'] | select('callable') | list"),
  value("['<', 'x'] | reject('escaped') | list"),
  value("users | selectattr('age', 'gt', 30) | map(attribute='name') | list"),
  value("users | rejectattr('role', 'in', ['dev']) | map(attribute='name') | list"),
  // range
  value("range(5) | list"),
  value("range(2, 5) | list"),
  value("range(10, 0, -3) | list"),
  value("range(0) | list"),
  value("range(5, 2) | list"),
  text(
    "{% for i in range(3) %}{{ i }}{% endfor %}|{{ range(4) | sum }}|{{ range(1, 4) | join(',') }}|{{ range(3) | length }}",
  ),
  text("{{ range(1, 10, 0) | list }}"),
  text("{{ range(1.5) | list }}"),
  text("{% set range = 'mine' %}{{ range }}"),
  text("{{ range }}", { range: "from the context" }),
  // dict
  value("dict(a=1, b='x')"),
  value("dict()"),
  value("dict(d, z=0)"),
  value("dict([['k', 1], ['j', 2]])"),
  value("dict(a=1).a"),
  text("{{ dict(a=1, b=2) | dictsort | map('last') | join }}|{{ dict(x=1) | length }}|{{ dict(x=1) is mapping }}"),
  // namespace
  text("{% set ns = namespace(d) %}{{ ns.a }}{{ ns.b }}|{{ namespace(x=1).x }}|{{ namespace().y is defined }}"),
  text("{{ namespace(a=1).b }}"),
  text(
    "{% set ns = namespace(a=[1]) %}{{ ns.a | length }}|{{ namespace(dict(k='v')).k }}|{{ namespace(items=items).items | sum }}",
  ),
  diverges(
    "{{ namespace(a=1) }}",
    "<Namespace object>",
    "an engine object prints as its type only (Jinja2 prints a Python repr, with an address for some)",
  ),
  diverges(
    "{{ [cycler(1)] | length }}{{ cycler(1) }}",
    "1<Cycler object>",
    "an engine object prints as its type only (Jinja2 prints a Python repr, with an address for some)",
  ),
  // cycler
  text("{% set c = cycler('odd', 'even') %}{% for i in items %}{{ c.next() }} {% endfor %}|{{ c.current }}"),
  text(
    "{% set c = cycler(1, 2, 3) %}{{ c.next() }}{{ c.next() }}{{ c.reset() is none }}{{ c.next() }}{{ c.current }}{{ c.items | length }}",
  ),
  text("{{ cycler() }}"),
  // joiner
  text("{% set pipe = joiner(' | ') %}{% for x in names %}{{ pipe() }}{{ x }}{% endfor %}"),
  text("{% set j = joiner() %}{{ j() }}a{{ j() }}b{{ j() }}c"),
  text("{% set j = joiner(sep='+') %}{{ j() }}1{{ j() }}2"),
  // calling what is not callable
  text("{{ name() }}"),
  text("{{ nope() }}"),
];

/** Refused built-ins: what makes no sense in a pipeline is refused at load time (see docs/templates.md). */
export const REFUSED_CASES: DiffCase[] = [
  diverges("{{ items | random }}", { error: true }, "random breaks reproducible runs and the response cache"),
  diverges("{{ [1] | random }}", { error: true }, "random breaks reproducible runs and the response cache"),
  diverges("{{ lipsum(1) }}", { error: true }, "lipsum draws random words: refused at load time"),
  diverges(
    "{{ lipsum(2, false, 5, 10) | length > 0 }}",
    { error: true },
    "lipsum draws random words: refused at load time",
  ),
];
