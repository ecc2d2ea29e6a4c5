import type { CourseDoc } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { courseProgress } from './course-progress.ts';

const lesson = (id: string, required: boolean) => ({ id, title: `Bài ${id}`, kind: 'text', required }) as never;
const doc = (lessons: Array<[string, boolean]>, finalTestId?: string) =>
  ({
    modules: [{ id: 'm', title: 'Phần', lessons: lessons.map(([id, r]) => lesson(id, r)) }],
    ...(finalTestId ? { finalTestId } : {}),
  }) as unknown as CourseDoc;

describe('course progress as the completion rule counts it', () => {
  it('counts required lessons only: an optional lesson done never fills the bar while a required one is missing', () => {
    const d = doc([
      ['a', true],
      ['b', true],
      ['tuy-chon', false],
    ]);
    expect(courseProgress(d, new Set(['a', 'tuy-chon']), false)).toEqual({ completedLessons: 1, totalLessons: 2, percent: 50, finalTest: null });
    expect(courseProgress(d, new Set(['tuy-chon']), false).percent).toBe(0);
  });

  it('is 100 only once the course is completed, and never rounds up to it before', () => {
    const d = doc(Array.from({ length: 200 }, (_, i) => [`l${i}`, true] as [string, boolean]));
    const all = new Set(Array.from({ length: 199 }, (_, i) => `l${i}`));
    expect(courseProgress(d, all, false).percent).toBe(99);
    expect(courseProgress(d, new Set([...all, 'l199']), true).percent).toBe(100);
  });

  it('names the final test when the course completes by one, and counts it even when it is not marked required', () => {
    const d = doc(
      [
        ['a', true],
        ['thi', false],
      ],
      'thi',
    );
    expect(courseProgress(d, new Set(['a']), false)).toEqual({
      completedLessons: 1,
      totalLessons: 2,
      percent: 50,
      finalTest: { lessonId: 'thi', title: 'Bài thi', passed: false },
    });
    expect(courseProgress(d, new Set(['thi']), true)).toMatchObject({ percent: 100, finalTest: { passed: true } });
  });

  it('is 0 for a course with nothing to count that is not completed yet', () => {
    expect(courseProgress(doc([['tuy-chon', false]]), new Set(), false)).toMatchObject({ totalLessons: 0, percent: 0 });
  });
});
