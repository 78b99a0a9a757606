import { type DiffCase, diverges, text, value } from "./differential-case.ts";

const MARKUP = "there is no Markup type: the engine does not autoescape, so escaping escaped text escapes it again";

/** Jinja2's filters beyond SPEC docs/templates.md#syntax (issue 10): each at least twice, with edge cases. */
export const BUILTIN_FILTER_CASES: DiffCase[] = [
  // attr
  text("{% set ns = namespace(a=1) %}{{ ns | attr('a') }}"),
  text("{{ d | attr('a') }}"),
  text("{{ (d | attr('a')) is defined }}|{{ (d | attr('zz')) is undefined }}"),
  // batch
  value("[1, 2, 3, 4, 5] | batch(2) | list"),
  value("[1, 2, 3, 4, 5] | batch(2, 0) | list"),
  value("items | batch(3, 'x') | list"),
  value("[] | batch(2) | list"),
  value("'abcde' | batch(2) | list"),
  // center
  text("[{{ 'x' | center(5) }}][{{ 'ab' | center(5) }}][{{ 'abc' | center(6) }}][{{ 'toolong' | center(3) }}]"),
  text("[{{ name | center }}]"),
  text("[{{ 42 | center(6) }}][{{ 'é' | center(4) }}]"),
  // escape / e / forceescape / safe
  text("{{ 'a<b>c & \"q\" \\'s\\'' | escape }}|{{ '<x>' | e }}|{{ 5 | e }}|{{ none | e }}"),
  text("{{ '<i>' | forceescape }}|{{ 'plain' | forceescape }}|{{ '<b>' | safe }}|{{ 5 | safe }}"),
  text("{{ ('<' | e) ~ '<' }}|{{ '&' | e | length }}|{{ '<b>' | safe | upper }}"),
  diverges("{{ '<' | e | e }}", "&amp;lt;", MARKUP),
  diverges("{{ '<' | e is escaped }}", "False", MARKUP),
  // filesizeformat
  text(
    "{{ 1 | filesizeformat }}|{{ 0 | filesizeformat }}|{{ 999 | filesizeformat }}|{{ 1000 | filesizeformat }}|{{ 1500000 | filesizeformat }}",
  ),
  text(
    "{{ 1024 | filesizeformat(true) }}|{{ 1048576 | filesizeformat(binary=true) }}|{{ 1e30 | filesizeformat }}|{{ '2048' | filesizeformat }}|{{ 2.5 | filesizeformat }}",
  ),
  text("{{ 1e27 | filesizeformat(true) }}|{{ -5 | filesizeformat }}|{{ 123456789 | filesizeformat }}"),
  text("{{ 'abc' | filesizeformat }}"),
  // format
  text(
    "{{ '%s-%d' | format('a', 3) }}|{{ '%(x)s=%(y).1f' | format(x='pi', y=3.14159) }}|{{ '%05.1f' | format(2.25) }}",
  ),
  text("{{ 'no args' | format }}|{{ '%s' | format([1, 2] | length) }}|{{ '%%' | format }}"),
  text("{{ '%s %s' | format('a') }}"),
  text("{{ '%s' | format('a', x=1) }}"),
  // groupby
  value("users | groupby('role')"),
  value("users | groupby('role') | map(attribute='grouper') | list"),
  text(
    "{% for role, people in users | groupby('role') %}{{ role }}={{ people | map(attribute='name') | join(',') }};{% endfor %}",
  ),
  text("{% for g in users | groupby('active') %}{{ g.grouper }}:{{ g.list | length }} {% endfor %}"),
  value("[{'a': 'x'}, {'a': 'X'}, {'a': 'y'}] | groupby('a')"),
  value("[{'a': 'x'}, {'a': 'X'}, {'a': 'y'}] | groupby('a', case_sensitive=true)"),
  value("[{'a': 1}, {'b': 2}] | groupby('a', default=0)"),
  value("[[1, 'a'], [0, 'b'], [1, 'c']] | groupby(0)"),
  // pprint
  text("{{ [1, 'a', {'b': none, 'a': True}] | pprint }}|{{ 'x' | pprint }}|{{ 2.0 | pprint }}|{{ none | pprint }}"),
  text("{{ d | pprint }}|{{ \"it's\" | pprint }}|{{ 'a\\nb' | pprint }}"),
  text("{{ range(30) | list | pprint }}"),
  text("{{ ((words ~ ' ') * 8) | pprint }}|{{ {'k': [(words ~ '\n') * 5, {'deep': range(25) | list}]} | pprint }}"),
  // reject / select
  value("[1, 2, 3, 4] | select('odd') | list"),
  value("[0, 1, '', 'a', none] | select | list"),
  value("[1, 2, 3, 4] | reject('odd') | list"),
  value("[1, 2, 3, 4] | select('gt', 2) | list"),
  value("[1, 2, 3, 4] | reject('divisibleby', 2) | list"),
  value("names | select('in', ['bob', 'carol']) | list"),
  value("[none, 1, 'x'] | reject('none') | list"),
  value("['a', 'B', 'c'] | select('lower') | list"),
  value("items | select('==', 1) | list"),
  text("{{ [1] | select('nope') | list }}"),
  // slice
  value("[1, 2, 3, 4, 5] | slice(3) | list"),
  value("[1, 2, 3, 4, 5] | slice(3, 0) | list"),
  value("items | slice(2) | list"),
  value("[] | slice(2) | list"),
  value("range(10) | slice(4, 'x') | list"),
  // striptags
  text("{{ '<p>Hi <b>there</b></p>  x\\n y &amp; z' | striptags }}"),
  text(
    "{{ 'a <!-- c <b> --> b' | striptags }}|{{ 'x < y' | striptags }}|{{ '&lt;tag&gt; &quot;q&quot; &#65;' | striptags }}",
  ),
  text("{{ 5 | striptags }}|{{ '<br/>line<br/>' | striptags }}"),
  // urlencode
  text("{{ 'a b&c/d?é' | urlencode }}|{{ {'a': 1, 'b': 'x y'} | urlencode }}|{{ [('a', 1), ('b', '/')] | urlencode }}"),
  text("{{ 'x=1&y=2' | urlencode }}|{{ 42 | urlencode }}|{{ '~._-' | urlencode }}"),
  // urlize
  text("{{ 'go to http://example.com now and www.x.org or a@b.com' | urlize }}"),
  text("{{ 'see (https://ex.com/a?b=1).' | urlize }}|{{ 'mailto:me@x.org' | urlize }}|{{ 'plain words' | urlize }}"),
  text("{{ 'http://example.com/very/long/path' | urlize(15) }}|{{ 'http://x.com' | urlize(nofollow=true) }}"),
  text(
    "{{ 'http://x.com' | urlize(target='_blank', rel='ext') }}|{{ 'ftp://host/f' | urlize(extra_schemes=['ftp://']) }}|{{ 'example.com' | urlize }}",
  ),
  // wordwrap
  text("{{ 'hello world foo bar' | wordwrap(7) }}"),
  text("{{ words | wordwrap(10, wrapstring='|') }}"),
  text("{{ 'averyveryverylongword and more' | wordwrap(8) }}|{{ 'averyveryverylongword and' | wordwrap(8, false) }}"),
  text(
    "{{ 'well-known self-evident thing' | wordwrap(10) }}|{{ 'well-known self-evident' | wordwrap(10, break_on_hyphens=false) }}",
  ),
  text("{{ 'para one is here\\n\\npara two is here too' | wordwrap(9) }}"),
  text("{{ 'x' | wordwrap(0) }}"),
  // xmlattr
  text(
    "<a{{ {'class': 'a', 'id': 1, 'n': none} | xmlattr }}>|<b{{ {'x': '<\"&'} | xmlattr(false) }}>|<c{{ {} | xmlattr }}>",
  ),
  text("<a{{ {'data-x': True, 'title': 'it\\'s'} | xmlattr }}>"),
  text("{{ {'bad key': 1} | xmlattr }}"),
  // int with any base (2..36)
  text(
    "{{ 'z' | int(base=36) }} {{ 'Zz' | int(0, 36) }} {{ '777' | int(base=8) }} {{ '0o17' | int(base=0) }} {{ 'g' | int(base=17) }} {{ '12' | int(base=3) }}",
  ),
  text(
    "{{ '0x1f' | int(base=0) }} {{ 'ff' | int(base=16) }} {{ '1_0' | int(base=2) }} {{ '-z' | int(base=36) }} {{ '9' | int(base=8) }}",
  ),
  // second uses of filters SPEC docs/templates.md#syntax already had
  text("[{{ '  a b  ' | trim }}][{{ '--x--' | trim('-') }}][{{ 5 | trim }}]"),
  text("{{ names | count }} {{ 'abc' | count }} {{ {'a': 1} | count }}"),
  text("{{ '<a href=\"x\">' | escape | length }}|{{ 'it's' | forceescape }}|{{ ['<'] | first | escape }}"),
  text("{{ '2.5' | float + 1 }} {{ 'nan' | float }} {{ '-0' | float }} {{ true | float }}"),
  text("{{ 12345 | string | length }} {{ 'x' | string | upper }} {{ 2.50 | string }}"),
  text("{{ 'one two  three\nfour' | wordcount }} {{ 'a-b c.d' | wordcount }} {{ 42 | wordcount }}"),
  // default: only undefined, unless the second argument
  text(
    "[{{ '' | default('x') }}][{{ '' | default('x', true) }}][{{ 0 | d('z', true) }}][{{ none | default('n') }}][{{ missing | default('m') }}][{{ false | d(1, boolean=true) }}]",
  ),
  text(
    "[{{ [] | default('e', true) }}][{{ nothing | default('n', true) }}][{{ nested.nope | default('k') }}][{{ zero | default(5) }}]",
  ),
];
