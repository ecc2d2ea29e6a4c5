import type { CourseDoc } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { addLesson, addModule, addQuestion, idFrom, move, questionFromForm, removeQuestion, setFinalTest, setQuizSettings } from './draft.ts';

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

describe('reordering and quiz settings', () => {
  const base = (() => {
    let doc = addModule(addModule(empty, 'Một'), 'Hai');
    doc = addLesson(doc, 'mot', { kind: 'text', title: 'A', markdown: '' });
    doc = addLesson(doc, 'mot', { kind: 'quiz', title: 'B', passPercent: 70 });
    for (const p of ['Câu một', 'Câu hai', 'Câu ba'])
      doc = addQuestion(doc, 'mot.b', (taken) => questionFromForm({ kind: 'true-false', prompt: p, answers: 'đúng', correct: '', incorrect: '' }, taken));
    return doc;
  })();

  it('moves a module, a lesson and a question one place, and leaves the ends alone', () => {
    expect(move(base, { kind: 'module', moduleId: 'hai' }, -1).modules.map((m) => m.id)).toEqual(['hai', 'mot']);
    expect(move(base, { kind: 'module', moduleId: 'mot' }, -1).modules.map((m) => m.id)).toEqual(['mot', 'hai']);
    expect(move(base, { kind: 'lesson', lessonId: 'mot.a' }, 1).modules[0]?.lessons.map((l) => l.id)).toEqual(['mot.b', 'mot.a']);
    const q = move(base, { kind: 'question', lessonId: 'mot.b', questionId: 'cau-ba' }, -1);
    expect(q.modules[0]?.lessons[1]?.quiz?.questions.map((x) => x.id)).toEqual(['cau-mot', 'cau-ba', 'cau-hai']);
  });

  it('sets a random draw of N questions, and keeps it within the bank when a question is removed', () => {
    const drawn = setQuizSettings(base, 'mot.b', { passPercent: 80, drawCount: 3 });
    expect(drawn.modules[0]?.lessons[1]?.quiz).toMatchObject({ passPercent: 80, drawCount: 3 });
    expect(removeQuestion(drawn, 'mot.b', 'cau-hai').modules[0]?.lessons[1]?.quiz).toMatchObject({
      drawCount: 2,
      questions: [{ id: 'cau-mot' }, { id: 'cau-ba' }],
    });
  });

  it('names a quiz as the final test, and ignores a lesson that is not a quiz', () => {
    expect(setFinalTest(base, 'mot.b').finalTestId).toBe('mot.b');
    expect(setFinalTest(base, 'mot.a').finalTestId).toBeNull();
    expect(setFinalTest(base, null).finalTestId).toBeNull();
  });
});
