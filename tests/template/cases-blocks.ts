import { type DiffCase, text } from "./differential-case.ts";

const TREE = {
  tree: [
    {
      n: "a",
      c: [
        { n: "b", c: [{ n: "c", c: [] }] },
        { n: "d", c: [] },
      ],
    },
    { n: "e", c: [] },
  ],
};

/**
 * The block statements (`raw`, `with`, `filter`, `macro`/`call`, block `set`,
 * `set ns.attr`), loop filters, recursive loops and every field of `loop`.
 */
export const BLOCK_CASES: DiffCase[] = [
  // raw
  text("a {% raw %} {{ x }} {% if %} {# c #} {% endraw %} b"),
  text("a {%- raw -%} {{ x }} {%- endraw -%} b"),
  text("a {% raw -%}  {{x}}  {%- endraw %} b{% raw %}{%endraw%}"),
  text("{% raw %}{{ '{{' }}{% endraw %}{{ '{{' }}{% raw %}}}{% endraw %}"),
  text("{% raw %}never closed"),
  // with
  text("{% set a = 5 %}{% with a = 1, b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}"),
  text("{% with %}{% set q = 2 %}{{ q }}{% endwith %}{{ q is defined }}"),
  text("{% with a = 1 %}{% set a = 2 %}{{ a }}{% endwith %}{{ a is defined }}"),
  text("{% with x = items | sum %}{% for i in items %}{{ i * x }} {% endfor %}{% endwith %}"),
  text("{% with x = 1 %}{% with x = x + 1 %}{{ x }}{% endwith %}{{ x }}{% endwith %}"),
  text("{% with a, b = 1, 2 %}{% endwith %}"),
  text("{% with a = 1 %}never closed"),
  // filter blocks
  text("{% filter upper %}hello {{ name }}{% endfilter %}"),
  text("{% filter upper | replace('A', '4') %}abc {{ 'a' }}{% endfilter %}"),
  text("{% filter indent(2) %}a\nb{% endfilter %}|{% filter trim %}  x  {% endfilter %}|"),
  text("{% filter truncate(9) %}the quick brown fox{% endfilter %}|{% filter center(9) %}{{ name }}{% endfilter %}|"),
  text("{% filter upper %}{% set q = 1 %}{{ q }}{% endfilter %}{{ q is defined }}"),
  text("{% for w in names %}{% filter title %}{{ w }} and {{ w }}{% endfilter %};{% endfor %}"),
  text("{% filter nosuch %}x{% endfilter %}"),
  text("{% filter %}x{% endfilter %}"),
  // block set
  text("{% set x %}hello {{ name }}{% endset %}[{{ x }}] {{ x | length }} {{ x is string }}"),
  text("{% set x | upper %}hello {{ n }}{% endset %}[{{ x }}]"),
  text("{% set x | trim | replace(' ', '-') %}  a b c  {% endset %}{{ x }}"),
  text("{% set x %}{% set q = 1 %}{{ q }}{% endset %}{{ x }}{{ q is defined }}"),
  text("{% for i in items %}{% set line %}{{ loop.index }}={{ i }}{% endset %}{{ line }};{% endfor %}"),
  text("{% if yes %}{% set x %}in{% endset %}{% endif %}{{ x }}"),
  text("{% set x %}never closed"),
  text("{% set a, b %}x{% endset %}"),
  // namespace and attribute assignment
  text(
    "{% set ns = namespace(total=0) %}{% for i in items %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
  ),
  text(
    "{% set ns = namespace(found=false) %}{% for u in users %}{% if u.role == 'admin' %}{% set ns.found = u.name %}{% endif %}{% endfor %}{{ ns.found }}",
  ),
  text(
    "{% set ns = namespace() %}{% set ns.a, ns.b = 1, 2 %}{{ ns.a }}{{ ns.b }}{% set x, ns.c = [3, 4] %}{{ x }}{{ ns.c }}",
  ),
  text("{% set ns = namespace() %}{% set (x, ns.c) = [3, 4] %}"),
  text("{% set ns = namespace(a=1) %}{% set ns.a = ns.a + 1 %}{{ ns.a }}{% set ns.a = missing %}"),
  text("{% set d = {} %}{% set d.x = 1 %}"),
  text("{% set ns = namespace(x=1) %}{% with %}{% set ns.x = 2 %}{% endwith %}{{ ns.x }}"),
  // macros
  text(
    "{% macro greet(who, greeting='Hello') %}{{ greeting }}, {{ who }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', 'Hi') }} {{ greet(greeting='Yo', who='Cid') }}",
  ),
  text("{% macro m(x) %}[{{ x }}{{ y }}]{% endmacro %}{% set y = 3 %}{{ m(1) }}"),
  text("{% set y = 3 %}{% macro m(x) %}[{{ x }}{{ y }}]{% endmacro %}{% set y = 4 %}{{ m(1) }}"),
  text("{% macro m(x) %}[{{ x }}{{ name }}]{% endmacro %}{{ m(1) }}"),
  text(
    "{% macro m(x, y=2) %}{{ x }}{{ y }}{{ varargs | length }}{{ kwargs | length }}{% endmacro %}{{ m(1, 2, 3, z=4) }}",
  ),
  text("{% macro m(x, y=2) %}{{ x }}{{ y }}{% endmacro %}{{ m(1, 2, 3) }}"),
  text("{% macro m(x, y=2) %}{{ x }}{{ y }}{% endmacro %}{{ m(1, z=3) }}"),
  text("{% macro m(x, y=2) %}{{ x }}{{ y }}{% endmacro %}{{ m() }}"),
  text("{% macro m(x, y=2) %}{{ y }}{% endmacro %}{{ m() }}"),
  text("{% macro m(x, y=x) %}{{ x }}{{ y }}{% endmacro %}{{ m(5) }} {{ m(5, 6) }}"),
  text("{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(1, a=2) }}"),
  text("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(none) }}{{ m(a='xy') | join('+') }}"),
  text(
    "{% macro m() %}{{ varargs | join(',') }}{{ kwargs.items() | map('join', '=') | join(',') }}{% endmacro %}{{ m() }}|{{ m(1, 2, k=3) }}",
  ),
  text(
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m.name }} {{ m.arguments | join('/') }} {{ m.catch_kwargs }} {{ m.catch_varargs }} {{ m.caller }}",
  ),
  text("{% macro m() %}x{% endmacro %}{{ m is callable }} {{ m() is string }} {{ (m() ~ 'y') | upper }}"),
  text("{% macro m() %}{% set q = 1 %}{{ q }}{% endmacro %}{{ m() }}{{ q is defined }}"),
  text("{% for i in [1, 2] %}{% macro m() %}in{{ i }}{% endmacro %}{{ m() }}{% endfor %}"),
  text("{{ m() }}{% macro m() %}x{% endmacro %}"),
  text("{% if yes %}{% macro m() %}x{% endmacro %}{% endif %}{{ m() }}"),
  text(
    "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * (fact(n - 1) | int) }}{% endif %}{% endmacro %}{{ fact(5) }}",
  ),
  text(
    "{% macro row(u) %}{{ u.name | title }} ({{ u.age }}){% endmacro %}{% for u in users %}{{ row(u) }}{{ ', ' if not loop.last }}{% endfor %}",
  ),
  text("{% macro m(a, a) %}{% endmacro %}"),
  text("{% macro m(a=1, b) %}{% endmacro %}"),
  text("{% macro m(a) %}never closed"),
  text("{% macro m %}x{% endmacro %}"),
  // call blocks
  text("{% macro box() %}<{{ caller() }}>{% endmacro %}{% call box() %}inner {{ name }}{% endcall %}"),
  text(
    "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(v) each(items) %}[{{ v * 2 }}]{% endcall %}",
  ),
  text("{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}"),
  text("{% macro m() %}{{ caller() }}{% endmacro %}{% set z = 4 %}{% call m() %}{{ z }}{% endcall %}"),
  text("{% macro m(x) %}{{ x }}{% endmacro %}{% call m(1) %}ignored{% endcall %}"),
  text("{% call nosuch() %}x{% endcall %}"),
  text("{% call 'text' %}x{% endcall %}"),
  text(
    "{% macro outer() %}({{ caller() }}){% endmacro %}{% macro inner() %}[{{ caller() }}]{% endmacro %}{% call outer() %}{% call inner() %}deep{% endcall %}{% endcall %}",
  ),
  // loop filters
  text("{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}/{{ loop.length }}:{{ x }} {% else %}none{% endfor %}"),
  text("{% for x in [1, 3] if x is even %}{{ x }}{% else %}none{% endfor %}"),
  text("{% for u in users if u.active %}{{ u.name }}{{ ',' if not loop.last }}{% endfor %}"),
  text("{% for k, v in d.items() if v > 1 %}{{ k }}={{ v }} {% endfor %}"),
  text("{% for x in [1, 2] if x > loop.index %}{{ x }}{% endfor %}"),
  text("{% for x in items if x > n %}{{ x }}{% endfor %}"),
  // the loop object
  text(
    "{% for x in [1, 2, 3] %}{{ loop.previtem is defined }}{{ loop.nextitem | default('-') }}{{ loop.cycle('a', 'b') }}{{ loop.changed(x // 2) }}{{ loop.depth }}{{ loop.depth0 }} {% endfor %}",
  ),
  text(
    "{% for x in names %}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.previtem | default('^') }}>{{ x }}>{{ loop.nextitem | default('$') }} {% endfor %}",
  ),
  text("{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}"),
  text("{% for x in items %}{{ loop.cycle('odd', 'even', 'third') }} {% endfor %}"),
  text("{% for x in items %}{{ loop.cycle() }}{% endfor %}"),
  text("{% for x in items %}{{ loop.nextitem }}{% endfor %}"),
  text("{% for a in [1, 2] %}{% for b in [3] %}{{ loop.depth }}{{ loop.index }}{% endfor %}{% endfor %}"),
  text("{% for x in items %}{{ loop(items) }}{% endfor %}"),
  // recursive loops
  text(
    "{% for x in tree recursive %}[{{ x.n }}{{ loop.depth }}{% if x.c %}{{ loop(x.c) }}{% endif %}]{% endfor %}",
    TREE,
  ),
  text(
    "{% for x in tree recursive %}{{ '  ' * loop.depth0 }}{{ x.n }}{{ loop.index }}/{{ loop.length }}\n{{ loop(x.c) }}{% endfor %}",
    TREE,
  ),
  text(
    "{% for x in tree recursive %}{{ x.n }}{% if loop.last %}.{% endif %}{{ loop(x.c) }}{% else %}-{% endfor %}",
    TREE,
  ),
  text("{% for x in tree if x.c recursive %}{{ x.n }}{{ loop(x.c) }}{% endfor %}", TREE),
];
