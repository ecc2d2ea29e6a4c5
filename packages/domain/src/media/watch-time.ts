/** One stretch of media the player says it played: media seconds [start, end), and when it reported it. */
export interface PlayedInterval {
  start: number;
  end: number;
}

export interface WatchReport {
  intervals: PlayedInterval[];
  /**
   * Wall-clock seconds the session lasted, when known (first to last report). Playing more media
   * time than this (times the fastest speed the player offers) is not physically possible.
   */
  wallClockSeconds?: number;
}

export interface WatchTimeResult {
  /** Disjoint, sorted, merged intervals. */
  merged: PlayedInterval[];
  /** Seconds of the media actually covered. */
  watchedSeconds: number;
  /** watchedSeconds / duration, 0..1. */
  fraction: number;
  /** Intervals dropped, with why. */
  rejected: Array<{ interval: PlayedInterval; reason: 'invalid' | 'beyond_duration' | 'faster_than_real_time' }>;
}

/** The player offers up to 2× speed; anything faster than that against the wall clock is not real watching. */
export const MAX_PLAYBACK_RATE = 2;
/** Reports are rounded by players; allow this much slack at the end of the media. */
const END_TOLERANCE_SECONDS = 0.5;

/**
 * The real share of a video a learner watched, from the intervals their player reported: overlaps,
 * duplicates and out-of-order reports are merged so replaying a minute ten times counts once;
 * intervals past the end of the media are rejected, and so are reports claiming more media time than
 * the wall clock allows.
 */
export function computeWatchTime(durationSeconds: number, report: WatchReport): WatchTimeResult {
  const rejected: WatchTimeResult['rejected'] = [];
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    return { merged: [], watchedSeconds: 0, fraction: 0, rejected: report.intervals.map((interval) => ({ interval, reason: 'invalid' })) };
  }
  const valid: PlayedInterval[] = [];
  for (const interval of report.intervals) {
    const { start, end } = interval;
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end <= start) {
      rejected.push({ interval, reason: 'invalid' });
    } else if (end > durationSeconds + END_TOLERANCE_SECONDS) {
      rejected.push({ interval, reason: 'beyond_duration' });
    } else {
      valid.push({ start, end: Math.min(end, durationSeconds) });
    }
  }
  valid.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: PlayedInterval[] = [];
  for (const interval of valid) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  let watchedSeconds = merged.reduce((sum, i) => sum + (i.end - i.start), 0);
  if (report.wallClockSeconds !== undefined) {
    const possible = Math.max(0, report.wallClockSeconds) * MAX_PLAYBACK_RATE + END_TOLERANCE_SECONDS;
    if (watchedSeconds > possible) {
      // The whole report is suspect: we cannot tell which intervals are the invented ones.
      for (const interval of merged) rejected.push({ interval, reason: 'faster_than_real_time' });
      return { merged: [], watchedSeconds: 0, fraction: 0, rejected };
    }
  }
  watchedSeconds = Math.min(watchedSeconds, durationSeconds);
  return { merged, watchedSeconds, fraction: watchedSeconds / durationSeconds, rejected };
}
