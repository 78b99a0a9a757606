import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { TARGETS } from "../../scripts/build.ts";
import { BREW_ASSETS } from "../../scripts/release/homebrew.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

/** The release pieces agree on the asset names that scripts/build.ts produces. */
const ASSETS: string[] = TARGETS.map((t) => t.file);
const workflow = (name: string) => parse(readFileSync(join(REPO_ROOT, ".github/workflows", name), "utf8"));
const runs = (job: { steps: { run?: string }[] }) => job.steps.map((s) => s.run ?? "").join("\n");

test("install.sh and the Homebrew formula name assets that the build makes", () => {
  for (const { asset } of BREW_ASSETS) expect(ASSETS).toContain(asset);
  // install.sh downloads aiorch-$os-$arch for os linux|darwin and arch x64|arm64.
  for (const os of ["linux", "darwin"])
    for (const arch of ["x64", "arm64"]) expect(ASSETS).toContain(`aiorch-${os}-${arch}`);
  expect(readFileSync(join(REPO_ROOT, "install.sh"), "utf8")).toContain('asset="aiorch-$os-$arch"');
});

test("ci.yml tests on Linux and macOS through .ci/run and builds every target", () => {
  const ci = workflow("ci.yml");
  expect(ci.jobs.test.strategy.matrix.os).toEqual(["ubuntu-latest", "macos-latest"]);
  expect(runs(ci.jobs.test)).toContain("bash .ci/run");
  expect(runs(ci.jobs.build)).toContain("npx bun run build:all");
  expect(ci.jobs.build.steps.some((s: { uses?: string }) => s.uses?.startsWith("actions/upload-artifact"))).toBe(true);
});

test("release.yml runs on v* tags and attaches every binary, SHA256SUMS and the formula", () => {
  const release = workflow("release.yml");
  expect(release.on.push.tags).toEqual(["v*"]);
  expect(runs(release.jobs.build)).toContain("npx bun run build:all");
  const publish = runs(release.jobs.publish);
  expect(publish).toContain("scripts/release/homebrew.ts");
  expect(publish).toContain("gh release create");
  for (const file of [...ASSETS, "SHA256SUMS", "aiorch.rb"]) expect(publish).toContain(`dist/${file}`);
});
