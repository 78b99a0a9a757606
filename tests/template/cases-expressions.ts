import { type DiffCase, diverges, text, value } from "./differential-case.ts";

const LIST_TEXT =
  "SPEC docs/templates.md#how-values-are-rendered: lists and dicts print as compact JSON, not Python repr";

/** Literals, names, lookups, operators, tests and methods (SPEC docs/templates.md#syntax). */
export const EXPRESSION_CASES: DiffCase[] = [
  // literals
  text("{{ 42 }} {{ 1_000 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }}"),
  text("{{ 1.5 }} {{ 2.0 }} {{ 1e3 }} {{ 1.5e-7 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }}"),
  text('{{ \'single\' }} {{ "double" }} {{ \'it\\\'s\' }} {{ "say \\"hi\\"" }}'),
  text("{{ 'a\\nb' }}|{{ 'tab\\there' }}|{{ '\\u00e9\\x41' }}|{{ 'back\\\\slash' }}"),
  text("{{ 'adjacent' ' strings' \" joined\" }}"),
  text("{{ True }} {{ False }} {{ true }} {{ false }} {{ None }} {{ none }}"),
  text("{{ '}}' }} and {{ '{{' }} and {{ '%}' }}"),
  value("[1, 'a', True, None, 2.5]"),
  value("{'a': 1, 'b': [1, 2], 'c': {'d': None}}"),
  value("(1, 2, 3)"),
  value("[]"),
  value("{}"),
  value("[1, [2, [3, []]]]"),
  diverges("{{ [1, 'a', True, None] }}", '[1,"a",true,null]', LIST_TEXT),
  diverges("{{ {'a': 1, 'b': 'x'} }}", '{"a":1,"b":"x"}', LIST_TEXT),
  diverges("{{ (1, 2) }}", "[1,2]", LIST_TEXT),
  diverges("{{ [1, 2] ~ '!' }}", "[1,2]!", LIST_TEXT),
  // names and lookups
  text("Hello {{ name }}!"),
  text("{{ nested.inner.value }} {{ nested['inner']['value'] }} {{ nested.inner['list'][1] }}"),
  text("{{ items[0] }} {{ items[-1] }} {{ items.0 }} {{ items[-3] }}"),
  text("{{ 'abc'[0] }}{{ 'abc'[-1] }} {{ name[1] }}"),
  text("{{ d['a'] }} {{ d.b }} {{ users[1].name }} {{ users[-1]['age'] }}"),
  text("{{ nested.inner.list[nested.inner.list[0]] }}"),
  text("{% set k = 'c' %}{{ d[k] }}"),
  // arithmetic
  text("{{ 1 + 2 }} {{ 7 - 10 }} {{ 6 * 7 }} {{ 7 / 2 }} {{ 10 / 2 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }}"),
  text("{{ -7 // 2 }} {{ 7 // -2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ -7.5 % 2 }} {{ 7.5 // 2 }} {{ -7.5 // 2 }}"),
  text("{{ 1 + 1.5 }} {{ 0.1 + 0.2 }} {{ 1 / 3 }} {{ 2 * 2.5 }} {{ 3.0 - 1 }} {{ 1.5 * 2 }}"),
  text("{{ 2 ** -1 }} {{ 2 ** 0.5 }} {{ 2.0 ** 2 }} {{ 10 ** 15 }} {{ 0 ** 0 }}"),
  text("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ - 3 - -3 }} {{ +n }}"),
  text("{{ n * f }} {{ n // f }} {{ n % f }} {{ neg * neg }} {{ neg / 2 }}"),
  text("{{ True + True }} {{ True * 3 }} {{ 5 - False }}"),
  text("{{ 'ab' * 3 }}|{{ 2 * 'xy' }}|{{ 'a' * 0 }}|{{ 'ab' + 'cd' }}"),
  value("[1, 2] + [3]"),
  value("[0] * 3"),
  text("{{ 1e300 * 1e300 }} {{ -1e300 * 1e300 }}"),
  text("{{ 100 / 7 }} {{ 1e-5 * 3 }} {{ 123456789.123 }} {{ 0.5 + 0.25 }}"),
  // concatenation
  text("{{ 'a' ~ 1 ~ True ~ None ~ 1.5 ~ 2.0 }}"),
  text("{{ n ~ '' }}|{{ name ~ '-' ~ n }}|{{ 10 / 4 ~ '' }}"),
  // comparisons
  text("{{ 1 == 1.0 }} {{ 1 == True }} {{ 'a' != 'b' }} {{ 1 == '1' }} {{ None == None }} {{ 0 == False }}"),
  text("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 < 3 > 2 }} {{ 2 >= 2 }} {{ 1 <= 0 }}"),
  text("{{ 'abc' < 'abd' }} {{ 'B' < 'a' }} {{ [1, 2] < [1, 3] }} {{ [1, 2] < [1, 2, 0] }}"),
  text(
    "{{ [1, 2] == [1, 2] }} {{ [1, 2] == [2, 1] }} {{ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} }} {{ {'a': 1} == {'a': 2} }}",
  ),
  text("{{ d == {'a': 1, 'b': 2, 'c': 3} }} {{ items == [3, 1, 2] }} {{ 2.5 == f }}"),
  text("{{ 1 < 'a' }}"),
  text("{{ None < 1 }}"),
  // membership
  text(
    "{{ 'ell' in 'hello' }} {{ 2 in items }} {{ 5 in items }} {{ 'a' in d }} {{ 'z' not in d }} {{ 4 not in items }}",
  ),
  text("{{ 'ann' in users | map(attribute='name') | list }} {{ [1] in [[1], [2]] }} {{ 1.0 in items }}"),
  text("{{ 1 in 'abc' }}"),
  text("{{ 1 in 5 }}"),
  // boolean logic
  text("{{ 0 or 'x' }} {{ '' or nothing }} {{ 1 and 2 }} {{ 0 and 1 }} {{ not 0 }} {{ not '' }} {{ not items }}"),
  text("{{ n > 5 and n < 10 }} {{ n < 5 or n == 7 }} {{ not (n > 5) }} {{ not n > 5 }}"),
  text("{{ emptyd or 'none' }} {{ empty or 'no items' }} {{ 0.0 or 'zero' }} {{ 'a' and '' }}"),
  value("[] or [1]"),
  text("{{ yes and no }} {{ yes or no }} {{ no or no }} {{ not not yes }}"),
  // conditional expressions
  text("{{ 'yes' if yes else 'no' }} {{ 'a' if 0 else 'b' if 1 else 'c' }} {{ 1 if n > 5 else 2 }}"),
  text("[{{ 'x' if false }}]"),
  text("{{ ('a' if no else 'b') ~ 'c' }} {{ n if n else 0 }}"),
  // tests
  text("{{ n is number }} {{ f is number }} {{ 'a' is number }} {{ True is number }} {{ nothing is number }}"),
  text("{{ 's' is string }} {{ 1 is string }} {{ name is string }} {{ items is string }}"),
  text("{{ nothing is none }} {{ 0 is none }} {{ nothing is not none }} {{ name is not none }}"),
  text("{{ name is defined }} {{ missing is defined }} {{ missing is not defined }} {{ name is not defined }}"),
  text("{{ d.a is defined }} {{ d.zz is defined }} {{ items[5] is defined }} {{ nested.inner.value is defined }}"),
  text("{{ 'x' if missing is defined else 'fallback' }}"),
  text("{{ missing is none }} {{ missing is number }} {{ missing is string }}"),
  text("{{ not name is defined }} {{ n is number and n > 3 }}"),
  // methods
  value("d.items()"),
  value("d.keys()"),
  value("d.values()"),
  text("{{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 5) }} {{ d.get('b', 0) }}"),
  text("{{ 'Hi There'.upper() }} {{ 'Hi There'.lower() }} {{ name.upper() }}"),
  text("[{{ '  x  '.strip() }}] [{{ 'xxhixx'.strip('x') }}] [{{ s.strip().lower() }}]"),
  value("'a b  c\\n d'.split()"),
  value("'a,b,,c'.split(',')"),
  value("'a,b,c'.split(',', 1)"),
  text(
    "{{ 'hello'.startswith('he') }} {{ 'hello'.startswith('lo') }} {{ 'hello'.endswith('lo') }} {{ name.endswith('x') }}",
  ),
  text("{{ 'hello'.replace('l', 'L') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ words.replace(' ', '_') }}"),
  text("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"),
  text("{{ d.keys() | list | length }} {{ d.values() | sum }}"),
  text("{{ n.upper() }}"),
  text("{{ 'a,b'.split(',')[1].upper() }}"),
];
