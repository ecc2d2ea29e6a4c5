import type { Question } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { checkWatchReport, coveredSeconds, foldAnswer, isCorrect, mergeIntervals } from './rules.ts';

describe('played intervals', () => {
  it('merges overlapping and touching intervals so a rewatched minute counts once', () => {
    expect(
      mergeIntervals([
        [30, 60],
        [0, 10],
        [5, 20],
        [20, 25],
      ]),
    ).toEqual([
      [0, 25],
      [30, 60],
    ]);
    expect(
      coveredSeconds([
        [0, 60],
        [0, 60],
        [30, 90],
      ]),
    ).toBe(90);
  });

  it('rejects an interval beyond the media duration', () => {
    expect(checkWatchReport({ intervals: [[0, 130]], wallSeconds: 130 }, 120)).toMatch(/beyond the media/);
  });

  it('rejects more media time than the elapsed wall time allows', () => {
    expect(checkWatchReport({ intervals: [[0, 120]], wallSeconds: 10 }, 120)).toMatch(/faster than real time/);
  });

  it('accepts a report played at normal speed', () => {
    expect(checkWatchReport({ intervals: [[0, 60]], wallSeconds: 62 }, 120)).toBeNull();
  });
});

describe('quiz answers', () => {
  const base = { prompt: 'p', options: [], answer: null, accept: [], feedback: { correct: '', incorrect: '' }, competences: [] };
  const multiple: Question = {
    ...base,
    id: 'm',
    kind: 'multiple',
    options: [
      { id: 'a', text: 'A', correct: true },
      { id: 'b', text: 'B', correct: true },
      { id: 'c', text: 'C', correct: false },
    ],
  };

  it('needs exactly the correct set for a multiple-choice question', () => {
    expect(isCorrect(multiple, { choices: ['a', 'b'] })).toBe(true);
    expect(isCorrect(multiple, { choices: ['a'] })).toBe(false);
    expect(isCorrect(multiple, { choices: ['a', 'b', 'c'] })).toBe(false);
  });

  it('accepts a short answer typed without diacritics or in other case', () => {
    const short: Question = { ...base, id: 's', kind: 'short', accept: ['nút nguồn'] };
    expect(isCorrect(short, { text: '  Nut   NGUON ' })).toBe(true);
    expect(foldAnswer('Đường')).toBe('duong');
  });

  it('checks a true/false answer against the stored one', () => {
    const tf: Question = { ...base, id: 't', kind: 'true-false', answer: false };
    expect(isCorrect(tf, { value: false })).toBe(true);
    expect(isCorrect(tf, { value: true })).toBe(false);
    expect(isCorrect(tf, undefined)).toBe(false);
  });
});
