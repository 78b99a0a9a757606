/**
 * A NUL byte cannot be part of a shell command (the operating system ends each argument at
 * the first one), so a `run:` that holds one written literally would run something other
 * than what the file says. Refused where it is, whatever the values.
 */
import type { Diagnostic } from "../errors/diagnostic.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import { siteOffset, type TemplateSite } from "./template-sites.ts";

export function checkNulBytes(source: SourceFile, sites: readonly TemplateSite[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of sites) {
    if (site.kind !== "shell") continue;
    const at = site.source.indexOf("\0");
    if (at < 0) continue;
    out.push(
      source.at(siteOffset(source, site, at), {
        ...(site.step ? { step: site.step.name } : {}),
        field: site.field,
        message: `${site.step ? `step \`${site.step.name}\`, ` : ""}\`${site.field}\`: the command holds a NUL byte, which no shell command can contain`,
        hint: "remove it (a YAML \\0 escape writes one); to produce NUL bytes, use printf '\\0' in the command",
      }),
    );
  }
  return out;
}
