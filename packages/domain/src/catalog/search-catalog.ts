import type { CatalogPage, CatalogQuery } from '@hts/contracts';
import { courses, type Db } from '@hts/db';
import { and, isNotNull, type SQL, sql } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';
import { toSummaries } from './course-summary.ts';

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
 * The public catalog. Matching folds case and Vietnamese diacritics on both sides (hts_fold, indexed), so
 * "ky nang so" finds "kỹ năng số": every word must occur (full-text), or the phrase must be similar enough
 * (trigrams) to survive a typo. Relevance then popularity order the page; keyset cursors page through it.
 */
export async function searchCatalog(deps: { db: Db }, query: CatalogQuery): Promise<CatalogPage> {
  const limit = query.limit ?? 20;
  const q = query.q?.normalize('NFC').trim() ?? '';
  const folded = sql`hts_fold(${courses.searchText})`;
  const where: SQL[] = [isNotNull(courses.publishedVersionId)];
  // a rank rounded to fixed precision so the cursor compares exactly what the next query computes
  let rank: SQL = sql`0::float8`;
  if (q) {
    const tsq = sql`plainto_tsquery('simple', hts_fold(${q}))`;
    // both sides of the OR are index conditions (the full-text GIN index, and `<%` on the trigram index at
    // pg_trgm.word_similarity_threshold, 0.6 by default), so a search never folds every row of the table
    where.push(sql`(to_tsvector('simple', ${folded}) @@ ${tsq} or hts_fold(${q}) <% ${folded})`);
    if (query.sort !== 'popular')
      rank = sql`round((ts_rank(to_tsvector('simple', ${folded}), ${tsq}) + word_similarity(hts_fold(${q}), ${folded}))::numeric, 6)::float8`;
  }
  if (query.competence) where.push(sql`${courses.competences} @> array[${query.competence}]::text[]`);
  if (query.targetGroup) where.push(sql`${courses.targetGroups} @> array[${query.targetGroup}]::text[]`);
  if (query.level) where.push(sql`${courses.level} = ${query.level}`);
  if (query.maxMinutes) where.push(sql`${courses.durationMinutes} <= ${query.maxMinutes}`);
  if (query.cursor) {
    const c = decode(query.cursor);
    where.push(sql`(${rank}, ${courses.enrolmentCount}, ${courses.id}) < (${c.r}::float8, ${c.p}::int, ${c.id}::uuid)`);
  }
  const rows = await deps.db
    .select({
      id: courses.id,
      slug: courses.slug,
      title: courses.title,
      summary: courses.summary,
      level: courses.level,
      durationMinutes: courses.durationMinutes,
      competences: courses.competences,
      targetGroups: courses.targetGroups,
      enrolmentCount: courses.enrolmentCount,
      publishedAt: courses.publishedAt,
      rank: sql<number>`${rank}`.as('rank'),
    })
    .from(courses)
    .where(and(...where))
    .orderBy(sql`${rank} desc, ${courses.enrolmentCount} desc, ${courses.id} desc`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await toSummaries(deps.db, page),
    nextCursor: rows.length > limit && last ? encode({ r: Number(last.rank), p: last.enrolmentCount, id: last.id }) : null,
  };
}
