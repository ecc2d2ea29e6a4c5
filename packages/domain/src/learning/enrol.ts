import type { Enrolment } from '@hts/contracts';
import { courses, courseVersions, type Db, enrolments } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

/** Self-enrolment, pinned to the course's current version. Enrolling again returns the existing enrolment. */
export async function enrol(deps: { db: Db }, actor: Actor, courseId: string): Promise<{ created: boolean; enrolment: Enrolment }> {
  return deps.db.transaction(async (tx) => {
    const [course] = await tx
      .select({ versionId: courses.publishedVersionId, number: courseVersions.number })
      .from(courses)
      .innerJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
      .where(eq(courses.id, courseId));
    if (!course?.versionId)
      throw new DomainError('not_found', 'no published course has this id', [{ field: '/params/id', message: 'no published course has this id' }]);
    const [created] = await tx
      .insert(enrolments)
      .values({ userId: actor.userId, courseId, versionId: course.versionId })
      .onConflictDoNothing({ target: [enrolments.userId, enrolments.courseId] })
      .returning();
    if (created)
      await tx
        .update(courses)
        .set({ enrolmentCount: sql`${courses.enrolmentCount} + 1` })
        .where(eq(courses.id, courseId));
    const [row] = created
      ? [{ e: created, number: course.number }]
      : await tx
          .select({ e: enrolments, number: courseVersions.number })
          .from(enrolments)
          .innerJoin(courseVersions, eq(courseVersions.id, enrolments.versionId))
          .where(and(eq(enrolments.userId, actor.userId), eq(enrolments.courseId, courseId)));
    if (!row) throw new Error('enrolment vanished');
    return {
      created: Boolean(created),
      enrolment: { id: row.e.id, courseId, versionNumber: row.number, createdAt: row.e.createdAt.toISOString() },
    };
  });
}
