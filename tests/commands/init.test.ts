/**
 * `aiorch init`: every template goes init → validate → run through the real CLI, in a
 * fresh folder, with only the files init wrote (LLM templates against the local
 * OpenAI-compatible server, pointed at with OPENAI_BASE_URL as a user would).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEMPLATES } from "../../src/init/templates.ts";
import { startLlmServer, type ChatRequest, type LlmServer } from "../helpers/llm-server.ts";
import { aiorch, removeScratch, scratch, SLOW, STACK_TRACE, type RunDocument } from "../run/harness.ts";

const REQUIRED = ["hello", "csv-enrich", "classify-branch", "map-reduce-summary", "ci-check", "extract-validate"];

/** A correct extraction of the sample invoice, so extract-validate takes its "valid" branch. */
const INVOICE = {
  vendor: "Northwind Supplies",
  invoice_number: "NW-2024-0117",
  date: "2024-03-14",
  currency: "EUR",
  total: 122.4,
  lines: [
    { description: "Self-watering planter (large) x3", amount: 73.5 },
    { description: "Potting soil, 40 litres", amount: 12.9 },
    { description: "Pruning shears x2", amount: 36 },
  ],
};

const lastUser = (request: ChatRequest) =>
  String([...request.messages].reverse().find((m) => m.role === "user")?.content ?? "");

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({
    rule: (request) =>
      lastUser(request).startsWith("Extract the invoice") ? { kind: "answer", content: INVOICE } : undefined,
    // A server on this machine costs $0; this one reports a cost per answer (as OpenRouter does), which wins.
    reportCost: (usage) => usage.total_tokens * 0.000001,
  });
});
afterAll(async () => {
  await server.stop();
  removeScratch();
});

/** What a user with an OpenAI-compatible server has: its URL and some key. */
const llmEnv = () => ({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "test", AIORCH_BASE_URL: "" });

function parseRun(stdout: string, stderr: string): RunDocument {
  try {
    return JSON.parse(stdout) as RunDocument;
  } catch {
    throw new Error(`not one JSON document:\n${stdout}\nstderr:\n${stderr}`);
  }
}

describe("aiorch init --list", () => {
  test("names every template with its one-line description and marks the LLM ones", async () => {
    const r = await aiorch(["init", "--list"]);
    expect(r.exitCode).toBe(0);
    for (const name of REQUIRED) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    for (const t of TEMPLATES) {
      const line = r.stdout.split("\n").find((l) => l.startsWith(`  ${t.name} `))!;
      expect(line).toContain(t.description);
      expect(line.includes(" LLM ")).toBe(t.llm);
    }
  });

  test("without a template it shows the list and how to pick one", async () => {
    const r = await aiorch(["init"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("pick one: aiorch init TEMPLATE");
    expect(r.stdout).toContain("csv-enrich");
    expect(readdirSync(r.cwd).filter((f) => !f.startsWith("."))).toEqual([]);
  });

  test("--format json lists names, descriptions and the files each writes", async () => {
    const r = await aiorch(["init", "--list", "--format", "json"]);
    const doc = JSON.parse(r.stdout) as {
      templates: { name: string; description: string; llm: boolean; files: string[] }[];
    };
    expect(doc.templates.map((t) => t.name)).toEqual(TEMPLATES.map((t) => t.name));
    expect(doc.templates.find((t) => t.name === "csv-enrich")).toMatchObject({
      llm: true,
      files: ["csv-enrich.yaml", "products.csv"],
    });
    expect(doc.templates.find((t) => t.name === "hello")).toMatchObject({ llm: false, files: ["hello.yaml"] });
  });
});

describe("every template: init → validate → run", () => {
  test("there are the six required templates and a couple more", () => {
    expect(TEMPLATES.map((t) => t.name)).toEqual(expect.arrayContaining(REQUIRED));
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(8);
  });

  test.concurrent.each(TEMPLATES.map((t) => t.name))(
    "%s",
    async (name) => {
      const template = TEMPLATES.find((t) => t.name === name)!;
      const cwd = scratch(`init-${name}`);
      const env = template.llm ? llmEnv() : {};

      const init = await aiorch(["init", name], { cwd, env });
      expect({ code: init.exitCode, stderr: init.stderr }).toEqual({ code: 0, stderr: "" });
      const written = [`${name}.yaml`, ...template.companions.map((c) => c.name)];
      for (const file of written) expect(init.stdout).toContain(`✓ wrote ${file}`);
      expect(init.stdout).toContain(`aiorch run ${name}.yaml`);
      const text = readFileSync(join(cwd, `${name}.yaml`), "utf8");
      expect(text).not.toContain("__FILE__");
      expect(text).toContain(`aiorch run ${name}.yaml`);
      expect(text.split("\n").filter((l) => l.trimStart().startsWith("#")).length).toBeGreaterThan(3);

      const validate = await aiorch(["validate", `${name}.yaml`], { cwd, env });
      expect({ code: validate.exitCode, stderr: validate.stderr }).toEqual({ code: 0, stderr: "" });

      const run = await aiorch(["run", `${name}.yaml`, "--format", "json"], { cwd, env });
      const doc = parseRun(run.stdout, run.stderr);
      expect({
        status: doc.status,
        code: run.exitCode,
        errors: doc.steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`),
      }).toEqual({ status: "success", code: 0, errors: [] });
      expect(Object.keys(doc.outputs).length).toBeGreaterThan(0);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      if (template.llm) expect(doc.cost).toBeGreaterThan(0);
    },
    SLOW * 2,
  );
});

describe("what the templates produce", () => {
  async function runTemplate(name: string, args: string[] = []) {
    const cwd = scratch(`produce-${name}`);
    const env = TEMPLATES.find((t) => t.name === name)!.llm ? llmEnv() : {};
    expect((await aiorch(["init", name], { cwd, env })).exitCode).toBe(0);
    const run = await aiorch(["run", `${name}.yaml`, "--format", "json", ...args], { cwd, env });
    return { cwd, run, doc: parseRun(run.stdout, run.stderr) };
  }

  test.concurrent(
    "csv-enrich writes the sample rows with two new columns",
    async () => {
      const { cwd, doc } = await runTemplate("csv-enrich");
      expect(doc.outputs.rows).toBe(5);
      const lines = readFileSync(join(cwd, "products-enriched.csv"), "utf8").trim().split(/\r?\n/);
      expect(lines[0]).toBe("sku,name,description,category,audience");
      expect(lines.length).toBe(6);
    },
    SLOW,
  );

  test.concurrent(
    "extract-validate saves a valid extraction as JSON",
    async () => {
      const { cwd, doc } = await runTemplate("extract-validate");
      expect(doc.outputs).toMatchObject({ valid: true, errors: [] });
      expect(JSON.parse(readFileSync(join(cwd, "invoice.json"), "utf8"))).toEqual(INVOICE);
    },
    SLOW,
  );

  test.concurrent(
    "map-reduce-summary summarises each paragraph and saves the summary",
    async () => {
      const { cwd, doc } = await runTemplate("map-reduce-summary");
      expect(doc.outputs.parts).toBe(6);
      expect(readFileSync(join(cwd, "summary.md"), "utf8")).toBe(String(doc.outputs.summary));
    },
    SLOW,
  );

  test.concurrent(
    "ci-check passes with its placeholders and fails (exit 1) when a check fails",
    async () => {
      const passed = await runTemplate("ci-check");
      expect(readFileSync(join(passed.cwd, "ci-report.md"), "utf8")).toContain("- PASS `test` (exit 0)");
      const failed = await aiorch(["run", "ci-check.yaml", "-i", "test_command=echo two tests failed; exit 3"], {
        cwd: passed.cwd,
      });
      expect(failed.exitCode).toBe(1);
      const report = readFileSync(join(passed.cwd, "ci-report.md"), "utf8");
      expect(report).toContain("- FAIL `test` (exit 3)");
      expect(report).toContain("two tests failed");
      expect(failed.stdout + failed.stderr).toContain("failed checks: test");
    },
    SLOW,
  );

  test.concurrent(
    "flow runs its sub-pipeline once per word",
    async () => {
      const { doc } = await runTemplate("flow", ["-i", "words=ab,abcd"]);
      expect(doc.outputs.longest).toBe("longest - abcd");
      expect((doc.outputs.results as { upper: string }[]).map((r) => r.upper)).toEqual(["AB", "ABCD"]);
    },
    SLOW,
  );

  test.concurrent(
    "classify-branch runs exactly one branch",
    async () => {
      const { doc } = await runTemplate("classify-branch");
      const branches = doc.steps.filter((s) => ["bug", "feature", "question"].includes(s.name));
      expect(branches.filter((s) => s.status === "success").length).toBe(1);
      expect(branches.filter((s) => s.status === "skipped").length).toBe(2);
    },
    SLOW,
  );
});

describe("init never overwrites by accident", () => {
  test("a second init refuses, names the file and the ways out, and leaves it alone", async () => {
    const cwd = scratch("init-twice");
    expect((await aiorch(["init", "hello"], { cwd })).exitCode).toBe(0);
    writeFileSync(join(cwd, "hello.yaml"), "# my edits\n");
    const again = await aiorch(["init", "hello"], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain("error: `hello.yaml` already exists");
    expect(again.stderr).toContain("--output");
    expect(again.stderr).toContain("remove it");
    expect(again.stderr).toContain("--force");
    expect(again.stderr).not.toMatch(STACK_TRACE);
    expect(readFileSync(join(cwd, "hello.yaml"), "utf8")).toBe("# my edits\n");
  });

  test("a sample file in the way stops everything: nothing is written", async () => {
    const cwd = scratch("init-sample");
    writeFileSync(join(cwd, "products.csv"), "my,own\n1,2\n");
    const r = await aiorch(["init", "csv-enrich"], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("`products.csv` already exists");
    expect(existsSync(join(cwd, "csv-enrich.yaml"))).toBe(false);
    expect(readFileSync(join(cwd, "products.csv"), "utf8")).toBe("my,own\n1,2\n");
  });

  test("--force overwrites every file of the template", async () => {
    const cwd = scratch("init-force");
    writeFileSync(join(cwd, "csv-enrich.yaml"), "old\n");
    writeFileSync(join(cwd, "products.csv"), "old\n");
    const r = await aiorch(["init", "csv-enrich", "--force"], { cwd });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(cwd, "csv-enrich.yaml"), "utf8")).toContain("name: csv-enrich");
    expect(readFileSync(join(cwd, "products.csv"), "utf8")).toStartWith("sku,name,description\n");
  });

  test(
    "--output FILE and --output DIR/ put the pipeline (and its samples) there",
    async () => {
      const cwd = scratch("init-output");
      const file = await aiorch(["init", "hello", "--output", "pipelines/greet.yaml"], { cwd });
      expect(file.exitCode).toBe(0);
      expect(file.stdout).toContain("✓ wrote pipelines/greet.yaml");
      expect(readFileSync(join(cwd, "pipelines/greet.yaml"), "utf8")).toContain("aiorch run pipelines/greet.yaml");
      mkdirSync(join(cwd, "data"));
      const dir = await aiorch(["init", "map-reduce-summary", "-o", "data"], { cwd, env: llmEnv() });
      expect(dir.exitCode).toBe(0);
      expect(readdirSync(join(cwd, "data")).sort()).toEqual(["article.txt", "map-reduce-summary.yaml"]);
      // The default input is found next to the pipeline, from any working directory.
      const run = await aiorch(["run", "data/map-reduce-summary.yaml", "--format", "json"], { cwd, env: llmEnv() });
      expect(parseRun(run.stdout, run.stderr).outputs.parts).toBe(6);
    },
    SLOW,
  );

  test("an unknown template is a usage error with a suggestion and the list", async () => {
    const r = await aiorch(["init", "csv-enrch"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown template `csv-enrch` (did you mean `csv-enrich`?)");
    expect(r.stderr).toContain("hint: the templates are hello,");
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(r.cwd).filter((f) => !f.startsWith("."))).toEqual([]);
  });
});
