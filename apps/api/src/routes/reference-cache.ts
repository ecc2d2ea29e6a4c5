/**
 * Reference lists (communes, target groups) change only when content is seeded, yet every registration
 * form and filter reads them: the benchmark measured the communes route at 4% of a bare route because each
 * request re-queried and re-sorted 99 names. A short-lived per-process copy makes them near-free; a failed
 * read (geography not loaded yet) is never kept, so the first good read fills the cache.
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let kept: { value: T; until: number } | undefined;
  let pending: Promise<T> | undefined;
  return async () => {
    if (kept && kept.until > now()) return kept.value;
    // Concurrent misses share one read instead of stampeding the database.
    pending ??= load()
      .then((value) => {
        kept = { value, until: now() + ttlMs };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
