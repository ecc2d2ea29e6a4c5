import { ApiError } from '@hts/api-client';
import type { CourseDoc, Question } from '@hts/contracts';
import { error, fail } from '@sveltejs/kit';
import { addLesson, addModule, addQuestion, type MoveTarget, move, questionFromForm, removeQuestion, setFinalTest, setQuizSettings } from '$lib/draft.ts';
import { bulkEnrolAction } from '$lib/server/bulk-enrol.ts';
import { formString } from '$lib/server/forms.ts';
import { requireRole } from '$lib/server/guards.ts';
import { getCommunes, getTargetGroups } from '$lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { token } = requireRole(locals, url, 'trainer');
  try {
    const [draft, groups, media, communes] = await Promise.all([
      locals.api.call('courseDraft', { token, params: { id: params.id } }),
      getTargetGroups(locals.api),
      locals.api.call('mediaList', { token }),
      getCommunes(locals.api),
    ]);
    // a video lesson plays one of the trainer's transcoded videos (or audio)
    const videos = media.items
      .filter((m) => m.status === 'ready' && m.kind !== 'captions')
      .map((m) => ({ id: m.id, title: m.title, durationSeconds: m.durationSeconds }));
    // the course's trainer may enrol people of any commune
    return { ...draft, targetGroups: groups, videos, communes: communes.items };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    throw err;
  }
};

/** Every edit loads the draft, changes it, and saves the whole document; the API validates it. */
async function edit(locals: App.Locals, url: URL, id: string, change: (doc: CourseDoc) => CourseDoc) {
  const { token } = requireRole(locals, url, 'trainer');
  const { draft } = await locals.api.call('courseDraft', { token, params: { id } });
  try {
    await locals.api.call('saveDraft', { token, params: { id }, body: { draft: change(draft) } });
    return { saved: true };
  } catch (err) {
    if (err instanceof ApiError && err.status === 400)
      return fail(400, { message: `${err.body.details?.[0]?.field ?? ''} ${err.body.details?.[0]?.message ?? err.message}` });
    throw err;
  }
}

export const actions: Actions = {
  meta: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    return edit(locals, url, params.id, (doc) => ({
      ...doc,
      title: formString(data, 'title').trim(),
      summary: formString(data, 'summary').trim(),
      sequence: data.get('sequence') === 'locked' ? 'locked' : 'free',
      competences: formString(data, 'competences')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      targetGroups: data.getAll('targetGroups').map(String),
    }));
  },
  completion: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    const final = formString(data, 'finalTestId');
    return edit(locals, url, params.id, (doc) => setFinalTest(doc, final || null));
  },
  move: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    const delta = formString(data, 'delta') === '-1' ? -1 : 1;
    const kind = formString(data, 'kind');
    const target: MoveTarget | null =
      kind === 'module'
        ? { kind, moduleId: formString(data, 'moduleId') }
        : kind === 'lesson'
          ? { kind, lessonId: formString(data, 'lessonId') }
          : kind === 'question'
            ? { kind, lessonId: formString(data, 'lessonId'), questionId: formString(data, 'questionId') }
            : null;
    if (!target) return fail(400, { message: 'kind' });
    return edit(locals, url, params.id, (doc) => move(doc, target, delta));
  },
  quizSettings: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    const passPercent = Math.min(100, Math.max(1, Math.round(Number(formString(data, 'passPercent')) || 70)));
    const draw = formString(data, 'drawCount').trim();
    const drawCount = draw === '' ? null : Math.max(1, Math.round(Number(draw)) || 1);
    return edit(locals, url, params.id, (doc) => setQuizSettings(doc, formString(data, 'lessonId'), { passPercent, drawCount }));
  },
  removeQuestion: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    return edit(locals, url, params.id, (doc) => removeQuestion(doc, formString(data, 'lessonId'), formString(data, 'questionId')));
  },
  addModule: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    return edit(locals, url, params.id, (doc) => addModule(doc, formString(data, 'title').trim()));
  },
  addLesson: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    let video: { id: string; durationSeconds: number } | null = null;
    if (formString(data, 'kind') === 'video') {
      const { token } = requireRole(locals, url, 'trainer');
      try {
        const asset = await locals.api.call('mediaGet', { token, params: { id: formString(data, 'mediaAssetId') } });
        if (asset.status !== 'ready' || !asset.durationSeconds) return fail(400, { message: 'mediaAssetId: this video has not finished processing' });
        video = { id: asset.id, durationSeconds: asset.durationSeconds };
      } catch (err) {
        if (err instanceof ApiError && (err.status === 400 || err.status === 404)) return fail(400, { message: 'mediaAssetId: no video of yours has this id' });
        throw err;
      }
    }
    const kind = formString(data, 'kind');
    const title = formString(data, 'title').trim();
    const moduleId = formString(data, 'moduleId');
    return edit(locals, url, params.id, (doc) =>
      kind === 'quiz'
        ? addLesson(doc, moduleId, { kind, title, passPercent: Number(formString(data, 'passPercent')) || 70 })
        : kind === 'video' && video
          ? addLesson(doc, moduleId, { kind, title, mediaAssetId: video.id, durationSeconds: video.durationSeconds })
          : addLesson(doc, moduleId, { kind: 'text', title, markdown: formString(data, 'markdown') }),
    );
  },
  addQuestion: async ({ locals, url, params, request }) => {
    const data = await request.formData();
    const input = {
      kind: formString(data, 'kind') as Question['kind'],
      prompt: formString(data, 'prompt').trim(),
      answers: formString(data, 'answers'),
      correct: formString(data, 'feedbackCorrect').trim(),
      incorrect: formString(data, 'feedbackIncorrect').trim(),
    };
    return edit(locals, url, params.id, (doc) => addQuestion(doc, formString(data, 'lessonId'), (taken) => questionFromForm(input, taken)));
  },
  bulkEnrol: async ({ locals, url, params, request }) => {
    const { token } = requireRole(locals, url, 'trainer');
    return bulkEnrolAction(locals.api, token, params.id, await request.formData());
  },
  publish: async ({ locals, url, params }) => {
    const { token } = requireRole(locals, url, 'trainer');
    try {
      const course = await locals.api.call('publishCourse', { token, params: { id: params.id }, body: {} });
      return { published: course.publishedVersion };
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        return fail(err.status, { message: `${err.body.details?.[0]?.field ?? ''} ${err.body.details?.[0]?.message ?? err.message}` });
      }
      throw err;
    }
  },
};
