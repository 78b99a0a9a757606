/**
 * The one way aiorch writes an amount of US dollars, in every view (run summary, history,
 * trace, cost, plan, dashboard, cache, budget messages):
 *
 * - nothing: `$0.00`;
 * - under a hundredth of a cent: two significant digits, so a small call never reads as
 *   free: `$0.0000042`;
 * - under a dollar: four decimals, `$0.0123` (a cent is `$0.0100`);
 * - a dollar or more: cents, `$12.35`.
 *
 * Amounts are rounded half away from zero at the digit shown. JSON documents carry the
 * number itself (USD, rounded to 1e-10), never this text.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return `$${usd}`;
  const sign = usd < 0 ? "-" : "";
  const amount = Math.abs(usd);
  if (amount === 0) return "$0.00";
  if (amount >= 1) return `${sign}$${fixed(amount, 2)}`;
  if (amount >= 0.0001) {
    const text = fixed(amount, 4);
    // 0.99996 rounds up to a dollar: write it as one.
    return text === "1.0000" ? `${sign}$1.00` : `${sign}$${text}`;
  }
  return `${sign}$${fixed(amount, Math.min(12, 1 - Math.floor(Math.log10(amount))))}`;
}

/** Rounds dollars to 1e-10, which removes binary floating-point noise from products and sums. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** `amount` with `digits` decimals, rounded half up on the decimal value (0.00005 → 0.0001, where toFixed may give 0.0000). */
function fixed(amount: number, digits: number): string {
  const scale = 10 ** digits;
  return (Math.round(Number((amount * scale).toPrecision(12))) / scale).toFixed(digits);
}
