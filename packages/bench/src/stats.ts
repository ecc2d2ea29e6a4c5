/** Summary statistics of one series of round measurements. Robust ones: shared machines produce outliers. */
export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  /** Median absolute deviation from the median. */
  mad: number;
  min: number;
  max: number;
}

/** Linear interpolation between closest ranks (the "R-7" definition most tools use). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty series');
  if (q < 0 || q > 1) throw new Error(`quantile ${q} is outside 0..1`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('cannot summarise an empty series');
  const sorted = [...values].sort((x, y) => x - y);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((x, y) => x - y);
  return {
    n: sorted.length,
    median,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    mad: quantile(deviations, 0.5),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * The subject's median over the reference's median, oriented so that 1.0 means "as good as the reference"
 * and below 1.0 means worse, whichever direction the unit runs (req/s up, milliseconds down).
 */
export function ratioOf(subject: Summary, reference: Summary, better: 'higher' | 'lower'): number {
  if (better === 'higher') return reference.median === 0 ? Number.NaN : subject.median / reference.median;
  return subject.median === 0 ? Number.NaN : reference.median / subject.median;
}
