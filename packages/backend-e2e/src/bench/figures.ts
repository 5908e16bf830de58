/**
 * How every benchmark in bench/ reports: one line per figure on stdout, `BENCH<TAB><name><TAB><value><TAB><unit>`,
 * which scripts/bench.sh collects into its table.
 */

/** Prints one figure, rounded to `digits` decimals. */
export function printFigure(
  name: string,
  value: number,
  unit: string,
  digits = 2,
): void {
  process.stdout.write(`BENCH\t${name}\t${value.toFixed(digits)}\t${unit}\n`);
}

/** The middle value (the upper one of the two middles for an even count); the input is not changed. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The nearest-rank percentile `p` (0 < p ≤ 100) of unsorted values; the input is not changed. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100))
    throw new Error(`percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}
