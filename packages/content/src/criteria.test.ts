import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CriteriaSetDef } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { compareVersions } from './criteria.ts';
import { checkContent, defaultContentDir, loadContent } from './index.ts';

const FARMERS = 'criteria/cdht-nong-dan/2025.1.yaml';

async function copyWithFarmers(edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hts-criteria-'));
  await cp(defaultContentDir, dir, { recursive: true });
  const path = join(dir, FARMERS);
  await writeFile(path, edit(await readFile(path, 'utf8')));
  return dir;
}

/** Line (1-based) of the first line of the farmers' set in `dir` containing `needle`, after `after` if given. */
async function lineOf(needle: string, after = '', dir = defaultContentDir): Promise<number> {
  const lines = (await readFile(join(dir, FARMERS), 'utf8')).split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
}

describe('the repository criteria', () => {
  it('has one set per target group, each with 10 indicators worth 100 points in groups of 4, 4 and 2', async () => {
    const content = await loadContent(defaultContentDir);
    const sets = content.criteria.map((c) => c.doc).filter((d): d is CriteriaSetDef => d.kind === 'criteria-set');
    expect(sets.map((s) => s.targetGroup).sort()).toEqual(
      ['can-bo-quan-ly', 'cong-chuc', 'cong-nhan', 'doanh-nhan', 'hoi-vien-khuyen-hoc', 'luc-luong-vu-trang', 'nong-dan', 'vien-chuc'].sort(),
    );
    for (const set of sets) {
      expect(set.groups.map((g) => g.criteria.length)).toEqual([4, 4, 2]);
      expect(set.groups.flatMap((g) => g.criteria).reduce((n, c) => n + c.points, 0)).toBe(100);
      expect(set.pass).toEqual({ points: 80, disadvantagedAreaPoints: 70, minCriterionPoints: 5 });
      expect(set.source).toContain('244/QĐ-KHVN');
    }
    expect(sets.filter((s) => s.default).map((s) => s.code)).toEqual(['cdht-hoi-vien-khuyen-hoc']);
  });

  it('has the digital-skill rule as versioned data with its source and competences', async () => {
    const content = await loadContent(defaultContentDir);
    const rule = content.criteria.find((c) => c.doc.kind === 'digital-skill-rule')?.doc;
    expect(rule).toMatchObject({ code: 'ky-nang-so-co-ban', version: '2025.1', assumption: true, rule: { testPassPercent: 70 } });
    expect(rule?.source).toContain('757/QĐ-BKHCN');
  });
});

describe('content check of criteria', () => {
  it('fails when the points do not add up to the total, naming the file and the line', async () => {
    const dir = await copyWithFarmers((t) =>
      t.replace(
        'points: 10\n        assumption: true\n        note: Lời văn theo dự thảo 7/2020; điểm tối đa 10 là',
        'points: 5\n        assumption: true\n        note: Lời văn theo dự thảo 7/2020; điểm tối đa 10 là',
      ),
    );
    const { content, problems } = await checkContent(dir);
    expect(content).toBeNull();
    expect(problems).toContainEqual({ file: FARMERS, line: await lineOf('totalPoints:'), message: "the criteria's points add up to 95, not totalPoints 100" });
  });

  it('fails on an unknown competence code at its line', async () => {
    const dir = await copyWithFarmers((t) => t.replace('competences: [kns:1.1,', 'competences: [kns:9.9,'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual({
      file: FARMERS,
      line: await lineOf('competences: [kns:1.1,'),
      message: 'unknown competence code kns:9.9 (see content/frameworks)',
    });
  });

  it('fails when the source is missing', async () => {
    const dir = await copyWithFarmers((t) => t.replace(/^source: .*\n/m, ''));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(expect.objectContaining({ file: FARMERS, message: 'source is required' }));
  });

  it('fails on an unknown target group at its line', async () => {
    const dir = await copyWithFarmers((t) => t.replace('targetGroup: nong-dan', 'targetGroup: ngu-dan'));
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual({
      file: FARMERS,
      line: await lineOf('targetGroup:'),
      message: 'unknown target group ngu-dan (see content/target-groups.yaml)',
    });
  });

  it('fails when an assumption carries no note, and when a criterion is worth less than the per-indicator minimum', async () => {
    const dir = await copyWithFarmers((t) =>
      t
        .replace(/(id: "3"[\s\S]*?)\n\s+note: [^\n]*/, '$1')
        .replace(/(id: "9"[\s\S]*?)points: 10/, '$1points: 4')
        .replace(/(id: "10"[\s\S]*?)points: 10/, '$1points: 16'),
    );
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual({
      file: FARMERS,
      line: await lineOf('assumption: true', 'id: "3"'),
      message: 'assumption: true needs a note saying what is assumed',
    });
    expect(problems).toContainEqual({
      file: FARMERS,
      line: await lineOf('points: 4', 'id: "9"', dir),
      message: 'points 4 is below pass.minCriterionPoints 5: no one could pass',
    });
  });

  it('fails when the version in the file differs from its file name', async () => {
    const dir = await copyWithFarmers((t) => t);
    await mkdir(join(dir, 'criteria/cdht-nong-dan'), { recursive: true });
    const text = await readFile(join(dir, FARMERS), 'utf8');
    await rm(join(dir, FARMERS));
    await writeFile(join(dir, 'criteria/cdht-nong-dan/2026.1.yaml'), text);
    const { problems } = await checkContent(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'criteria/cdht-nong-dan/2026.1.yaml', message: 'version 2025.1 does not match the file name 2026.1.yaml' }),
    );
  });

  it('orders versions by year, then by number', () => {
    expect(['2026.1', '2025.10', '2025.2'].sort(compareVersions)).toEqual(['2025.2', '2025.10', '2026.1']);
  });
});
