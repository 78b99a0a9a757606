import { closest } from "../errors/did-you-mean.ts";
import type { SiteInfo } from "./codegen-context.ts";
import { RenderFault, TemplateRenderError, locate } from "./errors.ts";
import { toText } from "./to-text.ts";
import { type Undefined, isDict, pyType } from "./values.ts";

const MAX_LISTED = 40;

function listNames(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(", ");
  return `${names.slice(0, MAX_LISTED).join(", ")}, … (${names.length - MAX_LISTED} more)`;
}

const suggest = (word: string, names: readonly string[]) => {
  const match = closest(word, names);
  return match === undefined ? "" : ` (did you mean \`${match}\`?)`;
};

function describeUndefined(
  u: Undefined,
  source: string,
  site: SiteInfo,
  context: Record<string, unknown>,
): { message: string; variable: string } {
  const text = source.slice(site.at, site.end);
  const owner = site.objEnd === undefined ? undefined : source.slice(site.at, site.objEnd);
  const r = u.reason;
  switch (r.kind) {
    case "name": {
      const names = [
        ...new Set([...Object.keys(context).filter((k) => context[k] !== undefined), ...(site.locals ?? [])]),
      ].sort();
      const defined = names.length ? `defined names: ${listNames(names)}` : "no names are defined";
      return { message: `\`${r.name}\` is undefined; ${defined}${suggest(r.name, names)}`, variable: r.name };
    }
    case "key": {
      const keys = isDict(r.container)
        ? Object.keys(r.container).filter((k) => (r.container as Record<string, unknown>)[k] !== undefined)
        : [];
      const who = owner ? `\`${owner}\`` : "the item";
      const has = keys.length ? `its keys: ${listNames(keys)}${suggest(r.key, keys)}` : `${who} is empty`;
      return { message: `\`${text}\` is undefined: ${who} has no key \`${r.key}\`; ${has}`, variable: text };
    }
    case "attr": {
      const who = owner ? `\`${owner}\`` : "the item";
      const what =
        r.container === null || r.container === undefined
          ? `${who} is None`
          : `${who} is a ${pyType(r.container)}, which has no attribute \`${r.key}\``;
      return { message: `\`${text}\` is undefined: ${what}`, variable: text };
    }
    case "index": {
      const who = owner ? `\`${owner}\`` : "the item";
      const c = r.container;
      let why: string;
      if (Array.isArray(c))
        why = `index ${toText(r.index)} is out of range for ${who} (a list of ${c.length} item${c.length === 1 ? "" : "s"})`;
      else if (typeof c === "string")
        why = `index ${toText(r.index)} is out of range for ${who} (a string of ${[...c].length} characters)`;
      else if (isDict(c)) why = `${who} is a dict, whose keys are strings, not ${pyType(r.index)}`;
      else why = `${who} is a ${pyType(c)}, which cannot be indexed`;
      return { message: `\`${text}\` is undefined: ${why}`, variable: text };
    }
    case "empty":
      return { message: `\`${text}\` is undefined: ${r.note}`, variable: text };
    case "no-else":
      return { message: `\`${text}\` is undefined: the condition is false and there is no \`else\``, variable: text };
  }
}

/**
 * Turns a runtime fault into the public TemplateRenderError (position, message naming
 * the variable and listing what is defined). Anything else is returned unchanged.
 */
export function toRenderError(
  e: unknown,
  source: string,
  sites: readonly SiteInfo[],
  context: Record<string, unknown>,
): unknown {
  if (!(e instanceof RenderFault)) return e;
  const site = sites[e.site] ?? { at: 0, end: 0 };
  const { line, col } = locate(source, site.at);
  if (e.undef) {
    const { message, variable } = describeUndefined(e.undef, source, site, context);
    return new TemplateRenderError(message, line, col, variable);
  }
  return new TemplateRenderError(e.message, line, col);
}
