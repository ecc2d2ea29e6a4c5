import type { CourseDoc } from '@hts/contracts';
import { allLessons } from '../courses/course-doc.ts';

export interface CourseProgress {
  /** Counted lessons completed: the required ones, and the final test when the course has one. */
  completedLessons: number;
  /** Counted lessons: optional lessons never count, done or not. */
  totalLessons: number;
  /** 0–100; 100 only once the course is completed, so the bar is full exactly when the course is. */
  percent: number;
  /** The course completes by passing this test (courseRuleHolds), whatever else is done. */
  finalTest: { lessonId: string; title: string; passed: boolean } | null;
}

/**
 * How far a learner is through a course, as its completion rule sees it (see courseRuleHolds): only the
 * required lessons count (and the final test, when the course completes by one), so an optional lesson
 * done never fills the bar while a required one is missing. The percent is floored and held below 100 until
 * the course is completed.
 */
export function courseProgress(doc: CourseDoc, completedLessonIds: ReadonlySet<string>, courseCompleted: boolean): CourseProgress {
  const counted = allLessons(doc).filter((l) => l.required || l.id === doc.finalTestId);
  const done = counted.filter((l) => completedLessonIds.has(l.id)).length;
  const finalLesson = doc.finalTestId ? allLessons(doc).find((l) => l.id === doc.finalTestId) : undefined;
  const percent = courseCompleted ? 100 : counted.length === 0 ? 0 : Math.min(99, Math.floor((done * 100) / counted.length));
  return {
    completedLessons: done,
    totalLessons: counted.length,
    percent,
    finalTest: finalLesson ? { lessonId: finalLesson.id, title: finalLesson.title, passed: completedLessonIds.has(finalLesson.id) } : null,
  };
}
