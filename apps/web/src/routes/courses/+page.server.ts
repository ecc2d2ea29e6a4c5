import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The public catalog: no account needed; search is diacritic-insensitive in the API. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  try {
    const token = locals.session?.accessToken;
    const [page, recommended] = await Promise.all([
      locals.api.call('catalog', { query: { q: q || undefined, cursor, limit: 20 } }),
      token && !q && !cursor
        ? locals.api.call('recommendations', { token, query: { limit: 3 } }).then(
            (r) => r.items,
            () => [],
          )
        : Promise.resolve([]),
    ]);
    return { q, items: page.items, nextCursor: page.nextCursor, recommended };
  } catch (err) {
    console.error('catalog: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};
