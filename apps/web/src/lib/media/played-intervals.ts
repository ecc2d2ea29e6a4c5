/**
 * Collects the stretches of media a viewer actually played, as the server's watch-time rule expects
 * them: an interval opens when playback runs and closes on pause, seek, stall or end. Seeking forward
 * does not count the skipped part.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Jumps larger than this between two time updates are seeks, not playback. */
const MAX_STEP_SECONDS = 1.5;

export class PlayedIntervals {
  private open: Interval | null = null;
  private readonly closed: Interval[] = [];

  /** Call when playback (re)starts: the interval opens at the exact time, not at the next time update. */
  start(time: number): void {
    this.close();
    this.open = { start: time, end: time };
  }

  /** Call on every `timeupdate` while playing. */
  tick(time: number): void {
    if (this.open && (time < this.open.end || time - this.open.end > MAX_STEP_SECONDS)) this.close();
    if (!this.open) this.open = { start: time, end: time };
    else this.open.end = time;
  }

  /** Call on pause, seeking, waiting and ended. */
  close(): void {
    if (this.open && this.open.end > this.open.start) this.closed.push(this.open);
    this.open = null;
  }

  /** Finished intervals since the last take; the open one stays open. */
  take(): Interval[] {
    return this.closed.splice(0);
  }

  /** Every interval so far, including the open one. */
  peek(): Interval[] {
    return [...this.closed, ...(this.open && this.open.end > this.open.start ? [{ ...this.open }] : [])];
  }
}
