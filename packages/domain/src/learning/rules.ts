import type { Question } from '@hts/contracts';

export type Interval = [number, number];

/** Union of played intervals, sorted and merged, so watching the same minute twice counts once. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function coveredSeconds(intervals: Interval[]): number {
  return mergeIntervals(intervals).reduce((n, [s, e]) => n + (e - s), 0);
}

/** Slack for clock skew and player buffering when checking that playback was not faster than real time. */
export const PLAYBACK_TOLERANCE = 1.25;

/**
 * A watch report is believable when every interval lies within the media and the media time covered is no
 * more than the wall time the client says elapsed (at most 2x speed playback, with tolerance).
 */
export function checkWatchReport(report: { intervals: Interval[]; wallSeconds: number }, durationSeconds: number): string | null {
  for (const [s, e] of report.intervals) {
    if (!(s >= 0 && e > s)) return 'an interval must start at 0 or later and end after it starts';
    if (e > durationSeconds + 1) return `an interval ends at ${e} s, beyond the media's ${durationSeconds} s`;
  }
  const played = coveredSeconds(report.intervals);
  if (played > report.wallSeconds * 2 * PLAYBACK_TOLERANCE + 1)
    return `${Math.round(played)} s of media reported in ${report.wallSeconds} s: faster than real time`;
  return null;
}

/** Short answers compare without case, surrounding spaces, repeated spaces or Vietnamese diacritics. */
export function foldAnswer(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export type Answer = { choices?: string[]; value?: boolean; text?: string };

export function isCorrect(question: Question, answer: Answer | undefined): boolean {
  if (!answer) return false;
  switch (question.kind) {
    case 'single':
    case 'multiple': {
      const chosen = new Set(answer.choices ?? []);
      const right = new Set(question.options.filter((o) => o.correct).map((o) => o.id));
      return chosen.size === right.size && [...right].every((id) => chosen.has(id));
    }
    case 'true-false':
      return answer.value === question.answer;
    case 'short':
      return typeof answer.text === 'string' && question.accept.some((a) => foldAnswer(a) === foldAnswer(answer.text as string));
  }
}
