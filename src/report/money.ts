/** Dollars: 4 decimals, or 2 significant digits below $0.0001 (`$0.0000042`), so that small calls do not show as free. */
export function formatUsd(usd: number): string {
  if (usd === 0 || usd >= 0.0001) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(Math.min(12, 1 - Math.floor(Math.log10(usd))))}`;
}
