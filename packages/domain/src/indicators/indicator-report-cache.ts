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
 * Whether any dashboard number may have changed, in one primary-key probe: every refresh or rebuild bumps
 * indicator_rollup_state in the transaction that rewrites cells, so a change from any process moves the stamp
 * when it commits; a change of the definitions (a new version seeded) moves it too.
 */
export async function rollupStamp(db: Db): Promise<string> {
  const [row] = await queryRows<{ version: string | number | null; defs: number }>(
    db,
    sql`select (select version from indicator_rollup_state where id = 1) as version, (select count(*)::int from indicator_definitions) as defs`,
  );
  return `${row?.version ?? 0}:${row?.defs ?? 0}`;
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
