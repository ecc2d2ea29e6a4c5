import type { CourseSummary } from '@hts/contracts';
import { type CourseRow, competences, type Db } from '@hts/db';
import { inArray } from 'drizzle-orm';

type SummaryRow = Pick<
  CourseRow,
  'id' | 'slug' | 'title' | 'summary' | 'level' | 'durationMinutes' | 'competences' | 'targetGroups' | 'enrolmentCount' | 'publishedAt'
>;

/** Catalog rows with competence codes resolved to names, in one query for the whole page. */
export async function toSummaries(db: Db, rows: SummaryRow[]): Promise<CourseSummary[]> {
  const codes = [...new Set(rows.flatMap((r) => r.competences))];
  const names = new Map(
    codes.length === 0
      ? []
      : (await db.select({ code: competences.code, name: competences.nameVi }).from(competences).where(inArray(competences.code, codes))).map((c) => [
          c.code,
          c.name,
        ]),
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    level: r.level,
    durationMinutes: r.durationMinutes,
    competences: r.competences.map((code) => ({ code, name: names.get(code) ?? code })),
    targetGroups: r.targetGroups,
    enrolmentCount: r.enrolmentCount,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  }));
}
