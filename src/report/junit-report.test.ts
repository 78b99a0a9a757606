/**
 * The JUnit report built from events the CLI tests cannot time: a step still running when
 * a second Ctrl-C ends the run at once, and outputs that could not be computed. The end-to-end
 * cases (every way a step ends, parsed by ElementTree) are in tests/run/junit.test.ts.
 */
import { expect, test } from "bun:test";
import { JunitReport } from "./junit-report.ts";

const suite = { pipeline: "p", durationMs: 1500, startedAt: new Date("2026-12-06T21:00:00.000Z") };

test("a step that never ended is an error; the counts include it", () => {
  const report = new JunitReport();
  report.handle({ type: "step-start", path: "done", primitive: "run" });
  report.handle({ type: "step-end", path: "done", primitive: "run", status: "success", durationMs: 12, attempts: 1 });
  report.handle({ type: "step-start", path: "hung", primitive: "run" });
  const xml = report.xml(suite);
  expect(xml).toContain(
    `<testsuite name="p" tests="2" failures="0" errors="1" skipped="0" time="1.500" timestamp="2026-12-06T21:00:00"`,
  );
  expect(xml).toContain(`<testcase classname="p" name="done" time="0.012"/>`);
  expect(xml).toMatch(
    /<testcase classname="p" name="hung" time="\d+\.\d{3}">\n {6}<error type="interrupted" message="still running when the run stopped"\/>/,
  );
});

test("outputs that could not be computed are a failing testcase; secrets are masked", () => {
  const report = new JunitReport((text) => text.replaceAll("s3cret", "***"));
  report.handle({
    type: "step-end",
    path: "a",
    primitive: "run",
    status: "failed",
    durationMs: 5,
    attempts: 2,
    error: "bad token s3cret",
  });
  const xml = report.xml({ ...suite, outputError: "outputs.x: 'y' is undefined" });
  expect(xml).toContain(`tests="2" failures="2" errors="0"`);
  expect(xml).toContain(`<failure type="failed" message="bad token ***">bad token ***</failure>`);
  expect(xml).toContain(
    `name="(outputs)" time="0.000">\n      <failure type="failed" message="outputs.x: &apos;y&apos; is undefined">outputs.x: 'y' is undefined</failure>`,
  );
  expect(xml).not.toContain("s3cret");
});
