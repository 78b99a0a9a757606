/** The escaping of GitHub workflow commands (as actions/toolkit escapes them) and the file an annotation names. */
import { expect, test } from "bun:test";
import { annotationFile, escapeData, escapeProperty } from "./github-annotations.ts";

test("messages escape %, CR and LF; properties also , and :", () => {
  expect(escapeData("100% done\r\nnext: a,b")).toBe("100%25 done%0D%0Anext: a,b");
  expect(escapeProperty("step a: 100%, b\n")).toBe("step a%3A 100%25%2C b%0A");
  // %0A written by a step stays literal text, not a line break.
  expect(escapeData("%0A")).toBe("%250A");
});

test("the file is named from the repository root when it is inside it, else in full", () => {
  expect(annotationFile("/repo/pipelines/p.yaml", "/repo")).toBe("pipelines/p.yaml");
  expect(annotationFile("/elsewhere/p.yaml", "/repo")).toBe("/elsewhere/p.yaml");
  expect(annotationFile("/repo-other/p.yaml", "/repo")).toBe("/repo-other/p.yaml");
});
