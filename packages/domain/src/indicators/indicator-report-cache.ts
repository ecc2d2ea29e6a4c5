import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';

export interface IndicatorReportCacheOptions {
  /** An answer is rebuilt at least this often even when the rollups did not move (commune names, definitions). */
  ttlMs?: number;
  /** Answers kept at most (scopes × years); the least recently used goes first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * What the rollups of a year look like right now, in one cheap read: their number and the sum of the ids of the
 * transactions that wrote them (xmin). Every refresh or rebuild deletes and re-inserts the cells it touches in a
 * newer transaction, so any change to a year's numbers, from any process, changes the stamp (whatever the
 * clocks say); so does a change of the definitions.
 */
export async function rollupStamp(db: Db, year: number): Promise<string> {
  const [row] = await queryRows<{ cells: number; tx: string; defs: number }>(
    db,
    sql`select count(*)::int as cells, coalesce(sum(xmin::text::bigint), 0)::text as tx,
               (select count(*)::int from indicator_definitions) as defs
        from indicator_rollups where year = ${year}`,
  );
  return `${row?.cells ?? 0}:${row?.tx ?? ''}:${row?.defs ?? 0}`;
}

/**
 * Assembled dashboards of one API process, by scope and year. Officers open the same few views over and over
 * (every commune officer their commune, every province officer the province) and the numbers change only when
 * a refresh rewrites rollups: a view is served from memory while its year's stamp is unchanged, so a new
 * completion shows on the next request after its refresh, and a request costs the stamp read instead of
 * summing ten thousand cells and sorting 99 communes per indicator. Concurrent misses of one view share a build.
 */
export class IndicatorReportCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { stamp: string; value: unknown; until: number }>();
  readonly #pending = new Map<string, Promise<unknown>>();

  constructor(options: IndicatorReportCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 2_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get<T>(key: string, stamp: string, build: () => Promise<T>): Promise<T> {
    const kept = this.#entries.get(key);
    if (kept && kept.stamp === stamp && kept.until > this.#now()) {
      // re-insert: Map order is the recency order the eviction below relies on
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.value as T;
    }
    const pendingKey = `${stamp}\u0000${key}`;
    const shared = this.#pending.get(pendingKey);
    if (shared) return shared as Promise<T>;
    const read = build()
      .then((value) => {
        this.#store(key, stamp, value);
        return value;
      })
      .finally(() => {
        if (this.#pending.get(pendingKey) === read) this.#pending.delete(pendingKey);
      });
    this.#pending.set(pendingKey, read);
    return read;
  }

  #store(key: string, stamp: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, { stamp, value, until: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
