#!/usr/bin/env bun
import pkg from "../package.json" with { type: "json" };
import { dispatch, type Program } from "./cli/dispatch.ts";

/** Subcommands load lazily so `aiorch --version` and `validate` start fast. */
const program: Program = {
  name: "aiorch",
  version: pkg.version,
  description: "aiorch — YAML pipelines of LLM prompts, Python, shell and sub-pipelines",
  commands: {
    run: { description: "Run a pipeline", load: async () => (await import("./cli/run.ts")).runCommand },
    resume: {
      description: "Resume a failed, cancelled or crashed run: rerun only what did not succeed",
      load: async () => (await import("./cli/resume.ts")).resumeCommand,
    },
    history: {
      description: "Recent runs, one run's summary, or prune old runs",
      load: async () => (await import("./cli/history.ts")).historyCommand,
    },
    trace: {
      description: "A recorded run step by step, on a timeline",
      load: async () => (await import("./cli/trace.ts")).traceCommand,
    },
    ui: {
      description:
        "Browse the history in a web browser: runs, timelines, DAGs, foreach items, costs (served on 127.0.0.1)",
      load: async () => (await import("./cli/ui.ts")).uiCommand,
    },
    dashboard: {
      description: "One screen of the history: runs and spending, cost by pipeline and model, failures, the LLM cache",
      load: async () => (await import("./cli/dashboard.ts")).dashboardCommand,
    },
    validate: {
      description: "Check a pipeline file (all three validation layers) without running it",
      load: async () => (await import("./cli/validate.ts")).validateCommand,
    },
    list: {
      description: "List a pipeline's steps: primitive, depends, condition, foreach",
      load: async () => (await import("./cli/list.ts")).listCommand,
    },
    visualize: {
      description: "Draw a pipeline's DAG: ASCII, Mermaid or Graphviz dot",
      load: async () => (await import("./cli/visualize.ts")).visualizeCommand,
    },
    plan: {
      description: "Show the execution layers of a pipeline",
      load: async () => (await import("./cli/plan.ts")).planCommand,
    },
    cache: {
      description: "LLM response cache: stats, or clear [--older-than AGE]",
      load: async () => (await import("./cli/cache.ts")).cacheCommand,
    },
    cost: {
      description: "Estimate the cost of a pipeline's prompt steps (no call is made)",
      load: async () => (await import("./cli/cost.ts")).costCommand,
    },
    explain: {
      description: "Describe one step in plain language",
      load: async () => (await import("./cli/explain.ts")).explainCommand,
    },
    schema: {
      description: "Print the JSON Schema of pipeline files",
      load: async () => (await import("./cli/schema.ts")).schemaCommand,
    },
    init: {
      description: "Scaffold a pipeline from a built-in template (--list shows them)",
      load: async () => (await import("./cli/init.ts")).initCommand,
    },
    doctor: {
      description:
        "Check python3, the shell, the config, API keys, the LLM endpoint and the history: what pipelines need",
      load: async () => (await import("./cli/doctor.ts")).doctorCommand,
    },
    serve: {
      description: "(Python aiorch) its server: not available here",
      hidden: true,
      load: async () => (await import("./cli/server-commands.ts")).serveCommand,
    },
    status: {
      description: "(Python aiorch) server status: no server here; the last runs",
      hidden: true,
      load: async () => (await import("./cli/server-commands.ts")).statusCommand,
    },
    stop: {
      description: "(Python aiorch) stop its daemon: nothing to stop here",
      hidden: true,
      load: async () => (await import("./cli/server-commands.ts")).stopCommand,
    },
    completion: {
      description: "Print a shell completion script: bash, zsh or fish",
      load: async () => (await import("./cli/completion.ts")).completionCommandFor(program),
    },
    __complete: {
      description: "Values for the completion scripts (step names, run ids)",
      hidden: true,
      load: async () => (await import("./cli/complete-values.ts")).completeValuesCommand,
    },
  },
};

// A closed pipe (`aiorch … | head`) ends the output, not the program with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

// No top-level await: the entry point stays synchronous so that start-up does no waiting.
void dispatch(program, process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
