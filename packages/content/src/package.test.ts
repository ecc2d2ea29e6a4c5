import type { CourseDoc } from '@hts/contracts';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { coursePackageFiles, defaultContentDir, loadContent, MAX_CONTENT_FILE_BYTES, readCoursePackage, zipCoursePackage } from './index.ts';

const content = await loadContent(defaultContentDir);
const refs = {
  competences: new Set(content.frameworks.flatMap((f) => f.competences.map((c) => c.code))),
  targetGroups: new Set(content.targetGroups.map((g) => g.code)),
};
const encoder = new TextEncoder();

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

/** A zip of text files, written by fflate's one-shot zipper (another code path than the exporter's). */
function zipOf(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, body]) => [name, typeof body === 'string' ? encoder.encode(body) : body])));
}

const course = 'course.yaml';
const minimal = {
  [`mini/${course}`]: 'title: Khóa nhỏ\nsummary: Một khóa học thử\ncompetences: [tt02:4.2]\ntargetGroups: [nong-dan]\n',
  'mini/01-mot/module.yaml': 'title: Phần một\n',
  'mini/01-mot/01-doc.md': '---\ntitle: Bài đọc\n---\nXin chào\n',
};

describe('course package round trip', () => {
  it.each(content.courses.map((c) => [c.slug, c] as const))('exports %s and imports it back as an equal course', async (_slug, c) => {
    const zip = await collect(zipCoursePackage(coursePackageFiles(c.slug, c.doc)));
    const { course: back, problems } = await readCoursePackage(zip, refs);
    expect(problems).toEqual([]);
    expect(back?.slug).toBe(c.slug);
    expect(back?.doc).toEqual(c.doc);
  });

  it('keeps what differs from the inherited values: optional lessons, own competences, draws, feedback and all question kinds', async () => {
    const doc: CourseDoc = {
      title: 'Khóa đủ loại',
      summary: 'Đủ loại bài',
      level: 'trung-cap',
      language: 'vi',
      sequence: 'locked',
      competences: ['tt02:4.2'],
      targetGroups: ['nong-dan', 'cong-nhan'],
      finalTestId: 'mot.kiem-tra',
      modules: [
        {
          id: 'mot',
          title: 'Phần "một": bắt đầu',
          competences: ['tt02:1.1'],
          targetGroups: ['nong-dan', 'cong-nhan'],
          lessons: [
            {
              id: 'mot.xem',
              title: 'Xem',
              kind: 'video',
              minutes: 2,
              required: false,
              competences: ['tt02:1.1'],
              targetGroups: ['nong-dan'],
              video: { hlsUrl: null, mediaAssetId: '0d9c3c8e-1111-4222-8333-944444444444', durationSeconds: 75.5, watchPercent: 80 },
            },
            {
              id: 'mot.lab',
              title: 'Thực hành',
              kind: 'external',
              minutes: 10,
              required: true,
              competences: ['tt02:1.1'],
              targetGroups: ['nong-dan', 'cong-nhan'],
              external: { launchUrl: 'https://h5p.example.vn/lab', rule: 'passed', activityId: 'https://h5p.example.vn/activities/lab' },
            },
            {
              id: 'mot.kiem-tra',
              title: 'Kiểm tra',
              kind: 'quiz',
              minutes: 5,
              required: true,
              competences: ['tt02:1.1'],
              targetGroups: ['nong-dan', 'cong-nhan'],
              quiz: {
                passPercent: 70,
                drawCount: 2,
                questions: [
                  {
                    id: 'a',
                    kind: 'single',
                    prompt: 'Chọn một?',
                    options: [
                      { id: '1', text: 'Có', correct: true },
                      { id: '2', text: 'Không', correct: false },
                    ],
                    answer: null,
                    accept: [],
                    feedback: { correct: 'Đúng', incorrect: 'Sai: xem lại bài' },
                    competences: ['tt02:1.1'],
                  },
                  {
                    id: 'b',
                    kind: 'multiple',
                    prompt: 'Chọn nhiều?',
                    options: [
                      { id: 'x', text: 'X', correct: true },
                      { id: 'y', text: 'Y', correct: true },
                      { id: 'z', text: 'yes', correct: false },
                    ],
                    answer: null,
                    accept: [],
                    feedback: { correct: '', incorrect: '' },
                    competences: ['tt02:4.2'],
                  },
                  {
                    id: 'c',
                    kind: 'true-false',
                    prompt: 'Đúng hay sai?',
                    options: [],
                    answer: false,
                    accept: [],
                    feedback: { correct: '', incorrect: 'Sai rồi' },
                    competences: ['tt02:1.1'],
                  },
                  {
                    id: 'd',
                    kind: 'short',
                    prompt: 'Gõ mã',
                    options: [],
                    answer: null,
                    accept: ['OTP', '123'],
                    feedback: { correct: '', incorrect: '' },
                    competences: ['tt02:1.1'],
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const zip = await collect(zipCoursePackage(coursePackageFiles('du-loai', doc)));
    const { course: back, problems } = await readCoursePackage(zip, refs);
    expect(problems).toEqual([]);
    expect(back?.doc).toEqual(doc);
  });

  it('imports a package under another slug when asked', async () => {
    const { course: back, problems } = await readCoursePackage(zipOf(minimal), refs, { slug: 'ban-sao' });
    expect(problems).toEqual([]);
    expect(back?.slug).toBe('ban-sao');
    expect(back?.doc.modules[0]?.lessons[0]?.id).toBe('mot.doc');
  });
});

describe('a bad course package is rejected with the file and line', () => {
  it('refuses a path that climbs out of the package folder (zip slip)', async () => {
    const { course, problems } = await readCoursePackage(zipOf({ ...minimal, 'mini/../../etc/cron.d/x': 'boom' }), refs);
    expect(course).toBeNull();
    expect(problems).toContainEqual({ file: 'mini/../../etc/cron.d/x', line: 1, message: expect.stringMatching(/outside the package folder/) });
  });

  it('refuses an absolute path and a Windows path', async () => {
    const abs = await readCoursePackage(zipOf({ ...minimal, '/etc/passwd': 'x' }), refs);
    expect(abs.problems).toContainEqual({ file: '/etc/passwd', line: 1, message: expect.stringMatching(/absolute/) });
    const win = await readCoursePackage(zipOf({ ...minimal, 'mini\\..\\x.md': 'x' }), refs);
    expect(win.problems[0]).toMatchObject({ file: 'mini\\..\\x.md', line: 1 });
  });

  it('refuses a file over the content limit without unpacking all of it', async () => {
    const big = `---\ntitle: To\n---\n${'a'.repeat(MAX_CONTENT_FILE_BYTES + 10)}`;
    const { course, problems } = await readCoursePackage(zipOf({ ...minimal, 'mini/01-mot/02-to.md': big }), refs);
    expect(course).toBeNull();
    expect(problems).toEqual([{ file: 'mini/01-mot/02-to.md', line: 1, message: expect.stringMatching(/at most 262144/) }]);
  });

  it('stops inflating a file whose header understates its size (a zip bomb)', async () => {
    const bomb = zipOf({ 'mini/01-mot/01-doc.md': `---\ntitle: Bom\n---\n${'0'.repeat(MAX_CONTENT_FILE_BYTES * 4)}` });
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(22, 100, true); // the local header now claims 100 bytes
    const { course, problems } = await readCoursePackage(bomb, refs);
    expect(course).toBeNull();
    expect(problems).toEqual([{ file: 'mini/01-mot/01-doc.md', line: 1, message: expect.stringMatching(/more than 262144 bytes/) }]);
  });

  it('reports broken YAML at its line', async () => {
    const quiz = 'title: Kiểm tra\npassPercent: 80\nquestions:\n  - id: a\n    kind: [single\n';
    const { course, problems } = await readCoursePackage(zipOf({ ...minimal, 'mini/01-mot/02-kiem-tra.quiz.yaml': quiz }), refs);
    expect(course).toBeNull();
    expect(problems[0]).toMatchObject({ file: 'mini/01-mot/02-kiem-tra.quiz.yaml', line: expect.any(Number), message: expect.stringMatching(/broken YAML/) });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(5);
  });

  it('reports a content rule at the line of the value, as content check does', async () => {
    const { problems } = await readCoursePackage(
      zipOf({ ...minimal, [`mini/${course}`]: 'title: Khóa\nsummary: Tóm tắt\ncompetences: [tt02:4.2]\ntargetGroups:\n  - nong-dan\n  - khong-co\n' }),
      refs,
    );
    expect(problems).toEqual([{ file: 'mini/course.yaml', line: 6, message: 'unknown target group khong-co' }]);
  });

  it('reports a final test that is not a quiz lesson at its line', async () => {
    const { problems } = await readCoursePackage(zipOf({ ...minimal, [`mini/${course}`]: `${minimal[`mini/${course}`]}finalTest: mot.doc\n` }), refs);
    expect(problems).toEqual([{ file: 'mini/course.yaml', line: 5, message: expect.stringMatching(/finalTest mot.doc is not a quiz lesson/) }]);
  });

  it('refuses bytes that are not a zip, and a package with two folders', async () => {
    expect((await readCoursePackage(encoder.encode('title: not a zip, just text that is long enough'), refs)).problems[0]?.message).toMatch(/not a zip/);
    const two = await readCoursePackage(zipOf({ ...minimal, 'other/course.yaml': 'title: x\n' }), refs);
    expect(two.problems[0]?.message).toMatch(/exactly one folder/);
  });

  it('ignores the __MACOSX folder and dot-files that zip tools add', async () => {
    const { course, problems } = await readCoursePackage(zipOf({ ...minimal, '__MACOSX/mini/._course.yaml': 'x', 'mini/.DS_Store': 'x' }), refs);
    expect(problems).toEqual([]);
    expect(course?.slug).toBe('mini');
  });
});

describe('the course document limits', () => {
  it('name the lesson file whose value breaks the schema (an option text over 500 characters)', async () => {
    const quiz = `title: Kiểm tra\nquestions:\n  - id: a\n    kind: single\n    prompt: Chọn\n    options:\n      - { id: x, text: "${'dài '.repeat(200)}", correct: true }\n      - { id: y, text: Ngắn, correct: false }\n`;
    const { problems } = await readCoursePackage(zipOf({ ...minimal, 'mini/01-mot/02-kiem-tra.quiz.yaml': quiz }), refs);
    expect(problems).toEqual([
      {
        file: 'mini/01-mot/02-kiem-tra.quiz.yaml',
        line: 1,
        message: expect.stringMatching(/^\/modules\/0\/lessons\/1\/quiz\/questions\/0\/options\/0\/text /),
      },
    ]);
  });
});
