/**
 * Python's two string formatting languages: `str.format` (`'{0:>5}'.format(x)`,
 * `'{name}'.format(name=…)`) and printf-style `%` (`'%.2f' % x`, `'%(a)s' % d`, the
 * `format` filter). `%s`/`{}` print a value as the engine prints it (lists and dicts as
 * JSON, SPEC docs/templates.md#how-values-are-rendered); `%r`/`{!r}` as Python's repr.
 */
import { RenderFault } from "./errors.ts";
import { attr, item } from "./lookup.ts";
import { expDigits, fixedDigits, generalDigits } from "./py-format-number.ts";
import { formatValue, pad } from "./py-format-spec.ts";
import { pyAscii, pyRepr } from "./py-repr.ts";
import { toText, undefinedFault } from "./to-text.ts";
import { IntegralFloat, Undefined, isDict, isNumeric, numberOf, pyType } from "./values.ts";

/** One field's value: `0`, `name`, then `.attr` / `[key]` steps. */
function fieldValue(
  field: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  next: () => number,
  site: number,
): unknown {
  const m = /^([^.[]*)(.*)$/su.exec(field)!;
  const head = m[1]!;
  let value: unknown;
  if (head === "" || /^\d+$/u.test(head)) {
    const index = head === "" ? next() : Number(head);
    if (index >= args.length)
      throw new RenderFault(`Replacement index ${index} out of range for positional args tuple`, site);
    value = args[index];
  } else {
    if (!Object.hasOwn(kwargs, head)) throw new RenderFault(`KeyError: '${head}'`, site);
    value = kwargs[head];
  }
  const steps = /\.([^.[]+)|\[([^\]]+)\]/gsu;
  const rest = m[2]!;
  let done = 0;
  for (let s = steps.exec(rest); s; s = steps.exec(rest)) {
    if (s.index !== done) break;
    done = s.index + s[0].length;
    if (s[1] !== undefined && isDict(value)) throw new RenderFault(`'dict' object has no attribute '${s[1]}'`, site);
    value =
      s[1] !== undefined ? attr(value, s[1], site) : item(value, /^\d+$/u.test(s[2]!) ? Number(s[2]) : s[2], site);
    if (value instanceof Undefined)
      throw new RenderFault(`the format field \`{${field}}\` names something that does not exist`, site);
  }
  if (done !== rest.length) throw new RenderFault("Only '.' or '[' may follow ']' in format field specifier", site);
  return value;
}

function convert(value: unknown, conversion: string | undefined, site: number): unknown {
  if (conversion === undefined) return value;
  if (conversion === "r") return pyRepr(value);
  if (conversion === "s") return toText(value);
  if (conversion === "a") return pyAscii(value);
  throw new RenderFault(`Unknown conversion specifier ${conversion}`, site);
}

/** `template.format(*args, **kwargs)`. */
export function strFormat(
  template: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  site: number,
): string {
  let auto = 0;
  let mode: "auto" | "manual" | undefined;
  const next = (): number => {
    if (mode === "manual")
      throw new RenderFault("cannot switch from manual field specification to automatic field numbering", site);
    mode = "auto";
    return auto++;
  };
  const render = (text: string, depth: number): string => {
    let out = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "}") {
        if (text[i + 1] !== "}") throw new RenderFault("Single '}' encountered in format string", site);
        out += "}";
        i += 2;
        continue;
      }
      if (c !== "{") {
        out += c;
        i++;
        continue;
      }
      if (text[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      let level = 1;
      let j = i + 1;
      for (; j < text.length && level; j++) level += text[j] === "{" ? 1 : text[j] === "}" ? -1 : 0;
      if (level) throw new RenderFault("expected '}' before end of string", site);
      const inner = text.slice(i + 1, j - 1);
      const fm = /^([^!:]*)(?:!([^:]*))?(?::(.*))?$/su.exec(inner)!;
      const field = fm[1]!;
      if (/^\d+$/u.test(field.replace(/[.[].*$/su, "")) && mode === "auto")
        throw new RenderFault("cannot switch from automatic field numbering to manual field specification", site);
      if (/^\d/u.test(field)) mode = "manual";
      if (depth > 1) throw new RenderFault("Max string recursion exceeded", site);
      const value = convert(fieldValue(field, args, kwargs, next, site), fm[2], site);
      const spec = fm[3] === undefined ? "" : render(fm[3], depth + 1);
      out += formatValue(value, spec, site);
      i = j;
    }
    return out;
  };
  return render(template, 0);
}

const PERCENT = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)?/gsu;

function realNumber(v: unknown, code: string, site: number): number {
  if (v instanceof Undefined) throw undefinedFault(v);
  if (!isNumeric(v)) throw new RenderFault(`%${code} format: a real number is required, not ${pyType(v)}`, site);
  return numberOf(v);
}

function percentOne(
  code: string,
  v: unknown,
  flags: string,
  width: number,
  precision: number | undefined,
  site: number,
): string {
  const left = flags.includes("-");
  const zero = flags.includes("0") && !left;
  const sign = flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const align = left ? "<" : zero ? "=" : ">";
  const fill = zero ? "0" : " ";
  switch (code) {
    case "s":
    case "r":
    case "a": {
      let text = code === "s" ? toText(v) : code === "r" ? pyRepr(v) : pyAscii(v);
      if (precision !== undefined) text = [...text].slice(0, precision).join("");
      return pad("", text, width, left ? "<" : ">", " ");
    }
    case "c": {
      const text =
        typeof v === "string" && [...v].length === 1
          ? v
          : typeof v === "number" && Number.isInteger(v)
            ? String.fromCodePoint(v)
            : undefined;
      if (text === undefined) throw new RenderFault("%c requires int or char", site);
      return pad("", text, width, left ? "<" : ">", " ");
    }
    case "d":
    case "i":
    case "u":
    case "o":
    case "x":
    case "X": {
      if (v instanceof Undefined) throw undefinedFault(v);
      if ("oxX".includes(code) && (v instanceof IntegralFloat || (typeof v === "number" && !Number.isInteger(v)))) {
        throw new RenderFault(`%${code} format: an integer is required, not float`, site);
      }
      const x = realNumber(v, code, site);
      if (!Number.isFinite(x))
        throw new RenderFault(`cannot convert float ${x > 0 ? "infinity" : "NaN"} to integer`, site);
      const n = Math.trunc(x);
      const radix = code === "o" ? 8 : code === "x" || code === "X" ? 16 : 10;
      let digits = (
        Number.isSafeInteger(Math.abs(n)) ? Math.abs(n).toString(radix) : BigInt(Math.abs(n)).toString(radix)
      ).padStart(precision ?? 1, "0");
      if (code === "X") digits = digits.toUpperCase();
      const prefix = flags.includes("#") && radix !== 10 ? (code === "o" ? "0o" : code === "x" ? "0x" : "0X") : "";
      return pad((n < 0 ? "-" : sign) + prefix, digits, width, align, fill);
    }
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G": {
      if (typeof v === "string" || !isNumeric(v)) {
        if (v instanceof Undefined) throw undefinedFault(v);
        throw new RenderFault(`must be real number, not ${pyType(v)}`, site);
      }
      const x = numberOf(v);
      const alt = flags.includes("#");
      const abs = Math.abs(x);
      let body: string;
      if (!Number.isFinite(x)) body = Number.isNaN(x) ? "nan" : "inf";
      else if (code === "f" || code === "F") body = fixedDigits(abs, precision ?? 6, alt);
      else if (code === "e" || code === "E") body = expDigits(abs, precision ?? 6, alt);
      else body = generalDigits(abs, precision ?? 6, alt);
      if (code === "E" || code === "F" || code === "G") body = body.toUpperCase();
      const negative = x < 0 || Object.is(x, -0);
      return pad(
        negative ? "-" : sign,
        body,
        width,
        Number.isFinite(x) ? align : left ? "<" : ">",
        Number.isFinite(x) ? fill : " ",
      );
    }
    default:
      throw new RenderFault(`unsupported format character '${code}'`, site);
  }
}

/**
 * `template % values`: `values` is the tuple of arguments when `tuple` is true (a tuple
 * literal, or the `format` filter's arguments), else one value, or a dict for `%(name)s`.
 */
export function percentFormat(template: string, values: unknown, tuple: boolean, site: number): string {
  if (values instanceof Undefined) throw undefinedFault(values);
  const mapping = !tuple && isDict(values) ? values : undefined;
  const args = tuple ? (values as unknown[]) : [values];
  let used = 0;
  let usedMapping = false;
  const take = (): unknown => {
    if (used >= args.length) throw new RenderFault("not enough arguments for format string", site);
    return args[used++];
  };
  const out = template.replace(
    PERCENT,
    (
      whole,
      key: string | undefined,
      flags: string,
      w: string | undefined,
      p: string | undefined,
      code: string | undefined,
    ) => {
      if (code === undefined) throw new RenderFault("incomplete format", site);
      if (code === "%" && whole === "%%") return "%";
      let value: unknown;
      const width = w === "*" ? Number(take()) : w ? Number(w) : 0;
      const precision = p === "*" ? Number(take()) : p === undefined ? undefined : Number(p || 0);
      if (code === "%") return "%";
      if (key !== undefined) {
        if (!mapping) throw new RenderFault("format requires a mapping", site);
        if (!Object.hasOwn(mapping, key) || mapping[key] === undefined)
          throw new RenderFault(`KeyError: '${key}'`, site);
        value = mapping[key];
        usedMapping = true;
      } else value = take();
      return percentOne(code, value, flags, Math.abs(width), precision, site);
    },
  );
  if (!mapping && !usedMapping && used < args.length)
    throw new RenderFault("not all arguments converted during string formatting", site);
  return out;
}
