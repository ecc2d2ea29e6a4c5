import { createHash } from 'node:crypto';
import { ApiError } from '@hts/api-client';
import type { AttemptResult, QuizAttempt } from '@hts/contracts';
import { error, fail, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import { activityFrame } from '$lib/server/activity-frame.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

/** Fixed per enrolment and lesson (hashed: lesson ids may be long), so a reload replays the same event. */
const openedEventId = (enrolmentId: string, lessonId: string) =>
  `opened.${enrolmentId}.${createHash('sha256').update(lessonId).digest('base64url').slice(0, 22)}`;

function refuse(err: unknown): never {
  if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
  if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
  console.error('lesson: API call failed:', err instanceof Error ? err.message : err);
  error(503, 'Unavailable');
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
  requireUser(locals, url);
  const token = locals.session?.accessToken as string;
  try {
    let page = await locals.api.call('coursePage', { params: { slug: params.slug }, token });
    if (!page.enrolment) redirect(303, `/courses/${params.slug}`);
    let lesson = await locals.api.call('lesson', { params: { id: page.course.id, lessonId: params.lessonId }, token });
    // Opening is itself the event a text lesson's rule counts. The id is fixed per enrolment and lesson, so
    // reloading the page replays it instead of counting it again.
    const [result] = (
      await locals.api.call('progress', {
        token,
        body: { events: [{ id: openedEventId(page.enrolment.id, lesson.id), courseId: page.course.id, lessonId: lesson.id, kind: 'opened' }] },
      })
    ).results;
    if (result?.lessonCompleted && lesson.status !== 'completed') {
      lesson = { ...lesson, status: 'completed' };
      // opening completed it: the progress (counted by the API, required lessons only) moved with it
      page = await locals.api.call('coursePage', { params: { slug: params.slug }, token });
    }
    // an external activity gets a fresh cmi5 launch each time the page opens: its fetch URL works once
    const launch =
      lesson.kind === 'external'
        ? await locals.api.call('launchExternal', { params: { id: page.course.id, lessonId: lesson.id }, body: { origin: url.origin }, token })
        : null;
    if (!page.enrolment) redirect(303, `/courses/${params.slug}`);
    return {
      course: page.course,
      enrolment: page.enrolment,
      lesson,
      launch: launch && { ...activityFrame(launch.launchUrl, url.origin), review: launch.launchMode === 'Review' },
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (!(err instanceof ApiError)) throw err;
    refuse(err);
  }
};

async function courseId(locals: App.Locals, slug: string, token: string): Promise<string> {
  return (await locals.api.call('coursePage', { params: { slug }, token })).course.id;
}

export const actions: Actions = {
  start: async ({ locals, params, url }) => {
    if (!locals.session) redirect(303, loginUrlFor(url));
    const token = locals.session.accessToken;
    try {
      const attempt: QuizAttempt = await locals.api.call('startAttempt', {
        params: { id: await courseId(locals, params.slug, token), lessonId: params.lessonId },
        body: {},
        token,
      });
      return { attempt };
    } catch (err) {
      refuse(err);
    }
  },
  submit: async ({ locals, request, url }) => {
    if (!locals.session) redirect(303, loginUrlFor(url));
    const data = await request.formData();
    const attemptId = String(data.get('attemptId') ?? '');
    const questions = JSON.parse(String(data.get('questions') ?? '[]')) as Array<{ id: string; kind: string }>;
    // the form posts one field per question; the API checks each one against the attempt
    const answers = questions.map((q) => {
      const name = `q-${q.id}`;
      if (q.kind === 'multiple' || q.kind === 'single') return { questionId: q.id, choices: data.getAll(name).map(String) };
      if (q.kind === 'true-false') return { questionId: q.id, ...(data.has(name) ? { value: data.get(name) === 'true' } : {}) };
      return { questionId: q.id, text: String(data.get(name) ?? '').slice(0, 500) };
    });
    try {
      const result: AttemptResult = await locals.api.call('submitAttempt', { params: { id: attemptId }, body: { answers }, token: locals.session.accessToken });
      return { result };
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 400)) return fail(err.status, { message: err.message });
      refuse(err);
    }
  },
};
