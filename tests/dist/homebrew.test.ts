import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BREW_ASSETS, homebrewFormula } from "../../scripts/release/homebrew.ts";
import { REPO_ROOT, tempDir } from "../helpers/cli.ts";
import { sha256, sha256Sums } from "./release-mirror.ts";

/** The Homebrew formula generated at release from dist/SHA256SUMS. */
const ASSETS = Object.fromEntries(
  ["aiorch-linux-x64", "aiorch-linux-arm64", "aiorch-darwin-x64", "aiorch-darwin-arm64", "aiorch-windows-x64.exe"].map(
    (name) => [name, `binary ${name}`],
  ),
);
const SUMS = sha256Sums(ASSETS);

describe("homebrew formula", () => {
  const formula = homebrewFormula({ version: "v1.2.3", repo: "someone/aiorch", sums: SUMS });

  test("each platform block downloads its asset of the tagged release, with its sum", () => {
    for (const { os, cpu, asset } of BREW_ASSETS) {
      const block = new RegExp(
        `  ${os} do\\n(?:.*\\n)*?    ${cpu} do\\n      url "https://github.com/someone/aiorch/releases/download/v1.2.3/${asset}"\\n      sha256 "${sha256(ASSETS[asset]!)}"\\n    end`,
      );
      expect(formula).toMatch(block);
    }
    expect(formula).not.toContain("windows");
    expect(formula).toContain('version "1.2.3"');
    expect(formula).toContain('bin.install binary => "aiorch"');
    expect(formula).toContain('shell_output("#{bin}/aiorch --version")');
  });

  test("is balanced Ruby (ruby -c where ruby is installed)", () => {
    const opens = formula.match(/^\s*(class .*|.* do|def .*)$/gm)?.length ?? 0;
    const ends = formula.match(/^\s*end$/gm)?.length ?? 0;
    expect(opens).toBe(ends);
    if (!Bun.which("ruby")) return;
    const file = join(tempDir("brew"), "aiorch.rb");
    writeFileSync(file, formula);
    const check = Bun.spawnSync(["ruby", "-c", file], { stdout: "pipe", stderr: "pipe" });
    expect(check.stderr.toString()).toBe("");
    expect(check.stdout.toString()).toContain("Syntax OK");
  });

  test("refuses incomplete checksums, a bad version or repo, saying what to do", () => {
    const partial = SUMS.split("\n")
      .filter((line) => !line.endsWith("aiorch-darwin-arm64"))
      .join("\n");
    expect(() => homebrewFormula({ version: "v1.2.3", repo: "a/b", sums: partial })).toThrow(
      "SHA256SUMS has no line for aiorch-darwin-arm64; build every target first (bun run build:all)",
    );
    expect(() => homebrewFormula({ version: "latest", repo: "a/b", sums: SUMS })).toThrow(
      "pass one like --version v1.2.3",
    );
    expect(() => homebrewFormula({ version: "1.2.3", repo: "a b", sums: SUMS })).toThrow(
      "pass one like --repo aiorch/aiorch",
    );
  });

  test("the script reads SHA256SUMS and writes aiorch.rb beside it", () => {
    const dir = tempDir("brew");
    writeFileSync(join(dir, "SHA256SUMS"), SUMS);
    const script = join(REPO_ROOT, "scripts/release/homebrew.ts");
    const run = Bun.spawnSync(
      [process.execPath, script, "--sums", join(dir, "SHA256SUMS"), "--version", "2.0.0", "--repo", "o/r"],
      {
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    expect(run.stderr.toString()).toBe("");
    expect(run.exitCode).toBe(0);
    expect(readFileSync(join(dir, "aiorch.rb"), "utf8")).toBe(
      homebrewFormula({ version: "v2.0.0", repo: "o/r", sums: SUMS }),
    );
    const missing = Bun.spawnSync([process.execPath, script, "--sums", join(dir, "nope")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.toString()).toContain("run `bun run build:all` first, or pass --sums FILE");
  });
});
