import type { Db } from '@hts/db';
import type { Clock } from '../shared/deps.ts';
import { type StatementBatch, writeStatementBatches } from './write-statements.ts';

export interface StatementWriter {
  /** Resolves once the batch is committed (durable), or rejects with the reason it was refused. */
  write(batch: StatementBatch): Promise<void>;
}

/**
 * Group commit across concurrent requests: while `maxInFlight` transactions are being written, arriving
 * batches queue; the next transaction takes all of them (up to `maxRows`). An idle writer starts at once,
 * so a lone request waits for nothing; under load many requests share one commit instead of one each.
 */
export function createStatementWriter(deps: { db: Db; clock: Clock }, options: { maxRows?: number; maxInFlight?: number } = {}): StatementWriter {
  const maxRows = options.maxRows ?? 4000;
  // A few transactions in flight keep several connections (and cores) busy; more would only queue in PostgreSQL.
  const maxInFlight = options.maxInFlight ?? 4;
  type Pending = { batch: StatementBatch; resolve: () => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let inFlight = 0;

  function takeGroup(): Pending[] {
    let rows = 0;
    let take = 0;
    while (take < queue.length && (take === 0 || rows + (queue[take] as Pending).batch.rows.length <= maxRows)) {
      rows += (queue[take] as Pending).batch.rows.length;
      take += 1;
    }
    const group = queue.slice(0, take);
    queue = queue.slice(take);
    return group;
  }

  async function flush(group: Pending[]): Promise<void> {
    try {
      const outcome = await writeStatementBatches(
        deps.db,
        group.map((p) => p.batch),
        deps.clock.now(),
      );
      group.forEach((p, i) => {
        const error = outcome[i];
        if (error) p.reject(error);
        else p.resolve();
      });
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight += 1;
      void flush(takeGroup()).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    write: (batch) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        pump();
      }),
  };
}
