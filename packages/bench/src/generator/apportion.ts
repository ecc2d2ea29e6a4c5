/**
 * Splits a whole total across weights so the parts are whole numbers that add up exactly to the total
 * (largest remainder): a province of 3,600 people stays 3,600 however it is cut by commune and group.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`total must be a whole number ≥ 0, got ${total}`);
  const sum = weights.reduce((a, w) => a + w, 0);
  if (weights.some((w) => w < 0 || !Number.isFinite(w)) || sum <= 0) throw new Error('weights must be non-negative with a positive sum');
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, p) => a + p, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}
