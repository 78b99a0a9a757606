/**
 * The page as `scripts/build.ts` bundled it before compiling (src/ui/generated/, not in git):
 * imported as text, so the executable carries it. Loaded only inside the compiled binary.
 */
import page from "./generated/page.txt" with { type: "text" };

export const EMBEDDED_PAGE: string = page;
