import type { CatalogPage, CatalogQuery } from '@hts/contracts';

export interface CatalogCacheOptions {
  /** How long an answer may be served; bounds how stale popularity (enrolment counts) and other processes' publishes can be. */
  ttlMs?: number;
  /** Answers kept at most; the least recently used goes first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Recent catalog answers of one API process. The catalog is public and the same for everyone, and people
 * type the same few searches, so most requests need no database at all: the benchmark measured the listing
 * at 2–4 % of a bare route while every request read the database.
 *
 * Correctness: `invalidate()` is called after a publish commits in this process, and it bumps a generation
 * so that a read which began before the commit can never store its (older) answer afterwards. Other
 * processes (another replica, the CLI) are seen within the TTL. Concurrent misses of one key share a read.
 */
export class CatalogCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { page: CatalogPage; until: number }>();
  readonly #pending = new Map<string, Promise<CatalogPage>>();
  #generation = 0;

  constructor(options: CatalogCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Forget every answer: the published catalog changed. */
  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#pending.clear();
  }

  async get(key: string, load: () => Promise<CatalogPage>): Promise<CatalogPage> {
    const kept = this.#entries.get(key);
    if (kept && kept.until > this.#now()) {
      // re-insert: Map order is the recency order the eviction below relies on
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.page;
    }
    if (kept) this.#entries.delete(key);
    const shared = this.#pending.get(key);
    if (shared) return shared;
    const generation = this.#generation;
    const read = load()
      .then((page) => {
        if (generation === this.#generation) this.#store(key, page);
        return page;
      })
      .finally(() => {
        if (this.#pending.get(key) === read) this.#pending.delete(key);
      });
    this.#pending.set(key, read);
    return read;
  }

  #store(key: string, page: CatalogPage): void {
    this.#entries.set(key, { page, until: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

/**
 * The search text as the database will see it: NFC, trimmed, inner whitespace collapsed, lower case. Matching
 * and ranking fold case anyway (hts_fold), so "Kỹ  năng số" and "kỹ năng số" are one search and one cache entry.
 */
export function normaliseSearch(q: string | undefined): string {
  return (q ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** One key per distinct answer: every parameter that changes the page, in a fixed order. */
export function catalogCacheKey(query: CatalogQuery): string {
  return JSON.stringify([
    normaliseSearch(query.q),
    query.competence ?? null,
    query.targetGroup ?? null,
    query.level ?? null,
    query.maxMinutes ?? null,
    query.sort ?? null,
    query.limit ?? 20,
    query.cursor ?? null,
  ]);
}
