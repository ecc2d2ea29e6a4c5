import type { CatalogPage, CatalogQuery, CourseSummary } from '@hts/contracts';
import { competences, courses, type Db } from '@hts/db';
import { and, isNotNull, type SQL, sql } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';
import { type CatalogCache, catalogCacheKey, normaliseSearch } from './catalog-cache.ts';

interface Cursor {
  r: number;
  p: number;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.r === 'number' && typeof c.p === 'number' && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id)) return c;
  } catch {}
  throw fieldError('validation_failed', '/querystring/cursor', 'not a cursor this API gave out');
}

/**
 * The public catalog. Matching folds case and Vietnamese diacritics on both sides (hts_fold; the course side
 * is folded once, when the row is written, into search_folded and search_vector), so "ky nang so" finds
 * "kỹ năng số": every word must occur (full-text), or the phrase must be similar enough (trigrams) to survive
 * a typo. Courses containing every word rank first (by cover density, which rewards the words standing
 * close together), then the typo matches by trigram word similarity; popularity (the enrolment count kept
 * on the course) breaks ties; keyset cursors page through it. With a cache, an answer seen within its TTL is
 * served without the database (see CatalogCache).
 */
export async function searchCatalog(deps: { db: Db; catalogCache?: CatalogCache }, query: CatalogQuery): Promise<CatalogPage> {
  const cursor = query.cursor ? decode(query.cursor) : null; // a forged cursor is a 400 even when cached
  if (!deps.catalogCache) return readCatalog(deps.db, query, cursor);
  return deps.catalogCache.get(catalogCacheKey(query), () => readCatalog(deps.db, query, cursor));
}

type Row = Awaited<ReturnType<typeof selectPage>>[number];

async function readCatalog(db: Db, query: CatalogQuery, cursor: Cursor | null): Promise<CatalogPage> {
  const limit = query.limit ?? 20;
  const q = normaliseSearch(query.q);
  const filters = catalogFilters(query);
  let rows: Row[];
  if (!q) rows = await selectPage(db, filters, sql`0::float8`, cursor, limit + 1);
  else {
    // The folded search and its tsquery as scalar subqueries: evaluated once per statement. Written inline, a
    // generic plan (the one a prepared statement settles on after five runs) folded the search text again for
    // every candidate row, in the rank and the recheck (for a typo search, word_similarity's side too).
    const folded = sql`(select hts_fold(${q}))`;
    const tsq = sql`(select plainto_tsquery('simple', hts_fold(${q})))`;
    const allWords = sql`${courses.searchVector} @@ ${tsq}`;
    // `<%`: word similarity at pg_trgm.word_similarity_threshold (0.6 by default), served by the trigram index
    const similar = sql`${folded} <% ${courses.searchFolded}`;
    if (query.sort === 'popular') rows = await selectPage(db, [...filters, sql`(${allWords} or ${similar})`], sql`0::float8`, cursor, limit + 1);
    else {
      // Ranks are rounded to fixed precision so the cursor compares exactly what the next query computes;
      // every-word matches rank in [1, ∞), typo matches in [0, 1), so the cursor says which phase it is in.
      // The typo phase (trigram similarity per candidate row, the costly part) runs only once the
      // every-word matches are exhausted: a page full of them never computes a trigram.
      rows = [];
      if (!cursor || cursor.r >= 1) {
        const rank = sql`(1 + round(ts_rank_cd(${courses.searchVector}, ${tsq})::numeric, 6))::float8`;
        rows = await selectPage(db, [...filters, allWords], rank, cursor, limit + 1);
      }
      if (rows.length < limit + 1) {
        const rank = sql`round(least(word_similarity(${folded}, ${courses.searchFolded}), 0.999999)::numeric, 6)::float8`;
        const typoCursor = cursor && cursor.r < 1 ? cursor : null;
        rows.push(...(await selectPage(db, [...filters, sql`not (${allWords})`, similar], rank, typoCursor, limit + 1 - rows.length)));
      }
    }
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      level: r.level,
      durationMinutes: r.durationMinutes,
      competences: typeof r.competences === 'string' ? (JSON.parse(r.competences) as CourseSummary['competences']) : r.competences,
      targetGroups: r.targetGroups,
      enrolmentCount: r.enrolmentCount,
      publishedAt: r.publishedAt ? new Date(r.publishedAt).toISOString() : null,
    })),
    nextCursor: rows.length > limit && last ? encode({ r: Number(last.rank), p: last.enrolmentCount, id: last.id }) : null,
  };
}

function catalogFilters(query: CatalogQuery): SQL[] {
  const where: SQL[] = [isNotNull(courses.publishedVersionId)];
  if (query.competence) where.push(sql`${courses.competences} @> array[${query.competence}]::text[]`);
  if (query.targetGroup) where.push(sql`${courses.targetGroups} @> array[${query.targetGroup}]::text[]`);
  if (query.level) where.push(sql`${courses.level} = ${query.level}`);
  if (query.maxMinutes) where.push(sql`${courses.durationMinutes} <= ${query.maxMinutes}`);
  return where;
}

/**
 * One keyset page in (rank, popularity, id) order, with competence names in the same query: one round trip. It is
 * ordered by the output column "rank": the rank written out again would be a second expression (its own
 * parameters), which a generic plan computes a second time for every candidate row.
 */
function selectPage(db: Db, where: SQL[], rank: SQL, cursor: Cursor | null, take: number) {
  const conditions = cursor
    ? [...where, sql`(${rank}, ${courses.enrolmentCount}, ${courses.id}) < (${cursor.r}::float8, ${cursor.p}::int, ${cursor.id}::uuid)`]
    : where;
  return db
    .select({
      id: courses.id,
      slug: courses.slug,
      title: courses.title,
      summary: courses.summary,
      level: courses.level,
      durationMinutes: courses.durationMinutes,
      competences: sql<
        CourseSummary['competences']
      >`(select coalesce(json_agg(json_build_object('code', c.code, 'name', coalesce(k.name_vi, c.code)) order by c.n), '[]'::json)
        from unnest(${courses.competences}) with ordinality as c(code, n) left join ${competences} k on k.code = c.code)`,
      targetGroups: courses.targetGroups,
      enrolmentCount: courses.enrolmentCount,
      publishedAt: courses.publishedAt,
      rank: sql<number>`${rank}`.as('rank'),
    })
    .from(courses)
    .where(and(...conditions))
    .orderBy(sql`"rank" desc, ${courses.enrolmentCount} desc, ${courses.id} desc`)
    .limit(take);
}
