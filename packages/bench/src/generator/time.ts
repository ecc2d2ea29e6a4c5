import { uniform, weightedIndex } from './sql.ts';

/** Registrations run over two years up to the end of June 2026, starting on a Monday, Vietnam time. */
export const HISTORY_START = '2024-07-01 00:00:00+07';
export const HISTORY_WEEKS = 104;
export const HISTORY_END = '2026-06-29 00:00:00+07';

// ASSUMPTION for load shape: weekends busier than weekdays; mornings and evenings (19–22 h) busiest.
const weekdayWeights = [1.0, 1.0, 0.95, 0.95, 0.9, 1.25, 1.35];
const hourWeights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 2.0, 1.8, 1.5, 1.2, 1.2, 1.5, 1.6, 1.6, 1.5, 1.8, 2.5, 3.0, 2.8, 1.8, 0.8];

/**
 * A timestamp in the history with a weekly and daily rhythm, and growth: the week is drawn as
 * floor(104·√u), so later weeks see more sign-ups than early ones (density rising linearly).
 */
export function rhythmicTimestamp(n: string, seed: number, salt: number): string {
  return weekRhythm(`timestamptz '${HISTORY_START}'`, `floor(${HISTORY_WEEKS} * sqrt(${uniform(n, seed, salt)}))::int`, n, seed, salt);
}

/** `start` (a Monday at local midnight) plus `week` weeks, then a weekday, hour and second drawn by the rhythm above. */
export function weekRhythm(start: string, week: string, n: string, seed: number, salt: number): string {
  const day = weightedIndex(uniform(n, seed, salt + 1), weekdayWeights);
  const hour = weightedIndex(uniform(n, seed, salt + 2), hourWeights);
  const secs = `${uniform(n, seed, salt + 3)} * 3600`;
  return `(${start} + make_interval(weeks => ${week}, days => ${day}, hours => ${hour}, secs => ${secs}))`;
}
