import type { CourseDoc } from '@hts/contracts';
import { courses, courseVersions, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { bearer } from './test-app.ts';

let eventNo = 0;

/**
 * Takes a published course the way a learner does, through the API: enrols, opens every text lesson, watches
 * every video, passes every quiz with the right answers, reports external lessons completed. For tests that
 * need a real completion (and whatever is written with it).
 */
export async function completeCourseThroughApi(app: FastifyInstance, db: Db, token: string, slug: string): Promise<void> {
  const [row] = await db
    .select({ id: courses.id, doc: courseVersions.doc })
    .from(courses)
    .innerJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
    .where(eq(courses.slug, slug));
  if (!row) throw new Error(`course ${slug} is not published`);
  const doc = row.doc as CourseDoc;
  const call = async (method: 'POST', url: string, payload: object) => {
    const res = await app.inject({ method, url, headers: bearer(token), payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  await call('POST', `/api/courses/${row.id}/enrolments`, {});
  for (const lesson of doc.modules.flatMap((m) => m.lessons)) {
    const event = { id: `test-ev-${Date.now()}-${++eventNo}`, courseId: row.id, lessonId: lesson.id };
    if (lesson.kind === 'text') await call('POST', '/api/progress', { events: [{ ...event, kind: 'opened' }] });
    if (lesson.kind === 'external') await call('POST', '/api/progress', { events: [{ ...event, kind: 'external', external: { result: 'passed' } }] });
    if (lesson.kind === 'video' && lesson.video) {
      const d = lesson.video.durationSeconds;
      await call('POST', '/api/progress', { events: [{ ...event, kind: 'video', video: { intervals: [[0, d]], position: d, wallSeconds: d + 1 } }] });
    }
    if (lesson.kind === 'quiz' && lesson.quiz) {
      const attempt = await call('POST', `/api/courses/${row.id}/lessons/${lesson.id}/attempts`, {});
      const answers = (attempt.questions as Array<{ id: string }>).map(({ id }) => {
        const q = lesson.quiz?.questions.find((x) => x.id === id);
        if (!q) throw new Error(`question ${id} not in ${lesson.id}`);
        if (q.kind === 'true-false') return { questionId: id, value: q.answer ?? false };
        if (q.kind === 'short') return { questionId: id, text: q.accept[0] ?? '' };
        return { questionId: id, choices: q.options.filter((o) => o.correct).map((o) => o.id) };
      });
      const result = await call('POST', `/api/attempts/${attempt.id}/submit`, { answers });
      if (!result.passed) throw new Error(`could not pass ${lesson.id}: ${JSON.stringify(result)}`);
    }
  }
}
