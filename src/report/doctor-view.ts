/** What `aiorch doctor` prints: one line per check (✓ fine, ! worth knowing, ✗ a pipeline would fail), with the fix. */

export type CheckStatus = "ok" | "warn" | "fail";

export interface DoctorCheck {
  /** What is checked: `python3`, `shell`, `config`, `API keys`, `LLM`, `history`. */
  name: string;
  status: CheckStatus;
  detail: string;
  /** How to fix it (for warn and fail). */
  hint?: string;
}

export interface DoctorReport {
  version: string;
  platform: string;
  bun: string;
  /** The pipeline whose needs were checked, when one was given. */
  pipeline?: string;
  checks: DoctorCheck[];
  /** API key variables: whether each is set (never the value). */
  keys: Record<string, boolean>;
}

const SYMBOL: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗" };

export const doctorFailed = (report: DoctorReport) => report.checks.some((c) => c.status === "fail");

export function renderDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = [
    `aiorch ${report.version} · ${report.platform} · bun ${report.bun}${report.pipeline ? ` · checking what ${report.pipeline} needs` : ""}`,
    "",
  ];
  for (const check of report.checks) {
    const [first, ...more] = check.detail.split("\n");
    lines.push(
      `${SYMBOL[check.status]} ${check.name.padEnd(width)}  ${first}`,
      ...more.map((line) => `  ${" ".repeat(width)}  ${line}`),
    );
    if (check.hint && check.status !== "ok") lines.push(`  ${" ".repeat(width)}  fix: ${check.hint}`);
  }
  const failures = report.checks.filter((c) => c.status === "fail").length;
  const warnings = report.checks.filter((c) => c.status === "warn").length;
  lines.push("");
  if (failures > 0)
    lines.push(
      `Not ready${report.pipeline ? ` to run ${report.pipeline}` : ""}: ${failures} problem${failures === 1 ? "" : "s"} (✗) to fix; each \`fix:\` line says how.`,
    );
  else if (warnings > 0)
    lines.push(
      `Ready to run${report.pipeline ? ` ${report.pipeline}` : ""}; the ! lines matter only for some pipelines.`,
    );
  else lines.push(`Ready to run${report.pipeline ? ` ${report.pipeline}` : ""}.`);
  return lines.join("\n");
}

export function doctorJson(report: DoctorReport) {
  return {
    ok: !doctorFailed(report),
    version: report.version,
    platform: report.platform,
    bun: report.bun,
    pipeline: report.pipeline ?? null,
    checks: report.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail, hint: c.hint ?? null })),
    keys: report.keys,
  };
}
