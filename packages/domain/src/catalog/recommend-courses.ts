import type { Recommendations } from '@hts/contracts';
import { courseCompletions, courses, type Db, enrolments, targetGroups, users } from '@hts/db';
import { and, desc, eq, isNotNull, notExists, or, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { toSummaries } from './course-summary.ts';

/**
 * Courses to suggest to a learner: published, not started yet, and either naming the learner's target
 * group or teaching a competence none of their completed courses taught. Courses that do both come first,
 * then those with more new competences, then the popular ones.
 */
export async function recommendCourses(deps: { db: Db }, actor: Actor, limit = 6): Promise<Recommendations> {
  const [me] = await deps.db
    .select({ group: targetGroups.code })
    .from(users)
    .leftJoin(targetGroups, eq(targetGroups.id, users.targetGroupId))
    .where(eq(users.id, actor.userId));
  const held = (
    await deps.db
      .selectDistinct({ code: sql<string>`unnest(${courses.competences})` })
      .from(courseCompletions)
      .innerJoin(courses, eq(courses.id, courseCompletions.courseId))
      .where(eq(courseCompletions.userId, actor.userId))
  ).map((r) => r.code);
  const heldArray = sql`${`{${held.map((c) => `"${c.replace(/["\\\\]/g, '')}"`).join(',')}}`}::text[]`;
  const group = me?.group ?? null;
  const forGroup = group ? sql<boolean>`${courses.targetGroups} @> array[${group}]::text[]` : sql<boolean>`false`;
  const fresh = sql<number>`cardinality(array(select unnest(${courses.competences}) except select unnest(${heldArray})))`;
  const rows = await deps.db
    .select({ course: courses, forGroup: forGroup.as('for_group'), fresh: fresh.as('fresh') })
    .from(courses)
    .where(
      and(
        isNotNull(courses.publishedVersionId),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(enrolments)
            .where(and(eq(enrolments.courseId, courses.id), eq(enrolments.userId, actor.userId))),
        ),
        or(forGroup, sql`${fresh} > 0`),
      ),
    )
    .orderBy(desc(sql`(${forGroup})::int + (${fresh} > 0)::int`), desc(fresh), desc(courses.enrolmentCount), courses.id)
    .limit(limit);
  const summaries = await toSummaries(
    deps.db,
    rows.map((r) => r.course),
  );
  const heldSet = new Set(held);
  return {
    items: rows.map((r, i) => ({
      course: summaries[i] as Recommendations['items'][number]['course'],
      forYourGroup: Boolean(r.forGroup),
      newCompetences: r.course.competences.filter((c) => !heldSet.has(c)),
    })),
  };
}
