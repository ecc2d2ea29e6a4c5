import type { MyLearning } from '@hts/contracts';
import { courseCompletions, courses, courseVersions, type Db, enrolments, lessonProgress } from '@hts/db';
import { desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { toSummaries } from '../catalog/course-summary.ts';
import { summarise } from './enrolment-state.ts';

/** The learner's courses, most recently active first: what "Học tiếp" (continue) on the home page shows. */
export async function myLearning(deps: { db: Db }, actor: Actor): Promise<MyLearning> {
  const rows = await deps.db
    .select({ enrolment: enrolments, doc: courseVersions.doc, course: courses, completedAt: courseCompletions.completedAt })
    .from(enrolments)
    .innerJoin(courseVersions, eq(courseVersions.id, enrolments.versionId))
    .innerJoin(courses, eq(courses.id, enrolments.courseId))
    .leftJoin(courseCompletions, eq(courseCompletions.enrolmentId, enrolments.id))
    .where(eq(enrolments.userId, actor.userId))
    .orderBy(desc(enrolments.lastActivityAt))
    .limit(50);
  if (rows.length === 0) return { items: [] };
  const progress = await deps.db
    .select()
    .from(lessonProgress)
    .where(
      inArray(
        lessonProgress.enrolmentId,
        rows.map((r) => r.enrolment.id),
      ),
    );
  const summaries = await toSummaries(
    deps.db,
    rows.map((r) => r.course),
  );
  return {
    items: rows.map((r, i) => {
      const s = summarise({
        doc: r.doc,
        enrolment: r.enrolment,
        progress: new Map(progress.filter((p) => p.enrolmentId === r.enrolment.id).map((p) => [p.lessonId, p])),
        completedAt: r.completedAt,
      });
      return {
        course: summaries[i] as MyLearning['items'][number]['course'],
        completedLessons: s.completedLessons,
        totalLessons: s.totalLessons,
        percent: s.percent,
        finalTest: s.finalTest,
        completedAt: r.completedAt?.toISOString() ?? null,
        nextLessonId: r.completedAt ? null : s.nextLessonId,
        lastActivityAt: r.enrolment.lastActivityAt.toISOString(),
      };
    }),
  };
}
