import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, defaultContentDir, loadContent, MAX_CONTENT_FILE_BYTES } from './index.ts';

async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hts-courses-'));
  await cp(defaultContentDir, dir, { recursive: true });
  return dir;
}
const SCAM = 'courses/phong-tranh-lua-dao-truc-tuyen';

describe('the repository frameworks', () => {
  it('loads TT 02/2025 with 6 domains and 24 competences, DigComp 2.2 with 5 areas and 21', async () => {
    const { frameworks } = await loadContent(defaultContentDir);
    const tt02 = frameworks.find((f) => f.code === 'tt02');
    const digcomp = frameworks.find((f) => f.code === 'digcomp');
    expect(tt02?.competences).toHaveLength(24);
    expect(new Set(tt02?.competences.map((c) => c.groupCode)).size).toBe(6);
    expect(digcomp?.competences).toHaveLength(21);
    expect(new Set(digcomp?.competences.map((c) => c.groupCode)).size).toBe(5);
    expect(tt02?.competences.find((c) => c.code === 'tt02:4.2')).toMatchObject({
      nameVi: 'Bảo vệ dữ liệu cá nhân và quyền riêng tư',
      assumption: '[nguồn phụ]',
    });
  });

  it('keeps only the confirmed groups of the basic digital-skills framework, marking the unconfirmed name', async () => {
    const { frameworks } = await loadContent(defaultContentDir);
    const kns = frameworks.find((f) => f.code === 'kns');
    expect(kns?.competences.map((c) => c.code)).toEqual(['kns:0.1', 'kns:0.2', 'kns:1.1', 'kns:1.2', 'kns:1.3']);
    expect(kns?.competences.find((c) => c.code === 'kns:1.1')?.assumption).toMatch(/chưa xác minh/);
  });
});

describe('the repository courses', () => {
  it('loads at least three Vietnamese courses, each mapped to competences and target groups', async () => {
    const { courses } = await loadContent(defaultContentDir);
    expect(courses.length).toBeGreaterThanOrEqual(3);
    for (const c of courses) {
      expect(c.doc.language).toBe('vi');
      expect(c.doc.competences.length).toBeGreaterThan(0);
      expect(c.doc.targetGroups.length).toBeGreaterThan(0);
      expect(c.doc.modules.flatMap((m) => m.lessons).some((l) => l.kind === 'quiz')).toBe(true);
    }
  });

  it('orders modules and lessons by their numbers and inherits competences down the tree', async () => {
    const { courses } = await loadContent(defaultContentDir);
    const scam = courses.find((c) => c.slug === 'phong-tranh-lua-dao-truc-tuyen');
    expect(scam?.doc.modules.map((m) => m.id)).toEqual(['nhan-biet', 'xu-ly']);
    const [first] = scam?.doc.modules ?? [];
    // the module sets none: it inherits the course's
    expect(first?.competences).toEqual(scam?.doc.competences);
    const handling = scam?.doc.modules[1]?.lessons[0];
    expect(handling?.id).toBe('xu-ly.khi-nghi-bi-lua');
    expect(handling?.competences).toEqual(['tt02:2.3', 'digcomp:2.3']);
    expect(handling?.text?.markdown).toContain('# Khi nghi mình bị lừa');
    const quiz = scam?.doc.modules[1]?.lessons[1];
    expect(quiz?.kind).toBe('quiz');
    expect(quiz?.quiz?.passPercent).toBe(75);
    expect(quiz?.quiz?.questions.map((q) => q.kind)).toEqual(['single', 'multiple', 'true-false', 'short']);
  });
});

describe('content check of courses', () => {
  it('loads the optional demo video lesson first in its course, naming the demo clip by its fixed id', async () => {
    const { courses } = await loadContent(defaultContentDir);
    const phone = courses.find((c) => c.slug === 'dien-thoai-thong-minh-an-toan');
    const lesson = phone?.doc.modules[0]?.lessons[0];
    expect(lesson).toMatchObject({ id: 'lam-quen.video-lam-quen', kind: 'video', required: false });
    expect(lesson?.video).toMatchObject({ mediaAssetId: '0de0de0d-0000-4000-8000-000000000001', hlsUrl: null });
  });

  it('points at the line of a video lesson whose mediaAssetId is not an asset id', async () => {
    const dir = await copyOfContent();
    const file = 'courses/dien-thoai-thong-minh-an-toan/01-lam-quen/00-video-lam-quen.video.yaml';
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace(/^mediaAssetId: .*$/m, 'mediaAssetId: demo-video'));
    const { content, problems } = await checkContent(dir);
    expect(content).toBeNull();
    const line = text.split('\n').findIndex((l) => l.startsWith('mediaAssetId:')) + 1;
    expect(problems).toContainEqual(expect.objectContaining({ file, line, message: expect.stringMatching(/mediaAssetId must be a media asset id/) }));
  });

  it('takes an external activity served by this site by its path, and refuses another site without https', async () => {
    const { courses } = await loadContent(defaultContentDir);
    const lab = courses.find((c) => c.slug === 'phong-tranh-lua-dao-truc-tuyen')?.doc.modules[0]?.lessons.find((l) => l.kind === 'external');
    expect(lab).toMatchObject({ id: 'nhan-biet.thuc-hanh-nhan-biet', required: false });
    expect(lab?.external).toEqual({ launchUrl: '/activities/nhan-biet-tin-nhan-lua-dao/index.html', rule: 'completed' });

    const dir = await copyOfContent();
    const file = `${SCAM}/01-nhan-biet/03-thuc-hanh-nhan-biet.external.yaml`;
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace(/^launchUrl: .*$/m, 'launchUrl: //lab.example.vn/index.html'));
    const line = text.split('\n').findIndex((l) => l.startsWith('launchUrl:')) + 1;
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file, line, message: expect.stringMatching(/launchUrl must be an https:\/\/ address or a path/) }),
    );
  });

  it('names the file and line of broken YAML in a quiz', async () => {
    const dir = await copyOfContent();
    await writeFile(join(dir, SCAM, '02-xu-ly/02-kiem-tra.quiz.yaml'), 'title: Kiểm tra\nquestions:\n  - id: a\n   kind: [\n');
    const { content, problems } = await checkContent(dir);
    expect(content).toBeNull();
    expect(problems[0]).toMatchObject({ file: `${SCAM}/02-xu-ly/02-kiem-tra.quiz.yaml` });
    expect(problems[0]?.line).toBeGreaterThan(1);
    expect(problems[0]?.message).toMatch(/^broken YAML/);
  });

  it('points at the line of an unknown competence code in front matter', async () => {
    const dir = await copyOfContent();
    const file = join(dir, SCAM, '01-nhan-biet/02-dau-hieu-nhan-biet.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('competences: [tt02:1.2,', 'competences: [tt02:9.9,'));
    const { problems } = await checkContent(dir);
    expect(problems).toEqual([{ file: `${SCAM}/01-nhan-biet/02-dau-hieu-nhan-biet.md`, line: 4, message: 'unknown competence tt02:9.9' }]);
  });

  it('refuses a single-choice question with two correct options, at the question line', async () => {
    const dir = await copyOfContent();
    const file = join(dir, SCAM, '02-xu-ly/02-kiem-tra.quiz.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('{ id: a, text: "Chuyển tiền ngay cho yên tâm" }', '{ id: a, text: "Chuyển tiền", correct: true }'),
    );
    const { problems } = await checkContent(dir);
    expect(problems).toEqual([{ file: `${SCAM}/02-xu-ly/02-kiem-tra.quiz.yaml`, line: 9, message: 'a single-choice question has exactly one correct option' }]);
  });

  it('refuses a lesson that links outside the content folder', async () => {
    const dir = await copyOfContent();
    const outside = await mkdtemp(join(tmpdir(), 'hts-outside-'));
    await writeFile(join(outside, 'secret.md'), '---\ntitle: x\n---\nsecret');
    await symlink(join(outside, 'secret.md'), join(dir, SCAM, '01-nhan-biet/03-bi-mat.md'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual({ file: `${SCAM}/01-nhan-biet/03-bi-mat.md`, line: 1, message: 'path leads outside the content folder' });
  });

  it('refuses an oversize lesson file', async () => {
    const dir = await copyOfContent();
    await writeFile(join(dir, SCAM, '01-nhan-biet/03-qua-lon.md'), `---\ntitle: Quá lớn\n---\n${'a'.repeat(MAX_CONTENT_FILE_BYTES)}`);
    const { problems } = await checkContent(dir);
    expect(problems[0]).toMatchObject({ file: `${SCAM}/01-nhan-biet/03-qua-lon.md`, line: 1 });
    expect(problems[0]?.message).toMatch(/at most 262144 are allowed/);
  });

  it('refuses a lesson file that does not follow the numbered naming', async () => {
    const dir = await copyOfContent();
    await mkdir(join(dir, SCAM, '01-nhan-biet'), { recursive: true });
    await writeFile(join(dir, SCAM, '01-nhan-biet/ghi-chu.txt'), 'x');
    const { problems } = await checkContent(dir);
    expect(problems[0]?.message).toMatch(/lessons are named like 01-name.md/);
  });
});
