import { loadConfig, type LoadedConfig } from "../validate/config-file.ts";
import { printErr } from "./output.ts";

const warned = new Set<string>();

/**
 * `loadConfig` for a command: its warnings (the Platform-only blocks it ignores) are
 * printed on stderr, once per file per process (`resume` reads the config twice).
 */
export function loadCliConfig(options: Parameters<typeof loadConfig>[0]): LoadedConfig {
  const loaded = loadConfig(options);
  for (const warning of loaded.warnings) {
    if (warned.has(warning)) continue;
    warned.add(warning);
    printErr(`warning: ${warning}`);
  }
  return loaded;
}
