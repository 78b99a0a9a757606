/**
 * `--junit FILE` and the GitHub Actions annotations (issue 13 item 14), through the real
 * CLI. The report is read back with a real XML parser (python3's xml.etree.ElementTree),
 * which refuses what is not XML 1.0 — a control character from a step's error, say.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { aiorch, fixture, removeScratch, runFixture, scratch, SLOW, spawnAiorch, waitUntil } from "./harness.ts";

afterAll(removeScratch);

interface Case {
  classname: string | null;
  name: string | null;
  time: string | null;
  /** failure, error, skipped or passed. */
  kind: string;
  type: string | null;
  message: string | null;
  text: string;
}
interface Report {
  root: string;
  suites: Record<string, string>[];
  cases: Case[];
}

/** The report parsed by ElementTree: the root's tag, every testsuite's attributes, every testcase. */
async function parseReport(file: string): Promise<Report> {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = []
for case in root.iter("testcase"):
    outcome = next(iter(case), None)
    cases.append({"classname": case.get("classname"), "name": case.get("name"), "time": case.get("time"),
                  "kind": outcome.tag if outcome is not None else "passed",
                  "type": outcome.get("type") if outcome is not None else None,
                  "message": outcome.get("message") if outcome is not None else None,
                  "text": (outcome.text or "") if outcome is not None else ""})
print(json.dumps({"root": root.tag, "suites": [dict(s.attrib) for s in root.iter("testsuite")], "cases": cases}))
`;
  const child = Bun.spawn(["python3", "-c", script, file], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`not XML that ElementTree reads: ${err}`);
  return JSON.parse(out) as Report;
}

const byName = (report: Report, name: string): Case => {
  const found = report.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no testcase ${name} in ${report.cases.map((c) => c.name).join(", ")}`);
  return found;
};

test.concurrent(
  "a testcase per step and per failed item, with failures, skips, messages and details; counts agree",
  async () => {
    const run = await runFixture("junit/mixed.yaml", ["--junit", "reports/run.xml"]);
    expect(run.exitCode).toBe(1);
    const report = await parseReport(join(run.cwd, "reports/run.xml"));
    expect(report.root).toBe("testsuites");
    expect(report.suites).toHaveLength(1);
    const suite = report.suites[0]!;
    // The attributes the common JUnit schema (Ant's; read by Jenkins and GitLab) requires.
    for (const key of ["name", "tests", "failures", "errors", "skipped", "time", "timestamp", "hostname"])
      expect(suite[key]).toBeDefined();
    expect(suite.name).toBe("junit-mixed");
    expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(Number(suite.time)).toBeGreaterThan(0);
    const names = report.cases.map((c) => c.name).sort();
    expect(names).toEqual(["after", "broken", "fan", "fan[1]", "maybe", "ok", "py", "sub", "sub/fine", "sub/inner"]);
    for (const c of report.cases) {
      expect(c.classname).toBe("junit-mixed");
      expect(c.time).toMatch(/^\d+\.\d{3}$/);
    }
    const count = (kind: string) => report.cases.filter((c) => c.kind === kind).length;
    expect([suite.tests, suite.failures, suite.errors, suite.skipped].map(Number)).toEqual([
      report.cases.length,
      count("failure"),
      count("error"),
      count("skipped"),
    ]);
    expect([count("passed"), count("failure"), count("error"), count("skipped")]).toEqual([3, 5, 0, 2]);
    expect(byName(report, "ok").kind).toBe("passed");
    // The foreach kept going: the step passed, its failed item is a failure of its own.
    expect(byName(report, "fan").kind).toBe("passed");
    expect(byName(report, "fan[1]")).toMatchObject({
      kind: "failure",
      message: expect.stringMatching(/exited with code 5 … item one broke$/),
      text: expect.stringMatching(/exited with code 5\nstderr:\n {2}item one broke$/),
    });
    expect(byName(report, "after")).toMatchObject({ kind: "skipped", message: "upstream failed" });
    expect(byName(report, "maybe")).toMatchObject({ kind: "skipped", message: "condition is false" });
    // Markup and line breaks come back exactly; the stderr is in the text once.
    const broken = byName(report, "broken");
    expect(broken.kind).toBe("failure");
    expect(broken.message).toMatch(
      /^command `echo 'bad <&> "quoted" 100%, a:b' >&2` .* exited with code 2 … bell\\x07 escape\\x1b\[31m nul-free$/,
    );
    expect(broken.text).toContain('\nstderr:\n  bad <&> "quoted" 100%, a:b\n');
    expect(broken.text.split('bad <&> "quoted"')).toHaveLength(3);
    // Control characters XML cannot hold are shown escaped; the traceback follows the error.
    const py = byName(report, "py");
    expect(py.message).toBe("ValueError: no good value:\\x01\\x1b[2J\\ufffe end (step py, line 2 of the body)");
    expect(py.text).toMatch(/\n\nTraceback \(most recent call last\):\n[\s\S]*raise ValueError/);
    expect(byName(report, "sub/inner").message).toMatch(/exited with code 7 … inner broke$/);
    expect(byName(report, "sub").message).toMatch(/^sub-pipeline `junit-child` failed at step `inner`/);
  },
  SLOW,
);

test.concurrent(
  "resume --junit writes a report: reused steps pass, the ones run again fail again",
  async () => {
    const cwd = scratch("junit-resume");
    const run = await aiorch(["run", fixture("junit/mixed.yaml"), "--format", "json"], { cwd });
    expect(run.exitCode).toBe(1);
    const id = (JSON.parse(run.stdout) as { run_id: string }).run_id;
    const resumed = await aiorch(["resume", id, "--junit", "resumed.xml"], { cwd });
    expect(resumed.exitCode).toBe(1);
    const report = await parseReport(join(cwd, "resumed.xml"));
    expect(byName(report, "ok").kind).toBe("passed");
    expect(byName(report, "broken").kind).toBe("failure");
    expect(byName(report, "after").kind).toBe("skipped");
  },
  SLOW,
);

test.concurrent(
  "a run that succeeds while a foreach kept going: exit 0, the failed items are the report's failures",
  async () => {
    const run = await runFixture("foreach/keep-going.yaml", ["--junit", "keep.xml"]);
    expect(run.exitCode).toBe(0);
    const report = await parseReport(join(run.cwd, "keep.xml"));
    expect(report.suites[0]).toMatchObject({
      name: "foreach-keep-going",
      tests: "6",
      failures: "3",
      errors: "0",
      skipped: "0",
    });
    expect(
      report.cases
        .filter((c) => c.kind === "failure")
        .map((c) => c.name)
        .sort(),
    ).toEqual(["fan[1]", "fan[4]", "sequential[0]"]);
  },
  SLOW,
);

test.concurrent(
  "interrupted: the report is written with the cancelled step as an error",
  async () => {
    const started = spawnAiorch(["run", fixture("junit/slow.yaml"), "--junit", "slow.xml"]);
    expect(await waitUntil(() => existsSync(join(started.cwd, "slow-started")), 15_000)).toBe(true);
    started.child.kill("SIGINT");
    const outcome = await started.done;
    expect(outcome.exitCode).toBe(130);
    const report = await parseReport(join(started.cwd, "slow.xml"));
    expect(byName(report, "first").kind).toBe("passed");
    expect(byName(report, "slow")).toMatchObject({ kind: "error", type: "cancelled" });
    expect(report.suites[0]).toMatchObject({ tests: "2", failures: "0", errors: "1", skipped: "0" });
  },
  SLOW,
);

test.concurrent(
  "GITHUB_ACTIONS=true: an ::error per failed step at its line (a flow's step in its own file), a ::warning per failed item; escaped",
  async () => {
    const run = await runFixture("junit/mixed.yaml", [], {
      env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: REPO_ROOT },
    });
    expect(run.exitCode).toBe(1);
    const commands = run.stdout.split("\n").filter((line) => line.startsWith("::"));
    const at = (title: string) => commands.find((line) => line.includes(`,title=${title}::`));
    expect(commands).toHaveLength(5);
    expect(at("step broken failed")).toMatch(
      /^::error file=tests\/run\/fixtures\/junit\/mixed\.yaml,line=9,col=3,title=step broken failed::command `echo 'bad <&> "quoted" 100%25, a:b' >&2` .*%0Astderr:%0A {2}bad <&> "quoted" 100%25, a:b%0A {2}bell\\x07 escape\\x1b\[31m nul-free$/,
    );
    expect(at("step py failed")).toMatch(
      /^::error file=tests\/run\/fixtures\/junit\/mixed\.yaml,line=26,col=3,.*%0ATraceback \(most recent call last\):%0A/,
    );
    expect(at("step sub failed")).toMatch(/^::error file=tests\/run\/fixtures\/junit\/mixed\.yaml,line=31,col=3,/);
    expect(at("step sub/inner failed")).toMatch(/^::error file=tests\/run\/fixtures\/junit\/child\.yaml,line=5,col=3,/);
    expect(at("item fan[1] failed")).toMatch(
      /^::warning file=tests\/run\/fixtures\/junit\/mixed\.yaml,line=20,col=3,.*%0Astderr:%0A {2}item one broke$/,
    );
    // Without the variable there are none.
    const plain = await runFixture("junit/mixed.yaml");
    expect(plain.stdout.split("\n").filter((line) => line.startsWith("::"))).toEqual([]);
  },
  SLOW,
);

test.concurrent(
  "with --format json the annotations go to stderr and stdout stays one JSON document",
  async () => {
    const run = await runFixture("junit/mixed.yaml", ["--format", "json"], { env: { GITHUB_ACTIONS: "true" } });
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout) as { status: string };
    expect(doc.status).toBe("failed");
    const commands = run.stderr.split("\n").filter((line) => line.startsWith("::"));
    expect(commands).toHaveLength(5);
    // Outside GITHUB_WORKSPACE (unset: the current folder), the file is named by its full path.
    expect(commands.find((line) => line.startsWith("::error file="))).toStartWith(
      `::error file=${fixture("junit/mixed.yaml")},line=9,col=3,`,
    );
  },
  SLOW,
);

test.concurrent(
  "secrets are masked in the report and in the annotations",
  async () => {
    const cwd = scratch("junit-secret");
    const pipeline = "name: leaky\nsteps:\n  leak:\n    run: echo token is $DEPLOY_TOKEN >&2; exit 1\n";
    const run = await aiorch(["run", "leaky.yaml", "--junit", "leak.xml"], {
      cwd,
      files: { "leaky.yaml": pipeline },
      env: { DEPLOY_TOKEN: "tok-4f9a8b7c6d5e4f3a2b1c", GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: cwd },
    });
    expect(run.exitCode).toBe(1);
    const report = await parseReport(join(cwd, "leak.xml"));
    expect(byName(report, "leak").text).toContain("token is ***");
    const annotation = run.stdout.split("\n").find((line) => line.startsWith("::error file=leaky.yaml,line=3,col=3,"));
    expect(annotation).toContain("token is ***");
    expect(run.stdout + (await Bun.file(join(cwd, "leak.xml")).text())).not.toContain("tok-4f9a8b7c6d5e4f3a2b1c");
  },
  SLOW,
);
