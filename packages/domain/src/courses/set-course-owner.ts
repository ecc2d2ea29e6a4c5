import type { SetOwnerBody, TrainerCourse } from '@hts/contracts';
import { courses, courseVersions, type Db, userRoles } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { trainerCourseView } from './trainer-course-view.ts';

export async function setCourseOwner(deps: { db: Db }, actor: Actor, courseId: string, input: SetOwnerBody, ctx: RequestContext): Promise<TrainerCourse> {
  requireRole(actor, ['admin']);
  const [trainer] = await deps.db
    .select({ id: userRoles.userId })
    .from(userRoles)
    .where(and(eq(userRoles.userId, input.ownerId), eq(userRoles.role, 'trainer')));
  if (!trainer) throw new DomainError('not_found', 'no trainer has this id', [{ field: '/body/ownerId', message: 'no trainer has this id' }]);
  const [row] = await deps.db.update(courses).set({ ownerId: input.ownerId, updatedAt: new Date() }).where(eq(courses.id, courseId)).returning();
  if (!row) throw new DomainError('not_found', 'no course has this id', [{ field: '/params/id', message: 'no course has this id' }]);
  await recordAudit(
    deps.db,
    {
      action: 'course.owner_change',
      outcome: 'success',
      actorUserId: actor.userId,
      subjectType: 'course',
      subjectId: courseId,
      details: { ownerId: input.ownerId },
    },
    ctx,
  );
  const [v] = row.publishedVersionId
    ? await deps.db.select({ n: courseVersions.number }).from(courseVersions).where(eq(courseVersions.id, row.publishedVersionId))
    : [];
  return trainerCourseView(row, v?.n ?? null);
}
