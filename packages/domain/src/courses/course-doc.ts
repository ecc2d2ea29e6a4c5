import type { CourseDoc, ErrorDetail, Lesson } from '@hts/contracts';
import { competences, type Db, targetGroups } from '@hts/db';
import { DomainError } from '../shared/errors.ts';

export function allLessons(doc: CourseDoc): Lesson[] {
  return doc.modules.flatMap((m) => m.lessons);
}

export function findLesson(doc: CourseDoc, lessonId: string): Lesson | undefined {
  return allLessons(doc).find((l) => l.id === lessonId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The media asset ids a document's video lessons name (well-formed ids only, each once). */
export function mediaAssetIds(doc: CourseDoc): string[] {
  const ids = allLessons(doc).flatMap((l) => (l.video?.mediaAssetId && UUID.test(l.video.mediaAssetId) ? [l.video.mediaAssetId.toLowerCase()] : []));
  return [...new Set(ids)];
}

/** The columns the catalog reads, derived from a published document. */
export function catalogFields(doc: CourseDoc) {
  const lessons = allLessons(doc);
  return {
    title: doc.title,
    summary: doc.summary,
    level: doc.level,
    durationMinutes: lessons.reduce((n, l) => n + l.minutes, 0),
    competences: doc.competences,
    targetGroups: doc.targetGroups,
    searchText: [doc.title, doc.summary, ...doc.modules.flatMap((m) => [m.title, ...m.lessons.map((l) => l.title)])].join(' \n '),
  };
}

/**
 * What publishing requires beyond the schema: ids unique, each lesson carrying the payload of its kind,
 * quizzes answerable, and every competence and target group code known. Each problem names its field.
 */
/** The competence and target group codes that exist: what course documents may refer to. */
export async function knownCodes(db: Db): Promise<{ competences: Set<string>; targetGroups: Set<string> }> {
  const [c, g] = await Promise.all([db.select({ code: competences.code }).from(competences), db.select({ code: targetGroups.code }).from(targetGroups)]);
  return { competences: new Set(c.map((r) => r.code)), targetGroups: new Set(g.map((r) => r.code)) };
}

export async function checkPublishable(db: Db, doc: CourseDoc, base = '/draft'): Promise<void> {
  const details: ErrorDetail[] = [];
  const bad = (field: string, message: string) => details.push({ field: `${base}${field}`, message });
  const known = await knownCodes(db);
  const knownCompetences = known.competences;
  const knownGroups = known.targetGroups;
  const codes = (field: string, list: string[], known: Set<string>, what: string) =>
    list.forEach((c, i) => {
      if (!known.has(c)) bad(`${field}/${i}`, `unknown ${what} ${c}`);
    });
  codes('/competences', doc.competences, knownCompetences, 'competence');
  codes('/targetGroups', doc.targetGroups, knownGroups, 'target group');
  if (doc.modules.length === 0) bad('/modules', 'a course needs at least one module');
  const lessonIds = new Set<string>();
  doc.modules.forEach((m, mi) => {
    if (m.lessons.length === 0) bad(`/modules/${mi}/lessons`, 'a module needs at least one lesson');
    m.lessons.forEach((l, li) => {
      const at = `/modules/${mi}/lessons/${li}`;
      if (lessonIds.has(l.id)) bad(`${at}/id`, `lesson id ${l.id} is used twice`);
      lessonIds.add(l.id);
      codes(`${at}/competences`, l.competences, knownCompetences, 'competence');
      if (!l[l.kind]) bad(`${at}/${l.kind}`, `a ${l.kind} lesson needs its ${l.kind} settings`);
      if (l.kind === 'video' && l.video && !l.video.hlsUrl && !l.video.mediaAssetId) bad(`${at}/video`, 'a video lesson needs hlsUrl or mediaAssetId');
      if (l.kind === 'quiz' && l.quiz) {
        if (l.quiz.questions.length === 0) bad(`${at}/quiz/questions`, 'a quiz needs at least one question');
        if (l.quiz.drawCount !== null && l.quiz.drawCount > l.quiz.questions.length) bad(`${at}/quiz/drawCount`, 'more questions drawn than exist');
        const qids = new Set<string>();
        l.quiz.questions.forEach((q, qi) => {
          const qat = `${at}/quiz/questions/${qi}`;
          if (qids.has(q.id)) bad(`${qat}/id`, `question id ${q.id} is used twice`);
          qids.add(q.id);
          const right = q.options.filter((o) => o.correct).length;
          if ((q.kind === 'single' || q.kind === 'multiple') && q.options.length < 2) bad(`${qat}/options`, 'a choice question needs two options or more');
          if (q.kind === 'single' && right !== 1) bad(`${qat}/options`, 'a single-choice question has exactly one correct option');
          if (q.kind === 'multiple' && right < 1) bad(`${qat}/options`, 'a multiple-choice question has a correct option');
          if (q.kind === 'true-false' && q.answer === null) bad(`${qat}/answer`, 'a true/false question needs its answer');
          if (q.kind === 'short' && q.accept.length === 0) bad(`${qat}/accept`, 'a short-answer question needs accepted answers');
        });
      }
    });
  });
  if (doc.finalTestId) {
    const final = findLesson(doc, doc.finalTestId);
    if (final?.kind !== 'quiz') bad('/finalTestId', 'the final test must be a quiz lesson of this course');
  }
  if (details.length > 0) throw new DomainError('validation_failed', details[0]?.message ?? 'the course cannot be published', details);
}
