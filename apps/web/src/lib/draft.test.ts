import type { CourseDoc } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { addLesson, addModule, addQuestion, idFrom, questionFromForm } from './draft.ts';

const empty: CourseDoc = {
  title: 'Khóa',
  summary: '',
  level: 'co-ban',
  language: 'vi',
  sequence: 'free',
  competences: ['tt02:4.2'],
  targetGroups: ['nong-dan'],
  modules: [],
};

describe('draft editing', () => {
  it('makes ids from Vietnamese titles without diacritics, unique among siblings', () => {
    expect(idFrom('Bài 1: Điện thoại', new Set())).toBe('bai-1-dien-thoai');
    expect(idFrom('Phần một', new Set(['phan-mot']))).toBe('phan-mot-2');
  });

  it('adds a video lesson that plays a media asset, its length in minutes rounded up from the asset', () => {
    const doc = addLesson(addModule(empty, 'Phần một'), 'phan-mot', {
      kind: 'video',
      title: 'Xem video',
      mediaAssetId: '3f0c1d1e-8a47-4c1b-9b8e-2f1a6c0d9e11',
      durationSeconds: 95.4,
    });
    const lesson = doc.modules[0]?.lessons[0];
    expect(lesson?.video).toEqual({ hlsUrl: null, mediaAssetId: '3f0c1d1e-8a47-4c1b-9b8e-2f1a6c0d9e11', durationSeconds: 95.4, watchPercent: 90 });
    expect(lesson?.minutes).toBe(2);
  });

  it('adds a module and lessons that inherit its competences, with ids module.lesson', () => {
    let doc = addModule(empty, 'Phần một');
    doc = addLesson(doc, 'phan-mot', { kind: 'text', title: 'Bài đọc', markdown: '# A' });
    doc = addLesson(doc, 'phan-mot', { kind: 'quiz', title: 'Kiểm tra', passPercent: 70 });
    const lessons = doc.modules[0]?.lessons ?? [];
    expect(lessons.map((l) => l.id)).toEqual(['phan-mot.bai-doc', 'phan-mot.kiem-tra']);
    expect(lessons[0]?.competences).toEqual(['tt02:4.2']);
    expect(lessons[1]?.quiz).toEqual({ passPercent: 70, drawCount: null, questions: [] });
  });

  it('reads choice answers with * marking the right ones, and true/false in Vietnamese', () => {
    const single = questionFromForm({ kind: 'single', prompt: 'Hỏi?', answers: 'Một\n* Hai\n\nBa', correct: 'Đúng', incorrect: 'Sai' }, new Set());
    expect(single.options).toEqual([
      { id: 'a', text: 'Một', correct: false },
      { id: 'b', text: 'Hai', correct: true },
      { id: 'c', text: 'Ba', correct: false },
    ]);
    expect(questionFromForm({ kind: 'true-false', prompt: 'Hỏi?', answers: 'Đúng', correct: '', incorrect: '' }, new Set()).answer).toBe(true);
    expect(questionFromForm({ kind: 'short', prompt: 'Hỏi?', answers: 'OTP\nmã OTP', correct: '', incorrect: '' }, new Set()).accept).toEqual([
      'OTP',
      'mã OTP',
    ]);
  });

  it('adds a question to the named quiz only', () => {
    let doc = addLesson(addModule(empty, 'Phần'), 'phan', { kind: 'quiz', title: 'Kiểm tra', passPercent: 70 });
    doc = addQuestion(doc, 'phan.kiem-tra', (taken) =>
      questionFromForm({ kind: 'short', prompt: 'Mã gì?', answers: 'OTP', correct: '', incorrect: '' }, taken),
    );
    expect(doc.modules[0]?.lessons[0]?.quiz?.questions).toHaveLength(1);
    expect(doc.modules[0]?.lessons[0]?.quiz?.questions[0]?.competences).toEqual(['tt02:4.2']);
  });
});
