/**
 * Input keys that pipelines written for the Python aiorch use: `content_type` (a note) and
 * `max_size_mb` (enforced: a bigger file stops the run before any step, naming the limit).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { aiorch, removeScratch, SLOW } from "../run/harness.ts";

afterAll(removeScratch);

const PIPELINE = `name: sized
input:
  document:
    type: file
    format: text
    content_type: text/plain
    max_size_mb: 1
    description: a small text file
steps:
  count:
    python: |
      result = len(inputs["document"])
`;

describe("content_type and max_size_mb on file inputs", () => {
  test.concurrent(
    "a file within the limit is read; content_type changes nothing",
    async () => {
      const small = "x".repeat(1024 * 1024); // exactly 1 MiB
      const r = await aiorch(["run", "p.yaml", "-i", "document=@small.txt", "--format", "json"], {
        files: { "p.yaml": PIPELINE, "small.txt": small },
      });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).outputs.count).toBe(1024 * 1024);
    },
    SLOW,
  );

  test.concurrent(
    "a bigger file is an input error naming the limit, before any step",
    async () => {
      const big = "x".repeat(1024 * 1024 + 1);
      const r = await aiorch(["run", "p.yaml", "-i", "document=@big.txt"], {
        files: { "p.yaml": PIPELINE, "big.txt": big },
      });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(
        "input `document`: file big.txt is 1.00 MiB, more than its max_size_mb of 1 (raise max_size_mb, or give a smaller file)",
      );
      expect(r.stdout).not.toContain("count");
      expect(r.stderr).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  test.concurrent(
    "the limit applies to a default path too, and must be positive",
    async () => {
      const withDefault = PIPELINE.replace("    description: a small text file", "    default: big.txt");
      const r = await aiorch(["run", "p.yaml"], {
        files: { "p.yaml": withDefault, "big.txt": "y".repeat(3 * 1024 * 1024) },
      });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain("is 3.00 MiB, more than its max_size_mb of 1");
      const zero = await aiorch(["validate", "p.yaml"], {
        files: { "p.yaml": PIPELINE.replace("max_size_mb: 1", "max_size_mb: 0") },
      });
      expect(zero.exitCode).toBe(2);
      expect(zero.stderr).toContain("max_size_mb");
    },
    SLOW,
  );
});
