/**
 * The EXAMPLES of `aiorch COMMAND --help`: one to three command lines per command, each with
 * what it does. They use the files `aiorch init hello` and `aiorch init csv-enrich` write, so
 * each one can be tried as printed (tests/commands/help.test.ts runs them).
 */

export interface HelpExample {
  /** What it does, one sentence. */
  says: string;
  /** The command line, as typed. */
  line: string;
}

/** A command's action with its own help (`aiorch cache stats --help`). */
export interface ActionHelp {
  description: string;
  /** The command's options that apply to this action (by their names in `args`). */
  options: readonly string[];
  examples: readonly HelpExample[];
}

const ex = (line: string, says: string): HelpExample => ({ line, says });

export const TOP_LEVEL_EXAMPLES: readonly HelpExample[] = [
  ex("aiorch init hello", "Write hello.yaml, a first pipeline that needs no API key"),
  ex("aiorch run hello.yaml -i name=Ada", "Run it with one input"),
  ex("aiorch history", "The runs so far, newest first"),
];

export const COMMAND_EXAMPLES: Readonly<Record<string, readonly HelpExample[]>> = {
  run: [
    ex("aiorch run hello.yaml -i name=Ada -i times=3", "Run a pipeline with two inputs"),
    ex("aiorch run hello.yaml --dry", "Check it, resolve its inputs and print the plan; run nothing"),
    ex(
      "aiorch run hello.yaml -i name=Ada -i times=3 --from repeat",
      "Run the step repeat and what follows it, reusing the other results of the last run with these inputs",
    ),
  ],
  resume: [
    ex("aiorch resume last", "Run again what did not succeed in the newest run"),
    ex("aiorch resume last --concurrency 4", "The same, at most 4 steps or foreach items at a time"),
  ],
  history: [
    ex("aiorch history --status failed --limit 5", "The 5 newest failed runs"),
    ex("aiorch history last", "The newest run: inputs, status, times, cost, failed steps"),
    ex("aiorch history prune --older-than 30d", "Delete the runs started more than 30 days ago"),
  ],
  trace: [
    ex("aiorch trace last", "The newest run step by step, on a timeline"),
    ex("aiorch trace last -v --format json", "The same as JSON, inputs and outputs whole"),
    ex("aiorch trace last --html run.html", "Its page of `aiorch ui` as one HTML file that opens offline"),
  ],
  ui: [
    ex("aiorch ui", "Browse the history at http://127.0.0.1:8491/ (Ctrl-C stops it)"),
    ex("aiorch ui --port 9000 --open", "On another port, opened in the default browser"),
  ],
  dashboard: [
    ex("aiorch dashboard", "Runs, spending, cost by pipeline and model, failures, the cache"),
    ex("aiorch dashboard --since 7d --limit 20", "Cost of the last 7 days; the 20 newest runs"),
  ],
  validate: [
    ex("aiorch validate hello.yaml", "Check one pipeline; exit 2 with every problem when it is wrong"),
    ex("aiorch validate hello.yaml csv-enrich.yaml -c aiorch.yaml", "Check two pipelines and the config file"),
  ],
  list: [
    ex("aiorch list hello.yaml", "The steps with their primitive, depends, condition, foreach; the inputs"),
    ex("aiorch list hello.yaml --format json", "The same as JSON"),
  ],
  visualize: [
    ex("aiorch visualize hello.yaml", "The DAG drawn in ASCII"),
    ex("aiorch visualize hello.yaml --format mermaid > dag.md", "A Mermaid flowchart for a README or a pull request"),
  ],
  plan: [
    ex("aiorch plan csv-enrich.yaml", "The layers, each foreach's length and the estimated cost"),
    ex("aiorch plan csv-enrich.yaml -i products=@products.csv --model gpt-4o", "The same for another CSV and model"),
  ],
  cost: [
    ex("aiorch cost csv-enrich.yaml", "What its prompt steps will cost, per step"),
    ex("aiorch cost csv-enrich.yaml --model gpt-4o --format json", "The same with gpt-4o, as JSON"),
  ],
  explain: [ex("aiorch explain hello.yaml repeat", "When the step repeat runs, what it does, what happens on failure")],
  cache: [
    ex("aiorch cache stats", "Entries, hits and the dollars the cache saved"),
    ex("aiorch cache clear --older-than 30d", "Delete the answers not used for 30 days"),
  ],
  schema: [
    ex(
      "aiorch schema > pipeline.schema.json",
      "Write the schema, for `# yaml-language-server: $schema=pipeline.schema.json`",
    ),
  ],
  init: [
    ex("aiorch init --list", "The templates, one line each"),
    ex("aiorch init hello", "Write hello.yaml in this folder"),
    ex("aiorch init csv-enrich -o pipelines", "Write pipelines/csv-enrich.yaml and its sample products.csv"),
  ],
  doctor: [
    ex("aiorch doctor", "Check python3, the shell, the config, the keys, the LLM endpoint, the history"),
    ex("aiorch doctor csv-enrich.yaml", "Check only what this pipeline needs"),
  ],
  completion: [
    ex("source <(aiorch completion bash)", "bash: complete aiorch in this shell (add it to ~/.bashrc to keep it)"),
    ex("source <(aiorch completion zsh)", "zsh: the same (in ~/.zshrc)"),
    ex("aiorch completion fish | source", "fish: the same (in ~/.config/fish/config.fish)"),
  ],
  serve: [ex("aiorch serve", "Says what to use instead (exit 2)")],
  status: [ex("aiorch status", "The history file and its last runs")],
  stop: [ex("aiorch stop", "Nothing to stop: exit 0")],
};

/** `aiorch cache stats --help`, `aiorch history prune --help`: an action's own help. */
export const ACTION_HELP: Readonly<Record<string, Readonly<Record<string, ActionHelp>>>> = {
  cache: {
    stats: {
      description:
        "The LLM response cache: its entries, the hits they had and the dollars those hits saved. Reads only.",
      options: ["config", "format"],
      examples: [
        ex("aiorch cache stats", "The figures of the cache of this folder's config"),
        ex("aiorch cache stats --format json", "The same as JSON"),
      ],
    },
    clear: {
      description: "Delete cached LLM answers: all of them, or those not used for --older-than AGE.",
      options: ["older-than", "config", "format"],
      examples: [
        ex("aiorch cache clear", "Delete every cached answer"),
        ex("aiorch cache clear --older-than 30d", "Delete the answers not used for 30 days"),
      ],
    },
  },
  history: {
    prune: {
      description:
        "Delete old runs and reclaim their space: runs started longer ago than --older-than, or all but the newest --keep N (both: the runs that match both).",
      options: ["older-than", "keep", "config", "format"],
      examples: [
        ex("aiorch history prune --older-than 30d", "Delete the runs started more than 30 days ago"),
        ex("aiorch history prune --keep 100", "Keep the newest 100 runs, delete the others"),
      ],
    },
  },
};
