/**
 * The two Python number kinds that a plain JS number cannot carry, shared by everything that
 * holds a step's value (the template engine, the python wire, the history, `--format json`).
 *
 * The value model, everywhere: an int is an integral JS number while it is a safe integer
 * (|n| ≤ 2^53 − 1) and a `bigint` beyond that, so ints of any size stay exact while the
 * common case stays a plain number; a float is a non-integral JS number or an
 * {@link IntegralFloat} (`40.0`), so that a float never turns into an int on the way.
 */

/** A Python float whose value is integral (`2.0`); non-integral floats are plain numbers. */
export class IntegralFloat {
  constructor(readonly value: number) {}
  /**
   * What a naive `JSON.stringify` writes (the number, so it never writes `{"value": 2}`);
   * the exact `2.0` comes from `stringifyPyJson`.
   */
  toJSON(): number {
    return this.value;
  }
}

/** An exact int in the value model: a plain number when it is safe, else the bigint. */
export function pyInt(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}
