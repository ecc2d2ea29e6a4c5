import type { CoursePage } from '@hts/contracts';
import { courses, courseVersions, type Db } from '@hts/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { loadEnrolmentState, summarise } from '../learning/enrolment-state.ts';
import { DomainError } from '../shared/errors.ts';
import { toSummaries } from './course-summary.ts';

/**
 * A published course with its outline. A signed-in learner sees the version they are enrolled in (which may
 * be older than the current one) with the status of each lesson; everyone else sees the current version.
 */
export async function getCoursePage(deps: { db: Db }, slug: string, userId: string | null): Promise<CoursePage> {
  const [row] = await deps.db
    .select({ course: courses, number: courseVersions.number, doc: courseVersions.doc })
    .from(courses)
    .innerJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
    .where(and(eq(courses.slug, slug), isNotNull(courses.publishedVersionId)));
  if (!row) throw new DomainError('not_found', 'no published course has this slug', [{ field: '/params/slug', message: 'no published course has this slug' }]);
  const [summary] = await toSummaries(deps.db, [row.course]);
  const state = userId ? await loadEnrolmentState(deps.db, userId, row.course.id) : null;
  const doc = state?.doc ?? row.doc;
  const progress = state ? summarise(state) : null;
  return {
    course: summary as CoursePage['course'],
    sequence: doc.sequence,
    versionNumber: state?.versionNumber ?? row.number,
    modules: doc.modules.map((m) => ({
      id: m.id,
      title: m.title,
      lessons: m.lessons.map((l) => ({
        id: l.id,
        title: l.title,
        kind: l.kind,
        minutes: l.minutes,
        required: l.required,
        ...(progress ? { status: progress.statuses.get(l.id) ?? 'open' } : {}),
      })),
    })),
    enrolment:
      state && progress
        ? {
            id: state.enrolment.id,
            versionNumber: state.versionNumber,
            newerVersion: state.versionNumber < row.number,
            completedLessons: progress.completedLessons,
            totalLessons: progress.totalLessons,
            percent: progress.percent,
            finalTest: progress.finalTest,
            completedAt: state.completedAt?.toISOString() ?? null,
            nextLessonId: progress.nextLessonId,
          }
        : null,
  };
}
