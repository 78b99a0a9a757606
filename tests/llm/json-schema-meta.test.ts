/** The meta-schema validators compiled ahead of time (src/llm/meta-validators/) are those of the installed Ajv. */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { META_DRAFTS, META_VALIDATOR_DIR, metaValidatorSource } from "../../scripts/meta-validators.ts";

test.each(Object.keys(META_DRAFTS) as (keyof typeof META_DRAFTS)[])(
  "%s is up to date (else: bun run generate:meta)",
  async (draft) => {
    expect(await Bun.file(join(META_VALIDATOR_DIR, `${draft}.js`)).text()).toBe(metaValidatorSource(draft));
  },
);
